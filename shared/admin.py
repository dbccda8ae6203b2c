"""``pst-admin``: the command line for IT staff and scripts. Imports no Qt.

Every command takes ``--db PATH`` (or ``$PST_DB``, or the machine's configuration) and
``--json`` (print exactly one JSON object). Errors go to stderr as one clear sentence;
the exit code is 1 for a refused operation, 2 for bad usage, 3 for storage trouble.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared import __version__, heartbeat, i18n, queries, reports, settings
from shared.clock import Clock, format_local, service_day
from shared.config import load_config
from shared.demo import build_demo
from shared.errors import ConfigError, PSTError, StorageError
from shared.i18n import _
from shared.operations import Operations
from shared.schema import SCHEMA_VERSION, applied
from shared.store import Store

EXIT_REFUSED, EXIT_USAGE, EXIT_STORAGE = 1, 2, 3


class UsageError(Exception):
    pass


def _ticket_json(ticket: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": ticket["id"],
        "number": ticket["number"],
        "code": ticket["code"],
        "service": ticket["service_code"],
        "status": ticket["status"],
        "priority_group": ticket["priority_group"],
        "service_day": ticket["service_day"],
        "issued_at": ticket["issued_at"],
        "called_at": ticket["called_at"],
        "counter_id": ticket["counter_id"],
        "target_met": None if ticket["target_met"] is None else bool(ticket["target_met"]),
        **{k: ticket[k] for k in ("ahead", "estimate_minutes") if k in ticket},
    }


def _read_pin(args: argparse.Namespace) -> str | None:
    if getattr(args, "pin_file", None):
        return Path(args.pin_file).read_text(encoding="utf-8").strip()
    if getattr(args, "pin_prompt", False):
        first = getpass.getpass(_("New PIN: "))
        if getpass.getpass(_("Repeat the PIN: ")) != first:
            raise UsageError(_("The two PINs differ."))
        return first
    return None


# -- commands -------------------------------------------------------------------------


def cmd_init(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    applied_now = ops.initialise()
    return {"database": str(ops.store.path), "applied": applied_now, "schema": SCHEMA_VERSION}


def cmd_demo(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    return build_demo(ops, reset=args.reset)


def cmd_service(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    if args.action == "list":
        return {"services": ops.store.read(lambda c: queries.services(c))}
    service = ops.save_service(
        args.code,
        name_id=args.name_id,
        name_en=args.name_en,
        target_minutes=args.target_minutes,
        active=None if args.active is None else args.active == "yes",
        sort_order=args.sort_order,
    )
    return {"service": service}


def cmd_counter(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    if args.action == "list":
        rows = ops.store.read(queries.counters)
        return {"counters": [{k: v for k, v in r.items() if k != "current"} for r in rows]}
    services = args.services.split(",") if args.services else None
    if args.action == "add":
        counter = ops.save_counter(args.name, services=services or [])
    else:
        if args.id is None:
            raise UsageError(_("Give the counter's --id."))
        current = ops.store.read(
            lambda c: c.execute("SELECT name FROM counters WHERE id = ?", (args.id,)).fetchone()
        )
        if current is None:
            raise UsageError(_("Counter {id} does not exist.", id=args.id))
        counter = ops.save_counter(
            args.name or current[0],
            counter_id=args.id,
            services=services,
            active=None if args.active is None else args.active == "yes",
        )
    if args.status:
        counter = ops.set_counter_status(counter["id"], args.status, reason=args.reason or "")
    return {"counter": counter}


def cmd_officer(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    if args.action == "list":
        return {"officers": ops.store.read(queries.officers)}
    pin = _read_pin(args)
    if args.action == "add" and pin is None:
        raise UsageError(_("A new officer needs a PIN: use --pin-prompt or --pin-file."))
    officer = ops.save_officer(
        args.username,
        full_name=args.full_name,
        role=args.role,
        pin=pin,
        active=None if args.active is None else args.active == "yes",
    )
    return {"officer": officer}


def _ticket_id(ops: Operations, text: str) -> int:
    if text.isdigit():
        return int(text)
    office = ops.store.read(settings.get_all)
    found = ops.store.read(lambda c: queries.find_ticket(c, text, office, ops.clock.now_ms()))
    if found is None:
        raise UsageError(_("No ticket {code} was found today.", code=text))
    return found["id"]


def cmd_ticket(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    action = args.action
    if action == "list":
        office = ops.store.read(settings.get_all)
        day = args.day or service_day(ops.clock.now_ms(), office["timezone"])
        rows = ops.store.read(lambda c: queries.day_tickets(c, day))
        if args.status:
            rows = [r for r in rows if r["status"] == args.status]
        return {"day": day, "tickets": [_ticket_json(r) for r in rows]}
    if action == "issue":
        guest = None
        if args.guest:
            guest = json.loads(Path(args.guest).read_text(encoding="utf-8"))
        ticket = ops.issue_ticket(
            args.service.upper(),
            guest,
            priority_group=args.priority,
            ignore_hours=args.ignore_hours,
        )
        return {"ticket": _ticket_json(ticket)}
    if action == "call-next":
        return {"ticket": _ticket_json(ops.call_next(args.counter, args.officer))}
    if action == "print":
        # python-escpos is slow to import: only the print command pays for it.
        from shared.printing import print_ticket_by_id

        data = print_ticket_by_id(
            ops.store, _ticket_id(ops, args.ticket), args.printer, args.profile, clock=ops.clock
        )
        return {"printed": True, "bytes": len(data or b"")}
    ticket_id = _ticket_id(ops, args.ticket)
    if action == "call":
        if args.counter is None:
            raise UsageError(_("Give the --counter that calls the ticket."))
        result = ops.call_ticket(ticket_id, args.counter, args.officer, reason=args.reason or "")
    elif action == "transfer":
        if not args.to:
            raise UsageError(_("Give the service to transfer to with --to."))
        result = ops.transfer(ticket_id, args.to.upper(), args.officer, notes=args.notes)
    elif action == "finish":
        result = ops.finish(ticket_id, args.officer, notes=args.notes)
    else:
        method: Callable[..., dict[str, Any]] = {
            "recall": ops.recall,
            "start": ops.start_service,
            "no-show": ops.no_show,
            "requeue": ops.requeue,
        }[action]
        result = method(ticket_id, args.officer)
    return {"ticket": _ticket_json(result)}


def cmd_check(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    store = ops.store
    problems = store.integrity_check()
    mode = store.journal_mode()
    names = store.read(applied)
    skew = store.read(heartbeat.skew_report)
    seen = store.read(heartbeat.machines)
    ok = not problems and mode != "wal" and not skew and len(names) >= SCHEMA_VERSION
    return {
        "ok": ok,
        "database": str(store.path),
        "integrity": problems or ["ok"],
        "journal_mode": mode,
        "schema_migrations": names,
        "clock_skew": skew,
        "programs": [
            {k: m[k] for k in ("machine", "program", "seq", "clock_at", "status", "version")}
            for m in seen
        ],
    }


def cmd_backup(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    dest = ops.store.backup(args.destination)
    check = Store(dest, create=False)
    try:
        problems = check.integrity_check()
    finally:
        check.close()
    return {"backup": str(dest), "integrity": problems or ["ok"]}


def cmd_purge(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    return ops.purge_personal_data(args.older_than_days)


def cmd_setting(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    if args.action == "list":
        return {"settings": ops.store.read(settings.get_all)}
    if args.action == "get":
        return {args.key: ops.store.read(lambda c: settings.get(c, args.key))}
    try:
        value = json.loads(args.value)
    except json.JSONDecodeError:
        value = args.value
    return {args.key: ops.save_setting(args.key, value)}


def cmd_report(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    office = ops.store.read(settings.get_all)
    if args.month:
        return ops.store.read(lambda c: reports.month_report(c, args.month))
    day = args.day or service_day(ops.clock.now_ms(), office["timezone"])
    return ops.store.read(lambda c: reports.day_report(c, day))


COMMANDS = {
    "init": cmd_init,
    "demo": cmd_demo,
    "service": cmd_service,
    "counter": cmd_counter,
    "officer": cmd_officer,
    "ticket": cmd_ticket,
    "check": cmd_check,
    "backup": cmd_backup,
    "purge-pii": cmd_purge,
    "setting": cmd_setting,
    "report": cmd_report,
}


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="pst-admin",
        description="Administer the Antrian PST queue database (no window needed).",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # The common options are accepted before or after the command.
    common = argparse.ArgumentParser(add_help=False)
    for target, default in ((p, None), (common, argparse.SUPPRESS)):
        target.add_argument(
            "--db", default=default, help="database file (default: $PST_DB, then the configuration)"
        )
        target.add_argument("--config", default=default, help="configuration file (TOML)")
        target.add_argument(
            "--json", action="store_true", default=default or False, help="print one JSON object"
        )
        target.add_argument(
            "--lang", default=default, choices=i18n.LANGUAGES, help="language of messages"
        )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add = sub.add_parser

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return _add(name, parents=[common], **kwargs)

    sub.add_parser = add_parser  # type: ignore[method-assign]

    sub.add_parser("init", help="create or migrate the database (idempotent)")
    d = sub.add_parser("demo", help="fill a database with a demo office and a morning of tickets")
    d.add_argument("--reset", action="store_true", help="delete the file first")

    s = sub.add_parser("service", help="list, add or edit services")
    s.add_argument("action", choices=["list", "add", "edit"])
    s.add_argument("code", nargs="?", default="")
    s.add_argument("--name-id")
    s.add_argument("--name-en")
    s.add_argument("--target-minutes", type=int)
    s.add_argument("--sort-order", type=int)
    s.add_argument("--active", choices=["yes", "no"])

    c = sub.add_parser("counter", help="list, add or edit counters")
    c.add_argument("action", choices=["list", "add", "edit"])
    c.add_argument("name", nargs="?", default="")
    c.add_argument("--id", type=int)
    c.add_argument("--services", help="comma-separated service codes, e.g. KS,PS")
    c.add_argument("--active", choices=["yes", "no"])
    c.add_argument("--status", choices=["open", "paused", "closed"])
    c.add_argument("--reason")

    o = sub.add_parser("officer", help="list, add or edit officers")
    o.add_argument("action", choices=["list", "add", "edit"])
    o.add_argument("username", nargs="?", default="")
    o.add_argument("--full-name")
    o.add_argument("--role", choices=["officer", "supervisor", "admin"])
    o.add_argument("--pin-prompt", action="store_true", help="ask for the PIN")
    o.add_argument("--pin-file", help="read the PIN from a file (never from the command line)")
    o.add_argument("--active", choices=["yes", "no"])

    t = sub.add_parser("ticket", help="issue, call, move and list tickets")
    t.add_argument(
        "action",
        choices=[
            "issue",
            "call-next",
            "call",
            "recall",
            "start",
            "finish",
            "no-show",
            "requeue",
            "transfer",
            "list",
            "print",
        ],
    )
    t.add_argument("ticket", nargs="?", default="", help="ticket id, QR code or today's number")
    t.add_argument("--service", default="KS")
    t.add_argument("--priority", help="priority group, e.g. elderly")
    t.add_argument("--guest", help="JSON file with the guest-book record")
    t.add_argument("--ignore-hours", action="store_true", help="issue outside service hours")
    t.add_argument("--counter", type=int)
    t.add_argument("--officer", type=int)
    t.add_argument("--reason")
    t.add_argument("--notes")
    t.add_argument("--to", help="service code to transfer to")
    t.add_argument("--day", help="service day YYYY-MM-DD (list)")
    t.add_argument("--status", help="only tickets in this state (list)")
    t.add_argument("--printer", default="dummy", help="printer, e.g. network:10.0.0.5:9100")
    t.add_argument("--profile", default="TM-T20II", help="printer profile, e.g. POS-5890")

    sub.add_parser("check", help="integrity, journal mode, schema version and clock skew")
    b = sub.add_parser("backup", help="copy the database safely while it is in use")
    b.add_argument("destination", help="file or folder")
    pp = sub.add_parser("purge-pii", help="anonymise guest-book records past the retention period")
    pp.add_argument("--older-than-days", type=int)
    st = sub.add_parser("setting", help="list, get or set office-wide settings")
    st.add_argument("action", choices=["list", "get", "set"])
    st.add_argument("key", nargs="?", default="")
    st.add_argument("value", nargs="?", default="", help="JSON value (or plain text)")
    r = sub.add_parser("report", help="a day's or a month's figures (targets, waits, IKM)")
    r.add_argument("--day", help="YYYY-MM-DD (default today)")
    r.add_argument("--month", help="YYYY-MM")
    return p


def _print_human(result: dict[str, Any], tz: str) -> None:
    for key, value in result.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            print(f"{key}:")
            for item in value:
                if "number" in item:
                    when = format_local(item.get("issued_at"), tz)
                    print(f"  {item['number']:<8} {item['status']:<12} {when}  #{item['id']}")
                else:
                    print("  " + ", ".join(f"{k}={v}" for k, v in item.items()))
        elif isinstance(value, dict):
            print(f"{key}: " + ", ".join(f"{k}={v}" for k, v in value.items()))
        else:
            print(f"{key}: {value}")


def resolve_db(args: argparse.Namespace) -> Path:
    if args.db:
        return Path(args.db)
    if os.environ.get("PST_DB"):
        return Path(os.environ["PST_DB"])
    return load_config(args.config).database_path()


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        config = load_config(args.config)
        i18n.set_language(args.lang or config.machine.language)
        path = resolve_db(args)
        if args.command == "demo" and args.reset and path.exists():
            path.unlink()
        path.parent.mkdir(parents=True, exist_ok=True)
        store = Store(path, busy_timeout_ms=config.database.busy_timeout_ms, retry_seconds=10)
        ops = Operations(
            store,
            clock=clock,
            machine=config.machine.name or socket.gethostname(),
            program="pst-admin",
        )
        if args.command not in ("init", "demo"):
            ops.initialise()
        result = COMMANDS[args.command](ops, args)
        tz = store.read(lambda c: settings.get(c, "timezone"))
        store.close()
    except UsageError as exc:
        print(f"pst-admin: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StorageError as exc:
        print(f"pst-admin: {exc.message} ({exc.__cause__ or exc})", file=sys.stderr)
        return EXIT_STORAGE
    except ConfigError as exc:
        print(f"pst-admin: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except PSTError as exc:
        print(f"pst-admin: {exc.message}", file=sys.stderr)
        return EXIT_REFUSED
    except (OSError, json.JSONDecodeError) as exc:
        print(f"pst-admin: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str))
    else:
        _print_human(result, tz)
    if args.command == "check" and not result["ok"]:
        return EXIT_REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(main())
