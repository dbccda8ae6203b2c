"""Run in a subprocess on a real X screen: a seeded random walk through a day at the kiosk.

``python -m tests.gui.kiosk.monkey_child ARTIFACTS SIZE SEED STEPS`` — the kiosk full
screen with Qt Virtual Keyboard (:class:`tests.gui.kiosk.xkiosk.XKiosk`); a visitor who
taps whatever a finger can reach, types on the keyboard's keys, switches the language,
walks away or comes back, scans tickets; an officer who serves the queue; a printer that
fails (a closed TCP port, a file printer whose folder disappears); a share that goes
away and comes back (the database file renamed away and back); time that passes; and
now and then an unexpected error in a slot. After every step the checks of
:meth:`KioskDay.check`. Prints one JSON line: the figures, or the failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import sys
import tempfile
import time
import traceback
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit, QPlainTextEdit

from tests.gui.kiosk.xkiosk import Do, Until, Wait, XKiosk, play

# Short idle times, so that walking away takes a second, not a minute.
IDLE_FORM_SECONDS = 1.2  # "Still there?" after 0.6 s, the form wiped 0.6 s later
IDLE_TICKET_SECONDS = 0.8
# The kiosk reads the queue again this often (every 30 s in the office), and beats every
# 2 s (the least the settings allow): a share that went away is noticed quickly.
REFRESH_MS = 500
HEARTBEAT_SECONDS = 2
# Time passes, but the walk stays within Wednesday's opening hours (08:00–15:30).
MAX_MINUTES_PASSED = 5 * 60
# Special keys of the keyboard a visitor may tap (the globe key changes the keyboard's
# own layout only: the kiosk's language buttons are the language switch).
SPECIAL_KEYS = ("ShiftKey", "BackspaceKey", "EnterKey", "SpaceKey", "SymbolModeKey", "HideKey")
FAULT = "monkey: a deliberate error in a slot"


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class KioskDay:
    """The walk's actions and checks over one kiosk."""

    def __init__(self, kiosk: XKiosk, folder: Path) -> None:
        from shared.devices.printing import TicketPrinter
        from tests.gui.monkey import FaultPace

        self.kiosk = kiosk
        self.window = kiosk.window
        self.backend = kiosk.backend
        self._on_welcome = True
        self._layout: list[str] | None = None
        #: Words visitors typed: none may be left on any screen once they are gone.
        self.typed: set[str] = set()
        self.faults = 0
        self.fault_pace = FaultPace()
        self.recovery_seconds: list[float] = []
        self.recovery_cpu_seconds: list[float] = []
        self.share_back_seconds: list[float] = []
        self.share_gone = False
        self.minutes_passed = 0
        self.served: list[str] = []
        self.problems: list[str] = []
        spool = folder / "printer-spool"
        spool.mkdir()
        self.spool = spool
        self.printers = {
            "dummy": self.backend.printer,
            "file": TicketPrinter(f"file:{spool / 'printer.bin'}", "80mm", timeout=0.5),
            "closed port": TicketPrinter(f"network:127.0.0.1:{closed_port()}", "80mm", timeout=0.5),
        }

    # -- what the walk can do ---------------------------------------------------------------

    def actions(self):
        from tests.gui.monkey import Action

        window = self.window
        return [
            Action("tap", self.tap_something, 10),
            Action("tap an input", self.tap_input, 4),
            Action("type", self.type_word, 6, ready=self.typing),
            Action("keyboard key", self.tap_special_key, 1.5, ready=self.kiosk.keyboard_shown),
            Action("language", self.switch_language, 1.5),
            Action("walk away", self.walk_away, 0.5, ready=lambda: window.current.idle_kind),
            Action(
                "still here",
                self.still_here,
                0.4,
                ready=lambda: window.current.idle_kind == "form",
            ),
            Action(
                "take a number",
                self.take_a_number,
                1.5,
                ready=lambda: window.current is window.guest_book,
            ),
            Action("serve", self.serve, 0.8, ready=lambda: not self.share_gone),
            Action("scan", self.scan, 0.3, ready=lambda: window.current is window.welcome),
            Action("printer", self.printer_trouble, 0.4),
            Action("share", self.share_trouble, 0.3),
            Action("time passes", self.time_passes, 0.3),
            Action("fault", self.fault, 0.15, ready=self.fault_pace.ready),
        ]

    def _keyboard_free(self, widget) -> bool:
        """Not under the on-screen keyboard (a window of its own over the kiosk)."""
        if not self.kiosk.keyboard_shown():
            return True
        centre = widget.mapToGlobal(widget.rect().center())
        return centre.y() < self.kiosk.keyboard_top()

    def _reachable(self, kinds) -> list:
        from tests.gui.monkey import tappable

        return [w for w in tappable(self.window, kinds) if self._keyboard_free(w)]

    def tap_something(self, walk):
        from tests.gui.monkey import describe

        language_buttons = set(self.window.header.language_buttons.values())
        candidates = [w for w in self._reachable((QAbstractButton,)) if w not in language_buttons]
        target = walk.choice(candidates)
        if target is None:
            return None
        what = describe(target)
        yield Do(lambda: self.kiosk.tap(target))
        return what

    def tap_input(self, walk):
        from tests.gui.monkey import describe

        inputs = [
            w
            for w in self._reachable((QLineEdit, QPlainTextEdit))
            if not getattr(w, "isReadOnly", lambda: False)()
        ]
        target = walk.choice(inputs)
        if target is None:
            return None
        yield Do(lambda: self.kiosk.tap(target))
        shown = yield Until(self.kiosk.keyboard_shown, 1500)
        return f"{describe(target)} (keyboard {'shown' if shown else 'not shown'})"

    def typing(self) -> bool:
        focused = QGuiApplication.focusObject()
        return self.kiosk.keyboard_shown() and isinstance(focused, QLineEdit | QPlainTextEdit)

    def type_word(self, walk):
        keys = [text for text in self.kiosk.keyboard_keys() if len(text) == 1 and text.isalnum()]
        if not keys:
            return None
        word = "".join(walk.choice(keys) for _ in range(walk.rng.randint(3, 8)))
        typed = yield from self.kiosk.type_on_keyboard(word)
        self.remember(typed)
        return f"typed {typed!r} into {QGuiApplication.focusObject().objectName()}"

    def remember(self, word: str) -> None:
        """Keep a typed word that could not be a word of the kiosk's own (5 letters or more)."""
        if len(word) >= 5:
            self.typed.add(word.lower())

    def tap_special_key(self, walk):
        found = [
            (prefix, item)
            for prefix in SPECIAL_KEYS
            if (item := self.kiosk.key_of_class(prefix)) is not None
        ]
        if not found:
            return None
        prefix, item = walk.choice(found)
        yield Do(lambda: self.kiosk.tap_item(item))
        return prefix

    def switch_language(self, walk):
        from shared import i18n

        other = "en" if i18n.language() == "id" else "id"
        button = self.window.header.language_buttons[other]
        if not self._keyboard_free(button):
            return None
        yield Do(lambda: self.kiosk.tap(button))
        return other

    def walk_away(self, walk):
        """The visitor leaves: wait for the idle wipe (or the ticket screen's timeout)."""
        window = self.window
        started = time.monotonic()
        gone = yield Until(lambda: window.current is window.welcome, (IDLE_FORM_SECONDS + 3) * 1000)
        if not gone:
            self.problems.append(f"walked away, but {window.current.objectName()} stayed")
        return f"back to welcome after {time.monotonic() - started:.1f} s"

    def still_here(self, walk):
        """Wait for "Still there?", then tap "Yes, I am still here": nothing is lost."""
        from tests.gui.monkey import reachable

        window = self.window
        before = self._inputs()
        warned = yield Until(window.idle_warning.isVisible, (IDLE_FORM_SECONDS + 1) * 1000)
        if not warned:
            return "no warning (the screen moved on)"
        if window.current.idle_kind != "form":
            return "warned on a page without a form"
        go_on = window.idle_warning.go_on
        if not reachable(go_on) or not self._keyboard_free(go_on):
            self.problems.append("'Yes, I am still here' cannot be tapped")
            return "warned"
        yield Do(lambda: self.kiosk.tap(go_on))
        if self._inputs() != before:
            self.problems.append(f"going on lost input: {before} → {self._inputs()}")
        return "still here, input kept"

    def serve(self, walk):
        ticket = self.kiosk.serve_one()
        if ticket is None:
            return "nobody waiting"
        self.served.append(ticket["code"])
        return f"served {ticket['number']}"

    def scan(self, walk):
        """A ticket's QR code under the scanner (a keyboard wedge) on the welcome screen."""
        code = walk.choice(self.served) if self.served and walk.chance(0.8) else "ZZZZ9999"
        welcome = self.window.welcome

        def scan() -> None:
            welcome.setFocus()
            QTest.keyClicks(welcome, code)
            QTest.keyClick(welcome, Qt.Key.Key_Return)

        yield Do(scan)
        return f"scanned {code}"

    def printer_trouble(self, walk):
        if self.backend.print_worker.pending:
            return None
        mode = walk.choice(["dummy", "file", "file without its folder", "closed port"])
        if mode == "file without its folder":
            shutil.rmtree(self.spool, ignore_errors=True)
            self.backend.printer = self.printers["file"]
        else:
            self.spool.mkdir(exist_ok=True)
            self.backend.printer = self.printers[mode]
        yield Do(self.backend.probe_printer)
        return mode

    def share_trouble(self, walk):
        """The share goes away (its folder is renamed away) or comes back."""
        share, away = self.kiosk.db.parent, self.kiosk.db.parent.with_name("share-away")
        if not self.share_gone:
            os.rename(share, away)
            self.share_gone = True
            return "the share is gone"
        os.rename(away, share)
        self.share_gone = False
        started = time.monotonic()
        back = yield Until(lambda: self.backend.storage_ok, 5000)
        seconds = time.monotonic() - started
        if not back:
            self.problems.append("the share came back, the kiosk did not notice in 5 s")
        self.share_back_seconds.append(seconds)
        return f"the share is back; the kiosk knew after {seconds:.2f} s"

    def take_a_number(self, walk):
        """A visitor fills what is required with the keyboard and asks for a number."""
        kiosk, book = self.kiosk, self.window.guest_book

        def tap_into(edit):
            book.scroll.ensureWidgetVisible(edit)  # the visitor scrolls to it
            yield Do(lambda: kiosk.tap(edit))
            yield Until(kiosk.keyboard_shown, 1500)

        letters = "abcdefghijklmnopqrstuvwxyz"

        def start_afresh() -> None:
            # What the walk typed before is rubbish a visitor would delete key by key.
            for edit in book.edits.values():
                edit.clear()

        yield Do(start_afresh)
        yield from tap_into(book.edits["name"])
        name = yield from kiosk.type_on_keyboard("".join(walk.choice(letters) for _ in range(6)))
        yield from tap_into(book.edits["email"])
        email = yield from kiosk.type_on_keyboard("".join(walk.choice(letters) for _ in range(6)))
        for text in ("@", "gmail.com"):
            key = book.findChild(QAbstractButton, f"email_key_{text}")
            yield Do(lambda key=key: kiosk.tap(key))
        self.remember(name)
        self.remember(email)
        if not book.consent.isChecked():
            book.scroll.ensureWidgetVisible(book.consent)
            yield Do(lambda: kiosk.tap(book.consent))
        if not self._keyboard_free(book.submit):
            return "'Take a Queue Number' is under the keyboard"
        yield Do(lambda: kiosk.tap(book.submit))
        window = self.window
        yield Until(lambda: window.current is not book or not book.busy, 3000)
        if window.current is window.ticket:
            return "got " + window.ticket.number.text()
        return f"no number: {book.message.text()!r}"

    def time_passes(self, walk):
        if self.minutes_passed >= MAX_MINUTES_PASSED:
            return None
        minutes = walk.rng.randint(1, 15)
        self.minutes_passed += minutes
        self.kiosk.clock.advance(minutes=minutes)
        yield Do(self.backend.refresh)
        return f"{minutes} min later"

    def fault(self, walk):
        """An unexpected error in a slot: an empty welcome in the office's language."""
        from shared import i18n

        window = self.window
        self.faults += 1
        self.fault_pace.mark()

        def fail() -> None:
            window.current.setToolTip("half done")
            raise RuntimeError(FAULT)

        yield Do(lambda: QTimer.singleShot(0, fail))
        started, cpu = time.monotonic(), time.thread_time()
        recovered = yield Until(
            lambda: (
                self.kiosk.recovery.count == self.faults
                and window.current is window.welcome
                and i18n.language() == window.default_language
                and not self._inputs()
            ),
            3000,
        )
        seconds, cpu_seconds = time.monotonic() - started, time.thread_time() - cpu
        self.recovery_seconds.append(seconds)
        self.recovery_cpu_seconds.append(cpu_seconds)
        if not recovered:
            self.problems.append("no empty welcome within 3 s of an unexpected error")
        elif cpu_seconds > 1.0:
            self.problems.append(f"the recovery took {cpu_seconds:.2f} s of processor time")
        return f"recovered in {seconds * 1000:.0f} ms ({cpu_seconds * 1000:.0f} ms CPU)"

    # -- between the steps ----------------------------------------------------------------

    def settle(self):
        """Let the step's consequences arrive: answers from the database and the printer,
        and the layout a change of words or of the keyboard asked for.

        Qt lays a window out again on the next turn of its event loop (and the visitor
        sees only what it paints after that): a text that does not fit right after a
        change is looked at again a moment later, and only then is it a problem.
        """
        backend = self.backend
        yield Until(
            lambda: backend.db_worker.pending == 0 and backend.print_worker.pending == 0, 5000
        )
        yield Wait(5)
        self._layout = self.fit(self.window)
        if self._layout:
            yield Wait(150)
            self._layout = self.fit(self.window)

    @staticmethod
    def fit(window) -> list[str]:
        """Texts cut, widgets cut off or overlapping (the kiosk's check and the shared one)."""
        from tests.gui.kiosk.fit import layout_problems
        from tests.gui.monkey import fit_problems

        return layout_problems(window) + fit_problems(window)

    def _inputs(self) -> dict[str, str]:
        window = self.window
        found = {
            edit.objectName(): edit.text() for edit in window.findChildren(QLineEdit) if edit.text()
        }
        found.update({e.objectName(): e.toPlainText() for e in window.findChildren(QPlainTextEdit)})
        return {k: v for k, v in found.items() if v}

    def check(self, walk) -> list[str]:
        from shared import i18n
        from tests.gui.monkey import catalogue

        kiosk, window = self.kiosk, self.window
        problems, self.problems = list(self.problems), []
        unexpected = [line for line in kiosk.errors.lines() if FAULT not in line]
        if unexpected:
            problems += [f"logged: {line}" for line in unexpected]
        if kiosk.recovery.count != self.faults:
            problems.append(f"{kiosk.recovery.count} recoveries for {self.faults} faults")
        language = i18n.language()
        problems += catalogue().problems(window, language)
        checked = [c for c, b in window.header.language_buttons.items() if b.isChecked()]
        if checked != [language]:
            problems.append(f"language {language!r}, the header marks {checked}")
        if kiosk.keyboard_shown():
            wanted = {"id": "id_ID", "en": "en_US"}[language]
            locale = QGuiApplication.inputMethod().locale().name()
            if locale != wanted:
                problems.append(f"the keyboard speaks {locale} in {language!r}")
        problems += self._layout if self._layout is not None else self.fit(window)
        self._layout = None
        on_welcome = window.current is window.welcome and not window.idle_warning.isVisible()
        if on_welcome:
            # Arrived there, the kiosk speaks the office's language; a visitor may then
            # choose another one on Welcome itself.
            problems += self.visitor_left_behind(arrived=not self._on_welcome)
        self._on_welcome = on_welcome
        return problems

    def visitor_left_behind(self, arrived: bool) -> list[str]:
        """On Welcome nothing of the last visitor remains (and, ``arrived``, in the
        office's language)."""
        from shared import i18n

        window = self.window
        problems = []
        if arrived and i18n.language() != window.default_language:
            problems.append(f"arrived on Welcome in {i18n.language()!r}")
        inputs = self._inputs()
        if inputs:
            problems.append(f"left in the inputs: {inputs}")
        chosen = [
            b.objectName() or b.text()
            for b in window.findChildren(QAbstractButton)
            if b.isCheckable()
            and b.isChecked()
            and b not in window.header.language_buttons.values()
        ]
        if chosen:
            problems.append(f"still chosen: {chosen}")
        texts = [label.text().lower() for label in window.findChildren(QLabel) if label.text()]
        left = sorted(
            word
            for word in self.typed
            if any(re.search(rf"\b{re.escape(word)}\b", text) for text in texts)
        )
        if left:
            problems.append(f"typed words still on a screen: {left}")
        return problems

    def restore(self) -> None:
        """Put the share and the printer back (whatever the walk left)."""
        if self.share_gone:
            os.rename(self.kiosk.db.parent.with_name("share-away"), self.kiosk.db.parent)
            self.share_gone = False
        self.spool.mkdir(exist_ok=True)


