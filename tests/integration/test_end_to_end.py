"""Kiosk issues, counter calls, display shows: three processes on one database file."""

from __future__ import annotations

import os
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests import timeshift
from tests.gui.display.conftest import GUESTS, PERSONAL_STRINGS, OtherPC

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


class DisplayProcess:
    """``pst-display`` in its own process; its log lines arrive on a queue."""

    def __init__(
        self,
        db_path: Path,
        config: Path,
        env: dict[str, str] | None = None,
        *,
        windowed: bool = True,
        at_ms: int | None = None,
    ) -> None:
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "PST_SPEECH_ENGINE": "mock",
            "PST_LOG_LEVEL": "INFO",
            **(env or {}),
        }
        env = {key: value for key, value in env.items() if value}
        if at_ms is not None:
            # On a database built on the test office's day, the display's clock starts
            # at that instant (tests/timeshift.py); without it the day is long over.
            env = timeshift.at(env, at_ms)
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "display", "--db", str(db_path)),
                *("--config", str(config), "--lang", "id"),
                *(["--windowed"] if windowed else []),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stderr
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 15) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                break
            self.seen.append(line)
            if text in line:
                return line
        raise AssertionError(f"display never logged {text!r}; it said:\n{''.join(self.seen)}")

    def logged(self, text: str, timeout: float = 15) -> str:
        """The log line with ``text``, whether already seen or still to come."""
        for line in self.seen:
            if text in line:
                return line
        return self.wait_for(text, timeout)

    def close(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def test_kiosk_issues_counter_calls_display_shows(ops, office, db_path, tmp_path):
    config = tmp_path / "display.toml"
    config.write_text('[machine]\nname = "tv-ruang-tunggu"\n\n[display]\nvoice = "qt"\n')
    kiosk = OtherPC(db_path, 0)
    counter = OtherPC(db_path, 0)
    # Every process here reads the real clock: the kiosk issues today's numbers.
    display = DisplayProcess(db_path, config)
    try:
        display.wait_for("board shown")
        issued = [kiosk("issue", "KS", guest) for guest in GUESTS]
        assert [t["number"] for t in issued] == ["KS-001", "KS-002"]
        counter("open", office["counter2"]["id"])
        called = counter("call", office["counter2"]["id"])
        assert called["number"] == "KS-001"

        line = display.wait_for("now calling KS-001")
        assert "Loket 2" in line
        counter("recall", called["id"])
        display.wait_for("now calling KS-001 at Loket 2")
    finally:
        kiosk.close()
        counter.close()
        display.close()
    log = "".join(display.seen)
    for personal in PERSONAL_STRINGS:
        assert personal not in log
    assert display.process.returncode == 0, log
