"""Faults on the share: a PC killed or frozen mid-transaction, the server gone for a while."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import time
from pathlib import Path

import pytest

from shared.errors import StorageBusy
from shared.storage.store import Store
from tests.share.checks import check, read_journals
from tests.share.workload import (
    Workers,
    hold,
    office_clock_offset,
    prepare_office,
    standard_specs,
)

pytestmark = pytest.mark.share


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def unfinished_op(logs: Path, worker: str) -> str:
    """The op a worker had pending when it was killed (its last op without an "ok")."""
    lines = [json.loads(x) for x in (logs / f"{worker}.jsonl").read_text().splitlines() if x]
    done = {r["op"] for r in lines if r["t"] == "ok"}
    pending = [r["op"] for r in lines if r["t"] == "pending" and r["op"] not in done]
    assert len(pending) == 1, pending
    return pending[0]


def confirmed_after(logs: Path, moment: float, exclude: set[str]) -> int:
    confirmed, _, _ = read_journals(logs)
    return sum(1 for r in confirmed.values() if r["at"] > moment and r["worker"] not in exclude)


def count_events(db: Path, op_id: str) -> int:
    conn = sqlite3.connect(db, timeout=30)
    try:
        return conn.execute("SELECT COUNT(*) FROM events WHERE op_id = ?", (op_id,)).fetchone()[0]
    finally:
        conn.close()


@pytest.mark.parametrize("where", ["share", "local"])
def test_writer_killed_mid_transaction(where, request, tmp_path):
    """SIGKILL one kiosk on each PC while it holds uncommitted changes.

    The file stays sound, the killed operation is all-or-nothing (here: nothing, it never
    committed), and the other workers carry on.
    """
    if where == "share":
        lab = request.getfixturevalue("lab")
        dbs = [pc.db for pc in lab.pcs]
        server_db = lab.server_folder / "antrian.db"
    else:
        (tmp_path / "local").mkdir()
        dbs = [tmp_path / "local" / "antrian.db"] * 2
        server_db = dbs[0]
    logs = tmp_path / "logs"
    markers = [tmp_path / "held-pc1", tmp_path / "held-pc2"]
    victims = ["pc1-kiosk0", "pc2-kiosk0"]
    offset = office_clock_offset()
    counters = prepare_office(dbs[0], 2, offset)
    extra = {victims[0]: hold(markers[0], 2, 60), victims[1]: hold(markers[1], 2, 60)}
    with Workers(logs, 90, offset) as workers:
        workers.start_all(standard_specs(dbs, counters, extra=extra))
        killed_at = []
        waiting = dict(zip(markers, victims, strict=True))
        while waiting:
            wait_for(lambda: any(m.exists() for m in waiting), 60, "a victim inside a transaction")
            marker = next(m for m in waiting if m.exists())
            victim = waiting.pop(marker)
            journal_seen = server_db.with_name("antrian.db-journal").exists()
            # A rollback journal on disk: the victim really had changes in flight.
            assert journal_seen
            os.kill(workers.procs[victim].pid, signal.SIGKILL)
            killed_at.append(time.time())
            print(f"killed {victim} inside its transaction; journal present: {journal_seen}")
        time.sleep(4)  # the others carry on for a while, then stop cleanly
        workers.stop_all()
        codes = workers.wait(120)
    assert codes[victims[0]] == codes[victims[1]] == -signal.SIGKILL
    verdict = check(server_db, logs)
    verdict.worker_failures = workers.failures({k: v for k, v in codes.items() if k not in victims})
    print(verdict.summary())
    assert verdict.problems() == []
    for victim in victims:
        assert count_events(server_db, unfinished_op(logs, victim)) == 0
    assert confirmed_after(logs, killed_at[-1], set(victims)) > 0, "the others did not continue"


def test_server_outage_then_recovery(lab, tmp_path):
    """Stop the file server for 10 s under load, then start it again.

    Workers see storage errors, keep their pending op, retry after recovery; afterwards
    exactly the confirmed operations exist.
    """
    dbs = [pc.db for pc in lab.pcs]
    logs = tmp_path / "logs"
    offset = office_clock_offset()
    counters = prepare_office(dbs[0], 2, offset)
    with Workers(logs, 26, offset) as workers:
        workers.start_all(standard_specs(dbs, counters))
        time.sleep(5)
        lab.server.stop()
        down_at = time.time()
        time.sleep(10)
        lab.server.start()
        up_at = time.time()
        codes = workers.wait(150)
    verdict = check(lab.pcs[1].db, logs)
    verdict.worker_failures = workers.failures(codes)
    print(f"outage {up_at - down_at:.1f} s: {verdict.summary()}")
    assert verdict.problems() == []
    assert verdict.integrity == [] and not verdict.unreadable
    assert sum(verdict.storage_errors.values()) > 0, "the outage went unnoticed"
    assert set(verdict.storage_errors) <= {
        "StorageUnavailable",
        "StorageBusy",
        "StorageReadOnly",
    }
    assert confirmed_after(logs, up_at, set()) > 0, "no recovery after the server returned"


@pytest.mark.parametrize("ending", ["resumed", "killed"])
def test_frozen_pc_inside_a_transaction(ending, lab, tmp_path):
    """A PC freezes holding the write lock: the others get a clear "busy", then go on."""
    pc1, pc2 = lab.pcs
    logs = tmp_path / "logs"
    marker = tmp_path / "held"
    offset = office_clock_offset()
    (counter,) = prepare_office(pc1.db, 1, offset)
    probe = Store(pc2.db, busy_timeout_ms=300, retry_seconds=1.5)
    try:
        with Workers(logs, 60, offset) as workers:
            frozen = workers.start(
                standard_specs([pc1.db], [counter], 1, 0, {"pc1-kiosk0": hold(marker, 2, 2)})[0]
            )
            wait_for(marker.exists, 60, "the worker inside its transaction")
            os.kill(frozen.pid, signal.SIGSTOP)
            held_op = unfinished_op(logs, "pc1-kiosk0")
            time.sleep(2.5)  # past its own hold: only the freeze keeps the lock now
            with pytest.raises(StorageBusy) as busy:
                probe.write(lambda c: c.execute("UPDATE settings SET value = value"))
            assert "busy on another computer" in str(busy.value)
            # Readers are not blocked by a pending write (only by a commit in progress).
            assert probe.read(lambda c: c.execute("SELECT COUNT(*) FROM tickets").fetchone())
            os.kill(frozen.pid, signal.SIGCONT if ending == "resumed" else signal.SIGKILL)
            # From here on the probe waits like an office PC would, long enough for the
            # frozen PC's lock to go (a commit or the server noticing the killed process).
            probe.busy_timeout_ms, probe.retry_seconds = 20_000, 20
            started = time.monotonic()
            probe.write(lambda c: c.execute("UPDATE settings SET value = value"))
            print(f"{ending}: writes possible again after {time.monotonic() - started:.2f} s")
            if ending == "resumed":
                wait_for(
                    lambda: held_op in read_journals(logs)[0], 30, "the frozen worker's commit"
                )
            workers.kill_all()
        assert probe.integrity_check() == []
        verdict = check(pc2.db, logs)
        assert verdict.problems() == [], verdict.summary()
        # The frozen PC's operation is all-or-nothing: committed once if it woke up,
        # absent if it died.
        assert count_events(pc2.db, held_op) == (1 if ending == "resumed" else 0)
    finally:
        probe.close()
