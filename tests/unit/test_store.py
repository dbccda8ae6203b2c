"""The storage protocol: journal mode, error classes, backups, migrations."""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time

import pytest

from shared import errors
from shared.queue.operations import Operations
from shared.storage import store as store_module
from shared.storage.poller import ChangePoller
from shared.storage.store import Store, classify, is_local_path


def test_connection_settings_follow_the_protocol(store, ops):
    conn = store.open_connection()
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == store_module.ATTEMPT_BUSY_MS
        assert conn.isolation_level is None
    finally:
        conn.close()


def test_wal_database_is_refused(db_path, ops):
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.close()
    fresh = Store(db_path)
    with pytest.raises(errors.UnsafeStorage) as info:
        fresh.read(lambda c: c.execute("SELECT 1").fetchone())
    assert "wal" in info.value.message
    assert not info.value.transient


def test_wal_allowed_only_when_asked_and_local(db_path, ops):
    raw = sqlite3.connect(db_path)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.close()
    local = Store(db_path, allow_wal_on_local_disk=True)
    if is_local_path(db_path):
        assert local.journal_mode() == "wal"
    else:
        with pytest.raises(errors.UnsafeStorage):
            local.journal_mode()
    local.close()


def test_network_paths_are_never_local(tmp_path):
    assert not is_local_path(tmp_path.__class__("//server/share/antrian.db"))
    assert not is_local_path(tmp_path.__class__("\\\\server\\share\\antrian.db"))


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("database is locked", errors.StorageBusy),
        ("attempt to write a readonly database", errors.StorageReadOnly),
        ("disk I/O error", errors.StorageUnavailable),
        ("unable to open database file", errors.StorageUnavailable),
        ("database disk image is malformed", errors.StorageCorrupt),
    ],
)
def test_sqlite_errors_are_classified(message, kind):
    assert isinstance(classify(sqlite3.OperationalError(message)), kind)


def test_bugs_are_not_storage_errors():
    assert classify(sqlite3.OperationalError("no such column: nope")) is None
    assert classify(ValueError("x")) is None


def test_busy_writer_is_retried_then_reported(db_path, ops):
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    impatient = Store(db_path, busy_timeout_ms=100, retry_seconds=0.3)
    try:
        with pytest.raises(errors.StorageBusy):
            impatient.write(lambda c: c.execute("INSERT INTO settings VALUES ('x', '1')"))
        assert impatient.busy_retries >= 1
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    impatient.write(lambda c: c.execute("INSERT INTO settings VALUES ('x', '1')"))
    impatient.close()


def test_missing_share_is_unavailable_and_recovers(tmp_path, clock):
    folder = tmp_path / "share"
    folder.mkdir()
    store = Store(folder / "antrian.db", retry_seconds=0)
    ops = Operations(store, clock=clock)
    ops.initialise()
    ops.issue_ticket("KS")
    store.close()
    folder.rename(tmp_path / "gone")
    with pytest.raises(errors.StorageUnavailable):
        store.read(lambda c: c.execute("SELECT COUNT(*) FROM tickets").fetchone())
    (tmp_path / "gone").rename(folder)
    assert store.read(lambda c: c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_folder_is_reported(tmp_path, clock):
    store = Store(tmp_path / "antrian.db")
    Operations(store, clock=clock).initialise()
    store.close()
    tmp_path.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises((errors.StorageReadOnly, errors.StorageUnavailable)):
            Operations(Store(tmp_path / "antrian.db", retry_seconds=0), clock=clock).issue_ticket(
                "KS"
            )
    finally:
        tmp_path.chmod(stat.S_IRWXU)


def test_domain_error_rolls_back_everything(ops, store):
    def half_done(conn):
        conn.execute("INSERT INTO settings VALUES ('half', '1')")
        raise errors.DomainError("no")

    with pytest.raises(errors.DomainError):
        store.write(half_done)
    assert (
        store.read(lambda c: c.execute("SELECT * FROM settings WHERE key='half'").fetchall()) == []
    )


def test_backup_is_a_consistent_copy(ops, store, tmp_path):
    ops.issue_ticket("KS")
    copy = store.backup(tmp_path / "backups")
    restored = Store(copy, create=False)
    assert restored.integrity_check() == []
    assert restored.journal_mode() == "delete"
    assert (
        restored.read(lambda c: c.execute("SELECT number FROM tickets").fetchone()[0]) == "KS-001"
    )
    restored.close()


def test_initialise_is_idempotent_and_events_are_append_only(ops, store):
    assert ops.initialise() == []
    with pytest.raises(sqlite3.IntegrityError):
        store.write(lambda c: c.execute("DELETE FROM events"))
    with pytest.raises(sqlite3.IntegrityError):
        store.write(lambda c: c.execute("UPDATE events SET kind = 'x'"))


def test_unique_number_is_a_safety_net(ops, store):
    ops.issue_ticket("KS")

    def duplicate(conn):
        conn.execute(
            "INSERT INTO tickets(code, service_code, service_day, seq, number, issued_at)"
            " SELECT 'DUPLICAT', service_code, service_day, seq, number, issued_at FROM tickets"
        )

    with pytest.raises(sqlite3.IntegrityError):
        store.write(duplicate)


OTHER_PC_WRITES = """
import sqlite3, sys
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=0)
try:
    conn.execute("BEGIN IMMEDIATE")
except sqlite3.OperationalError:
    print("busy")
else:
    conn.execute("ROLLBACK")
    print("got the write lock")
"""


def other_pc_tries_to_write(db_path) -> str:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", OTHER_PC_WRITES, str(db_path)],
        capture_output=True,
        text=True,
        timeout=30,
    )
    return done.stdout.strip()


