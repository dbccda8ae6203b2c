"""Stopping ``pst-kiosk`` stops the kiosk it runs: no orphaned kiosk window is left."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.queue.operations import Operations
from shared.storage.store import Store

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads /proc")


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except FileNotFoundError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def pst_kiosk() -> list[str]:
    script = Path(sys.executable).parent / "pst-kiosk"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "kiosk.app"]


@pytest.mark.slow
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_stopping_pst_kiosk_stops_its_child(tmp_path, stop):
    db = tmp_path / "antrian.db"
    store = Store(db)
    Operations(store, machine="setup", program="test").initialise()
    store.close()
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        PST_VIRTUAL_KEYBOARD="0",
        PYTHONPATH=str(ROOT),
        PST_KIOSK_CHILD="",
    )
    env.pop("PST_KIOSK_CHILD")
    supervisor = subprocess.Popen(
        [*pst_kiosk(), "--db", str(db), "--lang", "id"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        kids: list[int] = []
        while not kids:
            assert supervisor.poll() is None, supervisor.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "the kiosk child never started"
            time.sleep(0.1)
            kids = children(supervisor.pid)
        (child,) = kids
        time.sleep(2)  # let the kiosk come up: a stop during start-up counts too
        assert alive(child)
        supervisor.send_signal(stop)
        assert supervisor.wait(timeout=15) == 0
        deadline = time.monotonic() + 5
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(child), "the kiosk child outlived pst-kiosk"
    finally:
        if supervisor.poll() is None:
            supervisor.kill()
            supervisor.wait()
