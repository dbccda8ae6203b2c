"""``pst-admin`` commands that set up the office: init, service, counter, officer, setting.

Each edit is one function of :class:`~shared.queue.operations.Operations` (one transaction,
one event); the handlers here only turn the command line into its arguments. ``init`` is
the only command that creates a database or upgrades its schema.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from shared import errors
from shared.cli.common import Command, UsageError, create_store, int_in
from shared.i18n import N_, _
from shared.install.config import Config
from shared.install.textfile import read_text_file
from shared.office import settings
from shared.queue import queries
from shared.queue.operations import Operations
from shared.storage import dbfile
from shared.storage.schema import SCHEMA_VERSION
from shared.storage.store import Store


def _yes_no(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


def _read_pin(args: argparse.Namespace) -> str | None:
    if getattr(args, "pin_file", None):
        pin = read_text_file(args.pin_file, N_("PIN")).strip()
        if not pin:
            raise UsageError(N_("The PIN file {path} is empty."), path=args.pin_file)
        return pin
    if getattr(args, "pin_prompt", False):
        if not (sys.stdin and sys.stdin.isatty()):
            # A scheduled task or a pipe: a PIN typed nowhere would be echoed or lost.
            raise UsageError(N_("There is no terminal to type a PIN in: use --pin-file."))
        try:
            first = getpass.getpass(_("New PIN: "))
            second = getpass.getpass(_("Repeat the PIN: "))
        except EOFError:
            raise UsageError(N_("No PIN was typed.")) from None
        except OSError:
            # No terminal to ask on (a scheduled task, a pipe).
            raise UsageError(N_("There is no terminal to type a PIN in: use --pin-file.")) from None
        if second != first:
            raise UsageError(N_("The two PINs differ."))
        return first
    return None


# -- init ---------------------------------------------------------------------------------


def open_for_init(path: Path, args: argparse.Namespace, config: Config) -> Store:
    """Open or create the database in a folder that must already exist."""
    folder = path.parent
    if not folder.is_dir():
        raise UsageError(
            N_("The folder {path} does not exist. Create it (or connect the share) first."),
            path=str(folder),
        )
    dbfile.check_file(path, may_create=True)
    return create_store(path, config)


def run_init(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    applied_now = ops.initialise()
    return {"database": str(ops.store.path), "applied": applied_now, "schema": SCHEMA_VERSION}


# -- service ------------------------------------------------------------------------------


def add_service_options(s: argparse.ArgumentParser) -> None:
    s.add_argument(
        "action",
        choices=["list", "add", "edit"],
        help="add refuses an existing code, edit a missing one",
    )
    s.add_argument("code", nargs="?", default="", help="service code = ticket prefix, e.g. KS")
    s.add_argument("--name-id", help="name in Indonesian")
    s.add_argument("--name-en", help="name in English")
    s.add_argument(
        "--target-minutes", type=int_in(1, 240), help="service target in minutes (1–240)"
    )
    s.add_argument("--sort-order", type=int_in(0, 999), help="position in lists (0–999)")
    s.add_argument("--active", choices=["yes", "no"], help="offered at the kiosk")


def run_service(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    if args.action == "list":
        return {"services": ops.store.read(lambda c: queries.services(c))}
    if not args.code:
        raise UsageError(
            N_("Give the service code, e.g. “service {action} KS”."), action=args.action
        )
    service = ops.save_service(
        args.code,
        name_id=args.name_id,
        name_en=args.name_en,
        target_minutes=args.target_minutes,
        active=_yes_no(args.active),
        sort_order=args.sort_order,
        exists=args.action == "edit",
    )
    return {"service": service}


# -- counter ------------------------------------------------------------------------------


def add_counter_options(c: argparse.ArgumentParser) -> None:
    c.add_argument("action", choices=["list", "add", "edit"], help="add refuses an existing name")
    c.add_argument("name", nargs="?", default="", help="counter name, e.g. 'Loket 1'")
    c.add_argument("--id", type=int_in(1, 1_000_000), help="the counter to edit")
    c.add_argument("--services", help="comma-separated service codes, e.g. KS,PS")
    c.add_argument("--active", choices=["yes", "no"], help="in use")
    c.add_argument("--status", choices=["open", "paused", "closed"], help="open, pause or close it")
    c.add_argument("--reason", help="why it is paused")


def run_counter(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    if args.action == "list":
        rows = ops.store.read(queries.counters)
        return {"counters": [{k: v for k, v in r.items() if k != "current"} for r in rows]}
    services = [s.strip().upper() for s in args.services.split(",")] if args.services else None
    if args.action == "add":
        if not args.name:
            raise UsageError(N_("Give the new counter's name, e.g. “counter add 'Loket 3'”."))
        counter = ops.save_counter(args.name, services=services or [])
    else:
        if args.id is None:
            raise UsageError(N_("Give the counter's --id."))
        current = ops.store.read(
            lambda c: c.execute("SELECT name FROM counters WHERE id = ?", (args.id,)).fetchone()
        )
        if current is None:
            raise errors.NotFound(N_("Counter {id} does not exist."), id=args.id)
        counter = ops.save_counter(
            args.name or current[0],
            counter_id=args.id,
            services=services,
            active=_yes_no(args.active),
        )
    if args.status:
        counter = ops.set_counter_status(counter["id"], args.status, reason=args.reason or "")
    return {"counter": counter}


# -- officer ------------------------------------------------------------------------------


def add_officer_options(o: argparse.ArgumentParser) -> None:
    o.add_argument(
        "action",
        choices=["list", "add", "edit", "unlock"],
        help="add refuses an existing user, edit a missing one; unlock clears wrong-PIN locks",
    )
    o.add_argument("username", nargs="?", default="", help="user name, e.g. budi")
    o.add_argument("--full-name", help="full name shown on the console")
    o.add_argument("--role", choices=["officer", "supervisor", "admin"], help="what they may do")
    o.add_argument("--pin-prompt", action="store_true", help="ask for the PIN")
    o.add_argument("--pin-file", help="read the PIN from a file (never from the command line)")
    o.add_argument("--active", choices=["yes", "no"], help="may log in")


def run_officer(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    if args.action == "list":
        return {"officers": ops.store.read(queries.officers)}
    if not args.username:
        raise UsageError(
            N_("Give the officer's user name, e.g. “officer {action} budi”."), action=args.action
        )
    if args.action == "unlock":
        return {"officer": ops.unlock_officer(args.username)}
    if args.action == "add" and not (args.pin_file or args.pin_prompt):
        raise UsageError(N_("A new officer needs a PIN: use --pin-prompt or --pin-file."))
    pin = _read_pin(args)
    officer = ops.save_officer(
        args.username,
        full_name=args.full_name,
        role=args.role,
        pin=pin,
        active=_yes_no(args.active),
        exists=args.action == "edit",
    )
    return {"officer": officer}


# -- setting ------------------------------------------------------------------------------


def add_setting_options(st: argparse.ArgumentParser) -> None:
    st.add_argument("action", choices=["list", "describe", "get", "set"], help="what to do")
    st.add_argument(
        "key", nargs="?", default="", help="setting name (“setting describe” lists them)"
    )
    st.add_argument("value", nargs="?", default="", help="new value: JSON, or plain text for texts")
    st.add_argument("--from-file", help="read the new value from a UTF-8 file (no shell quoting)")


def run_setting(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    if args.action == "list":
        return {"settings": ops.store.read(settings.get_all)}
    if args.action == "describe":
        return {"settings": settings.describe()}
    if not args.key:
        raise UsageError(N_("Give the setting's name; “setting describe” lists them."))
    if args.key not in settings.SCHEMA:
        raise UsageError(
            N_("There is no setting called {key}; “setting describe” lists them."), key=args.key
        )
    if args.action == "get":
        return {args.key: ops.store.read(lambda c: settings.get(c, args.key))}
    if args.from_file and args.value:
        raise UsageError(N_("Give the value or --from-file, not both."))
    if args.from_file:
        text = read_text_file(args.from_file, N_("setting"))
    elif args.value:
        text = args.value
    else:
        raise UsageError(
            N_("Give the new value of {key}, or --from-file FILE with the value in it."),
            key=args.key,
        )
    value = settings.parse_text(args.key, text)
    settings.check(args.key, value)
    return {args.key: ops.save_setting(args.key, value)}


INIT = Command(
    "init",
    "create the database, or upgrade it after an update (idempotent)",
    run=run_init,
    opens=open_for_init,
)
SERVICE = Command("service", "list, add or edit services", add_service_options, run_service)
COUNTER = Command("counter", "list, add or edit counters", add_counter_options, run_counter)
OFFICER = Command("officer", "list, add, edit or unlock officers", add_officer_options, run_officer)
SETTING = Command(
    "setting", "list, describe, get or set office-wide settings", add_setting_options, run_setting
)
