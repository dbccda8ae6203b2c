"""Log files a person can find: one rotating file per program."""

from __future__ import annotations

import logging
import logging.handlers

import pytest

from shared.install import logs


@pytest.fixture
def clean_root():
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    yield root
    for handler in root.handlers:
        if handler not in before:
            handler.close()
    root.handlers[:] = before
    root.setLevel(level)


def test_each_program_writes_its_own_rotating_file(tmp_path, monkeypatch, clean_root):
    monkeypatch.setenv("PST_LOG_DIR", str(tmp_path / "Logs"))
    path = logs.setup_logging("pst-display", stderr=False)
    assert path == tmp_path / "Logs" / "pst-display.log" == logs.log_file("pst-display")
    assert logs.setup_logging("pst-display", stderr=False) == path  # no second handler
    files = [h for h in clean_root.handlers if isinstance(h, logging.handlers.RotatingFileHandler)]
    assert len(files) == 1 and files[0].maxBytes == logs.MAX_BYTES
    logging.getLogger("display.test").warning("Layar tidak tersambung ke basis data")
    files[0].flush()
    assert "Layar tidak tersambung" in path.read_text(encoding="utf-8")


def test_an_unwritable_log_folder_does_not_stop_the_program(tmp_path, monkeypatch, clean_root):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv("PST_LOG_DIR", str(blocker / "Logs"))
    assert logs.setup_logging("pst-kiosk", stderr=False) is None


def test_the_default_folder_is_the_platforms(monkeypatch):
    monkeypatch.delenv("PST_LOG_DIR", raising=False)
    assert logs.log_file("pst-kiosk").parent.name in ("log", "Logs", "logs")
    assert "antrian-pst" in str(logs.log_file("pst-kiosk"))
