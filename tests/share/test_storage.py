"""The storage protocol on the share: unsafe setups refused, changes seen, clocks, backups."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from shared.clock import FakeClock
from shared.errors import StorageReadOnly, UnsafeStorage
from shared.queue import heartbeat
from shared.queue.operations import Operations
from shared.storage.poller import ChangePoller
from shared.storage.store import Store
from tests.share.checks import check
from tests.share.workload import (
    OFFICE_MORNING_MS,
    Workers,
    office_clock_offset,
    prepare_office,
    standard_specs,
)

pytestmark = pytest.mark.share

POLL_INTERVAL = 0.1
NOBODY = 65534


def make_wal_database(path: Path) -> None:
    # A real queue database (anything else is refused before its journal mode matters).
    Operations(Store(path)).initialise()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    assert path.read_bytes()[18:20] == b"\x02\x02"  # the file itself says WAL


def test_wal_database_on_the_share_is_refused(lab):
    pc1, _ = lab.pcs
    make_wal_database(lab.server_folder / "antrian.db")
    for allow_wal in (False, True):  # WAL is allowed on a local disk only, never here
        store = Store(pc1.db, allow_wal_on_local_disk=allow_wal, retry_seconds=0.5)
        try:
            with pytest.raises(UnsafeStorage) as refused:
                store.open_connection()
        finally:
            store.close()
        assert "wal" in str(refused.value).lower()
        assert refused.value.transient is False


def test_wal_database_on_the_share_is_never_used(lab):
    """Whatever the message, a WAL file on the share is not opened for use."""
    pc1, _ = lab.pcs
    make_wal_database(lab.server_folder / "antrian.db")
    store = Store(pc1.db, allow_wal_on_local_disk=True, retry_seconds=0.5)
    with pytest.raises(UnsafeStorage):
        store.read(lambda c: c.execute("SELECT COUNT(*) FROM t").fetchone())
    store.close()


def test_wal_database_on_a_local_disk_only_when_allowed(tmp_path):
    db = tmp_path / "antrian.db"
    make_wal_database(db)
    with pytest.raises(UnsafeStorage):
        Store(db).open_connection()
    Store(db, allow_wal_on_local_disk=True).open_connection().close()


def test_journal_that_cannot_be_created_on_the_share(restricted_mount):
    """The folder is read-only for the share's user: writes fail with a clear message."""
    server_dir, pc_dir = restricted_mount
    folder = server_dir / "ro"
    folder.mkdir()
    db = folder / "antrian.db"
    prepare_office(db, 1, office_clock_offset())
    os.chown(folder, NOBODY, NOBODY)
    os.chown(db, NOBODY, NOBODY)
    folder.chmod(0o555)
    try:
        store = Store(pc_dir / "ro" / "antrian.db", retry_seconds=1, create=False)
        assert store.read(lambda c: c.execute("SELECT COUNT(*) FROM counters").fetchone()) == (1,)
        with pytest.raises(StorageReadOnly) as refused:
            Operations(store, machine="pc-ro").issue_ticket("KS", ignore_hours=True)
        print(f"{type(refused.value).__name__}: {refused.value.message}")
        assert refused.value.message
        assert not (folder / "antrian.db-journal").exists()
        assert store.integrity_check() == []
        store.close()
    finally:
        folder.chmod(0o755)


