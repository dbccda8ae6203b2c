"""What every ``pst-admin`` command group shares: exit codes, errors, input, output, the store.

A command group (``office``, ``tickets``, ``maintenance``, ``reports``, ``demo``) declares
each of its sub-commands as a :class:`Command`: the options it adds to its parser, the
handler that does the work, and whether it changes the database. Everything around the
handler lives here, once:

- an error a person is shown becomes one translated sentence and an exit code per kind
  (:data:`KINDS`, :func:`error_kind`, :func:`say_error`); ``--json`` prints it as
  ``{"error": {"kind", "message"}}``;
- a result is printed as ``key: value`` lines or, with ``--json``, as one JSON object
  (:func:`print_result`);
- the database is found (:func:`resolve_db`) and opened read-only unless the command
  writes (:func:`open_store`), so that reading commands never take the write lock;
- what an administrator typed or wrote in a file is checked with a sentence that says
  how to put it right (:class:`~shared.errors.UsageError`, :func:`check_day`; files
  through :mod:`shared.install.textfile`).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from shared import errors
from shared.central.connection import CentralError
from shared.clock import Clock, format_local
from shared.errors import UsageError
from shared.i18n import N_, Msg
from shared.install.config import Config
from shared.install.textfile import read_text_file
from shared.queue.operations import Operations
from shared.storage import dbfile
from shared.storage.store import Store, writable

log = logging.getLogger(__name__)

# kind of error → exit code; a script tells them apart without reading the sentence.
KINDS: dict[str, int] = {
    "refused": 1,  # the rules do not allow it (or `check` found a problem)
    "usage": 2,  # the command line or an input file is wrong
    "unavailable": 3,  # the shared folder cannot be reached
    "busy": 4,  # another PC holds the database
    "read_only": 5,  # this PC may not write the database
    "damaged": 6,  # the database file is damaged
    "not_found": 7,  # no database file at the path (share not connected?)
    "not_a_database": 8,  # the path is a folder or another program's file
    "schema_newer": 9,  # made by a newer Antrian PST: update this PC
    "schema_older": 10,  # run pst-admin init
    "unsafe": 11,  # WAL on a shared folder
    "config": 12,  # the configuration file cannot be used
    "printer": 13,  # the ticket printer did not take the ticket
    "invalid": 14,  # a value (a setting, a name, a PIN) that is not acceptable
    "auth": 15,  # the central database refused the account (password, rights)
    "internal": 70,  # a bug: the sentence says where the log is
}
EXIT_REFUSED, EXIT_USAGE = KINDS["refused"], KINDS["usage"]
# A command result printed as it is (a report's text), not as key: value lines.
TEXT_RESULT = "_text"

DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def error_kind(exc: BaseException) -> str:
    """The kind (see :data:`KINDS`) of an error a person is shown."""
    if isinstance(exc, CentralError):
        return exc.kind
    order: list[tuple[type[BaseException], str]] = [
        (UsageError, "usage"),
        (errors.ConfigError, "config"),
        (errors.StorageMissing, "not_found"),
        (errors.NotQueueDatabase, "not_a_database"),
        (errors.SchemaTooNew, "schema_newer"),
        (errors.SchemaTooOld, "schema_older"),
        (errors.UnsafeStorage, "unsafe"),
        (errors.StorageCorrupt, "damaged"),
        (errors.StorageReadOnly, "read_only"),
        (errors.StorageBusy, "busy"),
        (errors.StorageError, "unavailable"),
        (errors.ValidationError, "invalid"),
        (errors.NotFound, "refused"),
    ]
    for cls, kind in order:
        if isinstance(exc, cls):
            return kind
    if type(exc).__name__ == "PrinterProblem":
        return "printer"
    return "refused"


# -- a sub-command and its parser --------------------------------------------------------

Handler = Callable[[Operations, argparse.Namespace, Config], dict[str, Any]]
# A command that may run without the office's database: (result, time zone), or None.
AloneHandler = Callable[
    [argparse.Namespace, Config, Clock | None], tuple[dict[str, Any], str] | None
]
Opener = Callable[[Path, argparse.Namespace, Config], Store]


def changes_database(args: argparse.Namespace) -> bool:
    """Tell whether an action changes the database: all but list, get, describe and print."""
    return getattr(args, "action", None) not in ("list", "get", "describe", "print")


def never(args: argparse.Namespace) -> bool:
    """Tell that the command never changes the database (it reads, or writes elsewhere)."""
    return False


@dataclass(frozen=True)
class Command:
    """One sub-command of ``pst-admin``: its options, its handler, what it changes.

    ``run`` works on the office's database, opened by ``opens`` (default: the existing
    file, read-only unless ``writes(args)``). ``run_alone``, tried first, does the work
    without that database (``plan erlang``, ``report --central``, ``publish``) or returns
    None to leave it to ``run``. With ``refuses_unless_ok`` a result whose ``ok`` is
    false ends with the exit code of ``refused`` (``check``).
    """

    name: str
    help: str
    add_options: Callable[[argparse.ArgumentParser], None] = lambda parser: None
    run: Handler | None = None
    run_alone: AloneHandler | None = None
    writes: Callable[[argparse.Namespace], bool] = changes_database
    opens: Opener | None = None
    refuses_unless_ok: bool = False

    def open(self, path: Path, args: argparse.Namespace, config: Config) -> Store:
        """Open the database the way this command may use it."""
        if self.opens is not None:
            return self.opens(path, args, config)
        return open_store(path, config, writes=self.writes(args))


class Parser(argparse.ArgumentParser):
    """An argument parser that reports a mistake as a :class:`UsageError`, not an exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(N_("{problem} — see “{prog} --help”."), problem=message, prog=self.prog)


