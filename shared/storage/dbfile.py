"""What a configured database path is, and whether the file there may be used.

Two questions answered before any transaction, so every program and every
``pst-admin`` command follows one policy:

* :func:`sqlite_uri` turns a configured path (POSIX, ``C:\\…``, a mapped drive
  ``Z:\\…``, a UNC path ``\\\\server\\share\\…``, with spaces or non-ASCII letters)
  into the ``file:`` URI SQLite opens. The authority is always empty and a UNC
  server goes into the path: SQLite refuses ``file://server/…`` unless built with
  ``SQLITE_ALLOW_URI_AUTHORITY``, which the Windows build of Python is not.
* :func:`check_file` and :func:`check_schema` refuse, before anything is written, a
  missing file, a folder, a file that is not an Antrian PST database and a schema
  newer than this program's (or older, unless the caller may upgrade it).

Only ``pst-admin init`` (and ``demo`` on a new path) may create a database or upgrade
its schema; everything else opens an existing, current one.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from urllib.parse import quote

from shared import errors
from shared.storage.schema import MIGRATION_SET, known_migrations

SQLITE_MAGIC = b"SQLite format 3\x00"


def sqlite_uri(path: str | PurePath, *, mode: str = "rw", windows: bool | None = None) -> str:
    """Return the ``file:`` URI (empty authority) that opens ``path`` with ``mode``.

    ``mode`` is SQLite's: ``ro``, ``rw`` (never creates a file) or ``rwc``.
    ``windows`` picks the path rules (default: this PC's); a relative path stays
    relative. Characters that mean something in a URI (``%``, ``?``, ``#``, spaces,
    non-ASCII) are percent-encoded as UTF-8, which SQLite decodes.
    """
    if windows is None:
        windows = os.name == "nt"
    text = str(path)
    if windows:
        win = PureWindowsPath(text)
        if win.drive.startswith("\\\\"):
            # \\server\share\dir\x.db → //server/share/dir/x.db, after an empty authority.
            body = "//" + win.as_posix().lstrip("/")
        elif win.drive:
            body = "/" + win.as_posix() if win.root else win.as_posix()
        else:
            body = win.as_posix()
    else:
        body = PurePosixPath(text).as_posix() if text else text
    encoded = quote(body, safe="/:")
    prefix = "file://" if body.startswith("/") else "file:"
    return f"{prefix}{encoded}?mode={mode}"


def check_file(path: str | os.PathLike[str], *, may_create: bool) -> bool:
    """Refuse a path that cannot be the queue database; return True when it must be created.

    Raises :class:`~shared.errors.StorageMissing` for a missing file (unless
    ``may_create``), :class:`~shared.errors.NotQueueDatabase` for a folder or a file
    that is not SQLite, :class:`~shared.errors.StorageReadOnly` or
    :class:`~shared.errors.StorageUnavailable` when the file cannot be looked at.
    An empty file counts as missing: a failed copy or ``touch`` holds no queue.
    """
    shown = str(path)
    try:
        if os.path.isdir(path):
            raise errors.NotQueueDatabase(errors.NotQueueDatabase.FOLDER, path=shown)
        size = os.path.getsize(path)
    except FileNotFoundError:
        if may_create:
            return True
        raise errors.StorageMissing(path=shown) from None
    except PermissionError as exc:
        raise errors.StorageReadOnly() from exc
    except OSError as exc:
        raise errors.StorageUnavailable() from exc
    if size == 0:
        if may_create:
            return True
        raise errors.NotQueueDatabase(path=shown)
    return False


def header_is_sqlite(header: bytes) -> bool:
    return header[:16] == SQLITE_MAGIC


def check_schema(conn: sqlite3.Connection, path: str, *, may_upgrade: bool) -> str:
    """Tell which schema the open database has: ``"current"``, ``"old"`` or ``"empty"``.

    Refuses (before anything is written) a database with tables but no Antrian PST
    migrations, one with migrations or a ``user_version`` this program does not know
    (:class:`~shared.errors.SchemaTooNew`), and, unless ``may_upgrade``, an empty or
    older one (:class:`~shared.errors.SchemaTooOld` /
    :class:`~shared.errors.StorageMissing`).
    """
    tables = {
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
    }
    known = known_migrations()
    if not tables:
        if may_upgrade:
            return "empty"
        raise errors.NotQueueDatabase(path=path)
    applied: list[str] = []
    if "_sqlite_migrations" in tables:
        applied = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM _sqlite_migrations WHERE migration_set = ?", (MIGRATION_SET,)
            ).fetchall()
        ]
    if not applied:
        raise errors.NotQueueDatabase(path=path)
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if set(applied) - set(known) or user_version > len(known):
        raise errors.SchemaTooNew()
    if set(known) - set(applied):
        if may_upgrade:
            return "old"
        raise errors.SchemaTooOld()
    return "current"
