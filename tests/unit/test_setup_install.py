"""What pst-setup writes, on Linux and (by its generated text) on Windows."""

from __future__ import annotations

import sys
from pathlib import Path, PureWindowsPath

import pytest

from setup_wizard import devices, install
from setup_wizard.install import Choices, launch_files
from shared.devices.printing import TicketPrinter
from shared.install.config import Config, load_config

WINDOWS = {
    "platform": "win32",
    "environ": {"APPDATA": r"C:\Users\kiosk\AppData\Roaming"},
    "home": PureWindowsPath(r"C:\Users\kiosk"),
    "desktop": PureWindowsPath(r"C:\Users\kiosk\Desktop"),
    "executable": r"C:\Program Files\Antrian PST\pst-setup.exe",
    "frozen": True,
}
STARTUP = r"C:\Users\kiosk\AppData\Roaming\Microsoft\Windows\Start Menu\Programs\Startup"
CONFIG = PureWindowsPath(r"C:\Users\kiosk\AppData\Local\antrian-pst\pst.toml")


def test_windows_kiosk_starts_from_the_startup_folder_with_a_cmd_file():
    choices = Choices("kiosk", r"\\server\pst\antrian-pst.db", desktop_shortcuts=True)
    write, remove = launch_files(choices, CONFIG, **WINDOWS)
    by_path = {str(f.path): f.text for f in write}
    startup = STARTUP + r"\antrian-pst-pst-kiosk.cmd"
    assert by_path[startup] == (
        "@echo off\r\n"
        "chcp 65001 >nul\r\n"
        "rem Antrian PST - Kios pengunjung - written by pst-setup; run pst-setup again to"
        " change it.\r\n"
        'start "" "C:\\Program Files\\Antrian PST\\pst-kiosk.exe" "--config"'
        ' "C:\\Users\\kiosk\\AppData\\Local\\antrian-pst\\pst.toml"\r\n'
    )
    assert set(by_path) == {
        startup,
        r"C:\Users\kiosk\Desktop\antrian-pst-pst-kiosk.cmd",
        r"C:\Users\kiosk\Desktop\antrian-pst-pst-setup.cmd",
    }
    assert (
        '"C:\\Program Files\\Antrian PST\\pst-setup.exe"'
        in by_path[r"C:\Users\kiosk\Desktop\antrian-pst-pst-setup.cmd"]
    )
    removed = {str(p) for p in remove}
    assert STARTUP + r"\antrian-pst-pst-display.cmd" in removed
    assert STARTUP + r"\antrian-pst-pst-counter.cmd" in removed
    assert startup not in removed


def test_windows_percent_signs_are_not_variables():
    assert install.cmd_quote(r"D:\100%\pst.toml") == '"D:\\100%%\\pst.toml"'
    with pytest.raises(ValueError):
        install.cmd_quote('a"b')


def test_admin_only_pc_starts_nothing_and_removes_old_entries():
    write, remove = launch_files(Choices("admin", "x.db"), CONFIG, **WINDOWS)
    assert write == []
    assert {p.name for p in remove} >= {
        "antrian-pst-pst-kiosk.cmd",
        "antrian-pst-pst-counter.cmd",
        "antrian-pst-pst-display.cmd",
        "antrian-pst-pst-setup.cmd",
    }


@pytest.mark.skipif(sys.platform == "win32", reason="compares POSIX paths")
def test_linux_autostart_is_an_xdg_desktop_entry(tmp_path):
    bin_folder = tmp_path / "venv" / "bin"
    bin_folder.mkdir(parents=True)
    (bin_folder / "pst-display").write_text("#!/bin/sh\n")
    config = tmp_path / "my config" / "pst.toml"
    write, _remove = launch_files(
        Choices("display", "/srv/pst/antrian-pst.db", language="en"),
        config,
        platform="linux",
        environ={},
        home=tmp_path / "home",
        desktop=tmp_path / "Desktop",
        executable=str(bin_folder / "python"),
        frozen=False,
    )
    (entry,) = write
    assert (
        entry.path
        == tmp_path / "home" / ".config" / "autostart" / "antrian-pst-pst-display.desktop"
    )
    assert "Name=Antrian PST - Waiting-room display\n" in entry.text
    assert f'Exec={bin_folder}/pst-display --config "{config}"\n' in entry.text
    assert "X-GNOME-Autostart-enabled=true" in entry.text


def test_desktop_exec_quoting():
    assert install.desktop_exec_quote("/usr/bin/pst-kiosk") == "/usr/bin/pst-kiosk"
    assert install.desktop_exec_quote('/a b/$x"y') == '"/a b/\\$x\\"y"'
    assert install.desktop_exec_quote("50%") == '"50%%"'


def test_program_command_falls_back_to_path_then_module(tmp_path):
    python = str(tmp_path / "python")
    kwargs = {"executable": python, "frozen": False, "platform": "linux"}
    assert install.program_command(
        "pst-kiosk", which=lambda p: f"/usr/local/bin/{p}", **kwargs
    ) == ["/usr/local/bin/pst-kiosk"]
    assert install.program_command("pst-kiosk", which=lambda p: None, **kwargs) == [
        python,
        "-m",
        "kiosk.app",
    ]


