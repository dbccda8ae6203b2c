"""pst-setup through every page: a kiosk, a counter console, a display and an admin PC."""

from __future__ import annotations

import argparse
import socket
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from setup_wizard.pages.base import CONSOLE_PAGE, DISPLAY_PAGE, KIOSK_PAGE, STATUS_WEB_PAGE
from setup_wizard.pages.kiosk import sample_slip
from shared.devices.printing import TicketPrinter, ticket_bytes
from shared.install.config import Config, load_config
from shared.qt.app import context_from_args
from tests.gui.setup.conftest import (
    choose_role_and_database,
    finish,
    next_enabled,
    open_wizard,
    tick,
)

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


class Listener:
    """A network receipt printer on loopback: keeps every byte it is sent."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = bytearray()
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            while chunk := conn.recv(65536):
                self.received += chunk

    def close(self) -> None:
        self.server.close()


def test_kiosk_pc_with_a_network_printer(qtbot, place, shared_db, clock):
    printer = Listener()
    wizard = open_wizard(qtbot, place, clock)
    choose_role_and_database(qtbot, wizard, "kiosk", shared_db)
    wizard.next()
    assert wizard.currentId() == KIOSK_PAGE
    page = wizard.kiosk_page
    tick(qtbot, page.kind["network"])
    assert not next_enabled(wizard), "a network printer needs an address"
    assert page.status.property("level") == "error"
    qtbot.keyClicks(page.host, "127.0.0.1")
    page.port.setValue(printer.port)
    tick(qtbot, page.paper_buttons[58])
    assert next_enabled(wizard)
    qtbot.mouseClick(page.test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.property("level") == "ok", timeout=10_000)
    printer.thread.join(5)
    printer.close()
    assert b"TES-001" in printer.received and b"Uji printer" in printer.received
    spec = f"network:127.0.0.1:{printer.port}"
    assert bytes(printer.received) == ticket_bytes(sample_slip(spec, 58, "id"), "58mm")
    wizard.next()
    assert "network:127.0.0.1" in wizard.summary_page.text.text()
    tick(qtbot, wizard.summary_page.shortcuts)
    finish(qtbot, wizard)

    config = load_config(place["config"])
    assert config.machine.role == "kiosk"
    assert config.kiosk.printer == f"network:127.0.0.1:{printer.port}"
    assert TicketPrinter(config.kiosk.printer, config.kiosk.printer_profile).profile == "POS-5890"
    # The programs read the same file the same way.
    args = argparse.Namespace(config=str(place["config"]), lang=None, db=None, windowed=True)
    ctx = context_from_args(args, "pst-kiosk", clock=clock)
    assert ctx.config.database_path() == shared_db
    ctx.store.close()
    entry = (place["autostart"] / "antrian-pst-pst-kiosk.desktop").read_text()
    assert f"Exec={place['bin']}/pst-kiosk --config {place['config']}\n" in entry
    assert sorted(p.name for p in place["desktop"].iterdir()) == [
        "antrian-pst-pst-kiosk.desktop",
        "antrian-pst-pst-setup.desktop",
    ]


# A PC without a sound server makes Qt Multimedia say so: the test call still ends.
@pytest.mark.qt_log_ignore(
    "pipewire",
    "PulseAudioService",
    "QSoundEffect",
    "Using Qt multimedia with FFmpeg",
    "propagateSizeHints",
)
def test_display_pc_chooses_a_screen_and_plays_a_test_call(qtbot, place, shared_db, clock):
    wizard = open_wizard(qtbot, place, clock)
    choose_role_and_database(qtbot, wizard, "display", shared_db)
    wizard.next()
    assert wizard.currentId() == DISPLAY_PAGE
    page = wizard.display_page
    assert wizard.database_page.status.text() == (
        "Basis data antrean siap dipakai dari komputer ini."
    )
    assert page.screen.count() >= 1 and page.screen.currentText().startswith("Layar 1:")
    qtbot.mouseClick(page.test, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: page.status.property("level") in ("ok", "error"), timeout=20_000)
    assert page.status.property("level") == "ok", page.status.text()
    tick(qtbot, page.voice_buttons["none"])
    wizard.next()
    finish(qtbot, wizard)
    config = load_config(place["config"])
    assert (config.machine.role, config.display.screen, config.display.voice) == (
        "display",
        0,
        "none",
    )
    assert [p.name for p in place["autostart"].iterdir()] == ["antrian-pst-pst-display.desktop"]


def test_console_pc_in_english_then_run_again_as_a_kiosk_edits_in_place(
    qtbot, place, shared_db, clock
):
    wizard = open_wizard(qtbot, place, clock)
    choose_role_and_database(qtbot, wizard, "counter", shared_db)
    wizard.next()
    assert wizard.currentId() == CONSOLE_PAGE
    wizard.console_page.language.setCurrentIndex(wizard.console_page.language.findData("en"))
    wizard.next()
    finish(qtbot, wizard)
    config = load_config(place["config"])
    assert (config.machine.role, config.machine.language) == ("counter", "en")
    assert config.database_path() == shared_db
    assert [p.name for p in place["autostart"].iterdir()] == ["antrian-pst-pst-counter.desktop"]

    again = open_wizard(qtbot, place, clock, config)
    assert again.role_page.buttons["counter"].isChecked(), "the wizard remembers the role"
    assert again.windowTitle() == "Antrian PST setup", "and this PC's language"
    again.next()
    qtbot.waitUntil(lambda: next_enabled(again), timeout=10_000)
    assert again.database_page.path.text() == str(shared_db)
    again.back()
    tick(qtbot, again.role_page.buttons["kiosk"])
    again.next()
    qtbot.waitUntil(lambda: next_enabled(again), timeout=10_000)
    again.next()
    assert again.currentId() == KIOSK_PAGE
    again.next()
    finish(qtbot, again)
    assert [p.name for p in place["autostart"].iterdir()] == ["antrian-pst-pst-kiosk.desktop"]
    assert load_config(place["config"]).machine.role == "kiosk"


def test_admin_creates_the_database_in_an_empty_folder(qtbot, place, tmp_path, clock):
    folder = tmp_path / "empty share"
    folder.mkdir()
    wizard = open_wizard(qtbot, place, clock)
    tick(qtbot, wizard.role_page.buttons["counter"])
    wizard.next()
    page = wizard.database_page
    page.path.setText(str(folder))
    qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
    assert page.result.state == "empty" and not next_enabled(wizard)
    assert page.status.property("level") == "warning"
    assert not page.create.isVisible(), "only an administrator is offered to create it"
    tick(qtbot, page.admin)
    assert page.create.isVisible()
    qtbot.mouseClick(page.create, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: next_enabled(wizard), timeout=10_000)
    assert (folder / "antrian-pst.db").exists()
    assert page.database_text() == str(folder / "antrian-pst.db")


def test_a_problem_is_one_sentence_and_blocks_the_next_page(qtbot, place, tmp_path, clock):
    wizard = open_wizard(qtbot, place, clock)
    tick(qtbot, wizard.role_page.buttons["admin"])
    wizard.next()
    page = wizard.database_page
    assert page.admin.isChecked(), "an administration PC is the administrator's"
    page.path.setText(str(tmp_path / "not mounted" / "antrian-pst.db"))
    qtbot.waitUntil(lambda: page.status.property("level") == "error", timeout=10_000)
    assert "tidak dapat dijangkau" in page.status.text()
    assert not next_enabled(wizard) and not page.create.isVisible()


def test_language_switch_retranslates_every_page(qtbot, place, clock):
    wizard = open_wizard(qtbot, place, clock)
    assert wizard.role_page.title() == "Atur PC ini untuk Antrian PST"
    wizard.role_page.language.setCurrentIndex(wizard.role_page.language.findData("en"))
    assert wizard.role_page.title() == "Set up this PC for Antrian PST"
    assert wizard.kiosk_page.kind["usb"].text() == "USB printer"
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "Next >"


def test_display_with_recorded_clips_keeps_them(qtbot, place, shared_db, clock):
    config = Config()
    config.display.voice = "clips"
    config.display.clips_folder = "D:/suara"
    config.display.screen = 1
    wizard = open_wizard(qtbot, place, clock, config)
    choose_role_and_database(qtbot, wizard, "display", shared_db)
    wizard.next()
    assert wizard.display_page.voice_buttons["clips"].isChecked()
    assert wizard.display_page.screen.currentText() == "Layar 2 (tidak tersambung saat ini)"
    wizard.next()
    finish(qtbot, wizard)
    saved = load_config(place["config"])
    assert (saved.display.voice, saved.display.clips_folder) == ("clips", "D:/suara")
    # A screen that is not there now (the TV is off) is not replaced by the first one.
    assert saved.display.screen == 1


def test_pst_setup_starts_even_over_a_broken_configuration(qtbot, monkeypatch, tmp_path, capsys):
    from setup_wizard.app import main

    broken = tmp_path / "pst.toml"
    broken.write_text("[machine\nname = ", encoding="utf-8")
    monkeypatch.setenv("PST_EXIT_AFTER_FIRST_PAINT", "1")
    assert main(["--config", str(broken), "--lang", "en"]) == 0
    assert "first paint: setup_wizard" in capsys.readouterr().out
    assert broken.read_text(encoding="utf-8") == "[machine\nname = ", "nothing written on cancel"


def test_status_page_pc_checks_its_port_and_starts_pst_web(qtbot, place, shared_db, clock):
    busy = socket.create_server(("127.0.0.1", 0))
    wizard = open_wizard(qtbot, place, clock)
    choose_role_and_database(qtbot, wizard, "status_page", shared_db)
    wizard.next()
    assert wizard.currentId() == STATUS_WEB_PAGE
    page = wizard.status_web_page
    page.host.setCurrentIndex(page.host.findData("127.0.0.1"))
    page.port.setValue(busy.getsockname()[1])
    qtbot.mouseClick(page.check, Qt.MouseButton.LeftButton)
    assert page.status.property("level") == "error"
    assert "tidak dapat dipakai" in page.status.text()
    busy.close()
    free = socket.create_server(("127.0.0.1", 0))
    port = free.getsockname()[1]
    free.close()
    page.port.setValue(port)
    qtbot.mouseClick(page.check, Qt.MouseButton.LeftButton)
    assert page.status.property("level") == "ok"
    assert f"localport={port}" in page.help.text()
    wizard.next()
    assert f":{port}" in wizard.summary_page.text.text()
    finish(qtbot, wizard)
    config = load_config(place["config"])
    assert config.machine.role == "status_page"
    assert (config.status_page.host, config.status_page.port) == ("127.0.0.1", port)
    assert config.status_page.autostart
    entry = (place["autostart"] / "antrian-pst-pst-web.desktop").read_text()
    assert f"Exec={place['bin']}/pst-web --config {place['config']}\n" in entry
