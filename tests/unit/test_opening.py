"""Opening the database: one policy, every path form, every wrong file told apart at once."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path, PureWindowsPath

import pytest

from shared import errors
from shared.queue.operations import Operations
from shared.storage import dbfile, schema
from shared.storage.dbfile import sqlite_uri
from shared.storage.store import Store

# -- configured path → what SQLite opens ---------------------------------------------------


@pytest.mark.parametrize(
    ("configured", "uri"),
    [
        (r"C:\Antrian PST\antrian-pst.db", "file:///C:/Antrian%20PST/antrian-pst.db?mode=rw"),
        (r"Z:\pst\antrian-pst.db", "file:///Z:/pst/antrian-pst.db?mode=rw"),
        (r"z:/pst/antrian-pst.db", "file:///z:/pst/antrian-pst.db?mode=rw"),
        (
            r"\\fileserver\pst\antrian-pst.db",
            "file:////fileserver/pst/antrian-pst.db?mode=rw",
        ),
        (
            r"\\fileserver\Data Kantor\Layanan Statistik\antrian-pst.db",
            "file:////fileserver/Data%20Kantor/Layanan%20Statistik/antrian-pst.db?mode=rw",
        ),
        (
            r"\\srv-bps\pst\Pelayanan Café #1\antrian?.db",
            "file:////srv-bps/pst/Pelayanan%20Caf%C3%A9%20%231/antrian%3F.db?mode=rw",
        ),
        (r"antrian.db", "file:antrian.db?mode=rw"),
        (r"data\antrian 100%.db", "file:data/antrian%20100%25.db?mode=rw"),
    ],
)
def test_windows_paths_never_become_a_uri_authority(configured, uri):
    assert sqlite_uri(configured, windows=True) == uri
    # The authority (between "file://" and the next "/") is always empty.
    if uri.startswith("file://"):
        assert uri[len("file://")] == "/"


def test_a_unc_path_is_the_path_of_the_uri():
    configured = r"\\fileserver\pst\antrian-pst.db"
    uri = sqlite_uri(configured, mode="ro", windows=True)
    assert PureWindowsPath(configured).as_posix() == uri[len("file://") : -len("?mode=ro")]


def test_sqlite_refuses_the_old_unc_uri_but_not_ours(tmp_path):
    # What the store used to build from a UNC path: an authority SQLite refuses.
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect("file://fileserver/pst/antrian-pst.db?mode=ro", uri=True)
    ours = sqlite_uri(r"\\fileserver\pst\antrian-pst.db", mode="ro", windows=True)
    with pytest.raises(sqlite3.OperationalError) as failed:
        sqlite3.connect(ours, uri=True)
    # Here on Linux the file just is not there; the URI itself was accepted.
    assert "authority" not in str(failed.value)
    assert "unable to open" in str(failed.value)


@pytest.mark.parametrize(
    "name",
    [
        "antrian-pst.db",
        "Data Kantor/antrian pst.db",
        "Pelayanan Statistik Terpadu/antréan ü.db",
        "odd #1/x?y 100%.db",
        "BPS Sumsel/антрия 队列.db",
    ],
)
def test_posix_paths_open_the_very_file(tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    created = sqlite3.connect(sqlite_uri(path, mode="rwc", windows=False), uri=True)
    created.execute("CREATE TABLE marker(x)")
    created.close()
    assert path.exists() and path.stat().st_size > 0
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]
    again = sqlite3.connect(sqlite_uri(path, mode="rw", windows=False), uri=True)
    assert again.execute("SELECT name FROM sqlite_master").fetchone() == ("marker",)
    again.close()


def test_mode_rw_never_creates_a_file(tmp_path):
    with pytest.raises(sqlite3.OperationalError):
        sqlite3.connect(sqlite_uri(tmp_path / "missing.db", mode="rw", windows=False), uri=True)
    assert not (tmp_path / "missing.db").exists()


# -- what is at the path ----------------------------------------------------------------------


def _timed(fn):
    start = time.monotonic()
    with pytest.raises(errors.StorageError) as info:
        fn()
    return info.value, time.monotonic() - start


def test_a_missing_file_is_not_created_and_says_so_at_once(tmp_path):
    path = tmp_path / "share" / "antrian-pst.db"
    store = Store(path, retry_seconds=8, create=False)
    # What a program's poller does on every tick: the sentence comes at once.
    exc, seconds = _timed(store.open_connection)
    assert isinstance(exc, errors.StorageMissing)
    assert seconds < 2
    # An operation waits for the share like for any outage, then says the same.
    patient = Store(path, retry_seconds=0.3, create=False)
    exc, _ = _timed(lambda: patient.read(lambda c: c.execute("SELECT 1").fetchone()))
    assert isinstance(exc, errors.StorageMissing) and exc.transient
    assert "tidak ditemukan" in exc.message and str(path) in exc.message
    assert not path.parent.exists()


def test_a_folder_random_bytes_and_another_programs_database_are_refused(tmp_path):
    folder = tmp_path / "antrian.db"
    folder.mkdir()
    noise = tmp_path / "noise.db"
    noise.write_bytes(bytes(range(256)) * 40)
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    for path, words in (
        (folder, "adalah folder"),
        (noise, "bukan basis data antrean"),
        (other, "bukan basis data antrean"),
    ):
        for create in (False, True):
            store = Store(path, retry_seconds=8, create=create)
            exc, seconds = _timed(lambda s=store: Operations(s).initialise())
            assert isinstance(exc, errors.NotQueueDatabase), (path, exc)
            assert seconds < 2 and words in exc.message
            store.close()
    assert other.read_bytes() == before, "another program's file was changed"


def test_an_empty_file_is_no_queue_but_init_may_fill_it(tmp_path):
    path = tmp_path / "antrian.db"
    path.touch()
    exc, _ = _timed(lambda: Store(path, create=False).open_connection())
    assert isinstance(exc, errors.NotQueueDatabase)
    store = Store(path, create=True)
    assert Operations(store).initialise() == schema.known_migrations()
    store.close()


def test_a_newer_schema_is_refused_before_anything_is_written(ops, db_path):
    ops.store.write(
        lambda c: c.execute(
            "INSERT INTO _sqlite_migrations(migration_set, name, applied_at)"
            " VALUES ('antrian-pst', 'm099_from_the_future', 'later')"
        )
    )
    ops.store.close()
    before = db_path.read_bytes()
    for create in (False, True):
        store = Store(db_path, retry_seconds=8, create=create)
        exc, seconds = _timed(lambda s=store: Operations(s).issue_ticket("KS", ignore_hours=True))
        assert isinstance(exc, errors.SchemaTooNew) and seconds < 2
        assert "lebih baru" in exc.message
        store.close()
    assert db_path.read_bytes() == before


def test_a_higher_user_version_alone_is_newer(ops, db_path):
    ops.store.write(lambda c: c.execute("PRAGMA user_version = 99"))
    ops.store.close()
    with pytest.raises(errors.SchemaTooNew):
        Store(db_path, create=False).open_connection()


def test_init_records_the_schema_in_the_header(ops, db_path):
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(schema.known_migrations())
    assert conn.execute("PRAGMA application_id").fetchone()[0] == schema.APPLICATION_ID
    conn.close()


@pytest.fixture
def one_more_migration():
    """Pretend this program knows a migration the database has not had yet."""

    @schema.migrations(name="m998_test_upgrade")
    def _upgrade(db):
        db.execute("CREATE TABLE upgrade_marker(x)")

    yield "m998_test_upgrade"
    schema.migrations._migrations = [
        m for m in schema.migrations._migrations if m.name != "m998_test_upgrade"
    ]


def test_an_older_schema_is_upgraded_only_by_init(ops, db_path, one_more_migration):
    ops.store.close()
    program = Store(db_path, retry_seconds=8, create=False)
    exc, seconds = _timed(lambda: program.read(lambda c: c.execute("SELECT 1").fetchone()))
    assert isinstance(exc, errors.SchemaTooOld) and seconds < 2
    assert "pst-admin init" in exc.message
    with pytest.raises(errors.SchemaTooOld):
        Operations(program).initialise()
    program.close()
    init = Store(db_path, create=True)
    assert Operations(init).initialise() == [one_more_migration]
    init.close()
    Store(db_path, create=False).open_connection().close()


def test_read_only_file_is_told_at_once_for_a_writer(tmp_path, ops, db_path, monkeypatch):
    # As root every file is writable; this is what os.access answers on a read-only share.
    ops.store.close()
    monkeypatch.setattr("shared.storage.store.writable", lambda path: False)
    writer = Store(db_path, retry_seconds=0.5, create=False)
    exc, seconds = _timed(lambda: writer.open_connection())
    assert isinstance(exc, errors.StorageReadOnly) and seconds < 2
    reader = Store(db_path, create=False, writes=False)
    assert reader.read(lambda c: c.execute("SELECT COUNT(*) FROM services").fetchone()[0]) == 5
    reader.close()


def test_quick_check_finds_a_damaged_file(ops, db_path):
    ops.issue_ticket("KS", ignore_hours=True)
    ops.store.close()
    data = bytearray(db_path.read_bytes())
    page = 4096
    # Scribble over the second page (a table's b-tree) but keep the header intact.
    data[page + 8 : page + 200] = b"\xff" * 192
    db_path.write_bytes(bytes(data))
    store = Store(db_path, retry_seconds=0.5, create=False)
    with pytest.raises(errors.StorageCorrupt):
        store.quick_check()
    store.close()


def test_check_file_is_pure_about_paths(tmp_path):
    assert dbfile.check_file(tmp_path / "new.db", may_create=True) is True
    with pytest.raises(errors.StorageMissing):
        dbfile.check_file(tmp_path / "new.db", may_create=False)
    existing = tmp_path / "x.db"
    existing.write_bytes(b"SQLite format 3\x00" + bytes(100))
    assert dbfile.check_file(existing, may_create=False) is False
    assert not Path(tmp_path / "new.db").exists()


def test_a_running_program_stops_writing_once_another_pc_upgrades_the_file(ops, db_path):
    ops.issue_ticket("KS", ignore_hours=True)  # this program's connection is open
    newer = sqlite3.connect(db_path)
    newer.execute("PRAGMA user_version = 50")
    newer.commit()
    newer.close()
    with pytest.raises(errors.SchemaTooNew):
        ops.issue_ticket("KS", ignore_hours=True)
    count = ops.store.read(lambda c: c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0])
    assert count == 1


def test_a_damaged_file_is_called_damaged_not_unreachable(ops, db_path):
    for _ in range(30):
        ops.issue_ticket("KS", ignore_hours=True)
    ops.store.close()
    data = bytearray(db_path.read_bytes())
    for page in range(1, len(data) // 4096):
        if page % 3 == 0:
            data[page * 4096 + 8 : page * 4096 + 400] = b"\xff" * 392
    db_path.write_bytes(bytes(data))
    store = Store(db_path, retry_seconds=8, create=False)
    exc, seconds = _timed(lambda: store.read(lambda c: c.execute("SELECT 1").fetchone()))
    assert isinstance(exc, errors.StorageCorrupt) and seconds < 2
    assert "rusak" in exc.message
    with pytest.raises(errors.StorageCorrupt):
        store.quick_check()
    store.close()
