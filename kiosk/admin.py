"""The kiosk's settings panel, behind a hidden gesture and an administrator's PIN.

Visitors never see it: five taps on the logo within a few seconds open the PIN page.
Only an administrator or a supervisor may unlock; failed tries are recorded by the
core and lock the account after five attempts.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.backend import KioskBackend
from kiosk.screens import Screen, back_row, card, form_layout, page_layout
from kiosk.widgets import (
    Field,
    FlowBox,
    KeyboardAwareScroll,
    button,
    label,
    line_edit,
)
from setup_wizard.install import program_command
from shared.errors import PSTError
from shared.i18n import N_, _, language
from shared.install.logs import log_file
from shared.qt.app import start_detached

log = logging.getLogger(__name__)

LOGIN, PANEL = 0, 1


class AdminScreen(Screen):
    """PIN check, then printer status, a test print, and leaving the kiosk."""

    back_requested = Signal()
    exit_requested = Signal()

    def __init__(
        self,
        backend: KioskBackend,
        parent: QWidget | None = None,
        *,
        start_program: Callable[[list[str]], bool] = start_detached,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("admin")
        self.backend = backend
        self.start_program = start_program
        self._setup_note = ""
        self.officer: dict[str, Any] | None = None
        self._error: tuple[str, dict] = ("", {})
        self.pages = QStackedWidget()

        login = QWidget()
        self.login_title = label(role="title")
        self.username = line_edit("username", Qt.InputMethodHint.ImhNoAutoUppercase, 40)
        self.pin = line_edit(
            "pin", Qt.InputMethodHint.ImhDigitsOnly | Qt.InputMethodHint.ImhSensitiveData, 12
        )
        self.pin.setEchoMode(self.pin.EchoMode.Password)
        self.pin.returnPressed.connect(self._on_login_clicked)
        self.username.returnPressed.connect(self.pin.setFocus)
        self.username_field = Field("username", N_("User name"), self.username)
        self.pin_field = Field("pin", N_("PIN"), self.pin)
        self.login_button = button(role="primary", name="login")
        self.login_button.clicked.connect(self._on_login_clicked)
        self.login_error = label(role="status", name="admin_error")
        login_layout = QVBoxLayout(login)
        login_layout.setContentsMargins(48, 24, 48, 24)
        login_layout.setSpacing(16)
        login_layout.addWidget(self.login_title)
        for widget in (self.username_field, self.pin_field):
            widget.setMaximumWidth(700)
            login_layout.addWidget(widget)
        login_layout.addWidget(self.login_button, 0, Qt.AlignmentFlag.AlignLeft)
        login_layout.addWidget(self.login_error)
        login_layout.addStretch(1)

        panel = QWidget()
        self.panel_title = label(role="title")
        self.status_card = card()
        self.printer_text = label(role="info", name="printer_state")
        self.database_text = label(role="info", name="database_path")
        self.log_text = label(role="info", name="log_path")
        status_layout = QVBoxLayout(self.status_card)
        status_layout.addWidget(self.printer_text)
        status_layout.addWidget(self.database_text)
        status_layout.addWidget(self.log_text)
        self.test_print = button(name="test_print")
        self.test_print.clicked.connect(self._on_test_print_clicked)
        self.reload = button(name="reload")
        self.reload.clicked.connect(self._on_reload_clicked)
        self.exit_kiosk = button(role="danger", name="exit_kiosk")
        self.exit_kiosk.clicked.connect(self.exit_requested)
        # Only an administrator changes what this PC is (pst-setup), not a supervisor.
        self.setup_pc = button(name="setup_pc")
        self.setup_pc.clicked.connect(self._on_setup_clicked)
        self.setup_text = label(role="info", name="setup_note")
        # The buttons wrap onto a second row on a narrow (portrait) screen.
        actions = FlowBox(spacing=20)
        for btn in (self.test_print, self.reload, self.setup_pc, self.exit_kiosk):
            actions.add(btn)
        panel_layout = page_layout(
            panel, self.panel_title, self.status_card, actions, self.setup_text
        )
        panel_layout.addStretch(1)

        # Scrolls, so that with the keyboard open the PIN box stays above it.
        self.pages.addWidget(KeyboardAwareScroll(login))
        self.pages.addWidget(panel)
        self.back, bottom = back_row(self.back_requested)
        bottom.setContentsMargins(24, 12, 24, 12)
        form_layout(self, self.pages, bottom)
        backend.printer_status_changed.connect(lambda _status: self.retranslate())
        self.retranslate()

    @property
    def unlocked(self) -> bool:
        return self.officer is not None

    def reset(self) -> None:
        self.officer = None
        self._setup_note = ""
        self.username.clear()
        self.pin.clear()
        self._error = ("", {})
        self.login_button.setEnabled(True)
        self.pages.setCurrentIndex(LOGIN)
        self.retranslate()

    def retranslate(self) -> None:
        self.login_title.setText(_("Kiosk settings: administrator or supervisor only"))
        self.username_field.retranslate()
        self.pin_field.retranslate()
        self.login_button.setText(_("Unlock"))
        msgid, params = self._error
        self.login_error.setText(_(msgid, **params) if msgid else "")
        who = self.officer["full_name"] if self.officer else ""
        self.panel_title.setText(_("Kiosk settings (unlocked by {name})", name=who))
        printer = self.backend.printer
        status = printer.status
        state = {
            "ok": _("ready"),
            "offline": _("offline"),
            "error": _("not working"),
            "none": _("none configured"),
        }.get(status.state, status.state)
        self.printer_text.setText(
            _(
                "Printer: {spec} (profile {profile}) — {state}. {problem}",
                spec=str(printer.spec),
                profile=printer.profile,
                state=state,
                problem=status.message,
            )
        )
        self.database_text.setText(_("Database: {path}", path=str(self.backend.store.path)))
        self.log_text.setText(_("Log file: {path}", path=str(log_file("pst-kiosk"))))
        self.test_print.setText(_("Print a test ticket"))
        self.reload.setText(_("Reload settings"))
        self.exit_kiosk.setText(_("Close the kiosk program"))
        self.setup_pc.setText(_("Set up this PC…"))
        self.setup_pc.setVisible(bool(self.officer) and self.officer.get("role") == "admin")
        self.setup_text.setText(self._setup_note)
        self.back.setText(_("← Back to the welcome screen"))

    def _on_login_clicked(self) -> None:
        self._error = ("", {})
        self.login_button.setEnabled(False)
        self.backend.login_admin(
            self.username.text(), self.pin.text(), self._on_unlocked, self._on_login_failed
        )

    def _on_unlocked(self, officer: dict[str, Any]) -> None:
        self.officer = officer
        self.pin.clear()
        self.login_button.setEnabled(True)
        self.pages.setCurrentIndex(PANEL)
        self.retranslate()

    def _on_login_failed(self, exc: BaseException) -> None:
        self.login_button.setEnabled(True)
        self.pin.clear()
        # Kept as msgid and parameters: a language switch re-words it.
        if isinstance(exc, PSTError):
            self._error = (exc.msgid, exc.params)
        else:
            log.error("kiosk unlock failed", exc_info=exc)
            self._error = (N_("Something went wrong. Please ask an officer."), {})
        self.retranslate()

    def _on_test_print_clicked(self) -> None:
        self.backend.test_print(language())

    def _on_setup_clicked(self) -> None:
        if self.start_program(program_command("pst-setup")):
            self._setup_note = _(
                "The setup wizard opens in its own window: close the kiosk program to see it,"
                " and start the kiosk again when the wizard is finished."
            )
        else:
            self._setup_note = _("The setup wizard (pst-setup) could not be started.")
        self.retranslate()

    def _on_reload_clicked(self) -> None:
        self.backend.refresh()
        self.backend.probe_printer()
