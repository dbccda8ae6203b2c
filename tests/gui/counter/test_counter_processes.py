"""The console against other real processes sharing the one database file."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui.counter.conftest import log_in_officer, write_config

ROOT = Path(__file__).resolve().parents[3]


def _run(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "tests.gui.counter.other_process", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_queue_panel_updates_when_another_process_issues_a_ticket(
    qtbot, make_console, office, clock, db_path
):
    window = make_console()
    log_in_officer(qtbot, window, office)
    table = window.officer_view.queue.table
    assert table.rowCount() == 0
    kiosk = _run("issue", str(db_path), str(clock.now_ms()), "KS")
    out, err = kiosk.communicate(timeout=30)
    assert kiosk.returncode == 0, err
    issued = json.loads(out)
    qtbot.waitUntil(lambda: table.rowCount() == 1, timeout=3000)
    assert table.item(0, 1).text() == issued["number"] == "KS-001"


@pytest.mark.slow
def test_two_consoles_pressing_call_next_at_once_call_different_tickets(
    ops, store, office, clock, db_path, tmp_path
):
    for _ in range(3):
        ops.issue_ticket("KS")
    go = tmp_path / "go"
    consoles = []
    for machine, user, pin, counter in (
        ("loket-1-pc", "budi", "1234", office["counter1"]["id"]),
        ("loket-2-pc", "sari", "5678", office["counter2"]["id"]),
    ):
        config = write_config(tmp_path / machine, db_path, machine)
        consoles.append(
            _run("console", str(config), str(clock.now_ms()), user, pin, str(counter), str(go))
        )
    for proc in consoles:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    go.touch()
    results = []
    for proc in consoles:
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert all(r["ok"] for r in results)
    called = {r["called"] for r in results}
    assert len(called) == 2 and None not in called
    rows = store.read(
        lambda c: c.execute(
            "SELECT id, counter_id, call_seq FROM tickets WHERE status = 'called' ORDER BY call_seq"
        ).fetchall()
    )
    assert {r[0] for r in rows} == called
    assert [r[2] for r in rows] == [1, 2]
    assert {r[1] for r in rows} == {office["counter1"]["id"], office["counter2"]["id"]}
