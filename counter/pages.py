"""The console's pages: which one is on screen, who may see it, and what refreshes it.

:class:`ConsolePages` holds the five pages in one stack — login, the counter's queue page
(Ctrl+1), supervision (Ctrl+2, supervisors and administrators), Laporan with the counter
plan (Ctrl+3, the same) and Pengaturan (Ctrl+4, administrators) — and the tab buttons
that switch them. Each snapshot refreshes the pages that show it; the reports, the plan
and today's outlook are computed on worker threads of their own, each on its own
connection, so that a year of history never holds up the queue. The snapshot reads the
supervision overview and the administration lists only while their page is on screen.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QPushButton, QStackedWidget, QWidget

from counter.drafts import DraftBook
from counter.officer import OfficerView
from counter.planning import PlanWorker
from counter.reports import ReportsView, ReportWorker
from counter.session import ConsoleSession
from counter.settings.page import SettingsView
from counter.snapshot import QueueEntry, Snapshot
from counter.supervisor import SupervisorView
from counter.worker import DatabaseWorker
from shared.i18n import N_, _
from shared.qt.app import AppContext
from shared.queue.target import Target
from shared.storage.store import Store


def tab_button(text: str, name: str) -> QPushButton:
    """A checkable page button of the top bar (keys only through its shortcut)."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setCheckable(True)
    return button


