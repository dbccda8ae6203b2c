"""The counter console's page: only its language (the counter is chosen at log-in)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout

from setup_wizard.pages.base import Page, help_label, labelled_row, language_choice
from shared import i18n
from shared.i18n import _
from shared.install.config import Config


class ConsolePage(Page):
    """The console needs nothing but its language: the counter is chosen at log-in."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.language = language_choice("console_language")
        self.label = QLabel()
        self.help = help_label()
        layout = QVBoxLayout(self)
        layout.addLayout(labelled_row(self.label, self.language))
        layout.addWidget(self.help)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.language())))

    def nextId(self) -> int:
        return self.setup().after_role_pages()

    def retranslate(self) -> None:
        self.setTitle(_("The counter console"))
        self.setSubTitle(_("Officers log in with their user name and PIN."))
        self.label.setText(_("Language of the console:"))
        self.help.setText(
            _("The console asks for its counter at the first log-in and remembers it.")
        )