def test_journal_that_cannot_be_created_on_a_local_disk():
    """The same on a local disk, as an ordinary user (root would bypass permissions)."""
    # pytest's own temp folders are private to root: use one an ordinary user can reach.
    tmp_path = Path(tempfile.mkdtemp(prefix="pst-ro-", dir="/tmp"))
    tmp_path.chmod(0o755)
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "antrian.db"
    prepare_office(db, 1, office_clock_offset())
    for path in (tmp_path, folder, db):
        os.chown(path, NOBODY, NOBODY)
    folder.chmod(0o555)
    # The checkout and its interpreter may live where an ordinary user cannot read (e.g.
    # under /root): start as root and read everything the operation needs — modules,
    # the holiday table, time zones, the translations of the error — by running it once
    # on a scratch copy, then become nobody before touching the database.
    scratch = tmp_path / "scratch.db"
    shutil.copyfile(db, scratch)
    script = (
        "import os, sys\n"
        "from shared.storage.store import Store\n"
        "from shared.queue.operations import Operations\n"
        "from shared.errors import StorageError, StorageReadOnly\n"
        "import shared.queue.queries, shared.storage.schema\n"
        f"warm = Store({str(scratch)!r}, create=False)\n"
        "Operations(warm).issue_ticket('KS', ignore_hours=True)\n"
        "warm.close()\n"
        "StorageReadOnly().message\n"
        f"os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY})\n"
        f"store = Store({str(db)!r}, retry_seconds=1, create=False)\n"
        "try:\n"
        "    Operations(store).issue_ticket('KS', ignore_hours=True)\n"
        "except StorageError as exc:\n"
        "    print(type(exc).__name__, exc.message)\n"
        "    sys.exit(0)\n"
        "sys.exit(1)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    folder.chmod(0o755)
    shutil.rmtree(tmp_path, ignore_errors=True)
    print(result.stdout, result.stderr[-2000:])
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[0] == "StorageReadOnly"


def test_commit_on_one_pc_is_seen_by_the_other(lab):
    """A poller on PC 2 notices each commit of PC 1, once."""
    pc1, pc2 = lab.pcs
    prepare_office(pc1.db, 1, office_clock_offset())
    writer = Operations(Store(pc1.db), clock=FakeClock(OFFICE_MORNING_MS), machine="pc1")
    poller = ChangePoller(Store(pc2.db))
    assert poller.check()  # the first look always counts as a change
    assert not poller.check()
    delays = []
    try:
        for _ in range(12):
            writer.issue_ticket("KS")
            committed = time.monotonic()
            time.sleep(random.uniform(0, POLL_INTERVAL))  # the poller's phase is arbitrary
            while not poller.check():
                assert time.monotonic() - committed < 5, "commit never seen"
                time.sleep(POLL_INTERVAL)
            delays.append(time.monotonic() - committed)
            assert not poller.check(), "one commit reported twice"
    finally:
        poller.close()
        writer.store.close()
    print(
        f"seen after p50 {statistics.median(delays) * 1000:.0f} ms,"
        f" max {max(delays) * 1000:.0f} ms (poll every {POLL_INTERVAL * 1000:.0f} ms)"
    )
    # Every commit was seen exactly once (above); how fast depends on the machine's load,
    # which bench/bench_share.py measures, so it is printed, not asserted.


def test_clock_skew_between_pcs_is_reported(lab):
    pc1, pc2 = lab.pcs
    prepare_office(pc1.db, 1, office_clock_offset())
    threshold_ms = 30_000
    for skew_ms, reported in ((120_000, True), (5_000, False)):
        clock1 = FakeClock(OFFICE_MORNING_MS)
        clock2 = FakeClock(OFFICE_MORNING_MS + skew_ms)
        a = Operations(Store(pc1.db), clock=clock1, machine=f"pc1-{skew_ms}", program="counter")
        b = Operations(Store(pc2.db), clock=clock2, machine=f"pc2-{skew_ms}", program="display")
        for _ in range(3):
            heartbeat.beat(a)
            heartbeat.beat(b)
            for clock in (clock1, clock2):
                clock.advance(seconds=10)
        report = a.store.read(heartbeat.skew_report)
        pairs = {(r["machine"], r["other"]): r for r in report if str(skew_ms) in r["machine"]}
        if reported:
            assert set(pairs) == {(b.machine, a.machine), (a.machine, b.machine)}, report
            for r in pairs.values():
                assert abs(abs(r["offset_ms"]) - skew_ms) <= r["uncertainty_ms"]
                assert abs(r["offset_ms"]) - r["uncertainty_ms"] > threshold_ms
        else:
            assert pairs == {}, report
        a.store.close()
        b.store.close()


def test_backup_during_load_is_consistent_and_restorable(lab, tmp_path):
    pc1, pc2 = lab.pcs
    logs = tmp_path / "logs"
    offset = office_clock_offset()
    counters = prepare_office(pc1.db, 2, offset)
    backups = tmp_path / "backups"
    backups.mkdir()
    store = Store(pc2.db, retry_seconds=20)
    with Workers(logs, 9, offset) as workers:
        workers.start_all(standard_specs([pc1.db, pc2.db], counters))
        time.sleep(4)
        started = time.monotonic()
        copy = store.backup(backups)
        took = time.monotonic() - started
        codes = workers.wait(120)
    store.close()
    verdict = check(pc2.db, logs)
    verdict.worker_failures = workers.failures(codes)
    assert verdict.problems() == [], verdict.summary()

    # The copy is a sound database in rollback-journal mode, taken at one instant: its
    # events and tickets agree with each other (checked like the live file).
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    in_copy = conn.execute("SELECT COUNT(*) FROM events").fetchone()[0]
    conn.close()
    print(f"backup of a live database took {took:.2f} s; {in_copy} events in the copy")
    assert 0 < in_copy < verdict.events

    # Restore as the documentation says: programs closed, copy the backup over the file
    # on the share (here: under a new name, then renamed), start again.
    restored = pc1.folder / "antrian.db"
    shutil.copyfile(copy, pc1.folder / "antrian.db.restoring")
    os.replace(pc1.folder / "antrian.db.restoring", restored)
    store = Store(pc2.db)
    try:
        assert store.integrity_check() == []
        events = store.read(lambda c: c.execute("SELECT COUNT(*) FROM events").fetchone()[0])
        assert events == in_copy
        ops = Operations(store, clock=FakeClock(OFFICE_MORNING_MS + 3_600_000), machine="pc2")
        before = store.read(
            lambda c: c.execute("SELECT MAX(seq) FROM tickets WHERE service_code='KS'").fetchone()
        )[0]
        ticket = ops.issue_ticket("KS")
        assert ticket["seq"] == (before or 0) + 1  # numbering goes on from the backup
    finally:
        store.close()
