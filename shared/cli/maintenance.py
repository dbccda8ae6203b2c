"""``pst-admin`` commands that look after the database: check, backup, purge-pii.

``check`` and ``backup`` only read (a backup copies the live database while the
programs use it, then checks the copy); ``purge-pii`` shows what it would anonymise and
changes nothing without ``--yes``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sqlite3
from pathlib import Path
from typing import Any

from shared import errors
from shared.cli import common
from shared.cli.common import Command, UsageError, int_in, never
from shared.clock import from_ms
from shared.i18n import N_, _
from shared.install.config import Config
from shared.office import settings
from shared.queue import heartbeat
from shared.queue.administration import personal_data_due
from shared.queue.operations import Operations
from shared.storage import dbfile
from shared.storage.schema import applied, known_migrations

BACKUP_NAME = re.compile(r"^antrian-pst-\d{8}-\d{4}(-\d+)?\.db$")


# -- check --------------------------------------------------------------------------------


def run_check(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    store = ops.store
    problems = store.integrity_check()
    mode = store.journal_mode()
    names = store.read(applied)
    skew = store.read(heartbeat.skew_report)
    seen = store.read(heartbeat.machines)
    # The same answer that decides whether a writing command may open the file.
    can_write = common.writable(store.path)
    ok = (
        not problems
        and mode != "wal"
        and not skew
        and set(known_migrations()) <= set(names)
        and can_write
    )
    return {
        "ok": ok,
        "database": str(store.path),
        "integrity": problems or ["ok"],
        "journal_mode": mode,
        "writable": can_write,
        "schema_migrations": names,
        "clock_skew": skew,
        "programs": [
            {k: m[k] for k in ("machine", "program", "seq", "clock_at", "status", "version")}
            for m in seen
        ],
    }


# -- backup -------------------------------------------------------------------------------


def backup_target(destination: str, live: Path, stamp: str) -> tuple[Path, bool]:
    """Where a backup goes: ``(file, in_folder)``; refuses what would lose a backup.

    An existing folder (or a path ending in a separator) gets a dated file
    ``antrian-pst-YYYYMMDD-HHMM.db``; anything else is a file name whose folder must
    exist. The live database itself is never a backup target.
    """
    dest = Path(destination)
    as_folder = destination.endswith(("/", "\\")) or dest.is_dir()
    if as_folder:
        if not dest.is_dir():
            raise UsageError(
                N_("The backup folder {path} does not exist. Create it first."), path=destination
            )
        target = dest / f"antrian-pst-{stamp}.db"
    else:
        if not dest.parent.is_dir():
            raise UsageError(
                N_("The folder {path} for the backup does not exist. Create it first."),
                path=str(dest.parent),
            )
        target = dest
    with contextlib.suppress(OSError):
        if target.exists() and os.path.samefile(target, live):
            raise UsageError(
                N_("{path} is the live queue database; a backup must go somewhere else."),
                path=str(target),
            )
    if os.path.abspath(target) == os.path.abspath(live):
        raise UsageError(
            N_("{path} is the live queue database; a backup must go somewhere else."),
            path=str(target),
        )
    return target, as_folder


def verify_copy(path: Path) -> list[str]:
    """Run ``PRAGMA integrity_check`` on a finished copy; an empty list means it is sound."""
    try:
        conn = sqlite3.connect(dbfile.sqlite_uri(os.path.abspath(path), mode="ro"), uri=True)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check").fetchall()]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def add_backup_options(b: argparse.ArgumentParser) -> None:
    b.add_argument(
        "destination",
        help="an existing folder (gets antrian-pst-YYYYMMDD-HHMM.db) or a file name",
    )
    b.add_argument(
        "--keep", type=int_in(1, 10_000), help="in a folder, keep only the newest N backups"
    )


def run_backup(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    tz = ops.store.read(lambda c: settings.get(c, "timezone"))
    stamp = from_ms(ops.clock.now_ms(), tz).strftime("%Y%m%d-%H%M")
    target, in_folder = backup_target(args.destination, ops.store.path, stamp)
    if args.keep is not None and not in_folder:
        raise UsageError(N_("--keep needs a backup folder, not a file name."))
    dest = ops.store.backup(target)
    problems = verify_copy(dest)
    if problems:
        raise errors.StorageCorrupt(
            N_(
                "The backup {path} failed its check ({problem}); the database was not copied safely."
            ),
            path=str(dest),
            problem=problems[0],
        )
    removed: list[str] = []
    if args.keep is not None:
        copies = sorted(p for p in dest.parent.iterdir() if BACKUP_NAME.match(p.name))
        for old in copies[: max(0, len(copies) - args.keep)]:
            if old != dest:
                old.unlink()
                removed.append(old.name)
    return {"backup": str(dest), "integrity": ["ok"], "removed": removed}


# -- purge-pii ----------------------------------------------------------------------------


def add_purge_options(pp: argparse.ArgumentParser) -> None:
    pp.add_argument(
        "--older-than-days",
        type=int_in(-(10**9), 10**9),
        help=f"records older than this (default: retention_days; at least {settings.RETENTION_FLOOR_DAYS})",
    )
    pp.add_argument("--yes", action="store_true", help="really anonymise (without it: only show)")


def run_purge(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    if not args.yes:
        now = ops.clock.now_ms()
        due = ops.store.read(lambda c: personal_data_due(c, now, args.older_than_days))
        return {
            "would_anonymise": len(due["visitor_ids"]),
            "cutoff": due["cutoff"],
            "days": due["days"],
            "done": False,
            "note": _("Nothing was changed. Run the same command with --yes to anonymise them."),
        }
    return {**ops.purge_personal_data(args.older_than_days), "done": True}


CHECK = Command(
    "check",
    "integrity, journal mode, write access, schema and clock skew",
    run=run_check,
    writes=never,
    refuses_unless_ok=True,
)
BACKUP = Command(
    "backup",
    "copy the database safely while it is in use, then check the copy",
    add_backup_options,
    run_backup,
    writes=never,
)
PURGE_PII = Command(
    "purge-pii",
    "anonymise guest-book records past the retention period (shows first)",
    add_purge_options,
    run_purge,
    writes=lambda args: bool(args.yes),
)
