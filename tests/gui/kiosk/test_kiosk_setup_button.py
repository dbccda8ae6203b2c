"""The kiosk's settings start pst-setup for an administrator, and only for one."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.kiosk.conftest import click, type_into


def unlock(qtbot, kiosk, username: str, pin: str) -> None:
    for _tap in range(5):
        qtbot.mouseClick(kiosk.header.logo, Qt.MouseButton.LeftButton)
    admin = kiosk.admin
    assert kiosk.current is admin
    type_into(qtbot, admin.username, username)
    type_into(qtbot, admin.pin, pin)
    click(qtbot, admin.login_button)
    qtbot.waitUntil(lambda: admin.unlocked, timeout=5000)


def test_only_an_administrator_may_set_up_the_pc(qtbot, kiosk, office, kiosk_ops):
    kiosk_ops.save_officer("admin", full_name="Admin TI", pin="999999", role="admin")
    kiosk_ops.save_officer("sari2", full_name="Sari Dua", pin="567890", role="supervisor")
    started: list[list[str]] = []
    kiosk.admin.start_program = lambda command: started.append(command) or True

    unlock(qtbot, kiosk, "sari2", "567890")
    assert not kiosk.admin.setup_pc.isVisible(), "a supervisor does not change the PC"
    kiosk.reset_to_welcome()

    unlock(qtbot, kiosk, "admin", "999999")
    assert kiosk.admin.setup_pc.isVisible()
    click(qtbot, kiosk.admin.setup_pc)
    (command,) = started
    assert command[-1].endswith("pst-setup") or command[-2:] == ["-m", "setup_wizard"]
    assert kiosk.admin.setup_text.text().startswith(
        "Panduan pengaturan terbuka di jendelanya sendiri"
    )
