"""Run in a subprocess under Xvfb: open the guest book and type with Qt Virtual Keyboard.

Prints one JSON line with what happened; the test in test_kiosk_virtual_keyboard.py
starts the X server and reads it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from kiosk.app import configure_input_method


def main(artifacts: str) -> None:
    configure_input_method("id")
    from PySide6.QtWidgets import QApplication

    from kiosk.backend import KioskBackend
    from kiosk.window import KioskWindow
    from shared.clock import FakeClock
    from shared.config import KioskSection
    from shared.operations import Operations
    from shared.printing import TicketPrinter
    from shared.store import Store
    from tests.conftest import WEDNESDAY_0900

    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="pst-vkb-"))
    ops = Operations(Store(folder / "antrian.db"), clock=FakeClock(WEDNESDAY_0900))
    ops.initialise()
    backend = KioskBackend(ops, TicketPrinter("dummy"), heartbeat=False)
    window = KioskWindow(backend, KioskSection(), windowed=True)
    window.resize(1920, 1080)
    window.show()
    window.activateWindow()
    backend.start()
    result: dict = {}

    def open_form() -> None:
        window.guest_book.start("KS")
        window.show_screen(window.guest_book)
        name = window.guest_book.edits["name"]
        QTest.mouseClick(name, Qt.MouseButton.LeftButton)
        QTimer.singleShot(1500, type_on_keyboard)

    def keyboard_window():
        for top in QGuiApplication.topLevelWindows():
            if top.isVisible() and top is not window.windowHandle():
                return top
        return None

    def type_on_keyboard() -> None:
        method = QGuiApplication.inputMethod()
        rect = method.keyboardRectangle()
        result.update(
            visible=method.isVisible(),
            locale=method.locale().name(),
            keyboard=[rect.x(), rect.y(), rect.width(), rect.height()],
        )
        name = window.guest_book.edits["name"]
        bottom = name.mapToGlobal(QPoint(0, name.height())).y()
        result["field_bottom"] = bottom
        target = keyboard_window()
        if target is not None and rect.height() > 0:
            # Tap keys of the top letter row; the keyboard's window covers the screen and
            # draws the keys in the keyboard rectangle.
            origin = target.mapFromGlobal(QPoint(int(rect.x()), int(rect.y())))
            row_y = origin.y() + int(rect.height() * 0.12)
            for fraction in (0.05, 0.25, 0.45):
                point = QPoint(origin.x() + int(rect.width() * fraction), row_y)
                QTest.mouseClick(target, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), point)
                QTest.qWait(150)
        QTimer.singleShot(500, finish)

    def finish() -> None:
        result["typed"] = window.guest_book.edits["name"].text()
        screen = QGuiApplication.primaryScreen().grabWindow(0)
        screen.save(str(Path(artifacts) / "kiosk-virtual-keyboard.png"))
        print(json.dumps(result), flush=True)
        backend.stop()
        window._may_close = True
        app.quit()

    QTimer.singleShot(800, open_form)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1])
