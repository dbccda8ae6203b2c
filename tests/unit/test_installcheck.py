"""The set-up check of the shared database: one state and one sentence per situation."""

from __future__ import annotations

import sqlite3
import sys
import threading

import pytest

from shared.install import installcheck
from shared.install.installcheck import (
    EMPTY,
    OLDER,
    PROBLEM,
    READY,
    check_database,
    create_database,
)
from shared.storage.schema import migrations


def test_empty_entry_asks_for_a_path():
    result = check_database("   ")
    assert result.state == PROBLEM and result.path is None
    assert result.message == "Ketik atau pilih letak berkas basis data antrean."


def test_missing_folder_is_unreachable(tmp_path):
    result = check_database(str(tmp_path / "gone" / "antrian-pst.db"))
    assert result.state == PROBLEM
    assert str(tmp_path / "gone") in result.message


def test_folder_without_a_database_offers_creation(tmp_path):
    result = check_database(f'"{tmp_path}"')  # pasted with quotes, a folder
    assert result.state == EMPTY and result.can_create
    assert result.path == tmp_path / "antrian-pst.db"
    assert not result.path.exists(), "a check never creates the database"


def test_created_database_is_ready_and_the_check_leaves_no_files(tmp_path, clock):
    path = tmp_path / "antrian-pst.db"
    applied = create_database(path, clock=clock, machine="pc-admin")
    assert applied == installcheck.known_migrations()
    result = check_database(str(path))
    assert result.state == READY and result.usable
    assert list(result.migrations) == applied
    assert sorted(p.name for p in tmp_path.iterdir()) == ["antrian-pst.db"]


def test_other_files_are_refused(tmp_path):
    text = tmp_path / "notes.db"
    text.write_text("hello", encoding="utf-8")
    assert check_database(str(text)).state == PROBLEM
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.close()
    result = check_database(str(other))
    assert result.state == PROBLEM and "program lain" in result.message


def test_wal_database_is_refused(tmp_path):
    path = tmp_path / "antrian-pst.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE t(x)")
    conn.close()
    result = check_database(str(path))
    assert result.state == PROBLEM and "WAL" in result.message


def test_newer_schema_is_refused_and_older_offers_upgrade(tmp_path, clock):
    path = tmp_path / "antrian-pst.db"
    create_database(path, clock=clock, machine="pc")
    conn = sqlite3.connect(path)
    conn.execute(
        "INSERT INTO _sqlite_migrations(migration_set, name, applied_at) VALUES (?, ?, ?)",
        (migrations.name, "m999_from_the_future", "2030-01-01"),
    )
    conn.commit()
    result = check_database(str(path))
    assert result.state == PROBLEM and "lebih baru" in result.message
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm999_from_the_future'")
    last = installcheck.known_migrations()[-1]
    if len(installcheck.known_migrations()) > 1:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name = ?", (last,))
        conn.commit()
        assert check_database(str(path)).state == OLDER
    conn.close()


def test_a_held_write_lock_is_reported_as_busy(tmp_path, clock):
    path = tmp_path / "antrian-pst.db"
    create_database(path, clock=clock, machine="pc")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    try:
        result = check_database(str(path), timeout_seconds=0.3)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.state == PROBLEM
    assert "terkunci" in result.message or "sibuk" in result.message
    assert check_database(str(path)).state == READY


@pytest.mark.skipif(sys.platform != "linux", reason="uses /proc")
def test_folder_that_takes_no_files_is_refused():
    # /proc exists for every user, root included, and no one may create a file in it.
    result = check_database("/proc/self/antrian-pst.db")
    assert result.state == PROBLEM
    assert "/proc/self" in result.message


def test_check_runs_off_the_ui_thread(tmp_path, clock):
    path = tmp_path / "antrian-pst.db"
    create_database(path, clock=clock, machine="pc")
    results = []
    worker = threading.Thread(target=lambda: results.append(check_database(str(path))))
    worker.start()
    worker.join(10)
    assert results and results[0].state == READY
