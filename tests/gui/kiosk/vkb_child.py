"""Run in a subprocess under Xvfb: the kiosk full screen with Qt Virtual Keyboard.

Opens the guest book and the rating screen, taps fields so the keyboard opens, types
on it, presses its Enter key, switches the language, and prints one JSON line with
what it measured; screenshots go to the artifacts folder. The test in
test_kiosk_virtual_keyboard.py starts the X server (and a window manager) and reads it.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest

from kiosk.app import configure_input_method

STEP_MS = 1200


def main(artifacts: str, size: str, windowed: bool) -> None:
    configure_input_method("id")
    import shiboken6
    from PySide6.QtQuick import QQuickView
    from PySide6.QtWidgets import QApplication

    from kiosk.backend import KioskBackend
    from kiosk.keyboard import INPUT_VIEW
    from kiosk.window import KioskWindow
    from shared.clock import FakeClock
    from shared.devices.printing import TicketPrinter
    from shared.install.config import KioskSection
    from shared.queue.operations import Operations
    from shared.storage.store import Store
    from tests.conftest import WEDNESDAY_0900
    from tests.gui.kiosk.fit import layout_problems

    app = QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="pst-vkb-"))
    ops = Operations(Store(folder / "antrian.db"), clock=FakeClock(WEDNESDAY_0900))
    ops.initialise()
    backend = KioskBackend(ops, TicketPrinter("dummy"), heartbeat=False)
    config = KioskSection(issue_without_open_counter=True)
    window = KioskWindow(backend, config, windowed=windowed)
    width, height = (int(n) for n in size.split("x"))
    if windowed:
        window.resize(width, height)
    window.show_kiosk()
    window.activateWindow()
    backend.start()
    book, rating = window.guest_book, window.rating
    result: dict = {"size": size, "steps": {}}
    steps = []

    def view() -> QQuickView | None:
        for top in QGuiApplication.topLevelWindows():
            if top.metaObject().className() == INPUT_VIEW and top.isVisible():
                return shiboken6.wrapInstance(shiboken6.getCppPointer(top)[0], QQuickView)
        return None

    def keyboard() -> dict:
        method = QGuiApplication.inputMethod()
        rect = method.keyboardRectangle()
        return {
            "visible": method.isVisible(),
            "locale": method.locale().name(),
            "top": int(rect.y()),
            "height": int(rect.height()),
            "width": int(rect.width()),
        }

    def bottom(widget) -> int:
        return widget.mapToGlobal(QPoint(0, widget.height())).y()

    def shot(name: str) -> None:
        # The text-fit check with the keyboard open: the screen has shrunk above it.
        result.setdefault("problems", []).extend(
            f"{name}: {problem}" for problem in layout_problems(window)
        )
        QGuiApplication.primaryScreen().grabWindow(0).save(
            str(Path(artifacts) / f"kiosk-keyboard-{name}-{size}.png")
        )

    def key_item(class_prefix: str = "", text: str = ""):
        top = view()
        if top is None:
            return None, None
        stack = [top.contentItem()]
        while stack:
            item = stack.pop()
            name = item.metaObject().className()
            if (class_prefix and name.startswith(class_prefix)) or (
                text and item.property("text") == text and item.isVisible()
            ):
                return top, item
            stack.extend(item.childItems())
        return top, None

    def tap_item(top, item) -> None:
        center = item.mapToScene(QPointF(item.width() / 2, item.height() / 2))
        QTest.mouseClick(top, Qt.MouseButton.LeftButton, Qt.KeyboardModifier(0), center.toPoint())

    def tap(widget) -> None:
        QTest.mouseClick(widget, Qt.MouseButton.LeftButton)

    # -- the steps, one after the other with time for the keyboard to move --------------

    def open_guest_book() -> None:
        window._on_service_chosen("KS")
        tap(book.edits["name"])

    def check_name() -> None:
        kb = keyboard()
        result["steps"]["name"] = dict(
            kb,
            field_bottom=bottom(book.edits["name"]),
            action_bottom=bottom(book.submit),
        )
        shot("guest-book-id")
        top, item = key_item(text="q")
        if item is not None:
            for letter in ("q", "e", "t"):
                top, item = key_item(text=letter)
                tap_item(top, item)
                QTest.qWait(100)
        result["steps"]["name"]["typed"] = book.edits["name"].text()

    def open_email() -> None:
        book.scroll.ensureWidgetVisible(book.edits["email"])
        tap(book.edits["email"])

    def check_email() -> None:
        at = book.email_keys.findChild(type(book.submit), "email_key_@")
        result["steps"]["email"] = dict(
            keyboard(),
            field_bottom=bottom(book.edits["email"]),
            at_key_bottom=bottom(at),
            action_bottom=bottom(book.submit),
        )
        tap(at)
        result["steps"]["email"]["typed"] = book.edits["email"].text()
        result["steps"]["email"]["still_open"] = QGuiApplication.inputMethod().isVisible()
        shot("email-id")

    def english() -> None:
        tap(window.header.language_buttons["en"])
        book.scroll.ensureWidgetVisible(book.edits["name"])
        tap(book.edits["name"])

    def check_english() -> None:
        result["steps"]["english"] = dict(keyboard(), action_bottom=bottom(book.submit))
        shot("guest-book-en")

    def open_rating() -> None:
        window.reset_to_welcome()
        window.set_language("id")
        tap(window.welcome.rate)
        QTest.qWait(100)
        tap(rating.code_edit)

    def type_code_and_enter() -> None:
        QTest.keyClicks(rating.code_edit, "ZZZZ9999")
        result["steps"]["rating"] = dict(
            keyboard(),
            field_bottom=bottom(rating.code_edit),
            action_bottom=bottom(rating.next),
        )
        top, enter = key_item(class_prefix="EnterKey")
        result["steps"]["rating"]["enter_key"] = enter is not None
        if enter is not None:
            tap_item(top, enter)

    def check_rating() -> None:
        result["steps"]["rating"]["answer"] = rating.error.text()
        shot("rating-id")
        finish()

    def finish() -> None:
        print(json.dumps(result), flush=True)
        backend.stop()
        window._may_close = True
        app.quit()

    steps = [
        open_guest_book,
        check_name,
        open_email,
        check_email,
        english,
        check_english,
        open_rating,
        type_code_and_enter,
        check_rating,
    ]

    def run(index: int = 0) -> None:
        try:
            steps[index]()
        except Exception as exc:  # reported to the test, which fails with it
            result["error"] = f"{steps[index].__name__}: {exc!r}"
            finish()
            return
        if index + 1 < len(steps):
            QTimer.singleShot(STEP_MS, lambda: run(index + 1))

    QTimer.singleShot(1000, run)
    app.exec()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "1920x1080", "--windowed" in sys.argv)
