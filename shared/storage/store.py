"""The storage protocol for one SQLite file shared by several PCs.

SQLite over a network share is safe only with the rollback journal, real byte-range
locks and short write transactions. This module is the only place that opens the
database file; everything else passes a function to :meth:`Store.write` or
:meth:`Store.read`:

* every connection: ``journal_mode`` read back (WAL refused unless the file is proven
  to be on a local disk and WAL was asked for), ``synchronous=FULL``,
  ``foreign_keys=ON``, a ``busy_timeout``;
* a write is ``BEGIN IMMEDIATE`` → the function → ``COMMIT``, retried as a whole with
  jittered exponential back-off while the file is busy or locked;
* a read runs inside a short deferred transaction and fetches everything before it
  returns, so no reader keeps a shared lock that would block writers;
* SQLite's errors are sorted into the typed :class:`~shared.errors.StorageError`
  family; after an I/O error the connection is dropped and opened afresh next time.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import sqlite_utils

from shared import errors
from shared.storage import dbfile

log = logging.getLogger(__name__)

T = TypeVar("T")

# Primary SQLite result codes (the low byte of the extended code).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_PROTOCOL, SQLITE_NOTADB = 11, 13, 14, 15, 26
# A read-only connection met a hot journal it may not roll back (a writer died inside a
# transaction): the next writing program rolls it back, so this is "busy, try again".
SQLITE_READONLY_ROLLBACK = SQLITE_READONLY | (3 << 8)

# How long one attempt lets SQLite wait for a lock before the store's own retry loop
# (which bounds the total wait by ``busy_timeout_ms``) tries again.
ATTEMPT_BUSY_MS = 20
# Busy back-off: the n-th pause is random in [0, min(cap, first * 2**n)] ("full jitter").
# Every attempt is a lock request to the file server; PCs retrying every millisecond
# flood it and slow down the very transaction they wait for.
BUSY_FIRST_PAUSE_S = 0.005
BUSY_MAX_PAUSE_S = 0.2
COMMIT_FIRST_PAUSE_S = 0.002
COMMIT_MAX_PAUSE_S = 0.1

NETWORK_FILESYSTEMS = {
    "cifs",
    "smb3",
    "smbfs",
    "nfs",
    "nfs4",
    "afs",
    "9p",
    "ncpfs",
    "davfs",
    "sshfs",
    "glusterfs",
    "ceph",
    "lustre",
    "virtiofs",
    "vboxsf",
    "vmhgfs",
}


class Backoff:
    """Jittered exponential pauses, never past a deadline."""

    def __init__(self, first: float, cap: float, deadline: float) -> None:
        self.ceiling = first
        self.cap = cap
        self.deadline = deadline

    def pause(self) -> None:
        """Sleep a random part of the current ceiling, then double the ceiling."""
        left = self.deadline - time.monotonic()
        time.sleep(max(0.0, min(random.uniform(0.0, self.ceiling), left)))
        self.ceiling = min(self.ceiling * 2, self.cap)


def classify(exc: BaseException) -> errors.StorageError | None:
    """Map a sqlite3/OS error to the storage error a person is shown, or ``None`` for bugs."""
    if isinstance(exc, errors.StorageError):
        return exc
    if isinstance(exc, sqlite3.Error):
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        text = str(exc).lower()
        if code == SQLITE_READONLY_ROLLBACK:
            return errors.StorageBusy()
        if primary in (SQLITE_BUSY, SQLITE_LOCKED) or "locked" in text or "busy" in text:
            return errors.StorageBusy()
        if primary == SQLITE_READONLY or "readonly" in text or "read-only" in text:
            return errors.StorageReadOnly()
        if primary in (SQLITE_CORRUPT, SQLITE_NOTADB) or "malformed" in text:
            return errors.StorageCorrupt()
        if primary in (SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_FULL, SQLITE_PROTOCOL) or (
            "unable to open" in text or "disk i/o" in text
        ):
            return errors.StorageUnavailable()
        return None
    if isinstance(exc, OSError):
        return errors.StorageUnavailable()
    return None


def is_local_path(path: Path) -> bool:
    """Return True only when ``path`` is provably on a local disk of this PC."""
    text = str(path)
    if text.startswith(("\\\\", "//")):
        return False
    if sys.platform == "win32":  # pragma: no cover - Windows only
        import ctypes

        drive = os.path.splitdrive(os.path.abspath(text))[0] + "\\"
        drive_remote = 4
        return ctypes.windll.kernel32.GetDriveTypeW(drive) not in (drive_remote, 0, 1)
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return False
    target = os.path.realpath(path.parent if not path.is_dir() else path)
    best, best_type = "", ""
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and len(
            mount_point
        ) >= len(best):
            best, best_type = mount_point, parts[2]
    if not best:
        return False
    return not (best_type in NETWORK_FILESYSTEMS or best_type.startswith("fuse"))


def writable(path: Path) -> bool:
    """Tell whether this PC may write the database file and create its journal beside it."""
    try:
        return os.access(path, os.W_OK) and os.access(path.parent or Path("."), os.W_OK)
    except OSError:
        return False


_header_lock = threading.Lock()
_header_files: dict[str, int] = {}
_spent_header_files: list[int] = []


def read_header(path: Path, size: int) -> bytes:
    """The first ``size`` bytes of a database file, read without ever closing a file
    descriptor of it.

    POSIX drops every lock a process holds on a file as soon as the process closes
    *any* descriptor of that file: a plain ``open()``/``close()`` of the database while
    another connection of the same program is inside a transaction would hand the
    write lock to another PC (SQLite's own connections avoid this). So the descriptor
    for header checks stays open for the life of the process. One that went bad (the
    share dropped, the file was restored) is set aside, still open, and a new one is
    opened: a few descriptors per outage, freed when the program exits.
    """
    if not hasattr(os, "pread"):
        # Windows: a lock belongs to the handle that took it; closing another is harmless.
        with open(path, "rb") as file:
            return file.read(size)
    key = os.path.abspath(path)
    with _header_lock:
        fd = _header_files.get(key)
        if fd is not None:
            try:
                opened, current = os.fstat(fd), os.stat(key)
                if (opened.st_dev, opened.st_ino) == (current.st_dev, current.st_ino):
                    return os.pread(fd, size, 0)
            except FileNotFoundError:
                raise
            except OSError:
                pass
            _spent_header_files.append(_header_files.pop(key))
        fd = os.open(key, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        _header_files[key] = fd
        return os.pread(fd, size, 0)


class Store:
    """One process's access to the shared database file.

    Thread-safe: a lock serialises use of the single connection, so a worker thread
    may run writes while the UI thread reads.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        busy_timeout_ms: int = 3000,
        retry_seconds: float = 8.0,
        allow_wal_on_local_disk: bool = False,
        create: bool = True,
        writes: bool = True,
        read_only: bool = False,
    ) -> None:
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self.retry_seconds = retry_seconds
        self.allow_wal_on_local_disk = allow_wal_on_local_disk
        # May create an empty database and upgrade an old schema (pst-admin init only).
        self.create = create
        # False for read-only commands: a file this PC cannot write can still be read.
        self.writes = writes
        # A reader that never writes (the status page): SQLite opens the file with
        # mode=ro, so not even a hot journal is rolled back by it; write() is refused.
        self.read_only = read_only
        if read_only:
            self.create = False
            self.writes = False
        # What the last opened connection found: "current", "old" or "empty".
        self.schema = ""
        self._conn: sqlite3.Connection | None = None
        self._db: sqlite_utils.Database | None = None
        self._lock = threading.RLock()
        self.write_count = 0
        self.busy_retries = 0

    # -- connection -------------------------------------------------------------------

    def open_connection(self) -> sqlite3.Connection:
        """Open a new connection with the protocol's settings (used by pollers too).

        Follows the one opening policy of :mod:`shared.storage.dbfile`: a missing file is an
        outage unless this store may create the database; a folder, a file that is not
        an Antrian PST database and a newer schema are refused before anything is
        written; an older schema only when this store may upgrade it (``create``).
        """
        fresh = dbfile.check_file(self.path, may_create=self.create)
        if not fresh:
            self._check_header()
            if self.writes and not writable(self.path):
                raise errors.StorageReadOnly()
        mode = "ro" if self.read_only else "rwc" if self.create else "rw"
        uri = dbfile.sqlite_uri(os.path.abspath(self.path), mode=mode)
        conn = sqlite3.connect(
            uri,
            uri=True,
            timeout=self.busy_timeout_ms / 1000,
            isolation_level=None,
            check_same_thread=False,
        )
        try:
            # Reading the journal mode needs a shared lock: wait for it as long as a
            # write would, then let the store's retry loop do the waiting.
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_ms)}")
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0].lower()
            if mode == "wal" and not (self.allow_wal_on_local_disk and is_local_path(self.path)):
                raise errors.UnsafeStorage(mode=mode)
            if mode not in ("delete", "truncate", "persist", "wal"):
                raise errors.UnsafeStorage(mode=mode)
            self.schema = dbfile.check_schema(conn, str(self.path), may_upgrade=self.create)
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA temp_store=MEMORY")
            conn.execute(f"PRAGMA busy_timeout={ATTEMPT_BUSY_MS}")
        except BaseException:
            conn.close()
            raise
        return conn

    def _check_header(self) -> None:
        # Asking SQLite for the journal mode of a WAL file first opens its shared-memory
        # index, which fails on a share with an I/O error that looks like an outage;
        # a file that is not SQLite at all would be retried as "busy" or "unreachable".
        # The file header says both plainly: the magic string, and bytes 18 and 19 are
        # 2 in WAL mode.
        try:
            header = read_header(self.path, 20)
        except FileNotFoundError:
            return
        except PermissionError as exc:
            raise errors.StorageReadOnly() from exc
        except OSError as exc:
            raise errors.StorageUnavailable() from exc
        if len(header) < 20 or not dbfile.header_is_sqlite(header):
            raise errors.NotQueueDatabase(path=str(self.path))
        if 2 in header[18:20] and not (self.allow_wal_on_local_disk and is_local_path(self.path)):
            raise errors.UnsafeStorage(mode="wal")

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = self.open_connection()
            self._db = sqlite_utils.Database(
                self._conn, recursive_triggers=False, execute_plugins=False
            )
        return self._conn

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the connection; use it only inside read/write."""
        self._connection()
        assert self._db is not None
        return self._db

    def drop_connection(self) -> None:
        """Forget the connection (after an I/O error or when the share comes back)."""
        with self._lock:
            if self._conn is not None:
                with contextlib.suppress(sqlite3.Error):
                    self._conn.close()
            self._conn = None
            self._db = None

    close = drop_connection

    # -- transactions ----------------------------------------------------------------

    def write(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` inside one ``BEGIN IMMEDIATE`` transaction and commit it.

        While another PC holds the lock, the attempt is repeated after jittered pauses
        growing from 5 ms to 200 ms, for up to ``busy_timeout_ms`` (then :class:`StorageBusy`); while the share is
        unreachable, with back-off for up to ``retry_seconds``. ``fn`` may therefore run
        more than once and must have no effect outside the database. Domain errors roll
        back and propagate unchanged.
        """
        if self.read_only:
            raise RuntimeError("this store was opened read-only and never writes")
        return self._run(fn, "BEGIN IMMEDIATE")

    def read(self, fn: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``fn`` in a short read transaction; ``fn`` must fetch all it needs."""
        return self._run(fn, "BEGIN")

    def _run(self, fn: Callable[[sqlite3.Connection], T], begin: str) -> T:
        start = time.monotonic()
        busy_deadline = start + self.busy_timeout_ms / 1000
        deadline = max(start + self.retry_seconds, busy_deadline)
        delay = 0.05
        busy = Backoff(BUSY_FIRST_PAUSE_S, BUSY_MAX_PAUSE_S, busy_deadline)
        while True:
            try:
                with self._lock:
                    return self._once(fn, begin, busy_deadline)
            except errors.StorageBusy:
                # Waiting inside SQLite would hold a shared lock (see _once); pausing here
                # with jittered, growing pauses spreads the waiting PCs' attempts out.
                if time.monotonic() >= busy_deadline:
                    raise
                self.busy_retries += 1
                busy.pause()
            except errors.StorageError as exc:
                if not exc.transient or time.monotonic() + delay > deadline:
                    raise
                self.busy_retries += 1
                log.debug("storage %s, retrying in %.0f ms", type(exc).__name__, delay * 1000)
                time.sleep(delay * random.uniform(0.5, 1.5))
                delay = min(delay * 2, 0.5)

    def _once(self, fn: Callable[[sqlite3.Connection], T], begin: str, busy_deadline: float) -> T:
        try:
            conn = self._connection()
            if begin == "BEGIN IMMEDIATE":
                # Waiting inside SQLite for the write lock would hold a shared lock the
                # whole time, which stops the current writer from committing until the
                # wait times out: fail at once and let the retry loop pause instead.
                conn.execute("PRAGMA busy_timeout=0")
                try:
                    conn.execute(begin)
                finally:
                    conn.execute(f"PRAGMA busy_timeout={ATTEMPT_BUSY_MS}")
            else:
                conn.execute(begin)
        except (sqlite3.Error, OSError) as exc:
            self._fail(exc)
        try:
            result = fn(conn)
            self._commit(conn, busy_deadline)
        except BaseException as exc:
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            if isinstance(exc, (sqlite3.Error, OSError)):
                self._fail(exc)
            raise
        if begin != "BEGIN":
            self.write_count += 1
        return result

    @staticmethod
    def _commit(conn: sqlite3.Connection, busy_deadline: float) -> None:
        # COMMIT is busy while readers still hold shared locks; the transaction stays
        # open, so wait for them rather than redo the work. New readers are already kept
        # out (the pending lock), so the wait is short: start small, back off anyway.
        pauses = Backoff(COMMIT_FIRST_PAUSE_S, COMMIT_MAX_PAUSE_S, busy_deadline)
        while True:
            try:
                conn.execute("COMMIT")
                return
            except sqlite3.OperationalError as exc:
                if not (
                    isinstance(classify(exc), errors.StorageBusy)
                    and conn.in_transaction
                    and time.monotonic() < busy_deadline
                ):
                    raise
                pauses.pause()

    def _fail(self, exc: BaseException) -> None:
        mapped = classify(exc)
        if mapped is None:
            raise exc
        if not isinstance(mapped, errors.StorageBusy):
            # After an I/O error the connection may hold stale state: reopen next time.
            self.drop_connection()
        if isinstance(mapped, errors.StorageCorrupt) and self._sound_on_fresh_look():
            # A connection broken mid-read (the share dropping) can report "malformed"
            # although the file is sound: that is an outage, not a damaged database.
            mapped = errors.StorageUnavailable()
        elif isinstance(mapped, errors.StorageUnavailable) and self._folder_read_only():
            mapped = errors.StorageReadOnly()
        raise mapped from exc

    def _sound_on_fresh_look(self) -> bool:
        try:
            uri = dbfile.sqlite_uri(os.path.abspath(self.path), mode="ro")
            conn = sqlite3.connect(uri, uri=True, timeout=1)
            try:
                return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            # A fresh connection that finds the file malformed too: it is damaged. Any
            # other failure means it cannot be looked at right now: the share is gone.
            return not isinstance(classify(exc), errors.StorageCorrupt)

    def _folder_read_only(self) -> bool:
        folder = self.path.parent
        try:
            return folder.is_dir() and not os.access(folder, os.W_OK)
        except PermissionError:
            return True
        except OSError:
            return False

    # -- maintenance -----------------------------------------------------------------

    def journal_mode(self) -> str:
        return self.read(lambda c: c.execute("PRAGMA journal_mode").fetchone()[0]).lower()

    def quick_check(self) -> None:
        """Run ``PRAGMA quick_check`` at program start; raise :class:`StorageCorrupt` on damage.

        Answers at once, on a connection of its own: a program that starts before its
        share is connected opens its window and says so instead of waiting first.
        """
        try:
            conn = self.open_connection()
            try:
                problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
            finally:
                conn.close()
        except (sqlite3.Error, OSError) as exc:
            mapped = classify(exc)
            if mapped is None:
                raise
            raise mapped from exc
        if problems != ["ok"]:
            log.error("quick_check of %s found damage: %s", self.path, problems[:5])
            raise errors.StorageCorrupt()

    def integrity_check(self) -> list[str]:
        """Run ``PRAGMA integrity_check``; an empty list means the file is sound."""
        rows = self.read(lambda c: c.execute("PRAGMA integrity_check").fetchall())
        problems = [r[0] for r in rows]
        return [] if problems == ["ok"] else problems

    def backup(self, destination: str | Path) -> Path:
        """Copy the database with SQLite's online backup API (safe during use)."""
        dest = Path(destination)
        if dest.is_dir():
            dest = dest / f"antrian-pst-{time.strftime('%Y%m%d-%H%M%S')}.db"
        tmp = dest.with_name(dest.name + ".part")
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        target = sqlite3.connect(tmp)
        try:
            with self._lock:
                try:
                    # One step: a paged copy restarts whenever another PC writes and might
                    # never finish on a busy day; the whole copy holds the lock briefly.
                    self._connection().backup(target, pages=-1)
                except (sqlite3.Error, OSError) as exc:
                    self._fail(exc)
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
        os.replace(tmp, dest)
        return dest
