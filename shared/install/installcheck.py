"""Check, while a PC is being set up, that the shared queue database can be used from it.

:func:`check_database` looks at a path the way the programs will use it — the folder
reachable, the file writable, an Antrian PST database of a schema these programs know,
in rollback-journal mode, and the write lock taken and given back — and answers with
one :class:`DatabaseCheck`: a state and one translated sentence that says what is wrong
and what to do. It never creates or changes the database; only
:func:`create_database` (an administrator's explicit choice) does.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from shared import errors
from shared.clock import Clock
from shared.i18n import N_, _
from shared.queue.operations import Operations
from shared.storage.schema import migrations
from shared.storage.store import Store, classify, read_header

DEFAULT_FILE_NAME = "antrian-pst.db"

# What a check found. ``ready``: use it. ``empty``: the folder is fine and holds no
# database yet (an administrator may create one). ``older``: an Antrian PST database
# that ``pst-admin init`` brings up to date. ``problem``: it cannot be used; the
# message says why and what to do.
READY, EMPTY, OLDER, PROBLEM = "ready", "empty", "older", "problem"

SQLITE_MAGIC = b"SQLite format 3\x00"


@dataclass(frozen=True)
class DatabaseCheck:
    """The answer of :func:`check_database` for one path."""

    state: str
    msgid: str
    params: dict = field(default_factory=dict)
    path: Path | None = None
    migrations: tuple[str, ...] = ()

    @property
    def message(self) -> str:
        """The sentence in the current language."""
        return _(self.msgid, **self.params)

    @property
    def usable(self) -> bool:
        return self.state == READY

    @property
    def can_create(self) -> bool:
        """Tell whether ``pst-admin init`` (by an administrator) would make it usable."""
        return self.state in (EMPTY, OLDER)


def known_migrations() -> list[str]:
    """Return the names of every migration these programs know, oldest first."""
    return [m.name for m in migrations.pending(sqlite_utils.Database(memory=True))]


def database_path(text: str) -> Path | None:
    """Turn what a person typed or chose into the database file's path.

    Quotes around a pasted path are dropped, ``%VARS%``/``$VARS`` and ``~`` expanded,
    and a folder gets the usual file name. UNC paths (``\\\\server\\share\\...``) stay as
    they are. Returns ``None`` for an empty entry.
    """
    cleaned = text.strip().strip('"').strip("'").strip()
    if not cleaned:
        return None
    path = Path(os.path.expanduser(os.path.expandvars(cleaned)))
    with contextlib.suppress(OSError):
        if path.is_dir():
            path = path / DEFAULT_FILE_NAME
    return path


def _problem(msgid: str, where: Path | None, **params: object) -> DatabaseCheck:
    return DatabaseCheck(PROBLEM, msgid, dict(params), where)


def check_database(text: str, *, timeout_seconds: float = 3.0) -> DatabaseCheck:
    """Check the database at ``text`` (a path as typed) for use from this PC.

    Takes a few hundred milliseconds on a share; a share that does not answer can take
    as long as the operating system waits for it, so call it off the UI thread.
    """
    path = database_path(text)
    if path is None:
        return _problem(N_("Type or choose where the queue database file is."), None)
    folder = path.parent
    try:
        folder_exists = folder.is_dir()
        file_exists = path.exists()
    except PermissionError:
        return _problem(
            N_(
                "This computer may not open the folder {folder}. Ask IT to give this Windows"
                " user read and change rights on the share."
            ),
            path,
            folder=str(folder),
        )
    except OSError:
        folder_exists = file_exists = False
    if not folder_exists:
        return _problem(
            N_(
                "The folder {folder} cannot be reached. Check that the shared folder is"
                " connected and its name is right, then check again."
            ),
            path,
            folder=str(folder),
        )
    if not _folder_takes_files(folder):
        return _problem(
            N_(
                "This computer may not create files in {folder}, and SQLite needs to (for its"
                " journal). Ask IT to give this Windows user change rights on the share."
            ),
            path,
            folder=str(folder),
        )
    if not file_exists:
        return DatabaseCheck(
            EMPTY,
            N_(
                "There is no queue database in {folder} yet. The administrator creates it"
                " once, from one PC; every other PC then uses the same file."
            ),
            {"folder": str(folder)},
            path,
        )
    return _check_file(path, timeout_seconds)


def _folder_takes_files(folder: Path) -> bool:
    # os.access() says little about a share's rights: create and delete a real file.
    probe = folder / f".pst-setup-{uuid.uuid4().hex[:8]}.tmp"
    try:
        probe.write_bytes(b"")
    except OSError:
        return False
    with contextlib.suppress(OSError):
        probe.unlink()
    return True


def _check_file(path: Path, timeout_seconds: float) -> DatabaseCheck:
    try:
        header = read_header(path, 100)
    except OSError:
        return _problem(
            N_("The file {path} cannot be read from this computer. Ask IT to check the share."),
            path,
            path=str(path),
        )
    if header[:16] != SQLITE_MAGIC:
        return _problem(
            N_(
                "{path} is not a queue database. Choose the file antrian-pst.db that the"
                " administrator created."
            ),
            path,
            path=str(path),
        )
    if 2 in header[18:20]:
        return _problem(
            N_(
                "The queue database is in WAL mode, which loses data on a shared folder. Ask"
                " IT to restore it from a backup made with pst-admin backup."
            ),
            path,
        )
    if not os.access(path, os.W_OK):
        return _problem(
            N_("The queue database is read-only for this computer. Ask IT to check the share."),
            path,
        )
    store = _existing(path, timeout_seconds)
    newer = False
    try:
        found = store.read(_migration_names)
    except errors.NotQueueDatabase:
        found = None
    except errors.SchemaTooNew:
        found, newer = [], True
    except errors.StorageError as exc:
        return _storage_problem(exc, path)
    except sqlite3.Error as exc:
        return _storage_problem(classify(exc) or errors.StorageCorrupt(), path)
    finally:
        store.close()
    if found is None:
        return _problem(
            N_(
                "{path} is a database of another program, not the queue database. Choose"
                " the file antrian-pst.db that the administrator created."
            ),
            path,
            path=str(path),
        )
    known = known_migrations()
    unknown = [name for name in found if name not in known]
    if unknown or newer:
        return DatabaseCheck(
            PROBLEM,
            N_(
                "The queue database was made by a newer Antrian PST than the one on this"
                " computer. Install the newer version here first."
            ),
            {},
            path,
            tuple(found),
        )
    lock = _lock_round_trip(path, timeout_seconds)
    if lock is not None:
        return lock
    if len(found) < len(known):
        return DatabaseCheck(
            OLDER,
            N_(
                "The queue database is from an older Antrian PST. The administrator brings"
                " it up to date with pst-admin init (or Upgrade here) before the programs"
                " use it."
            ),
            {},
            path,
            tuple(found),
        )
    return DatabaseCheck(
        READY, N_("The queue database is ready to use from this computer."), {}, path, tuple(found)
    )


def _existing(path: Path, timeout_seconds: float) -> Store:
    """A store on a file known to exist (its header was read), which may be older.

    The programs' own opening refuses an older schema; the check must see it to offer
    the upgrade, and it never migrates: only ``create_database`` / ``pst-admin init`` do.
    """
    return Store(path, busy_timeout_ms=int(timeout_seconds * 1000), retry_seconds=0, create=True)


def _migration_names(conn: sqlite3.Connection) -> list[str] | None:
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_sqlite_migrations'"
    ).fetchone()
    if not exists:
        return None
    rows = conn.execute(
        "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid",
        (migrations.name,),
    ).fetchall()
    return [r[0] for r in rows] or None


def _lock_round_trip(path: Path, timeout_seconds: float) -> DatabaseCheck | None:
    """Take the write lock on a connection of its own and give it back at once.

    A share that does not pass byte-range locks lets two PCs write at once; one that
    refuses them fails here before any ticket is lost.
    """
    probe = _existing(path, timeout_seconds)
    try:
        conn = probe.open_connection()
    except errors.StorageError as exc:
        return _storage_problem(exc, path)
    try:
        conn.execute(f"PRAGMA busy_timeout={int(timeout_seconds * 1000)}")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        mapped = classify(exc)
        if isinstance(mapped, errors.StorageBusy):
            return _problem(
                N_(
                    "The queue database stayed locked by another computer for {seconds}"
                    " seconds. Check again in a moment; if it stays locked, restart the PC"
                    " that froze."
                ),
                path,
                seconds=round(timeout_seconds),
            )
        return _problem(
            N_(
                "The shared folder did not let this computer lock the queue database. Ask IT"
                " to allow file locking on the share (no nobrl; oplocks and leases off)."
            ),
            path,
        )
    finally:
        conn.close()
    return None


def _storage_problem(exc: errors.StorageError, path: Path) -> DatabaseCheck:
    if isinstance(exc, errors.StorageBusy):
        return _problem(
            N_("The queue database is busy on another computer. Check again in a moment."), path
        )
    if isinstance(exc, errors.StorageReadOnly):
        return _problem(exc.msgid, path, **exc.params)
    if isinstance(exc, errors.StorageCorrupt):
        return _problem(exc.msgid, path, **exc.params)
    if isinstance(exc, errors.UnsafeStorage):
        return _problem(exc.msgid, path, **exc.params)
    return _problem(
        N_(
            "The queue database cannot be opened from this computer. Check that the shared"
            " folder is connected, then check again."
        ),
        path,
    )


def create_database(path: Path, *, clock: Clock, machine: str) -> list[str]:
    """Create the queue database at ``path`` (or bring an older one up to date).

    The administrator's choice in the setup wizard; the same as ``pst-admin init``.
    Returns the migrations applied. Raises :class:`~shared.errors.StorageError`.
    """
    store = Store(path, retry_seconds=5)
    try:
        return Operations(store, clock=clock, machine=machine, program="pst-setup").initialise()
    finally:
        store.close()