def test_opening_another_connection_keeps_this_process_locks(db_path, ops):
    """POSIX drops all of a process's locks on a file when it closes any descriptor of
    it. A program opens connections while others of its own hold locks (a poller
    reconnecting while the worker writes); checking the new file's header must not
    hand the write lock to another PC in the middle of a transaction."""
    writer = Store(db_path)
    holding = threading.Event()
    release = threading.Event()

    def hold_the_write_lock(conn):
        conn.execute("UPDATE settings SET value = value")
        holding.set()
        assert release.wait(30)

    thread = threading.Thread(target=writer.write, args=(hold_the_write_lock,))
    thread.start()
    try:
        assert holding.wait(30)
        assert other_pc_tries_to_write(db_path) == "busy"
        for _ in range(3):  # pollers and heartbeats of the same program come and go
            poller = Store(db_path)
            assert poller.read(lambda c: c.execute("SELECT 1").fetchone()) == (1,)
            poller.close()
            writer.open_connection().close()
        assert other_pc_tries_to_write(db_path) == "busy"
    finally:
        release.set()
        thread.join(30)
        writer.close()
    assert other_pc_tries_to_write(db_path) == "got the write lock"


def test_busy_pauses_grow_with_jitter_and_stop_at_the_deadline(db_path, ops):
    """A writer waiting one second for a lock knocks a few dozen times, not hundreds."""
    blocker = sqlite3.connect(db_path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    waiting = Store(db_path, busy_timeout_ms=1000, retry_seconds=1)
    try:
        started = time.monotonic()
        with pytest.raises(errors.StorageBusy):
            waiting.write(lambda c: c.execute("INSERT INTO settings VALUES ('x', '1')"))
        elapsed = time.monotonic() - started
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
        waiting.close()
    # Pauses of 0.5-4 ms would knock about 400 times in a second; 5 ms doubling to a
    # 200 ms cap knocks about 15 times.
    assert 3 <= waiting.busy_retries <= 40
    assert 0.95 <= elapsed < 5


def test_backoff_pauses_are_random_below_a_doubling_ceiling(monkeypatch):
    slept: list[float] = []
    monkeypatch.setattr(store_module.time, "sleep", slept.append)
    backoff = store_module.Backoff(0.005, 0.2, time.monotonic() + 60)
    for _ in range(12):
        backoff.pause()
    ceilings = [min(0.2, 0.005 * 2**i) for i in range(12)]
    assert all(0 <= s <= c for s, c in zip(slept, ceilings, strict=True))
    assert len(set(slept)) > 6  # jittered, not a fixed schedule
    late = store_module.Backoff(0.005, 0.2, time.monotonic() - 1)
    late.pause()
    assert slept[-1] == 0  # never past the deadline


def test_a_writer_gets_in_soon_after_the_lock_is_released(db_path, ops):
    blocker = sqlite3.connect(db_path, isolation_level=None, check_same_thread=False)
    blocker.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: blocker.execute("ROLLBACK"))
    waiting = Store(db_path, busy_timeout_ms=5000, retry_seconds=5)
    try:
        release.start()
        started = time.monotonic()
        waiting.write(lambda c: c.execute("INSERT INTO settings VALUES ('y', '1')"))
        # The pauses are capped at 200 ms: it does not wait for its 5 s deadline.
        assert time.monotonic() - started < 3
        assert waiting.busy_retries >= 1
    finally:
        release.join()
        blocker.close()
        waiting.close()


def test_the_change_poller_waits_out_busy_on_the_same_connection(db_path, ops):
    poller = ChangePoller(Store(db_path), busy_grace=0.5)
    assert poller.check() is True  # the first look is news
    connection = poller._conn
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN EXCLUSIVE")
    writer.execute("INSERT INTO settings VALUES ('z', '1')")
    try:
        assert poller.check() is False  # busy: no news yet, not an outage
        assert poller.check() is False
        assert poller._conn is connection and poller.failed_since is None
        assert poller.busy_polls == 2
        time.sleep(0.6)
        with pytest.raises(errors.StorageBusy):  # busy for longer than the grace
            poller.check()
        assert poller._conn is connection
    finally:
        writer.execute("COMMIT")
        writer.close()
    assert poller.check() is True  # the commit it waited for
    assert poller.busy_since is None
    assert poller.check() is False
    poller.close()
