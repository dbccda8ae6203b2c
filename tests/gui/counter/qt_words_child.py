"""The console started the real way on an X desktop, showing Qt's own dialogs and menus.

``python -m tests.gui.counter.qt_words_child CONFIG OUT_FOLDER SIZE`` starts pst-counter
through :func:`shared.qt.app.bootstrap` (so with whatever translations it installs),
logs in the administrator on the login card, and opens what Qt itself words: the
report's save dialog, the "already exists" question of that dialog, and the context
menus of a line edit and a spin box. It prints one JSON line with the texts each one
showed and saves a screen grab of the save dialog and the question in OUT_FOLDER.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import shared.qt  # noqa: F401  (guards against PySide6 6.12 on Python 3.11)


def main() -> int:
    config, out, size = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    from PySide6.QtCore import QEventLoop, QPoint, QTimer
    from PySide6.QtGui import QContextMenuEvent, QGuiApplication
    from PySide6.QtWidgets import (
        QAbstractButton,
        QApplication,
        QComboBox,
        QLabel,
        QLineEdit,
        QMenu,
        QMessageBox,
        QWidget,
    )

    from counter.app import style_sheet
    from counter.window import ConsoleWindow
    from shared.qt.app import bootstrap

    app, ctx = bootstrap("pst-counter", "test", ["--config", config])
    app.setStyleSheet(style_sheet())
    window = ConsoleWindow(ctx)
    window.showFullScreen()
    window.start()

    def spin(until, seconds: float = 10.0) -> bool:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
            if until():
                return True
        return False

    def texts(root: QWidget) -> list[str]:
        found = []
        for widget in [root, *root.findChildren(QWidget)]:
            if not widget.isVisible():
                continue
            if isinstance(widget, QLabel | QAbstractButton) and widget.text():
                found.append(widget.text())
            elif isinstance(widget, QComboBox) and widget.currentText():
                found.append(widget.currentText())
            if widget.toolTip():
                found.append(widget.toolTip())
        return found

    def grab(name: str) -> None:
        QGuiApplication.primaryScreen().grabWindow(0).save(str(out / f"counter-{name}-{size}.png"))

    def menu_of(widget: QWidget) -> list[str]:
        shown: list[str] = []

        def read_and_close() -> None:
            for menu in QApplication.allWidgets():
                if isinstance(menu, QMenu) and menu.isVisible():
                    shown.extend(a.text() for a in menu.actions() if a.text())
                    menu.close()

        # Read the menu once it is up, whether exec() waits for it or not.
        timer = QTimer()
        timer.setInterval(100)
        timer.timeout.connect(read_and_close)
        timer.start()
        where = QPoint(5, 5)
        QApplication.sendEvent(
            widget,
            QContextMenuEvent(QContextMenuEvent.Reason.Mouse, where, widget.mapToGlobal(where)),
        )
        spin(lambda: bool(shown), 3)
        timer.stop()
        return shown

    result: dict = {}
    login = window.login_view
    spin(lambda: login.officer_combo.findData("admin") >= 0)
    login.officer_combo.setCurrentIndex(login.officer_combo.findData("admin"))
    login.counter_combo.setCurrentIndex(login.counter_combo.findData(0))
    login.pin_edit.setText("0000")
    login.login_button.click()
    if not spin(lambda: window.officer is not None):
        print(json.dumps({"error": "could not log in", "message": login.message.text()}))
        return 1

    window.show_settings_page()
    spin(lambda: window.settings_view.services_table.rowCount() > 0)
    window.settings_view.tabs.setCurrentIndex(3)  # hours and holidays
    spin(lambda: window.settings_view.holiday_year.isVisible())
    result["line_edit_menu"] = menu_of(window.settings_view.holiday_name)
    result["spin_box_menu"] = menu_of(window.settings_view.holiday_year)

    window.show_reports_page()
    reports = window.reports_view
    if not spin(lambda: reports.report is not None, 30):
        print(json.dumps({"error": "no report", "status": reports.status.text()}))
        return 1
    reports.ask_export("pdf")
    dialog = reports.dialog
    spin(lambda: dialog.isVisible(), 5)
    spin(lambda: False, 1.0)  # the file list fills in a thread
    result["save_dialog"] = texts(dialog)
    result["save_dialog_title"] = dialog.windowTitle()
    grab("save-dialog")

    # The question Qt asks before it overwrites a file.
    existing = out / "laporan-ada.pdf"
    existing.write_bytes(b"%PDF-1.4\n")
    asked: dict = {}

    def answer() -> None:
        for box in QApplication.allWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                asked["texts"] = texts(box)
                grab("overwrite-question")
                box.button(QMessageBox.StandardButton.No).click()
                return
        QTimer.singleShot(100, answer)

    QTimer.singleShot(300, answer)
    dialog.setDirectory(str(out))
    spin(lambda: False, 0.5)
    # Typed as a person would: selectFile() leaves a focused name field alone.
    dialog.findChild(QLineEdit, "fileNameEdit").setText(existing.name)
    dialog.accept()
    spin(lambda: "texts" in asked, 5)
    result["overwrite_question"] = asked.get("texts", [])
    dialog.reject()
    spin(lambda: reports.dialog is None, 3)
    print(json.dumps(result, ensure_ascii=False), flush=True)
    window.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
