"""The console's main window: the top bar, the status line, and the parts it composes.

The window never touches the database itself: reads and Operations calls go to the
:class:`~counter.worker.DatabaseWorker`, whose signals bring back snapshots and results.
Between two reads, a one-second tick moves the countdowns with the console's clock.
What happens lives in the parts; the window builds them, lays out their widgets and
hands each snapshot, tick and result to the part it is for:

- :class:`~counter.session.ConsoleSession` — logging in and out, the counter held;
- :class:`~counter.controller.ActionController` — what each key and button does;
- :class:`~counter.notices.NoticeStrip` — the notices, the banners and the day's end;
- :class:`~counter.pages.ConsolePages` — the pages, their tabs and what refreshes them;
- :class:`~counter.submissions.Submissions` — the op_ids of the operations in flight.
"""

from __future__ import annotations

import time
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
    QVBoxLayout,
    QWidget,
)

from counter import actions, texts
from counter.controller import ActionController
from counter.drafts import DraftBook, default_folder
from counter.notices import NoticeStrip
from counter.officer import ACTION_KEYS, ElidedLabel
from counter.pages import ConsolePages
from counter.publisher import DayClosePublisher
from counter.session import SESSION_ACTIONS, ConsoleSession
from counter.snapshot import Snapshot, read_snapshot
from counter.submissions import Submissions
from counter.widgets import DialogSlot
from counter.worker import DatabaseWorker
from setup_wizard.install import program_command
from shared.clock import format_local, service_day
from shared.i18n import N_, _
from shared.qt.app import AppContext, start_detached
from shared.qt.heartbeat import HeartbeatTimer
from shared.qt.poller import QtChangePoller


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
        self.snapshot: Snapshot | None = None
        self.saving = False
        self.setObjectName("consoleWindow")
        self.setWindowTitle(_(N_("Antrian PST — counter console")))
        self.setMinimumSize(1024, 640)

        self.worker = DatabaseWorker(self._read, self)
        self.dialogs = DialogSlot()
        self.submissions = Submissions(self.worker, self.drafts, self)
        self.session = ConsoleSession(
            ctx, self.submissions, self.dialogs, self._say, self._current_snapshot, self
        )
        self.console_pages = ConsolePages(
            ctx, self.session, self.worker, self.drafts, self._current_snapshot, self
        )
        self.notice_strip = NoticeStrip(self.ops.machine, self)
        self._build()
        self.controller = ActionController(
            ctx,
            worker=self.worker,
            submissions=self.submissions,
            session=self.session,
            snapshot=self._current_snapshot,
            officer_view=self.officer_view,
            supervisor_view=self.supervisor_view,
            settings_view=self.settings_view,
            login_view=self.login_view,
            logout_button=self.logout_button,
            dialogs=self.dialogs,
            say=self._say,
            parent=self,
        )
        # The parts' state that the rest of the program (and its tests) reads here.
        self.available = self.controller.available
        self.report_worker = self.console_pages.report_worker
        self.plan_worker = self.console_pages.plan_worker
        self.show_officer_page = self.console_pages.show_officer_page
        self.show_supervisor_page = self.console_pages.show_supervisor_page
        self.show_reports_page = self.console_pages.show_reports_page
        self.show_settings_page = self.console_pages.show_settings_page
        self._bind_keys()

        self.submissions.submitted.connect(self.controller.update)
        self.session.logged_in.connect(self._on_logged_in)
        self.session.logged_out.connect(self._on_logged_out)
        self.console_pages.shown.connect(self._on_page_shown)
        self.notice_strip.action_requested.connect(self.controller.request)
        self.notice_strip.refresh_wanted.connect(self.worker.refresh)
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
        self._ticker = QTimer(self)
        self._ticker.setInterval(tick_ms)
        self._ticker.timeout.connect(self._on_tick)
        # A slow safety refresh: grace windows and idle times move with time alone.
        self._safety = QTimer(self)
        self._safety.setInterval(15_000)
        self._safety.timeout.connect(self.worker.refresh)
        # While the database is away, look again every two seconds: a lock that ends
        # changes nothing in the file, so no change would bring the screen back.
        self._retry = QTimer(self)
        self._retry.setInterval(2_000)
        self._retry.timeout.connect(self.worker.refresh)
        self._progress_delay = QTimer(self)
        self._progress_delay.setSingleShot(True)
        self._progress_delay.setInterval(250)
        self._progress_delay.timeout.connect(self._on_progress_delay_timeout)
        self.console_pages.show(self.login_view)
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

        pages, notices = self.console_pages, self.notice_strip
        # The parts' widgets, under the names the rest of the program knows them by.
        self.pages = pages.stack
        self.login_view = pages.login_view
        self.officer_view = pages.officer_view
        self.supervisor_view = pages.supervisor_view
        self.reports_view = pages.reports_view
        self.settings_view = pages.settings_view
        self.officer_page_button = pages.officer_page_button
        self.supervisor_page_button = pages.supervisor_page_button
        self.reports_page_button = pages.reports_page_button
        self.settings_page_button = pages.settings_page_button
        self.notices = notices.area
        self.banner = notices.banner
        self.skew_banner = notices.skew_banner
        self.day_state = notices.day_state

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
        bar.addWidget(self.day_state)
        self.clock_label = QLabel("")
        self.clock_label.setObjectName("clockLabel")
        bar.addWidget(self.clock_label)
        # Short: the bar of an administrator at a counter holds six buttons at 1366 px.
        self.logout_button = QPushButton(_(N_("Log out  [Ctrl+L]")))
        self.logout_button.setToolTip(_(N_("Log out, so that another officer can log in")))
        self.logout_button.setObjectName("logoutButton")
        # An administrator may change what this PC is with pst-setup.
        self.setup_button = QPushButton(_(N_("Set up this PC…")))
        self.setup_button.setObjectName("setupButton")
        self.setup_button.clicked.connect(self._on_setup_clicked)
        self.start_program = start_detached
        for b in (self.setup_button, self.logout_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # The Laporan and Pengaturan tabs sit just before "Log out".
        for b in (
            self.officer_page_button,
            self.supervisor_page_button,
            self.setup_button,
            self.reports_page_button,
            self.settings_page_button,
            self.logout_button,
        ):
            bar.addWidget(b)
        layout.addWidget(top)

        layout.addWidget(self.banner)
        layout.addWidget(self.skew_banner)
        layout.addWidget(self.notices)
        self._layout = layout
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
            ("Ctrl+L", lambda: self.controller.request(actions.LOG_OUT)),
        ):
            QShortcut(QKeySequence(key), self, activated=slot)

    # -- the session's state, where the program reads it --------------------------------

    @property
    def officer(self) -> dict[str, Any] | None:
        """The officer logged in at this console, if any."""
        return self.session.officer

    @property
    def counter_id(self) -> int | None:
        """The counter the officer holds (``None`` for a supervisor without one)."""
        return self.session.counter_id

    @property
    def dialog(self):
        """The dialog waiting for an answer, if any."""
        return self.dialogs.dialog

    def _current_snapshot(self) -> Snapshot | None:
        return self.snapshot

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
        self._retry.stop()
        self.heartbeat.stop()
        self.poller.stop()
        self.worker.stop()
        self.console_pages.stop()

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
            self.controller.save_draft(card.notes.toPlainText())
        # Every dialog of the window, also one a failing slot opened but never recorded.
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                dialog.reject()
        self.dialogs.forget()
        self.notices.clear()
        self.console_pages.show_again()
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
        self.controller.save_draft(self.officer_view.card.notes.toPlainText())
        self.stop()
        super().closeEvent(event)

    def _read(self) -> Snapshot:
        officer = self.session.officer
        counter_id = self.session.counter_id if officer else None
        officer_id = officer["id"] if officer else None
        return self.ctx.store.read(
            lambda conn: read_snapshot(
                conn,
                self.clock.now_ms(),
                counter_id=counter_id,
                machine=self.ops.machine,
                with_supervision=self.console_pages.wants_supervision,
                with_administration=self.console_pages.wants_administration,
                viewer_role=(officer or {}).get("role"),
                officer_id=officer_id,
            )
        )

    def _heartbeat_status(self) -> dict:
        status = {"counter_id": self.counter_id, "officer": (self.officer or {}).get("username")}
        # How often this console reset its screen today: the supervisor sees it.
        status.update(self._screen_resets)
        return status

    # -- pages and the top bar -------------------------------------------------------------

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

    def _on_page_shown(self, page: QWidget) -> None:
        self._place_notices(page)
        logged_in = self.officer is not None
        self.logout_button.setVisible(logged_in)
        self.setup_button.setVisible(self.session.administering)
        # Shown once a snapshot has said the counter's state: never an empty shape.
        self.counter_state.setVisible(
            logged_in and self.counter_id is not None and bool(self.counter_state.text())
        )

    def _on_setup_clicked(self) -> None:
        if not self.start_program(program_command("pst-setup")):
            self.notices.show_notice(
                "setup", _(N_("The setup wizard (pst-setup) could not be started.")), "error"
            )

    def _show_header(self, snapshot: Snapshot) -> None:
        """Say who works at which counter, and the counter's state, in the top bar."""
        officer = self.officer
        if officer is None:
            return
        counter = snapshot.counter
        if counter is None:
            self.identity.set_full_text(
                _(
                    N_("{officer} ({role})"),
                    officer=officer["full_name"],
                    role=texts.role(officer["role"]),
                )
            )
            return
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
                officer=officer["full_name"],
                role=texts.role(officer["role"]),
            )
        )

    # -- snapshot and clock ------------------------------------------------------------------

    def _on_snapshot_read(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.publisher.day_closed(snapshot)
        if self.session.ended_by(snapshot):
            return
        self.login_view.show_snapshot(snapshot)
        self._show_header(snapshot)
        self.console_pages.show_snapshot(snapshot)
        self.notice_strip.show_alerts(snapshot, self.officer)
        self.controller.update()
        self._on_tick()
        self.snapshot_shown.emit()

    def _on_tick(self) -> None:
        now = self.clock.now_ms()
        tz = self.snapshot.office["timezone"] if self.snapshot else "Asia/Jakarta"
        self.clock_label.setText(format_local(now, tz, "%H:%M:%S"))
        self.notice_strip.show_day_end(self.snapshot if self.officer else None, now)
        if self.officer is None or self.snapshot is None or self.snapshot.counter is None:
            self.notice_strip.clear_targets()
            return
        running = self.console_pages.tick(now)
        self.notice_strip.show_targets(running, self.available.get(actions.CALL_NEXT))

    def _on_shortcut(self, name: str) -> None:
        if self.pages.currentWidget() is self.officer_view:
            self.controller.request(name)

    # -- session -------------------------------------------------------------------------------

    def _on_logged_in(self) -> None:
        self.console_pages.show_home()
        self.heartbeat.beat_now()
        self.worker.refresh()

    def _on_logged_out(self) -> None:
        self.console_pages.clear()
        self.notices.keep_only("", set())
        self.identity.set_full_text(_(N_("Counter console")))
        self.counter_state.setText("")
        self.console_pages.show_home()
        self.worker.refresh()

    # -- outcomes of operations ------------------------------------------------------------------

    def _on_action_succeeded(self, name: str, boxed: list) -> None:
        self.submissions.settle(name, ok=True)
        part = self.session if name in SESSION_ACTIONS else self.controller
        part.on_succeeded(name, boxed[0])
        self.action_finished.emit(name, True)

    def _on_action_failed(self, name: str, message: str, storage: bool) -> None:
        self.submissions.settle(name, ok=False, storage=storage)
        part = self.session if name in SESSION_ACTIONS else self.controller
        part.on_failed(name, message)
        self._say(message, error=True)
        self.action_finished.emit(name, False)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    # -- storage -----------------------------------------------------------------------------------

    def _on_storage_failed(self, message: str) -> None:
        self.notice_strip.show_storage_trouble(message)
        self.controller.set_online(False)
        if not self._stopped:
            self._retry.start()

    def _on_storage_recovered(self) -> None:
        self._retry.stop()
        if self.controller.online:
            return
        self.notice_strip.hide_storage_trouble()
        self._say(_(N_("The queue database is reachable again.")))
        self.controller.set_online(True)
        self.worker.refresh()

    def _on_busy_changed(self, busy: bool) -> None:
        # Queued after the refresh that follows an action: once False, the screen is fresh.
        self.saving = busy
        if busy:
            self._progress_delay.start()
        else:
            self._progress_delay.stop()
            self.progress.hide()
        self.controller.update()

    def _on_progress_delay_timeout(self) -> None:
        if self.worker.busy:
            self.progress.show()
