"""Fixtures for the counter console: the real window on a real database file."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.app import style_sheet
from counter.window import ConsoleWindow
from shared.qt.app import context_from_args, parser
from shared.storage.rows import fetch_one

# The console does this at start (PySide6 6.12 on Python 3.11 loses references to None).

GUEST = {
    "name": "Ani Wijaya",
    "email": "ani.wijaya@unsri.ac.id",
    "phone": "081234567890",
    "institution_name": "Universitas Sriwijaya",
    "institution_category": "Lembaga Penelitian & Pendidikan",
    "purpose": "Skripsi/Tesis/Disertasi",
    "topic": "Indeks Pembangunan Manusia kabupaten 2020-2025",
    "consent": True,
}


def write_config(folder: Path, db_path: Path, machine: str, busy_timeout_ms: int = 200) -> Path:
    """Write a PC's TOML configuration with short timeouts, as a test PC would have.

    The short busy timeout suits a local file; on the share, pass the office default.
    """
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "pst.toml"
    if config.exists():  # a restarted console keeps what the PC remembered
        return config
    config.write_text(
        f'[machine]\nname = "{machine}"\nlanguage = "id"\n'
        f'[database]\npath = "{db_path}"\npoll_interval_ms = 100\n'
        f"busy_timeout_ms = {busy_timeout_ms}\nretry_seconds = 0.5\n",
        encoding="utf-8",
    )
    return config


@pytest.fixture
def make_console(qtbot, db_path, tmp_path, clock, office):
    """Build, show and start a console window; ``machine`` names the PC (and its folder)."""
    QApplication.instance().setStyleSheet(style_sheet())
    windows: list[ConsoleWindow] = []

    def make(
        machine: str = "loket-1-pc", size=(1366, 768), lang: str = "id", **kwargs
    ) -> ConsoleWindow:
        config = write_config(tmp_path / machine, db_path, machine)
        args = parser("pst-counter", "").parse_args(
            ["--config", str(config), "--windowed", "--lang", lang]
        )
        ctx = context_from_args(args, "counter", clock=clock)
        kwargs.setdefault("tick_ms", 100)
        kwargs.setdefault("poller_grace_ms", 300)
        window = ConsoleWindow(ctx, **kwargs)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        window.start()
        windows.append(window)
        qtbot.waitUntil(lambda: window.snapshot is not None, timeout=5000)
        # Its shortcuts (F2…F9) answer only in the active window, as on the office PC.
        qtbot.waitUntil(window.isActiveWindow, timeout=5000)
        return window

    yield make
    for window in windows:
        window.close()
        window.ctx.store.close()
    # The style sheet is application-wide: leave the next program's tests a plain app.
    QApplication.instance().setStyleSheet("")


def log_in(qtbot, window: ConsoleWindow, username: str, pin: str, counter_id: int | None) -> None:
    """Choose the officer and counter, type the PIN and press Enter, like an officer."""
    view = window.login_view
    qtbot.waitUntil(lambda: view.officer_combo.findData(username) >= 0)
    view.officer_combo.setCurrentIndex(view.officer_combo.findData(username))
    view.counter_combo.setCurrentIndex(view.counter_combo.findData(counter_id or 0))
    view.pin_edit.clear()
    qtbot.keyClicks(view.pin_edit, pin)
    qtbot.keyClick(view.pin_edit, Qt.Key.Key_Return)


def settle(qtbot, window: ConsoleWindow) -> None:
    """Wait until the console reads and writes nothing: no snapshot read or action is
    queued or running, and no heartbeat is being written.

    Call it before moving the fake clock: a read started before the move would otherwise
    pair the old time with what the database holds after it.
    """
    qtbot.waitUntil(lambda: window.worker.idle() and window.heartbeat.idle(), timeout=5000)


def log_in_officer(qtbot, window: ConsoleWindow, office: dict, counter: str = "counter1") -> None:
    log_in(qtbot, window, "budi", "1234", office[counter]["id"])
    qtbot.waitUntil(
        lambda: (
            window.officer is not None
            and window.snapshot.counter is not None
            and window.snapshot.counter["status"] == "open"
        ),
        timeout=5000,
    )


def press(qtbot, window: ConsoleWindow, action: str, timeout: int = 5000) -> None:
    """Click an action button once it is enabled, then wait until the action succeeded.

    A failed action fails the test with what the console told the officer.
    """
    button = window.officer_view.buttons[action]
    qtbot.waitUntil(button.isEnabled, timeout=timeout)
    with qtbot.waitSignal(window.action_finished, timeout=timeout) as finished:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert finished.args == [action, True], window.message.text()
    qtbot.waitUntil(lambda: not window.saving, timeout=timeout)


def press_key(qtbot, window: ConsoleWindow, key, action: str, timeout: int = 5000) -> None:
    """Press ``action``'s shortcut once its button is enabled, as an officer who reads the
    screen would (a key pressed before the re-read shows the visitor only says why not)."""
    qtbot.waitUntil(window.officer_view.buttons[action].isEnabled, timeout=timeout)
    qtbot.keyClick(window, key)


def ticket(store, ticket_id: int) -> dict:
    return store.read(lambda c: fetch_one(c, "SELECT * FROM tickets WHERE id = ?", (ticket_id,)))


def events(store, kind: str) -> list[dict]:
    from shared.storage.rows import fetch_all

    return store.read(
        lambda c: fetch_all(c, "SELECT * FROM events WHERE kind = ? ORDER BY id", (kind,))
    )
