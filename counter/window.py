"""The console's main window: login, officer and supervisor pages, alerts, shortcuts.

The window never touches the database itself: reads and Operations calls go to the
:class:`~counter.worker.DatabaseWorker`, whose signals bring back snapshots and results.
Between two reads, a one-second tick moves the countdowns with the console's clock.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from counter import actions, texts
from counter.dialogs import ConfirmDialog, ReasonDialog, TransferDialog, TransferDoneDialog
from counter.drafts import DraftBook, default_folder
from counter.login import LoginView
from counter.officer import ACTION_KEYS, ElidedLabel, OfficerView, set_level
from counter.planning import PlanWorker
from counter.publisher import DayClosePublisher
from counter.reports import ReportsView, ReportWorker
from counter.settings.page import SettingsView
from counter.snapshot import DAY_END_NOTICE_MS, Snapshot, read_snapshot
from counter.supervisor import SupervisorView
from counter.worker import DatabaseWorker
from setup_wizard.install import program_command
from shared import i18n, printing
from shared.clock import format_duration, format_local, service_day
from shared.config import default_config_path, save_config
from shared.errors import ConfigError, CounterHeld, DomainError
from shared.i18n import N_, _, ngettext
from shared.logs import log_file
from shared.operations import new_op_id
from shared.qt.app import AppContext, start_detached
from shared.qt.heartbeat import HeartbeatTimer
from shared.qt.poller import QtChangePoller
from shared.store import Store

log = logging.getLogger(__name__)

SUPERVISING_ROLES = ("supervisor", "admin")


class Notice(QFrame):
    """One non-modal message with an optional action button and a dismiss button."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.setObjectName("notice")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 4, 4)
        self.text = QLabel()
        self.text.setWordWrap(True)
        layout.addWidget(self.text, 1)
        self.action = QPushButton()
        self.action.setObjectName("noticeAction")
        self.action.hide()
        layout.addWidget(self.action)
        self.dismiss = QPushButton("×")
        self.dismiss.setObjectName("noticeDismiss")
        self.dismiss.setToolTip(_(N_("Hide this message")))
        self.dismiss.setFixedWidth(32)
        layout.addWidget(self.dismiss)
        self._on_action: Callable[[], None] | None = None
        self.action.clicked.connect(self._on_action_clicked)

    def set(
        self, text: str, level: str, action: str = "", on_action=None, why_not: str = ""
    ) -> None:
        """Show ``text``; ``why_not`` disables the action button and says why, in the text."""
        self.text.setText(f"{text} {why_not}" if why_not else text)
        set_level(self, level)
        self._on_action = on_action
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.action.setEnabled(not why_not)
        self.action.setToolTip(why_not)

    def _on_action_clicked(self) -> None:
        if self._on_action is not None:
            self._on_action()