def day(kiosk: XKiosk, folder: Path, seed: int, steps: int, log_path: Path):
    from tests.gui.monkey import MonkeyFailure, Walk

    yield from kiosk.started()
    walker = KioskDay(kiosk, folder)
    walk = Walk(seed, steps, log_path=log_path)
    try:
        result = yield from walk.stepper(walker.actions(), walker.check, walker.settle)
    except MonkeyFailure as failure:
        picture = log_path.with_name(f"{log_path.stem}-step{failure.step}.png")
        kiosk.shot(picture)
        return {
            "picture": str(picture),
            "failure": str(failure),
            "step": failure.step,
            "log": str(log_path),
        }
    finally:
        walker.restore()
    return {
        "steps": result.steps,
        "seconds": round(result.seconds, 1),
        "steps_per_minute": round(result.steps_per_minute),
        "actions": dict(result.actions),
        "slowest_step": [round(result.slowest_step[0], 2), result.slowest_step[1]],
        "faults": walker.faults,
        "longest_recovery_ms": round(1000 * max(walker.recovery_seconds, default=0)),
        "longest_recovery_cpu_ms": round(1000 * max(walker.recovery_cpu_seconds, default=0)),
        "longest_share_return_ms": round(1000 * max(walker.share_back_seconds, default=0)),
        "typed_words": len(walker.typed),
        "served": len(walker.served),
        "log": str(log_path),
        "check_seconds": round(result.check_seconds, 1),
        "action_seconds": {k: round(v, 1) for k, v in result.action_seconds.most_common()},
    }


def main(artifacts: Path, size: str, seed: int, steps: int) -> dict:
    folder = Path(tempfile.mkdtemp(prefix="pst-monkey-"))
    kiosk = XKiosk(
        folder,
        idle_seconds_form=IDLE_FORM_SECONDS,
        idle_seconds_ticket=IDLE_TICKET_SECONDS,
        heartbeat=True,
        heartbeat_seconds=HEARTBEAT_SECONDS,
    )
    kiosk.backend._refresh_timer.setInterval(REFRESH_MS)
    log_path = artifacts / "monkey" / f"kiosk-{size}-seed{seed}.log"
    played = play(day(kiosk, folder, seed, steps, log_path))
    outcome = {"error": played["error"]} if "error" in played else played["result"]
    # Said before the kiosk stops: whatever happens while Qt tears down, the walk is told.
    print(json.dumps(outcome), flush=True)
    kiosk.close()
    return outcome


if __name__ == "__main__":
    folder, size, seed, steps = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    try:
        main(folder, size, seed, steps)
    except Exception:
        print(json.dumps({"error": traceback.format_exc()}), flush=True)
    sys.stdout.flush()
    os._exit(0)  # no teardown of Qt's objects by the garbage collector
