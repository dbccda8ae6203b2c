"""Fixtures for pst-setup: a PC's folders, a shared database, the wizard on them."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QWizard

from setup_wizard.pages.base import DATABASE_PAGE, ROLE_PAGE, SUMMARY_PAGE
from setup_wizard.wizard import SetupWizard
from shared.install.config import Config
from shared.install.installcheck import create_database


@pytest.fixture
def short_tmp():
    """A temporary folder with a short name: the paths show in the pages' screenshots."""
    folder = Path(tempfile.mkdtemp(prefix="pst-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def place(short_tmp: Path) -> dict:
    """A PC's folders: home, desktop, a fake venv with the program launchers."""
    bin_folder = short_tmp / "venv" / "bin"
    bin_folder.mkdir(parents=True)
    for program in ("pst-kiosk", "pst-counter", "pst-display", "pst-setup", "pst-web"):
        (bin_folder / program).write_text("#!/bin/sh\n")
    return {
        "config": short_tmp / "home" / ".config" / "antrian-pst" / "pst.toml",
        "desktop": short_tmp / "home" / "Desktop",
        "options": {
            "platform": "linux",
            "environ": {},
            "home": short_tmp / "home",
            "executable": str(bin_folder / "python"),
            "frozen": False,
        },
        "autostart": short_tmp / "home" / ".config" / "autostart",
        "bin": bin_folder,
    }


@pytest.fixture
def shared_db(short_tmp: Path, clock) -> Path:
    path = short_tmp / "share" / "antrian-pst.db"
    path.parent.mkdir()
    create_database(path, clock=clock, machine="pc-admin")
    return path


def open_wizard(qtbot, place, clock, config: Config | None = None) -> SetupWizard:
    wizard = SetupWizard(
        config or Config(),
        place["config"],
        clock=clock,
        desktop=place["desktop"],
        speech_engine="mock",
        install_options=place["options"],
    )
    qtbot.addWidget(wizard)
    wizard.resize(1000, 680)
    wizard.show()
    return wizard


def tick(qtbot, button) -> None:
    """Click a radio button or check box on its box (the widget is wider than its text)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def next_enabled(wizard: SetupWizard) -> bool:
    return wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def choose_role_and_database(qtbot, wizard: SetupWizard, role: str, db: Path) -> None:
    assert wizard.currentId() == ROLE_PAGE
    assert not next_enabled(wizard), "no role chosen yet"
    tick(qtbot, wizard.role_page.buttons[role])
    assert next_enabled(wizard)
    wizard.next()
    assert wizard.currentId() == DATABASE_PAGE
    page = wizard.database_page
    page.path.setText(str(db))
    qtbot.waitUntil(lambda: page.result is not None and next_enabled(wizard), timeout=10_000)
    assert page.status.property("level") == "ok"


def finish(qtbot, wizard: SetupWizard) -> None:
    assert wizard.currentId() == SUMMARY_PAGE
    with qtbot.waitSignal(wizard.installed, timeout=5000):
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
