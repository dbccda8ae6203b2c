"""The kiosk on a real X screen with Qt Virtual Keyboard, for test children to drive.

Runs inside a subprocess started by a test under :func:`tests.gui.xdesktop.x_desktop`:
full screen under openbox, the on-screen keyboard really loaded, the program's own
recovery from unexpected errors installed (as ``pst-kiosk`` installs it), a fake clock on
a Wednesday morning and a real database file with an open counter. Helpers tap the
kiosk's widgets and the keyboard's keys the way a finger does and record every error
the program logs.

A scenario is a generator run by :func:`play` from the program's own event loop (never a
nested one: PySide hands an exception raised in a slot to ``sys.excepthook`` only from
the top-level loop, so a nested ``qWait`` would change the very behaviour under test).
It yields what the driver should do: :class:`Wait` some time, wait :class:`Until` a
condition holds (the answer is sent back), or :class:`Do` an action at the top of the
event loop, where an exception it raises reaches the program's recovery like any slot's.
"""

from __future__ import annotations

import logging
import os
import time
import traceback
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app import configure_input_method

INPUT_VIEW = "QtVirtualKeyboard::InputView"


@dataclass
class Wait:
    ms: int


@dataclass
class Until:
    condition: Callable[[], bool]
    timeout_ms: int = 3000


@dataclass
class Do:
    action: Callable[[], Any]


Scenario = Generator[Wait | Until | Do, Any, Any]


def play(scenario: Scenario) -> dict:
    """Run ``scenario`` in the application's event loop; return its result or its error."""
    app = QApplication.instance()
    outcome: dict = {}

    def advance(value: Any = None) -> None:
        try:
            request = scenario.send(value)
        except StopIteration as stop:
            outcome["result"] = stop.value
            app.exit(0)
            return
        except Exception:
            outcome["error"] = traceback.format_exc()
            app.exit(0)
            return
        if isinstance(request, Wait):
            QTimer.singleShot(request.ms, advance)
        elif isinstance(request, Until):
            deadline = time.monotonic() + request.timeout_ms / 1000

            def poll() -> None:
                if request.condition():
                    advance(True)
                elif time.monotonic() > deadline:
                    advance(False)
                else:
                    QTimer.singleShot(10, poll)

            QTimer.singleShot(0, poll)
        elif isinstance(request, Do):
            box: dict = {}

            def act() -> None:
                # Resume on the next turn even when the action fails (its error went to
                # sys.excepthook, as any slot's does).
                QTimer.singleShot(0, lambda: advance(box.get("value")))
                box["value"] = request.action()

            QTimer.singleShot(0, act)
        else:
            outcome["error"] = f"the scenario yielded {request!r}"
            app.exit(0)

    QTimer.singleShot(0, advance)
    status = app.exec()
    if "result" not in outcome and "error" not in outcome:
        outcome["error"] = f"the kiosk ended by itself with status {status}"
    return outcome


