"""The console starts pst-setup for an administrator, and only for one."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.counter.conftest import log_in


def test_setup_button_is_for_administrators_only(qtbot, make_console, office, ops):
    ops.save_officer("admin2", full_name="Admin TI", pin="999999", role="admin")
    supervisor = make_console("supervisor-pc")
    assert not supervisor.setup_button.isVisible(), "nobody logged in"
    log_in(qtbot, supervisor, "sari", "5678", None)
    qtbot.waitUntil(lambda: supervisor.officer is not None, timeout=5000)
    assert not supervisor.setup_button.isVisible(), "a supervisor does not change the PC"

    window = make_console("admin-pc")
    started: list[list[str]] = []
    window.start_program = lambda command: started.append(command) or True
    log_in(qtbot, window, "admin2", "999999", None)
    qtbot.waitUntil(lambda: window.officer is not None, timeout=5000)
    assert window.setup_button.isVisible()
    qtbot.mouseClick(window.setup_button, Qt.MouseButton.LeftButton)
    (command,) = started
    assert command[-1].endswith("pst-setup") or command[-2:] == ["-m", "setup_wizard"]
