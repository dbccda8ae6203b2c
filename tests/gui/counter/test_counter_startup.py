"""Start-up before the share is connected: say so, never create a queue, recover by itself."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from counter.window import ConsoleWindow
from shared.qt.app import context_from_args, parser, show_fatal_dialog
from shared.queue.operations import Operations
from shared.storage.store import Store
from tests.gui.counter.conftest import write_config

ROOT = Path(__file__).resolve().parents[3]


def test_a_console_started_before_the_share_waits_and_recovers(qtbot, tmp_path, clock):
    share = tmp_path / "share"
    db = share / "antrian-pst.db"
    config = write_config(tmp_path / "loket-1-pc", db, "loket-1-pc")
    args = parser("pst-counter", "").parse_args(["--config", str(config), "--windowed"])
    ctx = context_from_args(args, "pst-counter", clock=clock)
    window = ConsoleWindow(ctx, tick_ms=100, poller_grace_ms=300)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.start()
    try:
        qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5000)
        assert "tidak ditemukan" in window.banner.text()
        assert "folder bersama" in window.banner.text()
        assert str(db) in window.banner.text()
        assert "pst-counter.log" in window.login_view.details.text()
        qtbot.wait(600)
        assert not share.exists(), "the console created a database where the share should be"

        # The share comes back (here: IT runs pst-admin init on the server).
        share.mkdir()
        server = Operations(Store(db, create=True), clock=clock, machine="server")
        server.initialise()
        server.save_officer("budi", full_name="Budi Santoso", pin="1234")
        server.store.close()
        qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=8000)
        qtbot.waitUntil(lambda: window.login_view.officer_combo.findData("budi") >= 0, timeout=5000)
    finally:
        window.stop()
        window.close()
        ctx.store.close()


# A message box asks the offscreen platform for size hints it does not have.
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_fatal_start_up_dialog_says_why_and_where_the_log_is(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("PST_LOG_DIR", str(tmp_path))
    seen: dict[str, str] = {}

    def read_and_close() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["text"], seen["info"] = box.text(), box.informativeText()
        box.accept()

    QTimer.singleShot(200, read_and_close)
    show_fatal_dialog("pst-kiosk", "Berkas konfigurasi rusak.")
    assert seen["text"] == "Berkas konfigurasi rusak."
    assert str(tmp_path / "pst-kiosk.log") in seen["info"]


def test_a_program_with_a_broken_configuration_logs_and_shows_it(tmp_path):
    config = tmp_path / "pst.toml"
    config.write_text("[database]\npath = 42\n", encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "PST_LOG_DIR": str(tmp_path / "logs"),
        "QT_QPA_PLATFORM": "offscreen",
        "PST_DIALOG_TIMEOUT_SECONDS": "0.5",
    }
    done = subprocess.run(
        [sys.executable, "-m", "counter.app", "--config", str(config), "--windowed"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.returncode == 1
    log = (tmp_path / "logs" / "pst-counter.log").read_text(encoding="utf-8")
    assert "cannot start" in log and "path" in log
    assert "Traceback" not in done.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "counter.app", "--help"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert f"Log file: {tmp_path / 'logs' / 'pst-counter.log'}" in helped.stdout
