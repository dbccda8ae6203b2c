"""The hand-worked office day through ``pst-admin`` processes, each on its own instant.

Every command is a real process whose wall clock is set with libfaketime, as if an
officer pressed the key at that minute on Wednesday 2026-11-25 in Palembang.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from tests import timeshift
from tests.conftest import JAKARTA

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def at(hh: int, mm: int) -> int:
    return int(datetime(2026, 11, 25, hh, mm, tzinfo=JAKARTA).timestamp() * 1000)


class Admin:
    def __init__(self, db: Path) -> None:
        self.db = db

    def run(self, hh: int, mm: int, *args: str) -> subprocess.CompletedProcess:
        env = timeshift.at({**os.environ, "PYTHONPATH": str(ROOT)}, at(hh, mm))
        return subprocess.run(
            [sys.executable, "-m", "shared.cli.main", "--db", str(self.db), "--json", *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=ROOT,
            timeout=60,
        )

    def __call__(self, hh: int, mm: int, *args: str) -> dict:
        done = self.run(hh, mm, *args)
        assert done.returncode == 0, (args, done.stderr)
        return json.loads(done.stdout)


def test_requeue_out_of_order_pause_and_closing_through_pst_admin(tmp_path):
    admin = Admin(tmp_path / "pst.db")
    admin(7, 50, "init")
    admin(7, 50, "counter", "add", "Loket 1", "--services", "KS")
    admin(8, 0, "counter", "edit", "--id", "1", "--status", "open")
    a = admin(8, 0, "ticket", "issue", "--service", "KS")["ticket"]
    b = admin(8, 1, "ticket", "issue", "--service", "KS")["ticket"]
    c = admin(8, 1, "ticket", "issue", "--service", "KS")["ticket"]
    assert admin(8, 2, "ticket", "call-next", "--counter", "1")["ticket"]["number"] == "KS-001"
    admin(8, 5, "ticket", "no-show", a["number"])
    admin(8, 10, "ticket", "requeue", a["number"])
    # B is called out of order at 08:30: due 08:15 (the counter was free since 08:05).
    called = admin(8, 30, "ticket", "call", b["number"], "--counter", "1", "--reason", "uji")
    assert called["ticket"]["target_met"] is False
    admin(8, 31, "ticket", "start", b["number"])
    admin(8, 40, "ticket", "finish", b["number"])
    again = admin(8, 41, "ticket", "call-next", "--counter", "1")["ticket"]
    assert again["number"] == "KS-001" and again["target_met"] is True  # its first call
    refused = admin.run(
        8, 42, "counter", "edit", "--id", "1", "--status", "paused", "--reason", "x"
    )
    assert refused.returncode == 1 and "KS-001" in json.loads(refused.stdout)["error"]["message"]
    admin(8, 43, "ticket", "start", a["number"])
    admin(8, 50, "ticket", "finish", a["number"])
    d = admin(15, 29, "ticket", "issue", "--service", "KS")["ticket"]

    assert admin(15, 59, "day", "close", "--due")["closed"] == []
    closed = admin(16, 0, "day", "close", "--due")["closed"]
    assert [(x["day"], x["unserved"], x["missed"], x["excluded"]) for x in closed] == [
        ("2026-11-25", 2, 1, 1)
    ]
    assert admin(16, 1, "day", "close", "--due")["closed"] == []
    listed = {
        t["number"]: t for t in admin(16, 2, "ticket", "list", "--day", "2026-11-25")["tickets"]
    }
    # C was due at 08:15 (clock from A's first call ending 08:05): missed.
    # D arrived 15:29, due 15:39, after closing at 15:30: excluded.
    assert {n: (t["status"], t["target_met"]) for n, t in listed.items()} == {
        a["number"]: ("done", True),
        b["number"]: ("done", False),
        c["number"]: ("unserved", False),
        d["number"]: ("unserved", None),
    }
    counters = admin(16, 3, "counter", "list")["counters"]
    assert [(x["name"], x["status"]) for x in counters] == [("Loket 1", "closed")]