def int_in(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r}: {low}–{high}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: {low}–{high}")
        return value

    parse.__name__ = "number"
    return parse


# -- what an administrator typed or wrote ---------------------------------------------------


def read_json_object(path: str, what: str) -> dict[str, Any]:
    """Read a UTF-8 file that holds one JSON object, or say plainly why it cannot be used."""
    text = read_text_file(path, what)
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            N_("The {what} file {path} is not valid JSON (line {line}, column {column})."),
            what=Msg(what),
            path=path,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except RecursionError:
        raise UsageError(
            N_("The {what} file {path} is nested too deeply."), what=Msg(what), path=path
        ) from None
    if not isinstance(value, dict):
        raise UsageError(
            N_("The {what} file {path} must hold one JSON object, like {example}."),
            what=Msg(what),
            path=path,
            example='{"name": "Ani", "email": "ani@contoh.id", "consent": true}',
        )
    return value


def check_day(text: str) -> str:
    """Return ``text`` if it is a real date ``YYYY-MM-DD``."""
    try:
        if DAY_RE.match(text):
            date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise UsageError(
        N_("{day} is not a real date; write it as YYYY-MM-DD, e.g. 2026-11-28."), day=text
    )


# -- the database --------------------------------------------------------------------------


def resolve_db(args: argparse.Namespace, config: Config) -> Path:
    """The database path: ``--db``, ``$PST_DB``, or the configuration — never a guess."""
    if args.db:
        return Path(args.db)
    if os.environ.get("PST_DB"):
        return Path(os.environ["PST_DB"])
    if config.database.path:
        return config.database_path()
    raise UsageError(
        N_(
            "Which database? Give --db PATH, set PST_DB, or set path in the [database] section"
            " of the configuration."
        )
    )


def open_store(path: Path, config: Config, *, writes: bool) -> Store:
    """Open an existing database, read-only unless the command ``writes`` (the one policy)."""
    db = config.database
    dbfile.check_file(path, may_create=False)
    if writes and not writable(path):
        raise errors.StorageReadOnly()
    return Store(
        path,
        busy_timeout_ms=db.busy_timeout_ms,
        retry_seconds=db.retry_seconds,
        create=False,
        writes=writes,
    )


def create_store(path: Path, config: Config, *, create: bool = True) -> Store:
    """Open a database that ``init`` or ``demo`` may create, waiting up to 10 s for the lock."""
    return Store(
        path, busy_timeout_ms=config.database.busy_timeout_ms, retry_seconds=10, create=create
    )


# -- what is printed -----------------------------------------------------------------------


def _human(key: str, value: Any, tz: str) -> str:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and (key.endswith("_at") or key == "cutoff")
        and value > 10**11
    ):
        return format_local(value, tz, "%Y-%m-%d %H:%M:%S")
    return str(value)


def print_result(result: dict[str, Any], tz: str, *, as_json: bool) -> None:
    """Print a command's result: one JSON object, its text, or ``key: value`` lines."""
    if as_json:
        print(json.dumps(result, ensure_ascii=False, default=str))
        return
    if TEXT_RESULT in result:
        sys.stdout.write(result[TEXT_RESULT])
        return
    for key, value in result.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            print(f"{key}:")
            for item in value:
                if "number" in item:
                    when = format_local(item.get("issued_at"), tz)
                    print(f"  {item['number']:<8} {item['status']:<12} {when}  #{item['id']}")
                else:
                    print("  " + ", ".join(f"{k}={_human(k, v, tz)}" for k, v in item.items()))
        elif isinstance(value, dict):
            print(f"{key}: " + ", ".join(f"{k}={_human(k, v, tz)}" for k, v in value.items()))
        else:
            print(f"{key}: {_human(key, value, tz)}")


def say_error(kind: str, message: str, as_json: bool, exc: BaseException | None) -> int:
    """Print an error as one sentence (or JSON) and return the exit code of its ``kind``."""
    if exc is not None and exc.__cause__ is not None:
        log.info("pst-admin %s: %s (cause: %r)", kind, message, exc.__cause__)
    with contextlib.suppress(BrokenPipeError):
        if as_json:
            print(json.dumps({"error": {"kind": kind, "message": message}}, ensure_ascii=False))
        else:
            print(f"pst-admin: {printable(message)}", file=sys.stderr)
    return KINDS[kind]


def printable(text: str) -> str:
    """Show control characters that came from the input as escapes: one line, no ESC codes."""
    return "".join(c if c.isprintable() or c == " " else repr(c)[1:-1] for c in text)
