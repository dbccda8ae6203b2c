"""The last page: what will be written; Finish writes it."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout

from setup_wizard import install
from setup_wizard.pages.base import Page, set_level, status_label
from shared.errors import ConfigError
from shared.i18n import _

log = logging.getLogger(__name__)


class SummaryPage(Page):
    """What will be written; Finish writes it."""

    def __init__(self) -> None:
        super().__init__()
        self.text = QLabel()
        self.text.setObjectName("summary")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shortcuts = QCheckBox()
        self.shortcuts.setObjectName("desktop_shortcuts")
        self.status = status_label("install_status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addSpacing(12)
        layout.addWidget(self.shortcuts)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.retranslate()

    def nextId(self) -> int:
        return -1  # the last page, whatever ids come after it

    def validatePage(self) -> bool:
        try:
            self.setup().install()
        except (OSError, ValueError, ConfigError) as exc:
            log.error("writing the set-up failed", exc_info=exc)
            message = exc.message if isinstance(exc, ConfigError) else str(exc)
            set_level(self.status, "error", _("Nothing could be saved: {error}", error=message))
            return False
        return True

    def retranslate(self) -> None:
        self.setTitle(_("Ready to save"))
        self.setSubTitle(_("Finish writes this PC's settings and starts nothing yet."))
        self.shortcuts.setText(_("Also put shortcuts on the desktop"))
        from setup_wizard.wizard import SetupWizard

        wizard = self.wizard()
        if not isinstance(wizard, SetupWizard):
            return
        choices = wizard.choices()
        lines = [
            _("This PC: {role}", role=_(install.ROLE_NAMES[choices.role])),
            _("Database: {path}", path=choices.database),
            _("Settings file: {path}", path=str(wizard.config_path)),
        ]
        if choices.role == "kiosk" and choices.printer.strip().lower() in ("", "none"):
            lines.append(_("No ticket printer: visitors see their number on the kiosk's screen."))
        elif choices.role == "kiosk":
            lines.append(
                _(
                    "Printer: {printer}, paper {width} mm",
                    printer=choices.printer,
                    width=choices.paper_mm,
                )
            )
        elif choices.role == "display":
            lines.append(_("Screen {n}", n=choices.screen + 1))
        if choices.serves_status_page:
            lines.append(
                _(
                    "Status page for phones: {address}",
                    address=wizard.status_web_page.phone_address(),
                )
            )
        autostart = wizard.autostart_preview()
        if autostart:
            lines.append(_("Starts by itself at log-on: {path}", path=autostart))
        else:
            lines.append(_("No program starts by itself on this PC."))
        self.text.setText("\n".join(lines))
