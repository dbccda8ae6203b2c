"""The shared database page: where the file is, checked live while it is typed.

The check runs on a worker thread, so a share that does not answer never freezes the
wizard; an administrator may create (or upgrade) the database from here."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from setup_wizard.pages.base import (
    CONSOLE_PAGE,
    DISPLAY_PAGE,
    KIOSK_PAGE,
    Background,
    Page,
    failure,
    help_label,
    set_level,
    status_label,
)
from shared.clock import Clock
from shared.i18n import N_, _
from shared.install.config import Config
from shared.install.installcheck import DatabaseCheck, check_database, create_database

log = logging.getLogger(__name__)


class DatabasePage(Page):
    """Where the shared database file is, checked live while it is typed."""

    def __init__(self, config: Config, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.result: DatabaseCheck | None = None
        self.checked_text: str | None = None
        self.background = Background(self)
        self.path = QLineEdit(config.database.path)
        self.path.setObjectName("database_path")
        self.path.setPlaceholderText(r"\\server\pst\antrian-pst.db")
        self.browse = QPushButton()
        self.browse.setObjectName("browse")
        self.browse.clicked.connect(self._on_browse_clicked)
        self.check_again = QPushButton()
        self.check_again.setObjectName("check_again")
        self.check_again.clicked.connect(self.check_now)
        self.path_label = QLabel()
        self.path_help = help_label()
        self.status = status_label("database_status")
        self.admin = QCheckBox()
        self.admin.setObjectName("is_admin")
        self.admin.toggled.connect(self._show_result)
        self.create = QPushButton()
        self.create.setObjectName("create_database")
        self.create.clicked.connect(self._on_create_clicked)
        self.create.hide()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        row.addWidget(self.check_again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.path_label)
        layout.addLayout(row)
        layout.addWidget(self.path_help)
        layout.addSpacing(12)
        layout.addWidget(self.status)
        layout.addSpacing(12)
        layout.addWidget(self.admin)
        layout.addWidget(self.create, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(500)
        self._debounce.timeout.connect(self.check_now)
        self.path.textChanged.connect(self._on_path_changed)

    def initializePage(self) -> None:
        if self.setup().role() == "admin":
            self.admin.setChecked(True)
        self.check_now()

    def isComplete(self) -> bool:
        return (
            self.result is not None
            and self.result.usable
            and self.checked_text == self.path.text()
            and not self.background.busy
        )

    def nextId(self) -> int:
        return {"kiosk": KIOSK_PAGE, "display": DISPLAY_PAGE, "counter": CONSOLE_PAGE}.get(
            self.setup().role(), self.setup().after_role_pages()
        )

    def database_text(self) -> str:
        """The path to write into the configuration (as the person gave it, cleaned)."""
        if self.result is not None and self.result.path is not None:
            return str(self.result.path)
        return self.path.text().strip()

    def _on_path_changed(self) -> None:
        self.background.cancel()
        self.result = None
        self.create.hide()
        set_level(self.status, "", _("Checking…"))
        self.completeChanged.emit()
        self._debounce.start()

    def check_now(self) -> None:
        """Check the path in the box now (on a worker thread)."""
        self._debounce.stop()
        text = self.path.text()
        set_level(self.status, "", _("Checking…"))
        self.background.run(lambda: check_database(text), lambda r, e: self._on_checked(text, r, e))
        self.completeChanged.emit()

    def _on_checked(self, text: str, result: Any, error: BaseException | None) -> None:
        if error is not None:
            log.error("database check failed", exc_info=error)
            result = DatabaseCheck(
                "problem", N_("The check itself failed: {error}"), {"error": error}
            )
        self.result, self.checked_text = result, text
        self._show_result()
        self.completeChanged.emit()

    def _show_result(self) -> None:
        result = self.result
        if result is None:
            return
        level = {"ready": "ok", "empty": "warning", "older": "warning"}.get(result.state, "error")
        text = result.message
        if result.can_create and not self.admin.isChecked():
            text += " " + _("If you are the administrator, tick the box below.")
        set_level(self.status, level, text)
        self.create.setVisible(result.can_create and self.admin.isChecked())
        self.create.setText(
            _("Upgrade the queue database")
            if result.state == "older"
            else _("Create the queue database here")
        )

    def _on_create_clicked(self) -> None:
        result = self.result
        if result is None or result.path is None:
            return
        path = result.path
        machine = self.setup().config.machine.name
        self.create.setEnabled(False)
        set_level(self.status, "", _("Creating…"))

        def done(_applied: Any, error: BaseException | None) -> None:
            self.create.setEnabled(True)
            sentence = failure(
                error, "creating the database", N_("The database could not be created: {error}")
            )
            if sentence is not None:
                set_level(self.status, "error", sentence)
                return
            self.check_now()

        self.background.run(lambda: create_database(path, clock=self.clock, machine=machine), done)

    def _on_browse_clicked(self) -> None:
        start = self.path.text() or str(Path.home())
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("Where is the queue database?"),
            start,
            _("Queue database (*.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.path.setText(chosen)

    def retranslate(self) -> None:
        self.setTitle(_("The shared queue database"))
        self.setSubTitle(
            _("Every PC of the office uses the same file on a shared folder of the server or NAS.")
        )
        self.path_label.setText(_("Database file:"))
        self.path_help.setText(
            _(
                "Type the path as Windows shows it, for example \\\\server\\pst\\antrian-pst.db"
                " or a mapped drive such as P:\\antrian-pst.db."
            )
        )
        self.browse.setText(_("Browse…"))
        self.check_again.setText(_("Check again"))
        self.admin.setText(_("I am the administrator of this office's queue"))
        if self.result is not None:
            self._show_result()