class NoticeArea(QWidget):
    """Stacked notices keyed by what they are about, so each shows at most once."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeArea")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.notices: dict[str, Notice] = {}
        self._dismissed: set[str] = set()

    def show_notice(
        self,
        key: str,
        text: str,
        level: str = "warning",
        action: str = "",
        on_action=None,
        why_not: str = "",
    ) -> None:
        if key in self._dismissed:
            return
        notice = self.notices.get(key)
        if notice is None:
            notice = Notice(key)
            notice.dismiss.clicked.connect(lambda: self._on_dismissed(key))
            self.notices[key] = notice
            self._layout.addWidget(notice)
        notice.set(text, level, action, on_action, why_not)
        notice.show()

    def drop(self, key: str) -> None:
        notice = self.notices.pop(key, None)
        if notice is not None:
            notice.hide()
            notice.deleteLater()

    def keep_only(self, prefix: str, keys: set[str]) -> None:
        """Drop the notices of one kind that are no longer true."""
        for key in [k for k in self.notices if k.startswith(prefix) and k not in keys]:
            self.drop(key)
        self._dismissed = {k for k in self._dismissed if not k.startswith(prefix) or k in keys}

    def clear(self) -> None:
        """Take every notice off the screen; the ones dismissed stay dismissed."""
        for key in list(self.notices):
            self.drop(key)

    def _on_dismissed(self, key: str) -> None:
        self._dismissed.add(key)
        self.drop(key)


def printer_sentence(problem: dict) -> tuple[str, str]:
    """Say what a kiosk's printer state means for visitors; return (sentence, level).

    The kiosk sends its own sentence (msgid and parameters) with its state; it is shown
    in this console's language. A kiosk set up without a printer is no fault: said so.
    """
    machine = problem["machine"]
    if problem["printer"] == "none":
        return (
            _(
                N_(
                    "{machine} has no ticket printer set up: visitors see their number only"
                    " on the kiosk's screen."
                ),
                machine=machine,
            ),
            "info",
        )
    try:
        detail = _(problem["msgid"], **problem["params"]) if problem["msgid"] else ""
    except (KeyError, IndexError, ValueError):
        detail = ""  # a kiosk of another version: its sentence does not fit ours
    if detail:
        text = _(
            N_(
                "At {machine}: {problem} Visitors may not get a printed number: please check"
                " the kiosk."
            ),
            machine=machine,
            problem=detail,
        )
    else:
        text = _(
            N_(
                "The ticket printer at {machine} does not work. Visitors may not get a"
                " printed number: please check the kiosk."
            ),
            machine=machine,
        )
    return text, "warning"


class ConsoleWindow(QMainWindow):
    """The whole counter console for one PC."""

    # Emitted on the UI thread after each snapshot has been shown (tests and benchmarks).
    snapshot_shown = Signal()
    action_finished = Signal(str, bool)

    def __init__(
        self,
        ctx: AppContext,
        *,
        drafts: DraftBook | None = None,
        tick_ms: int = 1000,
        poller_grace_ms: int = 2000,
        heartbeat_seconds: float = 10.0,
    ) -> None:
        super().__init__()
        self.ctx = ctx
        self.ops = ctx.ops
        self.clock = ctx.ops.clock
        self.drafts = drafts or DraftBook(default_folder(ctx.config_path))
        self.officer: dict[str, Any] | None = None
        self.counter_id: int | None = None
        self._logged_in_at = 0
        self.snapshot: Snapshot | None = None
        self.online = True
        self._wants_supervision = False
        self._wants_administration = False
        self.saving = False
        self._op_ids: dict[tuple, str] = {}
        self._pending: dict[str, tuple[tuple, str | None]] = {}
        self._dialog = None
        self._transferred_number = ""
        self.setObjectName("consoleWindow")
        self.setWindowTitle(_(N_("Antrian PST — counter console")))
        self.setMinimumSize(1024, 640)
        self._build()
        self._bind_keys()

        self.worker = DatabaseWorker(self._read, self)
        self.worker.snapshot_read.connect(self._on_snapshot_read)
        self.worker.action_succeeded.connect(self._on_action_succeeded)
        self.worker.action_failed.connect(self._on_action_failed)
        self.worker.storage_failed.connect(self._on_storage_failed)
        self.worker.storage_recovered.connect(self._on_storage_recovered)
        self.worker.busy_changed.connect(self._on_busy_changed)
        self.poller = QtChangePoller(
            ctx.store, ctx.config.database.poll_interval_ms, poller_grace_ms, self
        )
        self.poller.changed.connect(self.worker.refresh)
        self.poller.unavailable.connect(self._on_storage_failed)
        self.poller.available.connect(self._on_storage_recovered)
        self.heartbeat = HeartbeatTimer(self.ops, heartbeat_seconds, self._heartbeat_status, self)
        self.publisher = DayClosePublisher(ctx.store.path, self)
        self.report_worker = ReportWorker(self._report_store, self.clock, self)
        self.report_worker.report_ready.connect(self._on_report_ready)
        self.report_worker.report_failed.connect(self.reports_view.show_failure)
        self.report_worker.export_progress.connect(self.reports_view.show_progress)
        self.report_worker.export_done.connect(self.reports_view.show_exported)
        self.report_worker.export_failed.connect(self.reports_view.show_export_failure)
        self.reports_view.report_requested.connect(self.report_worker.compute)
        self.reports_view.export_requested.connect(self._on_export_requested)
        self._connect_planning()
        self._ticker = QTimer(self)
        self._ticker.setInterval(tick_ms)
        self._ticker.timeout.connect(self._on_tick)
        # A slow safety refresh: grace windows and idle times move with time alone.
        self._safety = QTimer(self)
        self._safety.setInterval(15_000)
        self._safety.timeout.connect(self.worker.refresh)
        self._progress_delay = QTimer(self)
        self._progress_delay.setSingleShot(True)
        self._progress_delay.setInterval(250)
        self._progress_delay.timeout.connect(self._on_progress_delay_timeout)
        self.login_view.remember(ctx.config.counter.officer, ctx.config.counter.counter_id)
        self._show_page(self.login_view)
        self._stopped = False
        self._recoveries: list[float] = []
        self._screen_resets: dict[str, Any] = {}

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        central = QWidget()
        central.setObjectName("central")
        self.setCentralWidget(central)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 8, 12, 6)
        layout.setSpacing(6)

        top = QFrame()
        top.setObjectName("topBar")
        bar = QHBoxLayout(top)
        bar.setContentsMargins(10, 4, 10, 4)
        # Who and where: it gives way (ending in "…", whole in the tooltip) when the page
        # buttons of a supervisor or administrator need the bar's width.
        self.identity = ElidedLabel()
        self.identity.setObjectName("identity")
        self.identity.set_full_text(_(N_("Counter console")))
        bar.addWidget(self.identity)
        self.counter_state = QLabel("")
        self.counter_state.setObjectName("counterState")
        bar.addWidget(self.counter_state)
        bar.addStretch(1)
        # The end of the service day, from a quarter of an hour before closing.
        self.day_state = ElidedLabel()
        self.day_state.setObjectName("dayState")
        self.day_state.hide()
        bar.addWidget(self.day_state)
        self.clock_label = QLabel("")
        self.clock_label.setObjectName("clockLabel")
        bar.addWidget(self.clock_label)
        self.officer_page_button = QPushButton(_(N_("Counter  [Ctrl+1]")))
        self.officer_page_button.setObjectName("officerPageButton")
        self.supervisor_page_button = QPushButton(_(N_("Supervision  [Ctrl+2]")))
        self.supervisor_page_button.setObjectName("supervisorPageButton")
        # Short: the bar of an administrator at a counter holds six buttons at 1366 px.
        self.logout_button = QPushButton(_(N_("Log out  [Ctrl+L]")))
        self.logout_button.setToolTip(_(N_("Log out, so that another officer can log in")))
        self.logout_button.setObjectName("logoutButton")
        # An administrator may change what this PC is with pst-setup.
        self.setup_button = QPushButton(_(N_("Set up this PC…")))
        self.setup_button.setObjectName("setupButton")
        self.setup_button.clicked.connect(self._on_setup_clicked)
        self.start_program = start_detached
        for b in (
            self.officer_page_button,
            self.supervisor_page_button,
            self.setup_button,
            self.logout_button,
        ):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            bar.addWidget(b)
        for b in (self.officer_page_button, self.supervisor_page_button):
            b.setCheckable(True)
        layout.addWidget(top)
        # The Laporan and Pengaturan pages: their buttons sit just before "Log out".
        self.reports_page_button = QPushButton(_(N_("Reports  [Ctrl+3]")))
        self.reports_page_button.setObjectName("reportsPageButton")
        self.settings_page_button = QPushButton(_(N_("Settings  [Ctrl+4]")))
        self.settings_page_button.setObjectName("settingsPageButton")
        for b in (self.reports_page_button, self.settings_page_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setCheckable(True)
            bar.insertWidget(bar.indexOf(self.logout_button), b)

        self.banner = QLabel("")
        self.banner.setObjectName("storageBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        layout.addWidget(self.banner)
        self.skew_banner = QLabel("")
        self.skew_banner.setObjectName("skewBanner")
        self.skew_banner.setWordWrap(True)
        self.skew_banner.hide()
        layout.addWidget(self.skew_banner)
        self.notices = NoticeArea()
        layout.addWidget(self.notices)
        self._layout = layout

        self.pages = QStackedWidget()
        self.login_view = LoginView(_(N_("Pelayanan Statistik Terpadu")))
        self.login_view.set_details(str(self.ctx.store.path), str(log_file("pst-counter")))
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
            self.pages.addWidget(page)
        layout.addWidget(self.pages, 1)

        status = self.statusBar()
        status.setObjectName("statusBar")
        self.message = QLabel("")
        self.message.setObjectName("statusMessage")
        status.addWidget(self.message, 1)
        self.progress = QProgressBar()
        self.progress.setObjectName("savingProgress")
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(160)
        self.progress.setFormat(_(N_("Saving…")))
        self.progress.hide()
        status.addPermanentWidget(self.progress)

        self.login_view.login_requested.connect(self._on_login_requested)
        self.officer_view.action_requested.connect(self._on_action_requested)
        self.officer_view.card.notes_edited.connect(self._on_notes_edited)
        self.officer_view.queue.selection_changed.connect(self._update_actions)
        self.supervisor_view.counter_status_requested.connect(self._on_counter_status_requested)
        self.supervisor_view.service_active_requested.connect(self._on_service_active_requested)
        self.officer_page_button.clicked.connect(lambda: self.show_officer_page())
        self.supervisor_page_button.clicked.connect(lambda: self.show_supervisor_page())
        self.reports_page_button.clicked.connect(lambda: self.show_reports_page())
        self.settings_page_button.clicked.connect(lambda: self.show_settings_page())
        self.settings_view.change_requested.connect(self._on_settings_change_requested)
        self.settings_view.change_refused.connect(lambda text: self._say(text, error=True))
        self.logout_button.clicked.connect(lambda: self._on_action_requested(actions.LOG_OUT))

    def _bind_keys(self) -> None:
        self.shortcuts: dict[str, QShortcut] = {}
        for name, (_label, key) in ACTION_KEYS.items():
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WindowShortcut)
            shortcut.activated.connect(lambda n=name: self._on_shortcut(n))
            self.shortcuts[name] = shortcut
        for key, slot in (
            ("Ctrl+1", self.show_officer_page),
            ("Ctrl+2", self.show_supervisor_page),
            ("Ctrl+3", self.show_reports_page),
            ("Ctrl+4", self.show_settings_page),
            ("Ctrl+L", lambda: self._on_action_requested(actions.LOG_OUT)),
        ):
            QShortcut(QKeySequence(key), self, activated=slot)

    # -- life cycle ---------------------------------------------------------------------

    def start(self) -> None:
        """Start polling, the heartbeat and the clock; read the first snapshot."""
        self.poller.start()
        self.heartbeat.start()
        self._ticker.start()
        self._safety.start()
        self.worker.refresh()
        self._on_tick()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._ticker.stop()
        self._safety.stop()
        self.heartbeat.stop()
        self.poller.stop()
        self.worker.stop()
        self.report_worker.stop()
        self.plan_worker.stop()

    def recover(self) -> None:
        """Return to the last consistent view after an unexpected error in a slot.

        Run by the program's :class:`~shared.qt.recovery.Recovery` on the next turn of
        the event loop. The officer's notes are kept as a draft first; a half-built
        dialog closes; what the pages show is forgotten and read again from the database
        (a visitor's notes come back from the draft). The officer stays logged in: the
        next snapshot logs them out if the database says the counter is no longer theirs.
        A fault that comes back again and again cannot be recovered from: the sixth
        recovery in 30 seconds raises, and the program ends for a fresh start.
        """
        now = time.monotonic()
        self._recoveries = [t for t in self._recoveries if now - t < 30] + [now]
        if len(self._recoveries) > 5:
            raise RuntimeError("the console failed again and again within 30 seconds")
        tz = self.snapshot.office["timezone"] if self.snapshot else "Asia/Jakarta"
        day = service_day(self.clock.now_ms(), tz)
        count = self._screen_resets.get("screen_resets", 0)
        if self._screen_resets.get("screen_resets_day") != day:
            count = 0
        self._screen_resets = {"screen_resets": count + 1, "screen_resets_day": day}
        card = self.officer_view.card
        if card.ticket is not None and not card.notes.isReadOnly():
            self._save_draft(card.notes.toPlainText())
        # Every dialog of the window, also one a failing slot opened but never recorded.
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self._dialog = None
        card.show_ticket(None, "")
        self.officer_view.queue.clear()
        self.notices.clear()
        if self.officer is None:
            self._show_page(self.login_view)
            self.login_view.set_waiting("login" in self._pending or "login_move" in self._pending)
        else:
            role = self.officer["role"]
            allowed = {
                self.officer_view: self.counter_id is not None,
                self.supervisor_view: role in SUPERVISING_ROLES,
                self.reports_view: role in SUPERVISING_ROLES,
                self.settings_view: role == "admin",
            }
            page = self.pages.currentWidget()
            if not allowed.get(page):
                page = self.officer_view if self.counter_id is not None else self.supervisor_view
            self._show_page(page)
            if page is self.reports_view and self.reports_view.report is not None:
                self.reports_view.show_report(self.reports_view.report)
        self._on_busy_changed(self.worker.busy)
        self._say(
            _(
                N_(
                    "Something went wrong on this screen: it was read again from the database."
                    " Your notes are kept."
                )
            ),
            error=True,
        )
        self.worker.refresh()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._save_draft(self.officer_view.card.notes.toPlainText())
        self.stop()
        super().closeEvent(event)

    def _read(self) -> Snapshot:
        counter_id = self.counter_id if self.officer else None
        officer_id = self.officer["id"] if self.officer else None
        return self.ctx.store.read(
            lambda conn: read_snapshot(
                conn,
                self.clock.now_ms(),
                counter_id=counter_id,
                machine=self.ops.machine,
                with_supervision=self._wants_supervision,
                with_administration=self._wants_administration,
                viewer_role=(self.officer or {}).get("role"),
                officer_id=officer_id,
            )
        )

    def _report_store(self) -> Store:
        # Reports read on their own connection: a year of history must not hold the
        # console's connection (and its queue refreshes) for the time it takes.
        store = self.ctx.store
        return Store(
            store.path,
            busy_timeout_ms=store.busy_timeout_ms,
            retry_seconds=store.retry_seconds,
            allow_wal_on_local_disk=store.allow_wal_on_local_disk,
            create=False,
        )

    def _heartbeat_status(self) -> dict:
        status = {"counter_id": self.counter_id, "officer": (self.officer or {}).get("username")}
        # How often this console reset its screen today: the supervisor sees it.
        status.update(self._screen_resets)
        return status

    # -- pages ----------------------------------------------------------------------------

    def _place_notices(self, page: QWidget) -> None:
        """Notices go above the queue on the officer's page, above the page elsewhere."""
        on_officer_page = page is self.officer_view
        target = self.officer_view.notice_slot if on_officer_page else self._layout
        if self.notices.parentWidget() is not None and target.indexOf(self.notices) >= 0:
            return
        for layout in (self.officer_view.notice_slot, self._layout):
            layout.removeWidget(self.notices)
        if on_officer_page:
            target.addWidget(self.notices)
        else:
            self._layout.insertWidget(self._layout.indexOf(self.pages), self.notices)

    def _show_page(self, page: QWidget) -> None:
        self._place_notices(page)
        self.pages.setCurrentWidget(page)
        logged_in = self.officer is not None
        supervising = logged_in and self.officer["role"] in SUPERVISING_ROLES
        self.officer_page_button.setVisible(supervising and self.counter_id is not None)
        self.supervisor_page_button.setVisible(supervising)
        self.reports_page_button.setVisible(supervising)
        self.settings_page_button.setVisible(logged_in and self.officer["role"] == "admin")
        # Tabs: the page on screen is the checked, bright one (never a dimmed button).
        self.officer_page_button.setChecked(page is self.officer_view)
        self.supervisor_page_button.setChecked(page is self.supervisor_view)
        self.reports_page_button.setChecked(page is self.reports_view)
        self.settings_page_button.setChecked(page is self.settings_view)
        self.logout_button.setVisible(logged_in)
        self.setup_button.setVisible(logged_in and self.officer["role"] == "admin")
        # Shown once a snapshot has said the counter's state: never an empty shape.
        self.counter_state.setVisible(
            logged_in and self.counter_id is not None and bool(self.counter_state.text())
        )
        wants = page is self.supervisor_view
        wants_administration = page is self.settings_view
        if (wants, wants_administration) != (
            self._wants_supervision,
            self._wants_administration,
        ):
            self._wants_supervision = wants
            self._wants_administration = wants_administration
            self.worker.refresh()
        if page is self.login_view:
            self.login_view.reset()

    def _on_setup_clicked(self) -> None:
        if not self.start_program(program_command("pst-setup")):
            self.notices.show_notice(
                "setup", _(N_("The setup wizard (pst-setup) could not be started.")), "error"
            )

    def show_officer_page(self) -> None:
        if self.officer is not None and self.counter_id is not None:
            self._show_page(self.officer_view)

    def show_supervisor_page(self) -> None:
        if self.officer is not None and self.officer["role"] in SUPERVISING_ROLES:
            self._show_page(self.supervisor_view)

    def show_reports_page(self) -> None:
        """Show the Laporan page (supervisors and administrators); the first visit shows
        this month's report."""
        if self.officer is None or self.officer["role"] not in SUPERVISING_ROLES:
            return
        # Only an administrator sees who answered yes to an integrity question.
        self.reports_view.integrity_list = self.officer["role"] == "admin"
        if self.snapshot is not None:
            self._offer_report_choices(self.snapshot)
        self._show_page(self.reports_view)
        if self.reports_view.report is None and self.reports_view.show_button.isEnabled():
            self.reports_view.request_report()

    def show_settings_page(self) -> None:
        """Show the Pengaturan page (administrators only)."""
        if self.officer is not None and self.officer["role"] == "admin":
            self._show_page(self.settings_view)

    def _on_settings_change_requested(self, name: str, change) -> None:
        if self.officer is None or self.officer["role"] != "admin":
            return
        actor = self.officer["id"]
        action = f"settings:{name}"
        self._say(_(N_("Saving…")))
        self._submit(action, (action, id(change)), lambda _op: change(self.ops, actor))

    def _offer_report_choices(self, snapshot: Snapshot) -> None:
        self.reports_view.set_choices(
            snapshot.day, snapshot.services, snapshot.counters, snapshot.officers
        )

    def _on_report_ready(self, boxed: list) -> None:
        if self.officer is None or self.officer["role"] not in SUPERVISING_ROLES:
            return  # logged out while it was computed
        self.reports_view.show_report(boxed[0])

    def _connect_planning(self) -> None:
        """The counter plan tab and today's outlook run on their own worker thread."""
        self.plan_worker = PlanWorker(self._report_store, self.clock, self)
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
        self._outlook_day: str | None = None

    # Slots of the window (not lambdas): the worker's signals come from its thread and
    # are queued to this, the window's, thread.
    def _on_what_if_ready(self, boxed: list) -> None:
        self.reports_view.plan_view.show_what_if(boxed[0])

    def _on_outlook_ready(self, boxed: list) -> None:
        self.supervisor_view.show_outlook(boxed[0])

    def _on_outlook_failed(self, _message: str) -> None:
        self._outlook_day = None

    def _on_plan_ready(self, boxed: list) -> None:
        if self.officer is None or self.officer["role"] not in SUPERVISING_ROLES:
            return  # logged out while it was made
        self.reports_view.plan_view.show_plan(boxed[0])

    def _on_export_requested(self, fmt: str, path: str) -> None:
        report = self.reports_view.report
        if report is not None:
            self.report_worker.export(report, fmt, path, report.get("language", "id"))

    # -- snapshot ---------------------------------------------------------------------------

    def _on_snapshot_read(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.publisher.day_closed(snapshot)
        if (
            self._day_closed_under(snapshot)
            or self._moved_away(snapshot)
            or self._taken_over(snapshot)
        ):
            return
        self.login_view.show_snapshot(snapshot)
        if self.officer is not None and snapshot.counter is not None:
            counter = snapshot.counter
            state = texts.counter_status(counter["status"])
            if counter["status"] == "paused" and counter["pause_reason"]:
                state = f"{state}: {counter['pause_reason']}"
            self.counter_state.setText(state)
            self.counter_state.setProperty("state", counter["status"])
            self.counter_state.style().unpolish(self.counter_state)
            self.counter_state.style().polish(self.counter_state)
            self.counter_state.setVisible(self.pages.currentWidget() is not self.login_view)
            self.identity.set_full_text(
                _(
                    N_("{counter} · {officer} ({role})"),
                    counter=counter["name"],
                    officer=self.officer["full_name"],
                    role=texts.role(self.officer["role"]),
                )
            )
            self.officer_view.set_labels(
                paused=counter["status"] == "paused", closed=counter["status"] == "closed"
            )
            current = snapshot.current
            if current is not None:
                current = dict(current, service_name=snapshot.service_name(current["service_code"]))
                notes = self.drafts.load(current["code"])
                if notes is None:
                    notes = current["notes"] or ""
                self.officer_view.card.show_ticket(current, notes)
            else:
                self.officer_view.card.show_ticket(None, "")
            self.officer_view.queue.show_snapshot(snapshot)
        elif self.officer is not None:
            self.identity.set_full_text(
                _(
                    N_("{officer} ({role})"),
                    officer=self.officer["full_name"],
                    role=texts.role(self.officer["role"]),
                )
            )
        if self.pages.currentWidget() is self.reports_view:
            self._offer_report_choices(snapshot)
        if snapshot.administration is not None:
            self.settings_view.show_data(
                snapshot.administration, snapshot.office, snapshot.day, snapshot.at
            )
        if snapshot.supervision is not None:
            if self._outlook_day != snapshot.day:  # once a day: twelve weeks of history
                self._outlook_day = snapshot.day
                self.plan_worker.outlook(snapshot.day)
            self.supervisor_view.show_overview(snapshot.supervision)
            self.supervisor_view.show_clock_skew(snapshot.office_clock_skew)
        self._show_alerts(snapshot)
        self._update_actions()
        self._on_tick()
        self.snapshot_shown.emit()

    def _show_alerts(self, snapshot: Snapshot) -> None:
        printer_keys = set()
        for problem in snapshot.printer_problems:
            key = f"printer:{problem['machine']}"
            printer_keys.add(key)
            text, level = printer_sentence(problem)
            self.notices.show_notice(key, text, level)
        self.notices.keep_only("printer:", printer_keys)
        voice_keys = set()
        for machine in snapshot.voice_problems:
            key = f"voice:{machine}"
            voice_keys.add(key)
            self.notices.show_notice(
                key,
                _(
                    N_(
                        "The display voice of {machine} is unavailable: calls are shown and"
                        " chimed but not spoken. It tries again every minute; if it stays"
                        " silent, restart that PC."
                    ),
                    machine=machine,
                ),
                "warning",
            )
        self.notices.keep_only("voice:", voice_keys)
        if snapshot.clock_skew:
            skew = snapshot.clock_skew[0]
            mine = skew["machine"] == self.ops.machine
            other = skew["other"] if mine else skew["machine"]
            offset = skew["offset_ms"] if mine else -skew["offset_ms"]
            self.skew_banner.setText(
                _(
                    N_(
                        "This PC's clock is {seconds} seconds {direction} {other}. The 10-minute"
                        " countdowns may be wrong: ask IT to set the time automatically."
                    ),
                    seconds=abs(offset) // 1000,
                    direction=_(N_("ahead of")) if offset > 0 else _(N_("behind")),
                    other=other,
                )
            )
        self.skew_banner.setVisible(bool(snapshot.clock_skew))
        recall_keys = set()
        current = snapshot.current
        if (
            self.officer is not None
            and current is not None
            and current["status"] == "called"
            and current["recall_count"] >= snapshot.recall_limit
        ):
            key = f"recall:{current['id']}"
            recall_keys.add(key)
            self.notices.show_notice(
                key,
                ngettext(
                    "{number} was called {n} time and has not come to the counter.",
                    "{number} was called {n} times and has not come to the counter.",
                    1 + current["recall_count"],
                    number=current["number"],
                ),
                "warning",
                _(N_("Mark as not present  [F6]")),
                lambda: self._on_action_requested(actions.NO_SHOW),
            )
        self.notices.keep_only("recall:", recall_keys)

    def _update_actions(self) -> None:
        queue = self.officer_view.queue
        available = actions.availability(
            self.snapshot if self.officer else None,
            online=self.online,
            busy=self.worker.busy,
            selected_waiting=(queue.selected_waiting() or {}).get("id"),
            selected_returnable=(queue.selected_returnable() or {}).get("id"),
        )
        self.available = available
        self.officer_view.apply(available)
        self.logout_button.setEnabled(available[actions.LOG_OUT].enabled)
        self.logout_button.setToolTip(available[actions.LOG_OUT].reason)
        self.supervisor_view.set_online(self.online and not self.worker.busy)
        self.login_view.login_button.setEnabled(self.online and not self.worker.busy)

    def _on_tick(self) -> None:
        now = self.clock.now_ms()
        tz = self.snapshot.office["timezone"] if self.snapshot else "Asia/Jakarta"
        self.clock_label.setText(format_local(now, tz, "%H:%M:%S"))
        self._show_day_end(now)
        if self.officer is None or self.snapshot is None or self.snapshot.counter is None:
            self.notices.keep_only("miss:", set())
            return
        self.officer_view.card.tick(now)
        running = self.officer_view.queue.tick(now)
        # One notice for the queue, about its most urgent visitor: a notice per ticket
        # would push the visitor card off the screen on a busy morning.
        urgent = sorted(
            ((entry, live) for entry, live in running if live.level in ("warning", "breached")),
            key=lambda pair: pair[1].remaining_ms,
        )
        keys = set()
        # The notice's "Call next" obeys the same rule as the F2 button, and says why not.
        call_next = getattr(self, "available", {}).get(actions.CALL_NEXT)
        why_not = call_next.reason if call_next is not None and not call_next.enabled else ""
        if urgent:
            entry, live = urgent[0]
            number = entry.ticket["number"]
            if live.level == "warning":
                text = _(
                    N_("{number} will miss the 10-minute target in {time}: call the visitor now."),
                    number=number,
                    time=format_duration(live.remaining_ms),
                )
            else:
                text = _(
                    N_("{number} has waited past the 10-minute target by {time}."),
                    number=number,
                    time=format_duration(-live.remaining_ms),
                )
            if len(urgent) > 1:
                text += " " + ngettext(
                    "({n} more near or past the target: see the queue.)",
                    "({n} more near or past the target: see the queue.)",
                    len(urgent) - 1,
                )
            key = f"miss:{entry.ticket['id']}"
            keys.add(key)
            level = "breached" if any(t.level == "breached" for _e, t in urgent) else "warning"
            self.notices.show_notice(
                key,
                text,
                level,
                _(N_("Call next  [F2]")),
                self._on_call_next_from_notice,
                why_not,
            )
        self.notices.keep_only("miss:", keys)

    def _show_day_end(self, now: int) -> None:
        """Warn of the service's closing, then say what closing the day did.

        From 15 minutes before the services close (red from 5 minutes), between closing
        and the day's cutoff (how many are still waiting), and once the day is closed: a
        sentence with the visitors left unserved, the called one of this counter named.
        """
        snapshot = self.snapshot
        end = snapshot.day_end if snapshot is not None and self.officer is not None else None
        key, text, level, state = "", "", "warning", ""
        if end is not None:
            tz = snapshot.office["timezone"]
            if end.closed is not None:
                key, level = "dayend:closed", "info"
                text = self._day_closed_sentence(end.closed, snapshot)
                current = snapshot.current
                if current is not None and current["status"] == "serving":
                    text += " " + _(
                        N_("Finish {number}: this counter closes after that."),
                        number=current["number"],
                    )
                state = _(N_("Service day closed"))
            elif end.closing_at is not None and now >= end.closing_at - DAY_END_NOTICE_MS:
                closing = format_local(end.closing_at, tz)
                cutoff = format_local(end.cutoff_at, tz)
                if now < end.closing_at:
                    minutes = -(-(end.closing_at - now) // 60_000)
                    urgent = end.closing_at - now <= 5 * 60_000
                    key = "dayend:5" if urgent else "dayend:15"
                    level = "breached" if urgent else "warning"
                    text = _(
                        N_(
                            "The service closes at {closing}, in {minutes} min. The kiosk gives"
                            " no numbers after that; visitors still waiting at {cutoff} are"
                            " recorded as not served."
                        ),
                        closing=closing,
                        minutes=minutes,
                        cutoff=cutoff,
                    )
                    state = _(N_("Closes at {time}"), time=closing)
                else:
                    key = "dayend:closing"
                    level = "breached" if end.cutoff_at - now <= 5 * 60_000 else "warning"
                    if end.waiting:
                        text = ngettext(
                            "The service closed at {closing}. The queue closes at {cutoff}:"
                            " {n} visitor still waiting is then recorded as not served.",
                            "The service closed at {closing}. The queue closes at {cutoff}:"
                            " {n} visitors still waiting are then recorded as not served.",
                            end.waiting,
                            closing=closing,
                            cutoff=cutoff,
                        )
                    else:
                        text = _(
                            N_("The service closed at {closing}. The queue closes at {cutoff}."),
                            closing=closing,
                            cutoff=cutoff,
                        )
                    state = _(N_("Queue closes at {time}"), time=cutoff)
                # The snapshot was read before the warnings began: read the queue again.
                if snapshot.at < end.closing_at - DAY_END_NOTICE_MS:
                    self.worker.refresh()
        if key:
            self.notices.show_notice(key, text, level)
        self.notices.keep_only("dayend:", {key} if key else set())
        self.day_state.set_full_text(state)
        self.day_state.setVisible(bool(state))
        set_level(self.day_state, level if state else "none")

    def _day_closed_sentence(self, closed: dict, snapshot: Snapshot) -> str:
        """Say when the service day closed, how many were not served, and this counter's
        called visitor among them."""
        tz = snapshot.office["timezone"]
        time = format_local(closed["closed_at"], tz)
        unserved = len(closed["unserved"])
        if closed["day"] != snapshot.day:
            # Closed this morning by the first program to start: say which day it was.
            date = format_local(closed["closed_at"], tz, "%d-%m-%Y")
            if unserved:
                text = ngettext(
                    "The service day of {date} was closed at {time}: {n} visitor not served.",
                    "The service day of {date} was closed at {time}: {n} visitors not served.",
                    unserved,
                    date=date,
                    time=time,
                )
            else:
                text = _(
                    N_("The service day of {date} was closed at {time}: every visitor was served."),
                    date=date,
                    time=time,
                )
        elif unserved:
            text = ngettext(
                "The service day was closed at {time}: {n} visitor not served.",
                "The service day was closed at {time}: {n} visitors not served.",
                unserved,
                time=time,
            )
        else:
            text = _(
                N_("The service day was closed at {time}: every visitor was served."), time=time
            )
        mine = snapshot.counter["name"] if snapshot.counter is not None else None
        for called in closed.get("called", []):
            if mine is None or called["counter"] == mine:
                text += " " + _(
                    N_("{number} was being called at {counter} and is among them."),
                    number=called["number"],
                    counter=called["counter"],
                )
        return text

    def _on_call_next_from_notice(self) -> None:
        self._on_action_requested(actions.CALL_NEXT)

    # -- actions ------------------------------------------------------------------------------

    def _on_shortcut(self, name: str) -> None:
        if self.pages.currentWidget() is self.officer_view:
            self._on_action_requested(name)

    def _op_id(self, key: tuple) -> str:
        # A retry after a storage failure reuses the op_id: if the first try did commit,
        # the core returns its result instead of acting twice.
        return self._op_ids.setdefault(key, new_op_id())

    def _submit(
        self, name: str, key: tuple, call: Callable[[str], Any], *, draft_code: str | None = None
    ) -> None:
        """Run an operation in the worker; ``draft_code`` names a draft to drop on success."""
        op_id = self._op_id(key)
        self._pending[name] = (key, draft_code)
        self.worker.submit(name, lambda: call(op_id))
        self._update_actions()

    def _on_action_requested(self, name: str) -> None:
        available = getattr(self, "available", {}).get(name)
        if available is None or not available.enabled:
            if available is not None and available.reason:
                self._say(available.reason, error=True)
            return
        snapshot = self.snapshot
        officer_id = self.officer["id"] if self.officer else None
        counter_id = self.counter_id
        ticket = snapshot.current if snapshot else None
        tid = ticket["id"] if ticket else None
        ops = self.ops
        if name == actions.CALL_NEXT:
            self._submit(
                name,
                (name, counter_id, snapshot.queue[0].ticket["id"]),
                lambda op: ops.call_next(counter_id, officer_id, op_id=op),
            )
        elif name == actions.RECALL:
            n = ticket["recall_count"]
            self._submit(name, (name, tid, n), lambda op: ops.recall(tid, officer_id, op_id=op))
        elif name == actions.START:
            self._submit(name, (name, tid), lambda op: ops.start_service(tid, officer_id, op_id=op))
        elif name == actions.FINISH:
            notes = self.officer_view.card.notes.toPlainText()
            self._save_draft(notes)
            self._submit(
                name,
                (name, tid),
                lambda op: ops.finish(tid, officer_id, notes=notes, op_id=op),
                draft_code=ticket["code"],
            )
        elif name == actions.NO_SHOW:
            self._ask_no_show(ticket, officer_id)
        elif name == actions.REQUEUE:
            self._submit(name, (name, tid), lambda op: ops.requeue(tid, officer_id, op_id=op))
        elif name == actions.PUT_BACK:
            back = self.officer_view.queue.selected_returnable()
            bid = back["id"]
            self._submit(name, (name, bid), lambda op: ops.requeue(bid, officer_id, op_id=op))
        elif name == actions.TRANSFER:
            self._ask_transfer(ticket, officer_id)
        elif name == actions.CALL_SELECTED:
            chosen = self.officer_view.queue.selected_waiting()
            self._ask_call_selected(chosen, counter_id, officer_id)
        elif name == actions.PAUSE:
            if snapshot.counter["status"] == "paused":
                self._submit(
                    name,
                    (name, counter_id, "open"),
                    lambda op: ops.set_counter_status(counter_id, "open", officer_id, op_id=op),
                )
            else:
                self._ask_pause(counter_id, officer_id)
        elif name == actions.CLOSE:
            status = "open" if snapshot.counter["status"] == "closed" else "closed"
            if status == "open":
                # Opening again obeys one officer, one counter, like logging in.
                call = lambda op: ops.take_counter(counter_id, officer_id, op_id=op)  # noqa: E731
            else:
                call = lambda op: ops.set_counter_status(  # noqa: E731
                    counter_id, status, officer_id, op_id=op
                )
            self._submit(name, (name, counter_id, status), call)
        elif name == actions.LOG_OUT:
            self._log_out()

    def _open_dialog(self, dialog, on_accepted: Callable[[], None]) -> None:
        self._dialog = dialog
        dialog.accepted.connect(on_accepted)
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    def _on_dialog_finished(self, _result: int) -> None:
        if self._dialog is not None:
            self._dialog.deleteLater()
        self._dialog = None

    @property
    def dialog(self):
        """The dialog waiting for an answer, if any."""
        return self._dialog

    def _ask_transfer(self, ticket: dict, officer_id: int | None) -> None:
        choices = [
            (s["code"], texts.service_name(s))
            for s in self.snapshot.services
            if s["active"] and s["code"] != ticket["service_code"]
        ]
        dialog = TransferDialog(choices, self.officer_view.card.notes.toPlainText(), self)
        tid = ticket["id"]

        def accepted() -> None:
            code, notes = dialog.service_code, dialog.notes
            self._transferred_number = ticket["number"]
            self._save_draft(notes)
            self._submit(
                actions.TRANSFER,
                (actions.TRANSFER, tid, code),
                lambda op: self.ops.transfer(tid, code, officer_id, notes=notes, op_id=op),
                draft_code=ticket["code"],
            )

        self._open_dialog(dialog, accepted)

    def _show_transfer_done(self, new_ticket: dict) -> None:
        """Show the new number large; offer to print it at this desk's printer."""
        old_number = self._transferred_number
        service = next(
            (s for s in self.snapshot.services if s["code"] == new_ticket.get("service_code")),
            None,
        )
        service_name = texts.service_name(service) if service else ""
        counter_config = self.ctx.config.counter
        dialog = TransferDoneDialog(
            old_number,
            new_ticket["number"],
            service_name,
            can_print=counter_config.printer.strip().lower() not in ("", "none"),
            parent=self,
        )
        ticket_id, store, clock = new_ticket["id"], self.ctx.store, self.ops.clock
        language = i18n.language()

        def print_slip(_op: str) -> dict:
            try:
                printing.print_ticket_by_id(
                    store,
                    ticket_id,
                    counter_config.printer,
                    counter_config.printer_profile,
                    lang=language,
                    clock=clock,
                )
            except (printing.PrinterProblem, ConfigError) as exc:
                # Not a bug and not the database: a sentence for the officer.
                raise DomainError(exc.msgid, **exc.params) from exc
            return {"number": new_ticket["number"]}

        dialog.print_requested.connect(
            lambda: self._submit("reprint", ("reprint", ticket_id, new_op_id()), print_slip)
        )
        self._dialog = dialog
        dialog.finished.connect(self._on_dialog_finished)
        dialog.open()

    def _ask_call_selected(self, chosen: dict, counter_id: int, officer_id: int | None) -> None:
        dialog = ReasonDialog(
            _(N_("Call {number} out of turn"), number=chosen["number"]),
            _(
                N_(
                    "Visitors ahead of {number} will wait longer. Why is this visitor called"
                    " now? The reason is recorded."
                ),
                number=chosen["number"],
            ),
            self,
        )
        tid = chosen["id"]

        def accepted() -> None:
            reason = dialog.reason
            self._submit(
                actions.CALL_SELECTED,
                (actions.CALL_SELECTED, tid),
                lambda op: self.ops.call_ticket(
                    tid, counter_id, officer_id, reason=reason, op_id=op
                ),
            )

        self._open_dialog(dialog, accepted)

    def _ask_no_show(self, ticket: dict, officer_id: int | None) -> None:
        tid, number = ticket["id"], ticket["number"]
        grace = int(self.snapshot.office["no_show_grace_minutes"]) if self.snapshot else 0
        dialog = ConfirmDialog(
            _(N_("Mark {number} as not present"), number=number),
            _(
                N_(
                    "{number} leaves the queue and the next visitor can be called. If the"
                    " visitor comes within {minutes} minutes, put them back from the list"
                    " under the queue."
                ),
                number=number,
                minutes=grace,
            ),
            _(N_("Mark as not present")),
            self,
        )

        def accepted() -> None:
            self._submit(
                actions.NO_SHOW,
                (actions.NO_SHOW, tid),
                lambda op: self.ops.no_show(tid, officer_id, op_id=op),
            )

        self._open_dialog(dialog, accepted)

    def _ask_pause(self, counter_id: int, officer_id: int | None) -> None:
        dialog = ReasonDialog(
            _(N_("Pause the counter")),
            _(N_("Why is the counter paused? (for example: prayer, meeting, break)")),
            self,
        )

        def accepted() -> None:
            reason = dialog.reason
            self._submit(
                actions.PAUSE,
                (actions.PAUSE, counter_id, "paused", reason),
                lambda op: self.ops.set_counter_status(
                    counter_id, "paused", officer_id, reason=reason, op_id=op
                ),
            )

        self._open_dialog(dialog, accepted)

    def _on_counter_status_requested(self, counter_id: int, status: str) -> None:
        officer_id = self.officer["id"] if self.officer else None
        if status == "paused":
            self._ask_pause(counter_id, officer_id)
            return
        self._submit(
            "counter_status",
            ("counter_status", counter_id, status),
            lambda op: self.ops.set_counter_status(counter_id, status, officer_id, op_id=op),
        )

    def _on_service_active_requested(self, code: str, active: bool) -> None:
        officer_id = self.officer["id"] if self.officer else None
        self._submit(
            "service_active",
            ("service_active", code, active),
            lambda op: self.ops.save_service(code, active=active, actor=officer_id),
        )

    def _on_action_succeeded(self, name: str, boxed: list) -> None:
        result = boxed[0]
        key, draft_code = self._pending.pop(name, ((), None))
        self._op_ids.pop(key, None)
        if draft_code:
            self.drafts.discard(draft_code)
        if name.startswith("settings:"):
            tz = self.snapshot.office["timezone"] if self.snapshot else "Asia/Jakarta"
            when = format_local(self.clock.now_ms(), tz, "%H:%M:%S")
            self._say(self.settings_view.show_saved(name.removeprefix("settings:"), when))
            self.action_finished.emit(name, True)
            return
        if name == "login":
            self._on_logged_in(result)
        elif name == "login_move":
            self._on_logged_in(result)
            moved = result["moved"]
            returned = [
                _(N_("{number} is back in the queue."), number=n) for n in moved["returned"]
            ]
            self._say(" ".join([self.message.text(), *returned]))
        elif name == actions.LOG_OUT:
            self._on_logged_out()
        elif name == actions.TRANSFER:
            self._say(
                _(N_("Transferred: the visitor now has number {number}."), number=result["number"])
            )
            self._show_transfer_done(result)
        elif name == "reprint":
            if isinstance(self._dialog, TransferDoneDialog):
                self._dialog.show_outcome(
                    _(N_("{number} printed."), number=result["number"]), error=False
                )
            self._say(_(N_("{number} printed."), number=result["number"]))
        elif name == actions.FINISH:
            self._say(_(N_("{number} finished."), number=result["number"]))
        elif name in (actions.CALL_NEXT, actions.CALL_SELECTED):
            self._say(_(N_("{number} is called."), number=result["number"]))
        elif name == actions.RECALL:
            self._say(_(N_("{number} is called again."), number=result["number"]))
        elif isinstance(result, dict) and "number" in result and "status" in result:
            state = texts.ticket_state(result["status"])
            self._say(_(N_("{number}: {state}."), number=result["number"], state=state))
        else:
            self._say(_(N_("Saved.")))
        self.action_finished.emit(name, True)

    def _on_action_failed(self, name: str, message: str, storage: bool) -> None:
        key, _draft = self._pending.pop(name, ((), None))
        if not storage:
            self._op_ids.pop(key, None)
        if name.startswith("settings:"):
            self.settings_view.show_error(name.removeprefix("settings:"), message)
        if name in ("login", "login_move"):
            self.login_view.set_waiting(False)
            self.login_view.set_message(message)
            self.login_view.pin_edit.clear()
        if name == "reprint" and isinstance(self._dialog, TransferDoneDialog):
            self._dialog.show_outcome(message, error=True)
        self._say(message, error=True)
        self.action_finished.emit(name, False)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    # -- notes ---------------------------------------------------------------------------------

    def _on_notes_edited(self, text: str) -> None:
        if self._save_draft(text):
            now = self.clock.now_ms()
            tz = self.snapshot.office["timezone"] if self.snapshot else "Asia/Jakarta"
            self.officer_view.card.draft_state.setText(
                _(N_("Draft kept on this PC · {time}"), time=format_local(now, tz, "%H:%M:%S"))
            )
        else:
            self.officer_view.card.draft_state.setText(
                _(N_("The draft could not be saved on this PC!"))
            )

    def _save_draft(self, text: str) -> bool:
        ticket = self.officer_view.card.ticket
        if ticket is None:
            return True
        return self.drafts.save(ticket["code"], ticket["number"], text)

    # -- login -----------------------------------------------------------------------------------

    def _on_login_requested(self, username: str, pin: str, counter_id: int) -> None:
        officers = {o["username"]: o for o in (self.snapshot.officers if self.snapshot else [])}
        role = officers.get(username, {}).get("role", "officer")
        if not counter_id and role not in SUPERVISING_ROLES:
            self.login_view.set_message(_(N_("Choose the counter you work at.")))
            return
        self.login_view.set_waiting(True)
        ops = self.ops

        def login(op: str) -> dict:
            officer = ops.login(username, pin, counter_id=counter_id or None, picked=True)
            if counter_id:
                try:
                    ops.take_counter(counter_id, officer["id"], op_id=op)
                except CounterHeld as held:
                    # Still at another counter: the officer is asked before anything moves.
                    return {"officer": officer, "counter_id": counter_id, "held": held.params}
            return {"officer": officer, "counter_id": counter_id or None}

        self._submit("login", ("login", username), login)

    def _ask_move(self, officer: dict, counter_id: int, held: dict) -> None:
        """Ask an officer still holding another counter whether to move here."""
        here = next(
            (
                c["name"]
                for c in (self.snapshot.counters if self.snapshot else [])
                if c["id"] == counter_id
            ),
            str(counter_id),
        )
        question = CounterHeld(held["counter"], held.get("number")).message
        if held.get("number"):
            consequence = _(
                N_(
                    "Moving to {here} closes {there} and returns {number} to the queue; the"
                    " reason is recorded."
                ),
                here=here,
                there=held["counter"],
                number=held["number"],
            )
        else:
            consequence = _(
                N_("Moving to {here} closes {there}."), here=here, there=held["counter"]
            )
        dialog = ConfirmDialog(
            _(N_("Move to {counter}?"), counter=here),
            f"{question} {consequence}",
            _(N_("Move to {counter}"), counter=here),
            self,
        )
        officer_id = officer["id"]

        def accepted() -> None:
            self._submit(
                "login_move",
                ("login_move", officer_id, counter_id),
                lambda op: {
                    "officer": officer,
                    "counter_id": counter_id,
                    "moved": self.ops.take_counter(counter_id, officer_id, move=True, op_id=op),
                },
            )

        def rejected() -> None:
            self.login_view.set_waiting(False)
            self.login_view.pin_edit.clear()
            self.login_view.set_message(
                _(N_("Not logged in here: you stay at {counter}."), counter=held["counter"]),
                error=False,
            )

        dialog.rejected.connect(rejected)
        self._open_dialog(dialog, accepted)

    def _day_closed_under(self, snapshot: Snapshot) -> bool:
        """Log out an officer whose service day was closed while they were logged in.

        Closing the day already closed the counter and cleared its officer in the
        database; an officer still serving a visitor stays until that visitor is done.
        """
        closed_at = snapshot.day_closed_at
        if self.officer is None or closed_at is None or closed_at <= self._logged_in_at:
            return False
        if snapshot.counter is not None and snapshot.counter["status"] != "closed":
            return False
        closed = snapshot.closed_summary
        if closed is not None:
            message = (
                self._day_closed_sentence(closed, snapshot)
                + " "
                + _(N_("The counter is closed and you were logged out. Log in again to go on."))
            )
        else:
            message = _(
                N_(
                    "The service day was closed at {time}: the counter is closed and you were"
                    " logged out. Log in again to go on."
                ),
                time=format_local(closed_at, snapshot.office["timezone"]),
            )
        self._on_logged_out()
        self.login_view.set_message(message, error=False)
        return True

    def _moved_away(self, snapshot: Snapshot) -> bool:
        """Log out an officer who moved to another counter from another PC.

        The move closed this counter in the database; this console must not go on as if
        the officer were still here.
        """
        counter = snapshot.counter
        if self.officer is None or counter is None or not snapshot.elsewhere:
            return False
        if counter["status"] != "closed":
            return False
        self._on_logged_out()
        self.login_view.set_message(
            _(
                N_(
                    "You logged in at {other} on another PC: {counter} is closed and this"
                    " console logged you out."
                ),
                other=snapshot.elsewhere,
                counter=counter["name"],
            ),
            error=False,
        )
        return True

    def _taken_over(self, snapshot: Snapshot) -> bool:
        """Log out an officer whose closed counter another officer has opened elsewhere.

        One counter, one officer: the counter is theirs now (it could be taken only
        because it was closed); this console must not act on it.
        """
        counter = snapshot.counter
        if self.officer is None or counter is None or counter["status"] == "closed":
            return False
        if counter["officer_id"] in (None, self.officer["id"]):
            return False
        self._on_logged_out()
        self.login_view.set_message(
            _(
                N_("{officer} opened {counter} on another PC: you were logged out here."),
                officer=counter.get("officer_name") or "",
                counter=counter["name"],
            ),
            error=False,
        )
        return True

    def _on_logged_in(self, result: dict) -> None:
        if result.get("held"):
            self._ask_move(result["officer"], result["counter_id"], result["held"])
            return
        self.officer = result["officer"]
        self.counter_id = result["counter_id"]
        self._logged_in_at = self.ops.clock.now_ms()
        self.login_view.set_waiting(False)
        self.login_view.pin_edit.clear()
        self._remember_choice(self.officer["username"], self.counter_id or 0)
        self._say(_(N_("Welcome, {name}."), name=self.officer["full_name"]))
        if self.counter_id is not None:
            self._show_page(self.officer_view)
        else:
            self._show_page(self.supervisor_view)
        self.heartbeat.beat_now()
        self.worker.refresh()

    def _remember_choice(self, username: str, counter_id: int) -> None:
        config = self.ctx.config
        config.counter.officer = username
        if counter_id:
            config.counter.counter_id = counter_id
        path = self.ctx.config_path or default_config_path()
        try:
            save_config(config, path)
        except OSError:
            log.exception("could not remember the counter in %s", path)
        self.login_view.remember(username, config.counter.counter_id)

    def _log_out(self) -> None:
        officer, counter_id = self.officer, self.counter_id
        if officer is None:
            return
        ops = self.ops
        counter = self.snapshot.counter if self.snapshot else None

        def log_out(_op: str) -> None:
            if counter_id is not None and counter is not None and counter["status"] != "closed":
                ops.set_counter_status(counter_id, "closed", officer["id"])
            ops.logout(officer["id"], counter_id)

        self._submit(actions.LOG_OUT, (actions.LOG_OUT, officer["id"]), log_out)

    def _on_logged_out(self) -> None:
        self.officer = None
        self.counter_id = None
        self.officer_view.card.show_ticket(None, "")
        self.reports_view.clear()
        self.notices.keep_only("", set())
        self.identity.set_full_text(_(N_("Counter console")))
        self.counter_state.setText("")
        self._show_page(self.login_view)
        self.worker.refresh()

    # -- storage -----------------------------------------------------------------------------------

    def _on_storage_failed(self, message: str) -> None:
        self.online = False
        self.banner.setText(
            _(
                N_(
                    "{problem} Actions are disabled until the database is back. Notes you type"
                    " are kept on this PC."
                ),
                problem=message,
            )
        )
        self.banner.show()
        self._update_actions()

    def _on_storage_recovered(self) -> None:
        if self.online:
            return
        self.online = True
        self.banner.hide()
        self._say(_(N_("The queue database is reachable again.")))
        self._update_actions()
        self.worker.refresh()

    def _on_busy_changed(self, busy: bool) -> None:
        # Queued after the refresh that follows an action: once False, the screen is fresh.
        self.saving = busy
        if busy:
            self._progress_delay.start()
        else:
            self._progress_delay.stop()
            self.progress.hide()
        self._update_actions()

    def _on_progress_delay_timeout(self) -> None:
        if self.worker.busy:
            self.progress.show()
