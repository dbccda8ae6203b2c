"""Run in a subprocess on a real X screen: a seeded random walk through a day at the console.

``python -m tests.gui.counter.monkey_child ARTIFACTS SIZE LANG SEED STEPS`` starts
pst-counter the way the office does (:func:`shared.qt.app.bootstrap`: the recovery from
unexpected errors, Qt's own words in the language) full screen, on a fresh office
database and a fake clock that the walk moves (Wednesday afternoon, across closing time
and the day's close, to the next morning). Another process is the kiosk PC and a second
console (:mod:`tests.gui.counter.monkey_other_pc`): visitors take numbers, the kiosk's
printer changes state, an officer logs in elsewhere. The walk logs officers in (right
and wrong PINs, an officer, a supervisor, the administrator), presses every action key,
taps whatever can be tapped, answers dialogs, types notes, saves settings (valid and
refused values), shows and saves reports, and now and then makes a slot fail.

After every step (:meth:`ConsoleDay.check`): no exception logged but the walk's own,
every visible text in the chosen language (the catalogues), no clipped label or cut
table cell, and the header, counter, visitor and queue on screen what the database says
(within a second). Prints one JSON line: the walk's figures, or the failure.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import shared.qt  # noqa: F401  (guards against PySide6 6.12 on Python 3.11)

JAKARTA = ZoneInfo("Asia/Jakarta")
# Wednesday afternoon: the services close at 15:30 (the warnings come at 15:15 and 15:25),
# the day is closed at 16:00; a walk of a hundred steps usually gets there.
START = datetime(2026, 11, 25, 15, 12, tzinfo=JAKARTA)
FAULT = "monkey: a deliberate error in a slot"
OFFICERS = {"budi": "1234", "sari": "5678", "admin": "0000"}
# Words the walk types: in no catalogue, so they never look like the wrong language.
TOKENS = ("ZQ-17", "XK 204", "Q7 RT", "ZZ-9")


def make_office(db: Path, clock) -> dict:
    from shared.queue.operations import Operations
    from shared.storage.store import Store

    ops = Operations(Store(db), clock=clock, machine="admin-pc", program="test")
    ops.initialise()
    counters = {
        "Loket 1": ops.save_counter("Loket 1", services=["KS", "PS"])["id"],
        "Loket 2": ops.save_counter("Loket 2", services=["KS", "PJ", "RS", "LA"])["id"],
    }
    ops.save_officer("budi", full_name="Budi Santoso", pin="1234")
    ops.save_officer("sari", full_name="Sari Dewi", pin="5678", role="supervisor")
    ops.save_officer("admin", full_name="Admin PST", pin="0000", role="admin")
    for code in ("KS", "KS", "PS", "PJ"):
        ops.issue_ticket(code)
    ops.store.close()
    return counters


class ErrorLog(logging.Handler):
    """Every record of level ERROR or above, as it comes."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