class ErrorRecords(logging.Handler):
    """Keep every log record of level ERROR or above."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def lines(self) -> list[str]:
        out = []
        for record in self.records:
            text = record.getMessage()
            if record.exc_info and record.exc_info[1] is not None:
                text += f" [{record.exc_info[0].__name__}: {record.exc_info[1]}]"
            out.append(text)
        return out


class XKiosk:
    """Build and run the kiosk full screen on the X display of ``$DISPLAY``."""

    def __init__(
        self,
        folder: Path,
        *,
        language: str = "id",
        idle_seconds_form: float = 60,
        idle_seconds_ticket: float = 15,
        printer: str = "dummy",
        heartbeat: bool = False,
        heartbeat_seconds: int = 10,
    ) -> None:
        configure_input_method(language)
        from kiosk.backend import KioskBackend
        from kiosk.window import KioskWindow
        from shared.clock import FakeClock
        from shared.devices.printing import TicketPrinter
        from shared.install.config import KioskSection
        from shared.qt.recovery import Recovery
        from shared.queue.operations import Operations
        from shared.storage.store import Store
        from tests.conftest import WEDNESDAY_0900

        self.app = QApplication.instance() or QApplication([])
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s %(message)s")
        self.errors = ErrorRecords()
        logging.getLogger().addHandler(self.errors)
        self.recovery = Recovery("pst-kiosk").install()
        self.folder = folder
        # The database in a folder of its own: the "share" that may go away.
        (folder / "share").mkdir()
        self.db = folder / "share" / "antrian.db"
        self.clock = FakeClock(WEDNESDAY_0900)
        # The counter's PC creates the database (as pst-admin init would); the kiosk, like
        # pst-kiosk, never creates one: a share gone away stays a missing file.
        self.counter_ops = Operations(
            Store(self.db, busy_timeout_ms=2000, retry_seconds=2),
            clock=self.clock,
            machine="loket-1-pc",
            program="counter",
        )
        self.counter_ops.initialise()
        self.counter_ops.save_setting("heartbeat_seconds", heartbeat_seconds)
        self.store = Store(self.db, busy_timeout_ms=500, retry_seconds=0.3, create=False)
        self.ops = Operations(self.store, clock=self.clock, machine="kiosk-lobby", program="kiosk")
        self.open_counter()
        self.config = KioskSection(
            printer=printer,
            idle_seconds_form=idle_seconds_form,
            idle_seconds_ticket=idle_seconds_ticket,
        )
        self.backend = KioskBackend(
            self.ops, TicketPrinter(printer), poll_interval_ms=100, heartbeat=heartbeat
        )
        self.window = KioskWindow(
            self.backend, self.config, default_language=language, windowed=False
        )
        # What pst-kiosk registers: an unexpected error gives an empty welcome screen.
        self.recovery.on_error(self.window.recover)
        self.window.show_kiosk()
        self.window.activateWindow()
        self.backend.start()

    def started(self) -> Scenario:
        """Wait for the first overview and the window to be active."""
        yield Until(lambda: self.backend.overview is not None, 10_000)
        yield Until(self.window.isActiveWindow, 5000)

    def open_counter(self) -> None:
        """Loket 1 (every service) open with its officer, so numbers have an estimate."""
        ops = self.counter_ops
        counter = ops.save_counter("Loket 1", services=["KS", "PS", "PJ", "RS", "LA"])
        officer = ops.save_officer("budi", full_name="Budi Santoso", pin="1234")
        ops.set_counter_status(counter["id"], "open", officer["id"])
        self.counter_id, self.officer_id = counter["id"], officer["id"]

    def serve_one(self) -> dict | None:
        """Let Loket 1 call, serve and finish the next visitor; return the ticket."""
        from shared.errors import DomainError

        ops = self.counter_ops
        try:
            ticket = ops.call_next(self.counter_id, self.officer_id)
        except DomainError:  # nobody waiting
            return None
        ops.start_service(ticket["id"], self.officer_id)
        ops.finish(ticket["id"], self.officer_id)
        return ticket

    # -- the kiosk ----------------------------------------------------------------------------

    @staticmethod
    def tap(widget: QWidget) -> None:
        QTest.mouseClick(
            widget,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            widget.rect().center(),
        )

    def shot(self, path: Path) -> None:
        """Save what the X screen shows (the keyboard's window included)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        if not QGuiApplication.primaryScreen().grabWindow(0).save(str(path)):
            raise OSError(f"could not save {path}")

    def close(self) -> None:
        """Stop the kiosk's threads and timers, so the process ends cleanly."""
        self.backend.stop()
        self.recovery.uninstall()
        self.window._may_close = True

    # -- the on-screen keyboard -----------------------------------------------------------

    @staticmethod
    def input_view() -> QWindow | None:
        for top in QGuiApplication.topLevelWindows():
            if top.metaObject().className() == INPUT_VIEW and top.isVisible():
                return top
        return None

    @staticmethod
    def keyboard_shown() -> bool:
        method = QGuiApplication.inputMethod()
        return method.isVisible() and method.keyboardRectangle().height() > 0

    def keyboard_top(self) -> int:
        """The keyboard's top edge on the screen (the screen's bottom when it is hidden)."""
        if not self.keyboard_shown():
            return QGuiApplication.primaryScreen().geometry().height()
        return int(QGuiApplication.inputMethod().keyboardRectangle().top())

    def _items(self):
        from PySide6.QtQuick import QQuickItem

        view = self.input_view()
        if view is None:
            return
        stack = [view.findChild(QQuickItem)]
        while stack:
            item = stack.pop()
            if item is None or not item.isVisible():
                continue
            yield item
            stack.extend(item.childItems())

    def keyboard_keys(self) -> dict[str, object]:
        """The keyboard's visible keys by the character they type."""
        found = {}
        for item in self._items():
            text = item.property("text")
            if "Key" in item.metaObject().className() and isinstance(text, str) and text:
                found.setdefault(text, item)
        return found

    def key_of_class(self, prefix: str):
        return next(
            (i for i in self._items() if i.metaObject().className().startswith(prefix)), None
        )

    def space_bar_label(self) -> str:
        """What the space bar says (the keyboard's language, by Qt's default style)."""
        space = self.key_of_class("SpaceKey")
        if space is None:
            return ""
        texts = []
        stack = [space]
        while stack:
            item = stack.pop()
            text = item.property("text")
            if item.metaObject().className().startswith("QQuickText") and isinstance(text, str):
                texts.append(text)
            stack.extend(item.childItems())
        return " ".join(t for t in texts if t.strip())

    def tap_item(self, item) -> None:
        view = self.input_view()
        centre = item.mapToScene(QPointF(item.width() / 2, item.height() / 2)).toPoint()
        QTest.mouseClick(view, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, centre)

    def type_on_keyboard(self, text: str) -> Scenario:
        """Type ``text`` key by key; return what the keyboard had keys for."""
        typed = ""
        for character in text:
            item = self.keyboard_keys().get(character)
            if item is not None:
                yield Do(lambda item=item: self.tap_item(item))
                typed += character
        return typed


def artifacts_folder() -> Path:
    folder = Path(
        os.environ.get("PST_ARTIFACTS", Path(__file__).resolve().parents[3] / "artifacts")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder
