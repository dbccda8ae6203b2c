"""The set-up wizard: its pages put together, one module each in ``setup_wizard.pages``.

Role, shared database, the role's own page (kiosk, display or console), the status
page's when this PC serves it, then the summary. Slow work — checking a database on a
share, printing a test ticket — runs on a worker thread and comes back as a signal, so
the window never freezes on a share that does not answer. Nothing is written until
*Finish* on the summary page.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget, QWizard

from setup_wizard import install
from setup_wizard.pages.base import (
    CONSOLE_PAGE,
    DATABASE_PAGE,
    DISPLAY_PAGE,
    KIOSK_PAGE,
    ROLE_PAGE,
    STATUS_WEB_PAGE,
    SUMMARY_PAGE,
    Page,
)
from setup_wizard.pages.console import ConsolePage
from setup_wizard.pages.database import DatabasePage
from setup_wizard.pages.display import DisplayPage
from setup_wizard.pages.kiosk import KioskPage
from setup_wizard.pages.role import RolePage
from setup_wizard.pages.status_web import StatusWebPage
from setup_wizard.pages.summary import SummaryPage
from shared import i18n
from shared.clock import Clock
from shared.i18n import _
from shared.install.config import Config

STYLE = """
QLabel[level="ok"] { color: #1b5e20; font-weight: bold; }
QLabel[level="warning"] { color: #8a5a00; font-weight: bold; }
QLabel[level="error"] { color: #b71c1c; font-weight: bold; }
QLabel[role="help"] { color: #444444; }
"""


class SetupWizard(QWizard):
    """The whole wizard. ``installed`` carries the :class:`install.Installed` result."""

    installed = Signal(object)

    def __init__(
        self,
        config: Config,
        config_path: Path,
        *,
        clock: Clock,
        desktop: Path,
        speech_engine: str = "",
        install_options: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setup_wizard")
        self.config = config
        self.config_path = config_path
        self.desktop = desktop
        self.install_options = install_options or {}
        self.result_installed: install.Installed | None = None
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setStyleSheet(STYLE)
        self.role_page = RolePage(config)
        self.database_page = DatabasePage(config, clock)
        self.kiosk_page = KioskPage(config)
        self.display_page = DisplayPage(config, speech_engine)
        self.console_page = ConsolePage(config)
        self.status_web_page = StatusWebPage(config)
        self.summary_page = SummaryPage()
        for page_id, page in (
            (ROLE_PAGE, self.role_page),
            (DATABASE_PAGE, self.database_page),
            (KIOSK_PAGE, self.kiosk_page),
            (DISPLAY_PAGE, self.display_page),
            (CONSOLE_PAGE, self.console_page),
            (SUMMARY_PAGE, self.summary_page),
            (STATUS_WEB_PAGE, self.status_web_page),
        ):
            self.setPage(page_id, page)
        self.role_page.language.currentIndexChanged.connect(self._on_language_changed)
        i18n.set_language(self.role_page.language.currentData())
        self.retranslate()

    def pages(self) -> list[Page]:
        return [
            self.role_page,
            self.database_page,
            self.kiosk_page,
            self.display_page,
            self.console_page,
            self.status_web_page,
            self.summary_page,
        ]

    def role(self) -> str:
        return self.role_page.role()

    def choices(self) -> install.Choices:
        """What the person chose so far, as the installer takes it."""
        role = self.role() or "admin"
        language = self.role_page.language.currentData()
        if role == "counter":
            language = self.console_page.language.currentData() or language
        return install.Choices(
            role=role,
            database=self.database_page.database_text(),
            language=language,
            printer=self.kiosk_page.printer_spec(),
            paper_mm=self.kiosk_page.paper_mm(),
            screen=self.display_page.screen_index(),
            voice=self.display_page.voice(),
            desktop_shortcuts=self.summary_page.shortcuts.isChecked(),
            status_page=self.role_page.also_status.isChecked(),
            status_host=self.status_web_page.host_text(),
            status_port=self.status_web_page.port.value(),
        )

    def after_role_pages(self) -> int:
        """The page after the role's own: the status page's when this PC serves it."""
        if self.role() == "status_page" or self.role_page.also_status.isChecked():
            return STATUS_WEB_PAGE
        return SUMMARY_PAGE

    def autostart_preview(self) -> str:
        """Where the autostart entry goes (empty for an administration-only PC)."""
        choices = self.choices()
        options = dict(self.install_options)
        files, _removed = install.launch_files(
            choices,
            self.config_path,
            platform=options.pop("platform", None) or sys.platform,
            environ=options.pop("environ", None) or os.environ,
            home=options.pop("home", None) or Path.home(),
            desktop=self.desktop,
            **options,
        )
        starts = [f for f in files if f.path.parent != self.desktop]
        return str(starts[0].path) if starts else ""

    def install(self) -> install.Installed:
        """Write everything for the current choices."""
        done = install.install(
            self.choices(),
            self.config,
            self.config_path,
            desktop=self.desktop,
            **self.install_options,
        )
        self.result_installed = done
        self.installed.emit(done)
        return done

    def _on_language_changed(self) -> None:
        i18n.set_language(self.role_page.language.currentData())
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Antrian PST setup"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        for page in self.pages():
            page.retranslate()