class ConsolePages(QObject):
    """Switch the console's pages and refresh them from each snapshot."""

    # A page was put on screen (the window places the notices and its top bar).
    shown = Signal(QWidget)

    def __init__(
        self,
        ctx: AppContext,
        session: ConsoleSession,
        worker: DatabaseWorker,
        drafts: DraftBook,
        snapshot: Callable[[], Snapshot | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._session = session
        self._worker = worker
        self._drafts = drafts
        self._snapshot = snapshot
        self.wants_supervision = False
        self.wants_administration = False
        self.stack = QStackedWidget()
        self.login_view = session.login_view
        self.officer_view = OfficerView()
        self.supervisor_view = SupervisorView()
        self.reports_view = ReportsView()
        self.settings_view = SettingsView()
        for page in (
            self.login_view,
            self.officer_view,
            self.supervisor_view,
            self.reports_view,
            self.settings_view,
        ):
            self.stack.addWidget(page)
        self.officer_page_button = tab_button(_(N_("Counter  [Ctrl+1]")), "officerPageButton")
        self.supervisor_page_button = tab_button(
            _(N_("Supervision  [Ctrl+2]")), "supervisorPageButton"
        )
        # The Laporan and Pengaturan pages: their buttons sit just before "Log out".
        self.reports_page_button = tab_button(_(N_("Reports  [Ctrl+3]")), "reportsPageButton")
        self.settings_page_button = tab_button(_(N_("Settings  [Ctrl+4]")), "settingsPageButton")
        self.officer_page_button.clicked.connect(lambda: self.show_officer_page())
        self.supervisor_page_button.clicked.connect(lambda: self.show_supervisor_page())
        self.reports_page_button.clicked.connect(lambda: self.show_reports_page())
        self.settings_page_button.clicked.connect(lambda: self.show_settings_page())
        self._connect_reports()
        self._connect_planning()

    def current(self) -> QWidget:
        """The page on screen."""
        return self.stack.currentWidget()

    # -- switching -------------------------------------------------------------------------

    def show(self, page: QWidget) -> None:
        """Put ``page`` on screen; its tab is the checked one, the others the officer's."""
        session = self._session
        self.stack.setCurrentWidget(page)
        self.officer_page_button.setVisible(session.supervising and session.counter_id is not None)
        self.supervisor_page_button.setVisible(session.supervising)
        self.reports_page_button.setVisible(session.supervising)
        self.settings_page_button.setVisible(session.administering)
        # Tabs: the page on screen is the checked, bright one (never a dimmed button).
        self.officer_page_button.setChecked(page is self.officer_view)
        self.supervisor_page_button.setChecked(page is self.supervisor_view)
        self.reports_page_button.setChecked(page is self.reports_view)
        self.settings_page_button.setChecked(page is self.settings_view)
        wants = page is self.supervisor_view
        wants_administration = page is self.settings_view
        if (wants, wants_administration) != (self.wants_supervision, self.wants_administration):
            self.wants_supervision = wants
            self.wants_administration = wants_administration
            self._worker.refresh()
        if page is self.login_view:
            self.login_view.reset()
        self.shown.emit(page)

    def show_officer_page(self) -> None:
        if self._session.officer is not None and self._session.counter_id is not None:
            self.show(self.officer_view)

    def show_supervisor_page(self) -> None:
        if self._session.supervising:
            self.show(self.supervisor_view)

    def show_reports_page(self) -> None:
        """Show the Laporan page (supervisors and administrators); the first visit shows
        this month's report."""
        if not self._session.supervising:
            return
        # Only an administrator sees who answered yes to an integrity question.
        self.reports_view.integrity_list = self._session.administering
        snapshot = self._snapshot()
        if snapshot is not None:
            self._offer_report_choices(snapshot)
        self.show(self.reports_view)
        if self.reports_view.report is None and self.reports_view.show_button.isEnabled():
            self.reports_view.request_report()

    def show_settings_page(self) -> None:
        """Show the Pengaturan page (administrators only)."""
        if self._session.administering:
            self.show(self.settings_view)

    def show_home(self) -> None:
        """Show the page a session starts on: the counter's, else supervision, else login."""
        session = self._session
        if session.officer is None:
            self.show(self.login_view)
        elif session.counter_id is not None:
            self.show(self.officer_view)
        else:
            self.show(self.supervisor_view)

    def show_again(self) -> None:
        """Show the page on screen again from scratch, or home if it is no longer allowed.

        After an unexpected error: what the pages showed is forgotten; the next snapshot
        fills them again (a report already computed is shown again at once).
        """
        session = self._session
        self.officer_view.card.show_ticket(None, "")
        self.officer_view.queue.clear()
        if session.officer is None:
            self.show(self.login_view)
            self.login_view.set_waiting(session.waiting_for_login())
            return
        allowed = {
            self.officer_view: session.counter_id is not None,
            self.supervisor_view: session.supervising,
            self.reports_view: session.supervising,
            self.settings_view: session.administering,
        }
        page = self.current()
        if not allowed.get(page):
            page = self.officer_view if session.counter_id is not None else self.supervisor_view
        self.show(page)
        if page is self.reports_view and self.reports_view.report is not None:
            self.reports_view.show_report(self.reports_view.report)

    def clear(self) -> None:
        """Forget what the last officer saw (at log-out: the next person may not see it)."""
        self.officer_view.card.show_ticket(None, "")
        self.reports_view.clear()

    # -- refreshing --------------------------------------------------------------------------

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Refresh the pages that show what ``snapshot`` holds."""
        session = self._session
        if session.officer is not None and snapshot.counter is not None:
            counter = snapshot.counter
            self.officer_view.set_labels(
                paused=counter["status"] == "paused", closed=counter["status"] == "closed"
            )
            current = snapshot.current
            if current is not None:
                current = dict(current, service_name=snapshot.service_name(current["service_code"]))
                notes = self._drafts.load(current["code"])
                if notes is None:
                    notes = current["notes"] or ""
                self.officer_view.card.show_ticket(current, notes)
            else:
                self.officer_view.card.show_ticket(None, "")
            self.officer_view.queue.show_snapshot(snapshot)
        if self.current() is self.reports_view:
            self._offer_report_choices(snapshot)
        if snapshot.administration is not None:
            self.settings_view.show_data(
                snapshot.administration, snapshot.office, snapshot.day, snapshot.at
            )
        if snapshot.supervision is not None:
            if self.outlook_day != snapshot.day:  # once a day: twelve weeks of history
                self.outlook_day = snapshot.day
                self.plan_worker.outlook(snapshot.day)
            self.supervisor_view.show_overview(snapshot.supervision)
            self.supervisor_view.show_clock_skew(snapshot.office_clock_skew)

    def tick(self, now: int) -> list[tuple[QueueEntry, Target]]:
        """Move the visitor card's and the queue's clocks; return the running countdowns."""
        self.officer_view.card.tick(now)
        return self.officer_view.queue.tick(now)

    # -- reports and the plan ----------------------------------------------------------------

    def report_store(self) -> Store:
        """Open a connection of its own for the reports and the plan.

        A year of history must not hold the console's connection (and its queue
        refreshes) for the time it takes.
        """
        store = self.ctx.store
        return Store(
            store.path,
            busy_timeout_ms=store.busy_timeout_ms,
            retry_seconds=store.retry_seconds,
            allow_wal_on_local_disk=store.allow_wal_on_local_disk,
            create=False,
        )

    def _connect_reports(self) -> None:
        """The Laporan page computes and exports on its own worker thread."""
        self.report_worker = ReportWorker(self.report_store, self.ctx.ops.clock, self)
        view = self.reports_view
        self.report_worker.report_ready.connect(self._on_report_ready)
        self.report_worker.report_failed.connect(view.show_failure)
        self.report_worker.export_progress.connect(view.show_progress)
        self.report_worker.export_done.connect(view.show_exported)
        self.report_worker.export_failed.connect(view.show_export_failure)
        view.report_requested.connect(self.report_worker.compute)
        view.export_requested.connect(self._on_export_requested)

    def _connect_planning(self) -> None:
        """The counter plan tab and today's outlook run on their own worker thread."""
        self.plan_worker = PlanWorker(self.report_store, self.ctx.ops.clock, self)
        plan = self.reports_view.plan_view
        plan.plan_requested.connect(self.plan_worker.compute)
        plan.what_if_requested.connect(self.plan_worker.ask)
        self.plan_worker.plan_ready.connect(self._on_plan_ready)
        self.plan_worker.plan_failed.connect(plan.show_failure)
        self.plan_worker.what_if_ready.connect(self._on_what_if_ready)
        self.plan_worker.what_if_failed.connect(plan.show_what_if_failure)
        self.plan_worker.outlook_ready.connect(self._on_outlook_ready)
        # Storage trouble: the next snapshot (once the share is back) asks again.
        self.plan_worker.outlook_failed.connect(self._on_outlook_failed)
        self.outlook_day: str | None = None

    def stop(self) -> None:
        """Stop the report and plan threads."""
        self.report_worker.stop()
        self.plan_worker.stop()

    def _offer_report_choices(self, snapshot: Snapshot) -> None:
        self.reports_view.set_choices(
            snapshot.day, snapshot.services, snapshot.counters, snapshot.officers
        )

    # Slots (not lambdas): the workers' signals come from their threads and are queued to
    # this object's, the window's, thread.
    def _on_report_ready(self, boxed: list) -> None:
        if not self._session.supervising:
            return  # logged out while it was computed
        self.reports_view.show_report(boxed[0])

    def _on_export_requested(self, fmt: str, path: str) -> None:
        report = self.reports_view.report
        if report is not None:
            self.report_worker.export(report, fmt, path, report.get("language", "id"))

    def _on_what_if_ready(self, boxed: list) -> None:
        self.reports_view.plan_view.show_what_if(boxed[0])

    def _on_outlook_ready(self, boxed: list) -> None:
        self.supervisor_view.show_outlook(boxed[0])

    def _on_outlook_failed(self, _message: str) -> None:
        self.outlook_day = None

    def _on_plan_ready(self, boxed: list) -> None:
        if not self._session.supervising:
            return  # logged out while it was made
        self.reports_view.plan_view.show_plan(boxed[0])
