"""The first page: the wizard's language and the role this PC plays."""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QCheckBox, QLabel, QRadioButton, QVBoxLayout

from setup_wizard import install
from setup_wizard.pages.base import DATABASE_PAGE, Page, help_label, labelled_row, language_choice
from shared.i18n import N_, _
from shared.install.config import Config

ROLE_HELP = {
    "kiosk": N_("The touchscreen in the lobby: guest book, queue number, printed ticket."),
    "counter": N_("An officer's desk: call visitors, serve them, see the 10-minute target."),
    "display": N_("The PC behind the waiting-room TV: shows and speaks who is called."),
    "status_page": N_(
        "Serves the status page (pst-web): visitors follow their ticket on their phone over"
        " the office Wi-Fi. Any PC that is on all day will do."
    ),
    "admin": N_("No program starts by itself; pst-admin and the reports are used here."),
}


class RolePage(Page):
    """Language of the wizard (and of this PC), and the role this PC plays."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.language = language_choice("language")
        self.language.setCurrentIndex(max(0, self.language.findData(config.machine.language)))
        self.language_label = QLabel()
        top = labelled_row(self.language_label, self.language)
        self.roles = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.helps: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(12)
        for role in install.ROLES:
            button = QRadioButton()
            button.setObjectName(f"role_{role}")
            self.roles.addButton(button)
            self.buttons[role] = button
            self.helps[role] = help_label()
            self.helps[role].setContentsMargins(28, 0, 0, 8)
            layout.addWidget(button)
            layout.addWidget(self.helps[role])
            button.toggled.connect(self.completeChanged)
        self.also_status = QCheckBox()
        self.also_status.setObjectName("also_status_page")
        self.also_status.setChecked(config.status_page.autostart)
        layout.addWidget(self.also_status)
        layout.addStretch(1)
        if config.machine.role in self.buttons:
            self.buttons[config.machine.role].setChecked(True)

    def role(self) -> str:
        return next((r for r, b in self.buttons.items() if b.isChecked()), "")

    def isComplete(self) -> bool:
        return bool(self.role())

    def nextId(self) -> int:
        return DATABASE_PAGE

    def retranslate(self) -> None:
        self.setTitle(_("Set up this PC for Antrian PST"))
        self.setSubTitle(_("Choose what this PC is for. You can run this wizard again later."))
        self.language_label.setText(_("Language:"))
        for role, button in self.buttons.items():
            button.setText(_(install.ROLE_NAMES[role]))
            self.helps[role].setText(_(ROLE_HELP[role]))
        self.also_status.setText(
            _("This PC also serves the status page for visitors' phones (pst-web)")
        )