def test_configured_keeps_other_settings_and_reads_back(tmp_path):
    existing = Config()
    existing.machine.name = "kiosk-lobby"
    existing.kiosk.idle_seconds_form = 90
    existing.kiosk.printer_profile = "TM-T88III"  # an 80 mm model: kept for 80 mm
    path = tmp_path / "pst.toml"
    install.install(
        Choices("kiosk", "/srv/pst/antrian-pst.db", printer="usb:04b8:0e15", paper_mm=80),
        existing,
        path,
        desktop=tmp_path / "Desktop",
        environ={"XDG_CONFIG_HOME": str(tmp_path / "xdg")},
        home=tmp_path,
        platform="linux",
    )
    loaded = load_config(path)
    assert loaded.machine.name == "kiosk-lobby" and loaded.machine.role == "kiosk"
    assert loaded.kiosk.idle_seconds_form == 90
    assert loaded.kiosk.printer == "usb:04b8:0e15" and loaded.kiosk.printer_profile == "TM-T88III"
    assert loaded.database_path() == Path("/srv/pst/antrian-pst.db")
    narrow = install.configured(
        loaded, Choices("kiosk", "x.db", printer="none", paper_mm=58, language="en")
    )
    assert narrow.kiosk.printer_profile == "58mm"
    assert narrow.machine.language == "id", "the installer's language is not the kiosk's"
    assert TicketPrinter(narrow.kiosk.printer, narrow.kiosk.printer_profile).profile == "POS-5890"


def test_running_again_rewrites_and_a_new_role_replaces_the_old_entry(tmp_path):
    options = {
        "desktop": tmp_path / "Desktop",
        "environ": {"XDG_CONFIG_HOME": str(tmp_path / "xdg")},
        "home": tmp_path,
        "platform": "linux",
    }
    path = tmp_path / "pst.toml"
    first = install.install(
        Choices("kiosk", "a.db", desktop_shortcuts=True), Config(), path, **options
    )
    again = install.install(
        Choices("kiosk", "b.db", desktop_shortcuts=True), Config(), path, **options
    )
    assert first.written == again.written and again.removed == []
    autostart = tmp_path / "xdg" / "autostart"
    assert [p.name for p in autostart.iterdir()] == ["antrian-pst-pst-kiosk.desktop"]
    switched = install.install(Choices("counter", "b.db"), load_config(path), path, **options)
    assert [p.name for p in autostart.iterdir()] == ["antrian-pst-pst-counter.desktop"]
    assert {p.name for p in switched.removed} == {
        "antrian-pst-pst-kiosk.desktop",
        "antrian-pst-pst-setup.desktop",
    }
    assert not any((tmp_path / "Desktop").iterdir())


class _Interface:
    def __init__(self, cls):
        self.bInterfaceClass = cls


class _Device:
    def __init__(self, vendor, product, cls, name=None):
        self.idVendor, self.idProduct, self.bDeviceClass = vendor, product, 0
        self._cls, self.product, self.manufacturer = cls, name, None

    def __iter__(self):
        return iter([[_Interface(self._cls)]])


def test_usb_finder_lists_only_printers():
    found = devices.usb_printers(
        find=lambda find_all: [_Device(0x04B8, 0x0E15, 7, "TM-T20II"), _Device(0x046D, 1, 3)]
    )
    assert found == [devices.FoundPrinter("usb:04b8:0e15", "usb:04b8:0e15  TM-T20II")]
    assert devices.usb_printers(find=lambda find_all: (_ for _ in ()).throw(OSError("no"))) == []


def test_windows_printer_list_becomes_win32_specs():
    found = devices.windows_printers(enum=lambda: ["POS-80", "EPSON TM-T82 Receipt"])
    assert [f.spec for f in found] == ["win32:EPSON TM-T82 Receipt", "win32:POS-80"]
    assert devices.windows_printers() == []  # not Windows


def test_the_display_pc_also_serves_the_status_page():
    choices = Choices("display", "x.db", status_page=True, status_port=8090)
    write, remove = launch_files(choices, CONFIG, **WINDOWS)
    assert [f.path.name for f in write] == [
        "antrian-pst-pst-display.cmd",
        "antrian-pst-pst-web.cmd",
    ]
    assert rf'start "" "C:\Program Files\Antrian PST\pst-web.exe" "--config" "{CONFIG}"' in (
        write[1].text
    )
    assert PureWindowsPath(STARTUP, "antrian-pst-pst-web.cmd") not in remove
    config = install.configured(Config(), choices)
    assert config.status_page.autostart and config.status_page.port == 8090
    # Run again without it: the entry goes away and the configuration says so.
    choices = Choices("display", "x.db")
    write, remove = launch_files(choices, CONFIG, **WINDOWS)
    assert PureWindowsPath(STARTUP, "antrian-pst-pst-web.cmd") in remove
    assert not install.configured(config, choices).status_page.autostart