class ConsoleDay:
    """The walk's actions and checks over one console."""

    def __init__(self, app, window, ctx, clock, store, other, counters, folder, lang) -> None:
        from tests.gui.monkey import FaultPace

        self.app, self.window, self.ctx, self.clock = app, window, ctx, clock
        self.store, self.other, self.counters, self.folder = store, other, counters, folder
        self.lang = lang
        self.errors = ErrorLog()
        logging.getLogger().addHandler(self.errors)
        self.seen_errors = 0
        self.fault_at: float | None = None
        self.fault_pace = FaultPace()
        self.recoveries: list[float] = []
        self.faults = 0
        self.issued = 0
        self.refused_issues = 0
        self.day_closes = 0
        self.next_mornings = 0
        self.saved_reports = 0

    # -- helpers ------------------------------------------------------------------------------

    def spin(self, seconds: float) -> None:
        from PySide6.QtCore import QEventLoop

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)

    def wait(self, until, seconds: float) -> bool:
        from PySide6.QtCore import QEventLoop

        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            self.app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
            if until():
                return True
        return until()

    def dialogs(self) -> list:
        from PySide6.QtWidgets import QApplication, QDialog

        return [w for w in QApplication.allWidgets() if isinstance(w, QDialog) and w.isVisible()]

    def other_pc(self, **command) -> dict:
        self.other.stdin.write(json.dumps({"at": self.clock.now_ms(), **command}) + "\n")
        self.other.stdin.flush()
        return json.loads(self.other.stdout.readline())

    def page(self):
        return self.window.pages.currentWidget()

    def logged_in(self) -> bool:
        return self.window.officer is not None

    def key(self, key, modifiers=None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        QTest.keyClick(self.window, key, modifiers or Qt.KeyboardModifier.NoModifier)

    # -- actions ------------------------------------------------------------------------------

    def actions(self):
        from tests.gui.monkey import Action

        no_dialog = lambda: not self.dialogs()  # noqa: E731
        return [
            Action("log in", self.log_in, 4, lambda: no_dialog() and not self.logged_in()),
            Action("press a key", self.press_key, 5, lambda: no_dialog() and self.logged_in()),
            Action("tap a button", self.tap_button, 5, no_dialog),
            Action("answer a dialog", self.answer_dialog, 8, lambda: bool(self.dialogs())),
            Action("type notes", self.type_notes, 1, self.notes_open),
            Action("select a row", self.select_row, 2, self.queue_shown),
            Action("time passes", self.time_passes, 4),
            Action("next morning", self.next_morning, 3, self.day_is_over),
            Action("a visitor takes a number", self.visitor_comes, 3),
            Action("the kiosk's printer", self.printer_changes, 0.4),
            Action("an officer logs in elsewhere", self.logs_in_elsewhere, 0.4),
            Action("a setting is saved", self.save_setting, 3, self.settings_shown),
            Action("a report is asked for", self.ask_report, 2, self.reports_shown),
            Action("a slot fails", self.fail_a_slot, 0.3, self.may_fail),
        ]

    def log_in(self, walk) -> str:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        view = self.window.login_view
        username = walk.choice(["budi", "budi", "sari", "admin"])
        index = view.officer_combo.findData(username)
        if index < 0:
            return None
        view.officer_combo.setCurrentIndex(index)
        counters = [self.counters["Loket 1"], self.counters["Loket 2"], 0]
        counter = walk.choice(counters if username != "budi" else counters[:2] * 4 + [0])
        view.counter_combo.setCurrentIndex(max(0, view.counter_combo.findData(counter)))
        pin = OFFICERS[username] if walk.chance(0.85) else walk.choice(["9999", "12", "0001"])
        view.pin_edit.clear()
        QTest.keyClicks(view.pin_edit, pin)
        QTest.keyClick(view.pin_edit, Qt.Key.Key_Return)
        return f"{username} at {counter or 'no counter'} with {'the right' if pin == OFFICERS[username] else 'a wrong'} PIN"

    def press_key(self, walk) -> str:
        from PySide6.QtCore import Qt

        ctrl, shift = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
        keys = [
            ("F2", Qt.Key.Key_F2, None),
            ("F3", Qt.Key.Key_F3, None),
            ("F4", Qt.Key.Key_F4, None),
            ("F5", Qt.Key.Key_F5, None),
            ("F6", Qt.Key.Key_F6, None),
            ("F7", Qt.Key.Key_F7, None),
            ("F8", Qt.Key.Key_F8, None),
            ("F9", Qt.Key.Key_F9, None),
            ("Ctrl+P", Qt.Key.Key_P, ctrl),
            ("Ctrl+Shift+K", Qt.Key.Key_K, ctrl | shift),
            ("Ctrl+B", Qt.Key.Key_B, ctrl),
            ("Ctrl+1", Qt.Key.Key_1, ctrl),
            ("Ctrl+2", Qt.Key.Key_2, ctrl),
            ("Ctrl+3", Qt.Key.Key_3, ctrl),
            ("Ctrl+4", Qt.Key.Key_4, ctrl),
            ("Ctrl+L", Qt.Key.Key_L, ctrl),
        ]
        weights = [6, 2, 4, 4, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0.6]
        name, key, modifiers = walk.rng.choices(keys, weights=weights)[0]
        self.key(key, modifiers)
        return name

    def tap_button(self, walk) -> str:
        from tests.gui.monkey import describe, tap, tappable

        skip = {"setupButton"} | {f"reportExport_{f}" for f in ("pdf", "xlsx", "csv")}
        buttons = [b for b in tappable(self.window) if b.objectName() not in skip]
        button = walk.choice(buttons)
        if button is None:
            return None
        what = describe(button)
        tap(button)
        return what

    def answer_dialog(self, walk) -> str:
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import (
            QComboBox,
            QDialogButtonBox,
            QFileDialog,
            QLineEdit,
            QMessageBox,
            QPlainTextEdit,
        )

        from tests.gui.monkey import describe, tap

        dialog = self.dialogs()[-1]
        if isinstance(dialog, QFileDialog):
            if walk.chance(0.5):
                dialog.reject()
                return "file dialog: cancel"
            name = f"laporan-monkey-{walk.step}.{dialog.defaultSuffix() or 'csv'}"
            dialog.setDirectory(str(self.folder))
            self.spin(0.1)
            dialog.findChild(QLineEdit, "fileNameEdit").setText(name)
            dialog.accept()
            self.saved_reports += 1
            return f"file dialog: save {name}"
        if isinstance(dialog, QMessageBox):
            button = walk.choice(dialog.buttons())
            tap(button)
            return f"message box: {describe(button)}"
        for edit in dialog.findChildren(QLineEdit):
            if edit.isVisible() and walk.chance(0.7):
                edit.clear()
                QTest.keyClicks(edit, walk.choice(TOKENS))
        for combo in dialog.findChildren(QComboBox):
            if combo.isVisible() and combo.count():
                combo.setCurrentIndex(walk.rng.randrange(combo.count()))
        for notes in dialog.findChildren(QPlainTextEdit):
            if notes.isVisible() and walk.chance(0.3):
                QTest.keyClicks(notes, " " + walk.choice(TOKENS))
        box = dialog.findChild(QDialogButtonBox)
        buttons = [b for b in (box.buttons() if box else []) if b.isVisible() and b.isEnabled()]
        button = walk.choice(buttons)
        if button is None:
            dialog.reject()
            return f"{dialog.objectName()}: closed"
        what = describe(button)
        tap(button)
        return f"{dialog.objectName()}: {what}"

    def notes_open(self) -> bool:
        notes = self.window.officer_view.card.notes
        return not self.dialogs() and notes.isVisible() and not notes.isReadOnly()

    def type_notes(self, walk) -> str:
        from PySide6.QtTest import QTest

        text = " " + walk.choice(TOKENS)
        QTest.keyClicks(self.window.officer_view.card.notes, text)
        return f"notes +{text!r}"

    def queue_shown(self) -> bool:
        return (
            not self.dialogs()
            and self.page() is self.window.officer_view
            and (
                self.window.officer_view.queue.table.rowCount() > 0
                or self.window.officer_view.queue.returnable.count() > 0
            )
        )

    def select_row(self, walk) -> str:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        queue = self.window.officer_view.queue
        if queue.returnable.count() and walk.chance(0.4):
            row = walk.rng.randrange(queue.returnable.count())
            item = queue.returnable.item(row)
            rect = queue.returnable.visualItemRect(item)
            QTest.mouseClick(
                queue.returnable.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
            )
            return f"not-present row {row}"
        if not queue.table.rowCount():
            return None
        row = walk.rng.randrange(queue.table.rowCount())
        rect = queue.table.visualRect(queue.table.model().index(row, 1))
        QTest.mouseClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        return f"queue row {row}"

    def time_passes(self, walk) -> str:
        minutes = walk.choice([2, 3, 5, 8, 13])
        self.clock.advance(minutes=minutes)
        return f"+{minutes} min → {self.local_time()}"

    def local_time(self) -> str:
        from shared.clock import format_local

        return format_local(self.clock.now_ms(), "Asia/Jakarta", "%a %H:%M")

    def day_is_over(self) -> bool:
        local = datetime.fromtimestamp(self.clock.now_ms() / 1000, JAKARTA)
        return (local.hour >= 16 and local.minute >= 40) or local.hour >= 17

    def next_morning(self, walk) -> str:
        local = datetime.fromtimestamp(self.clock.now_ms() / 1000, JAKARTA)
        day = local.date() + timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
        self.clock.set(datetime(day.year, day.month, day.day, 7, 58, tzinfo=JAKARTA))
        self.next_mornings += 1
        return f"→ {self.local_time()}"

    def visitor_comes(self, walk) -> str:
        service = walk.choice(["KS", "KS", "KS", "PS", "PJ", "RS", "LA"])
        priority = "elderly" if walk.chance(0.1) else None
        reply = self.other_pc(
            do="issue", service=service, guest=walk.chance(0.6), priority=priority
        )
        if reply["ok"]:
            self.issued += 1
            return f"{reply['number']} at {self.local_time()}"
        self.refused_issues += 1
        return f"{service} refused at {self.local_time()}"

    def printer_changes(self, walk) -> str:
        state = walk.choice(["ok", "ok", "offline", "none"])
        self.other_pc(do="beat", printer=state)
        return state

    def logs_in_elsewhere(self, walk) -> str:
        username = walk.choice(["budi", "sari"])
        counter = walk.choice(list(self.counters.values()))
        reply = self.other_pc(do="take", counter=counter, username=username, move=walk.chance(0.5))
        return f"{username} at {counter}: {reply.get('counter') or reply.get('refused')}"

    def settings_shown(self) -> bool:
        return not self.dialogs() and self.page() is self.window.settings_view

    def save_setting(self, walk) -> str:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest
        from PySide6.QtWidgets import QLineEdit, QPushButton

        view = self.window.settings_view
        kind = walk.choice(["hours", "rule", "office", "running text", "holiday"])
        if kind == "hours":
            view.tabs.setCurrentIndex(3)
            _open, start, end = walk.choice(view.hours_rows[:5])
            field = walk.choice([start, end])
            typed = walk.choice(["16:00", "1530", "08.00", "07:30", "25:00", "abc", "15:45"])
            button = view.findChild(QPushButton, "hoursSave")
        elif kind == "rule":
            view.tabs.setCurrentIndex(6)
            key = walk.choice(list(view.rule_edits))
            field = view.rule_edits[key]
            typed = walk.choice(["2", "3", "0", "-1", "999", "x"])
            button = view.findChild(QPushButton, f"ruleSave_{key}")
        elif kind == "office":
            view.tabs.setCurrentIndex(7)
            field = view.office_edits["office_unit"]
            typed = walk.choice(["", "PST ZQ-17"])
            button = view.findChild(QPushButton, "officeSave_office_unit")
        elif kind == "running text":
            view.tabs.setCurrentIndex(4)
            view.running_text.setPlainText(walk.choice(["", "ZQ-17 XK 204"]))
            button = view.findChild(QPushButton, "runningTextSave")
            field, typed = None, "(text)"
        else:
            view.tabs.setCurrentIndex(3)
            field = view.holiday_name
            typed = walk.choice(["", "Libur ZQ-17"])
            button = view.holiday_add
        if isinstance(field, QLineEdit):
            QTest.mouseClick(field, Qt.MouseButton.LeftButton)
            field.selectAll()
            if typed:
                QTest.keyClicks(field, typed)
            else:
                QTest.keyClick(field, Qt.Key.Key_Delete)
        if button is None or not button.isEnabled():
            return f"{kind}: {typed!r}, no save button"
        QTest.mouseClick(button, Qt.MouseButton.LeftButton)
        return f"{kind}: {typed!r}"

    def reports_shown(self) -> bool:
        return not self.dialogs() and self.page() is self.window.reports_view

    def ask_report(self, walk) -> str:
        from tests.gui.monkey import tap

        view = self.window.reports_view
        if view.report is not None and walk.chance(0.3):
            fmt = walk.choice(["csv", "xlsx", "pdf"])
            button = view.export_buttons[fmt]
            if button.isEnabled():
                tap(button)
                return f"save as {fmt}"
        view.period_kind.setCurrentIndex(walk.rng.randrange(view.period_kind.count()))
        if view.show_button.isEnabled():
            tap(view.show_button)
        return f"show {view.period_kind.currentData()}"

    def may_fail(self) -> bool:
        return self.fault_at is None and self.fault_pace.ready()

    def fail_a_slot(self, walk) -> str:
        """Make one slot fail once (a bug would): the console must come back by itself."""
        window = self.window
        # Slots the next snapshot surely reaches, given the page on screen.
        targets = {"alerts": (window.notice_strip, "show_alerts")}
        if window.officer is None:
            targets["login card"] = (window.login_view, "show_snapshot")
        elif window.counter_id is not None:
            targets["queue"] = (window.officer_view.queue, "show_snapshot")
            targets["visitor card"] = (window.officer_view.card, "show_ticket")
        if self.page() is window.supervisor_view:
            targets["supervision"] = (window.supervisor_view, "show_overview")
        if self.page() is window.settings_view:
            targets["settings"] = (window.settings_view, "show_data")
        name = walk.choice(sorted(targets))
        owner, method = targets[name]
        original = getattr(owner, method)

        def failing(*args, **kwargs):
            setattr(owner, method, original)
            raise RuntimeError(f"{FAULT} ({name})")

        setattr(owner, method, failing)
        self.fault_at = self.fault_pace.mark()
        self.faults += 1
        window.worker.refresh()
        return name

    # -- after each step ----------------------------------------------------------------------

    def settle(self) -> None:
        """Let the console finish what the step started and show a fresh snapshot."""
        window = self.window
        worker = window.worker
        self.spin(0.02)
        self.wait(lambda: worker.idle() and not window.saving, 3.0)
        shown = []
        window.snapshot_shown.connect(lambda: shown.append(1))
        worker.refresh()
        self.wait(lambda: bool(shown), 2.0)
        window.snapshot_shown.disconnect()
        self.spin(0.03)  # the layout follows the texts

    def check(self, walk) -> list[str]:
        from tests.gui.monkey import catalogue, fit_problems
        from tests.gui.textfit import cut_cells

        problems = self.new_errors()
        if self.fault_at is not None:
            recovered = self.wait(
                lambda: self.ctx.recovery.count >= self.faults and not self.mismatches(), 3.0
            )
            if not recovered:
                return [*problems, "no consistent screen 3 s after an error in a slot"]
            self.recoveries.append(time.monotonic() - self.fault_at)
            self.fault_at = None
        else:
            mismatches = self.mismatches()
            if mismatches:
                # The poller may not have seen the other PC's commit yet: a second to follow.
                self.window.worker.refresh()
                if not self.wait(lambda: not self.mismatches(), 1.0):
                    problems += self.mismatches()
        for root in [self.window, *self.dialogs()]:
            problems += catalogue().problems(root, self.lang)

        def fit() -> list[str]:
            found = []
            for root in [self.window, *self.dialogs()]:
                found += fit_problems(root)
            found += cut_cells(self.window.officer_view.queue.table)
            found += [f"{name}: an empty coloured shape" for name in blank_pills(self.window)]
            return found

        # A layout follows a new text a few event-loop turns later (the countdowns change
        # every tick): only what is still cut after a second is a fault.
        if fit():
            self.wait(lambda: not fit(), 1.0)
        return problems + fit()

    def new_errors(self) -> list[str]:
        found = []
        for record in self.errors.records[self.seen_errors :]:
            error = record.exc_info[1] if record.exc_info else None
            if error is not None and FAULT in str(error):
                continue
            text = record.getMessage()
            if record.exc_info:
                text += "\n" + "".join(traceback.format_exception(*record.exc_info))[-1500:]
            found.append(f"logged {record.levelname}: {text}")
        self.seen_errors = len(self.errors.records)
        return found

    def mismatches(self) -> list[str]:
        """What the screen shows that the database does not say (empty: consistent)."""
        from counter import texts
        from shared.clock import service_day
        from shared.office import settings
        from shared.queue import dayclose
        from shared.queue.queries import predicted_queue
        from shared.storage.rows import fetch_one

        window = self.window
        found = []
        if window.officer is None:
            if window.pages.currentWidget() is not window.login_view:
                found.append("nobody is logged in, yet the login card is not shown")
            if window.counter_state.isVisible():
                found.append("nobody is logged in, yet the header shows a counter state")
            return found
        if window.officer["full_name"] not in window.identity.full_text():
            found.append(f"the header says {window.identity.full_text()!r}")
        if window.counter_id is None:
            return found

        def read(conn):
            office = settings.get_all(conn)
            counter = fetch_one(conn, "SELECT * FROM counters WHERE id = ?", (window.counter_id,))
            current = conn.execute(
                "SELECT number FROM tickets WHERE counter_id = ? AND status IN ('called',"
                " 'serving')",
                (window.counter_id,),
            ).fetchone()
            codes = [
                r[0]
                for r in conn.execute(
                    "SELECT cs.service_code FROM counter_services cs JOIN services s ON"
                    " s.code = cs.service_code WHERE cs.counter_id = ? AND s.active = 1",
                    (window.counter_id,),
                )
            ]
            day = service_day(self.clock.now_ms(), office["timezone"])
            queue = [t["number"] for t in predicted_queue(conn, codes, day, office)]
            closed = dayclose.last_close(conn, day, office)
            return counter, current[0] if current else None, queue, closed

        counter, current, queue, closed = self.store.read(read)
        if counter["status"] != "closed" and counter["officer_id"] != window.officer["id"]:
            found.append(
                f"{counter['name']} belongs to officer {counter['officer_id']} in the database;"
                f" the console shows {window.officer['username']} there"
            )
            return found
        state = texts.counter_status(counter["status"])
        if not window.counter_state.text().startswith(state):
            found.append(f"the header says {window.counter_state.text()!r}, not {state!r}")
        shown = window.officer_view.card.number.text()
        if shown != (current or "—"):
            found.append(f"the visitor card shows {shown!r}, the database {current!r}")
        table = window.officer_view.queue.table
        on_screen = [table.item(r, 1).text() for r in range(table.rowCount())]
        if on_screen != queue:
            found.append(f"the queue shows {on_screen}, the database {queue}")
        if closed is not None and window.day_state.full_text() != texts_day_closed():
            found.append(f"the day is closed, the header says {window.day_state.full_text()!r}")
        return found


PILLS = ("currentStatus", "currentPriority", "counterState", "dayState")


def blank_pills(window) -> list[str]:
    """Visible labels drawn as a coloured shape but holding no text."""
    from PySide6.QtWidgets import QLabel

    return [
        label.objectName()
        for label in window.findChildren(QLabel)
        if (label.objectName() in PILLS or label.property("role") == "chip")
        and label.isVisible()
        and not label.text()
    ]


def texts_day_closed() -> str:
    from shared.i18n import N_, _

    return _(N_("Service day closed"))


def main() -> int:
    artifacts, size, lang = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    seed, steps = int(sys.argv[4]), int(sys.argv[5])
    from PySide6.QtGui import QGuiApplication

    from counter.app import style_sheet
    from counter.window import ConsoleWindow
    from shared.clock import FakeClock
    from shared.qt.app import bootstrap
    from shared.storage.store import Store
    from tests.gui.monkey import Walk

    folder = Path(tempfile.mkdtemp(prefix="pst-monkey-"))
    db = folder / "antrian.db"
    clock = FakeClock(START)
    counters = make_office(db, clock)
    config = folder / "pst.toml"
    config.write_text(
        f'[machine]\nname = "loket-monkey"\nlanguage = "{lang}"\n'
        f'[database]\npath = "{db}"\npoll_interval_ms = 100\nbusy_timeout_ms = 2000\n'
        "retry_seconds = 1\n",
        encoding="utf-8",
    )
    app, ctx = bootstrap("pst-counter", "monkey", ["--config", str(config)])
    ctx.ops.clock = clock  # the walk moves the console's time
    app.setStyleSheet(style_sheet())
    window = ConsoleWindow(ctx, tick_ms=250, poller_grace_ms=500, heartbeat_seconds=2)
    ctx.recovery.on_error(window.recover)
    window.showFullScreen()
    window.start()
    other = subprocess.Popen(
        [sys.executable, "-m", "tests.gui.counter.monkey_other_pc", str(db)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    store = Store(db, busy_timeout_ms=2000, retry_seconds=2, create=False)
    day = ConsoleDay(app, window, ctx, clock, store, other, counters, folder, lang)
    day.wait(lambda: window.snapshot is not None, 10)
    day.spin(0.5)
    label = f"{size}-{lang}"
    walk = Walk(seed, steps, log_path=artifacts / f"counter-monkey-{label}.log")
    outcome: dict = {"seed": seed, "size": size, "lang": lang}
    try:
        result = walk.run(day.actions(), day.check, day.settle)
    except AssertionError as failure:
        outcome.update(failed=str(failure), step=walk.step)
        QGuiApplication.primaryScreen().grabWindow(0).save(
            str(artifacts / f"counter-monkey-failure-{label}.png")
        )
    except Exception:
        outcome.update(failed=traceback.format_exc(), step=walk.step)
    else:
        outcome.update(
            steps=result.steps,
            seconds=round(result.seconds, 1),
            steps_per_minute=round(result.steps_per_minute),
            actions=dict(result.actions),
            longest_recovery_ms=round(max(day.recoveries, default=0) * 1000),
            recoveries=len(day.recoveries),
            slowest_step=[round(result.slowest_step[0], 2), result.slowest_step[1]],
            issued=day.issued,
            refused_issues=day.refused_issues,
            next_mornings=day.next_mornings,
            saved_reports=day.saved_reports,
            clock=day.local_time(),
            days_closed=store.read(
                lambda c: c.execute(
                    "SELECT COUNT(*) FROM events WHERE kind = 'day_close'"
                ).fetchone()[0]
            ),
        )
    other.stdin.close()
    other.wait(10)
    window.stop()
    store.close()
    print(json.dumps(outcome), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
