"""``pst-admin``: the command line for IT staff and scripts. Imports no Qt.

Every command takes ``--db PATH`` (or ``$PST_DB``, or the machine's configuration) and
``--json`` (print exactly one JSON object, errors included). Errors are one translated
sentence, never a traceback; each kind of error has its own exit code (:data:`KINDS`).

Only ``init`` creates a database or upgrades its schema (``demo`` creates one on a new
path). Reading commands (``check``, ``report``, ``backup``, every ``list`` and
``get``) never take the write lock.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import os
import re
import socket
import sqlite3
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

from shared import __version__, dbfile, errors, heartbeat, i18n, queries, settings
from shared.administration import personal_data_due
from shared.central.connection import CentralError
from shared.clock import Clock, format_local, from_ms, service_day
from shared.config import Config, load_config
from shared.demo import build_demo
from shared.i18n import N_, Msg, _
from shared.logs import log_file, setup_logging
from shared.operations import Operations
from shared.reporting import KINDS as REPORT_PERIODS
from shared.reporting import Period, ReportFilter, build_report
from shared.reporting import export as report_export
from shared.schema import SCHEMA_VERSION, TICKET_STATES, applied, known_migrations
from shared.store import Store, writable

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
EXIT_REFUSED, EXIT_USAGE, EXIT_STORAGE = KINDS["refused"], KINDS["usage"], KINDS["unavailable"]
# A command result printed as it is (a report's text), not as key: value lines.
TEXT_RESULT = "_text"

BACKUP_NAME = re.compile(r"^antrian-pst-\d{8}-\d{4}(-\d+)?\.db$")
DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


class UsageError(errors.PSTError):
    """The command line or an input file is wrong; ``message`` says how."""


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


def read_text_file(path: str, what: str) -> str:
    """Read a UTF-8 text file an administrator wrote, or say plainly why it cannot be used."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(
            N_("The {what} file {path} does not exist."), what=Msg(what), path=path
        ) from None
    except IsADirectoryError:
        raise UsageError(
            N_("{path} is a folder, not a {what} file."), what=Msg(what), path=path
        ) from None
    except OSError as exc:
        raise UsageError(
            N_("The {what} file {path} cannot be read ({problem})."),
            what=Msg(what),
            path=path,
            problem=exc.strerror or type(exc).__name__,
        ) from None
    except ValueError:  # a NUL character in the path: no file can have that name
        raise UsageError(
            N_("The {what} file {path} does not exist."), what=Msg(what), path=path
        ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise UsageError(
            N_(
                "The {what} file {path} is not UTF-8 text (it looks like UTF-16). Save it as"
                " UTF-8, e.g. in Notepad: Save as → Encoding: UTF-8."
            ),
            what=Msg(what),
            path=path,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            N_("The {what} file {path} is not UTF-8 text. Save it as UTF-8."),
            what=Msg(what),
            path=path,
        ) from None


def read_json_object(path: str, what: str) -> dict[str, Any]:
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


def _yes_no(value: str | None) -> bool | None:
    return None if value is None else value == "yes"


# -- checks of what was typed --------------------------------------------------------------


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


def check_month(text: str) -> str:
    """Return ``text`` if it is a month ``YYYY-MM``."""
    found = MONTH_RE.match(text)
    if found and 1 <= int(found.group(2)) <= 12 and int(found.group(1)) >= 1:
        return text
    raise UsageError(N_("{month} is not a month; write it as YYYY-MM, e.g. 2026-11."), month=text)


def check_status(text: str) -> str:
    if text in TICKET_STATES:
        return text
    raise UsageError(
        N_("{status} is not a ticket state; use one of {states}."),
        status=text,
        states=", ".join(TICKET_STATES),
    )


# -- commands ---------------------------------------------------------------------------


def cmd_init(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    applied_now = ops.initialise()
    return {"database": str(ops.store.path), "applied": applied_now, "schema": SCHEMA_VERSION}


def cmd_demo(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    return build_demo(ops)


def cmd_service(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
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


def cmd_counter(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
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


def cmd_officer(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
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


def _ticket_id(ops: Operations, text: str) -> int:
    text = text.strip()
    if not text:
        raise UsageError(N_("Give the ticket: its number today (KS-001), its QR code or its id."))
    if text.isdigit() and text.isascii():
        if len(text) > 15:
            raise errors.NotFound(N_("Ticket {id} does not exist."), id=text)
        return int(text)
    office = ops.store.read(settings.get_all)
    found = ops.store.read(lambda c: queries.find_ticket(c, text, office, ops.clock.now_ms()))
    if found is None:
        raise errors.NotFound(N_("No ticket {code} was found today."), code=text)
    return found["id"]


def _guest(path: str) -> dict[str, Any]:
    guest = read_json_object(path, N_("guest-book"))
    for key, value in guest.items():
        if not (value is None or isinstance(value, (str, int, bool))):
            raise UsageError(
                N_("In the guest-book file, {key} must be a text, a number or true/false."),
                key=key,
            )
    return guest


def cmd_ticket(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    action = args.action
    if action == "list":
        office = ops.store.read(settings.get_all)
        day = (
            check_day(args.day) if args.day else service_day(ops.clock.now_ms(), office["timezone"])
        )
        status = check_status(args.status) if args.status else None
        rows = ops.store.read(lambda c: queries.day_tickets(c, day))
        if status:
            rows = [r for r in rows if r["status"] == status]
        return {"day": day, "tickets": [_ticket_json(r) for r in rows]}
    op_id = args.op_id
    if action == "issue":
        guest = _guest(args.guest) if args.guest else None
        ticket = ops.issue_ticket(
            args.service.upper(),
            guest,
            priority_group=args.priority,
            ignore_hours=args.ignore_hours,
            op_id=op_id,
        )
        return {"ticket": _ticket_json(ticket)}
    if action == "call-next":
        if args.counter is None:
            raise UsageError(N_("Give the --counter that calls the next visitor."))
        return {"ticket": _ticket_json(ops.call_next(args.counter, args.officer, op_id=op_id))}
    if action == "print":
        return _print_ticket(ops, args, config)
    ticket_id = _ticket_id(ops, args.ticket)
    if action == "call":
        if args.counter is None:
            raise UsageError(N_("Give the --counter that calls the ticket."))
        result = ops.call_ticket(
            ticket_id, args.counter, args.officer, reason=args.reason or "", op_id=op_id
        )
    elif action == "transfer":
        if not args.to:
            raise UsageError(N_("Give the service to transfer to with --to."))
        result = ops.transfer(
            ticket_id, args.to.upper(), args.officer, notes=args.notes, op_id=op_id
        )
    elif action == "finish":
        result = ops.finish(ticket_id, args.officer, notes=args.notes, op_id=op_id)
    else:
        method: Callable[..., dict[str, Any]] = {
            "recall": ops.recall,
            "start": ops.start_service,
            "no-show": ops.no_show,
            "requeue": ops.requeue,
        }[action]
        result = method(ticket_id, args.officer, op_id=op_id)
    return {"ticket": _ticket_json(result)}


def _print_ticket(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    # python-escpos is slow to import: only the print command pays for it.
    from shared.printing import parse_printer_spec, print_ticket_by_id

    spec_text = args.printer or config.kiosk.printer
    spec = parse_printer_spec(spec_text)
    if spec.kind == "none":
        raise UsageError(
            N_(
                "No ticket printer is set for this PC: give --printer (e.g."
                " network:10.0.0.5:9100, or dummy to only check the bytes) or set printer in"
                " the [kiosk] section of the configuration."
            )
        )
    profile = args.profile or config.kiosk.printer_profile
    qr_native = config.kiosk.qr_native if not args.printer else False
    data = print_ticket_by_id(
        ops.store,
        _ticket_id(ops, args.ticket),
        spec,
        profile,
        qr_native=qr_native,
        clock=ops.clock,
    )
    return {"printed": spec.kind != "dummy", "printer": spec_text, "bytes": len(data or b"")}


def cmd_check(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    store = ops.store
    problems = store.integrity_check()
    mode = store.journal_mode()
    names = store.read(applied)
    skew = store.read(heartbeat.skew_report)
    seen = store.read(heartbeat.machines)
    can_write = writable(store.path)
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


def cmd_backup(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
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


def cmd_purge(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
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


def cmd_setting(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
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


def cmd_report(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    if args.office:
        raise UsageError(N_("--office needs --central URL (the province's central database)."))
    office = ops.store.read(settings.get_all)
    today = service_day(ops.clock.now_ms(), office["timezone"])
    period = _report_period(args, today)
    counter_id = _counter_id(ops, args.counter) if args.counter else None
    officer_id = _officer_id(ops, args.officer) if args.officer else None
    where = ReportFilter(
        service=args.service.upper() if args.service else None,
        counter_id=counter_id,
        officer_id=officer_id,
    )
    lang = i18n.language()
    fmt = args.format or ("json" if args.json else "text")
    if fmt in ("xlsx", "pdf") and not args.output:
        raise UsageError(_("An {format} report needs --output FILE.", format=fmt.upper()))
    report = ops.store.read(
        lambda c: build_report(
            c,
            period,
            where,
            lang=lang,
            integrity_list=args.integrity_list,
            now_ms=ops.clock.now_ms(),
        )
    )
    return _report_output(report, args, fmt, lang)


def _report_output(
    report: dict[str, Any], args: argparse.Namespace, fmt: str, lang: str
) -> dict[str, Any]:
    if args.output:
        path = report_export.write(report, fmt, args.output, lang)
        return {"report": str(path), "format": fmt, "period": report["period"]["label"]}
    if fmt == "json":
        return report if args.json else {TEXT_RESULT: report_export.to_json(report) + "\n"}
    if fmt == "csv":
        return {TEXT_RESULT: report_export.to_csv(report, lang)}
    return {TEXT_RESULT: report_export.to_text(report, lang)}


def _positive(value: float | None, option: str, *, zero: bool = False) -> float:
    if value is None:
        raise UsageError(N_("Give {option}."), option=option)
    if not (value > 0 or (zero and value == 0)) or value != value or value == float("inf"):
        raise UsageError(
            N_("{option} must be a number above zero.")
            if not zero
            else N_("{option} must be zero or a number above it."),
            option=option,
        )
    return value


def plan_erlang(args: argparse.Namespace) -> dict[str, Any]:
    """One slot by Erlang C (``plan erlang``): needs no database."""
    from shared.planning import erlang

    arrivals = _positive(args.arrivals, "--arrivals", zero=True)
    per = _positive(args.per_minutes, "--per-minutes")
    service = _positive(args.service_minutes, "--service-minutes")
    wait = _positive(
        settings.DEFAULTS["plan_wait_minutes"] if args.wait_minutes is None else args.wait_minutes,
        "--wait-minutes",
        zero=True,
    )
    level = settings.DEFAULTS["plan_level"] if args.level is None else args.level
    if not 0 < level < 1:
        raise UsageError(N_("--level is a share between 0 and 1, e.g. 0.8 for 80 %."))
    if not 0 < args.occupancy <= 1:
        raise UsageError(N_("--occupancy is a share above 0 and at most 1, e.g. 0.85."))
    try:
        result = erlang.counters_needed(
            arrivals, per, service, wait, level, max_occupancy=args.occupancy
        )
    except ValueError:
        raise errors.DomainError(
            N_("More than {n} counters would be needed: check the figures."),
            n=erlang.MAX_COUNTERS,
        ) from None
    return {
        "counters": result.counters,
        "service_level": round(result.service_level, 4),
        "waiting_probability": round(result.waiting_probability, 4),
        "occupancy": round(result.occupancy, 4),
        "mean_wait_minutes": None
        if result.mean_wait_minutes is None
        else round(result.mean_wait_minutes, 4),
        "traffic": round(result.traffic, 4),
    }


def cmd_plan(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    """The counter plan from the last ``--weeks`` of history (read only)."""
    from shared.planning import export as plan_export
    from shared.planning.forecast import read_history
    from shared.planning.plan import make_plan

    office = ops.store.read(settings.get_all)
    today = date.fromisoformat(
        check_day(args.date) if args.date else service_day(ops.clock.now_ms(), office["timezone"])
    )
    service = args.service.upper() if args.service else None
    if service is not None:
        known = ops.store.read(lambda c: [r[0] for r in c.execute("SELECT code FROM services")])
        if service not in known:
            raise UsageError(N_("There is no service {code}."), code=service)
    lang = i18n.language()
    fmt = args.format or ("json" if args.json else "text")
    if fmt == "xlsx" and not args.output:
        raise UsageError(_("An {format} report needs --output FILE.", format=fmt.upper()))
    history = ops.store.read(lambda c: read_history(c, today, args.weeks, service))
    plan = make_plan(history, simulate=not args.no_simulation, now_ms=ops.clock.now_ms())
    data = plan.as_dict(lang)
    if args.output:
        path = plan_export.write(data, fmt, args.output, lang)
        return {"plan": str(path), "format": fmt, "enough": data["enough"]}
    if fmt == "json":
        return data if args.json else {TEXT_RESULT: plan_export.to_json(data) + "\n"}
    if fmt == "csv":
        return {TEXT_RESULT: plan_export.to_csv(data, lang)}
    return {TEXT_RESULT: plan_export.to_text(data, lang)}


def _report_period(args: argparse.Namespace, today: str) -> Period:
    """The period of ``report``: --period with --date (a year, semester, quarter, month or
    day), the older --month/--day forms, or a custom --from/--to."""
    kind, anchor = args.period, args.date
    date_from = check_day(args.date_from) if args.date_from else None
    date_to = check_day(args.date_to) if args.date_to else None
    if args.month and args.day:
        raise UsageError(N_("Give --day or --month, not both."))
    if args.month and not args.period:  # the older --month form
        kind, anchor = "month", check_month(args.month)
    elif args.day and not args.period:
        kind, anchor = "day", check_day(args.day)
    if anchor is None:
        kind, anchor = kind or "day", today
    try:
        # Without --period the form of --date decides: 2026 is a year, 2026-Q3 a quarter.
        return Period.parse(kind, anchor, date_from, date_to)
    except errors.ValidationError as exc:
        if exc.field != "date":
            raise
        raise UsageError(exc.msgid, **exc.params) from None


# -- the province's central database ------------------------------------------------------


def _central_password(args: argparse.Namespace) -> str | None:
    """The password from ``--password-file``; None lets libpq use PGPASSWORD/PGPASSFILE."""
    if getattr(args, "password_file", None):
        from shared.central.connection import read_password_file

        return read_password_file(args.password_file)
    return None


def _office_codes(text: str | None) -> list[str] | None:
    if not text or text.strip().lower() == "all":
        return None
    codes = [c.strip() for c in text.split(",") if c.strip()]
    for code in codes:
        problem = settings.problem("office_code", code)
        if problem or not code:
            raise UsageError(
                N_("{code} is not an office code: give four digits like 1671, or all."),
                code=code,
            )
    return codes


def cmd_central_report(args: argparse.Namespace, clock: Clock | None) -> dict[str, Any]:
    """``report --central URL``: the report over the central database (no office file)."""
    from shared.central.connection import check, classify, connect, describe
    from shared.central.report import build_central_report

    url = check(args.central)
    if args.counter or args.officer:
        raise UsageError(N_("The central report can be narrowed by --service and --office only."))
    codes = _office_codes(args.office)
    now = (clock or Clock()).now_ms()
    period = _report_period(args, service_day(now, settings.DEFAULTS["timezone"]))
    lang = i18n.language()
    fmt = args.format or ("json" if args.json else "text")
    if fmt in ("xlsx", "pdf") and not args.output:
        raise UsageError(_("An {format} report needs --output FILE.", format=fmt.upper()))
    password = _central_password(args)
    conn = connect(url, password=password, timeout=args.timeout, application="pst-admin report")
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        conn.autocommit = True
        report = build_central_report(
            conn,
            period,
            codes,
            ReportFilter(service=args.service.upper() if args.service else None),
            lang=lang,
            integrity_list=args.integrity_list,
            now_ms=now,
        )
    except psycopg.Error as exc:
        raise classify(exc, describe(conninfo_to_dict(url)), password) from None
    finally:
        conn.close()
    return _report_output(report, args, fmt, lang)


def cmd_publish(args: argparse.Namespace, config: Config) -> tuple[dict[str, Any], str]:
    """``publish``: send this office's record to the central database (read-only here)."""
    from shared.central.connection import CentralNotSetUp
    from shared.central.publish import open_office, publish

    path = resolve_db(args, config)
    dbfile.check_file(path, may_create=False)
    db = config.database
    store = open_office(path, busy_timeout_ms=db.busy_timeout_ms, retry_seconds=db.retry_seconds)
    try:
        office = store.read(settings.get_all)
        url = args.to or office["central_url"]
        if not url:
            raise CentralNotSetUp(
                N_(
                    "Where to? Give --to postgresql://user@server/database or set central_url"
                    " (“pst-admin setting set central_url …”)."
                )
            )
        result = publish(
            path,
            url,
            password=_central_password(args),
            batch_events=args.batch_events,
            timeout=args.timeout,
            store=store,
        )
    finally:
        store.close()
    return result, office["timezone"]


def _counter_id(ops: Operations, text: str) -> int:
    rows = ops.store.read(lambda c: c.execute("SELECT id, name FROM counters").fetchall())
    for ident, name in rows:
        if text == str(ident) or text.strip().lower() == name.lower():
            return ident
    raise UsageError(_("There is no counter {name}.", name=text))


def _officer_id(ops: Operations, text: str) -> int:
    rows = ops.store.read(lambda c: c.execute("SELECT id, username FROM officers").fetchall())
    for ident, username in rows:
        if text == str(ident) or text.strip().lower() == username:
            return ident
    raise UsageError(_("There is no officer {name}.", name=text))


def cmd_day(ops: Operations, args: argparse.Namespace) -> dict[str, Any]:
    """Close a service day by hand (``day close``) or every day that is due (``--due``)."""
    if args.due:
        closed = ops.close_due_days()
        return {"closed": [{**c, "unserved": len(c["unserved"])} for c in closed]}
    summary = ops.close_day(check_day(args.day) if args.day else None)
    if summary is None:
        return {"closed": False, "message": _("Nothing was left open on that day.")}
    return {"closed": True, **summary}


COMMANDS: dict[str, Callable[..., dict[str, Any]]] = {
    "init": cmd_init,
    "day": cmd_day,
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
    "plan": cmd_plan,
}


def writes(args: argparse.Namespace) -> bool:
    """Tell whether the command changes the database (only those take the write lock)."""
    action = getattr(args, "action", None)
    if args.command in ("check", "report", "backup", "plan", "publish"):
        return False
    if args.command == "purge-pii":
        return bool(args.yes)
    return action not in ("list", "get", "describe", "print")


# -- command line -----------------------------------------------------------------------


class Parser(argparse.ArgumentParser):
    """An argument parser that reports a mistake as a :class:`UsageError`, not an exit."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(N_("{problem} — see “{prog} --help”."), problem=message, prog=self.prog)


def _int_in(low: int, high: int) -> Callable[[str], int]:
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


def build_parser() -> argparse.ArgumentParser:
    p = Parser(
        prog="pst-admin",
        allow_abbrev=False,
        description="Administer the Antrian PST queue database (no window needed).",
        epilog=(
            f"Exit codes: {', '.join(f'{code} {kind}' for kind, code in KINDS.items())}.\n"
            f"Log file: {log_file('pst-admin')}"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # The common options are accepted before or after the command.
    common = Parser(add_help=False, allow_abbrev=False)
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
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    _add = sub.add_parser

    def add_parser(name: str, **kwargs: Any) -> argparse.ArgumentParser:
        return _add(name, parents=[common], allow_abbrev=False, **kwargs)

    sub.add_parser = add_parser  # type: ignore[method-assign]
    op_help = "operation id: repeating the command with the same id does it only once"

    sub.add_parser("init", help="create the database, or upgrade it after an update (idempotent)")
    d = sub.add_parser(
        "demo",
        help="create a demo database on a new path (or refill a demo database); never an office's",
    )
    d.add_argument("--reset", action="store_true", help="start a demo database afresh")

    s = sub.add_parser("service", help="list, add or edit services")
    s.add_argument(
        "action",
        choices=["list", "add", "edit"],
        help="add refuses an existing code, edit a missing one",
    )
    s.add_argument("code", nargs="?", default="", help="service code = ticket prefix, e.g. KS")
    s.add_argument("--name-id", help="name in Indonesian")
    s.add_argument("--name-en", help="name in English")
    s.add_argument(
        "--target-minutes", type=_int_in(1, 240), help="service target in minutes (1–240)"
    )
    s.add_argument("--sort-order", type=_int_in(0, 999), help="position in lists (0–999)")
    s.add_argument("--active", choices=["yes", "no"], help="offered at the kiosk")

    c = sub.add_parser("counter", help="list, add or edit counters")
    c.add_argument("action", choices=["list", "add", "edit"], help="add refuses an existing name")
    c.add_argument("name", nargs="?", default="", help="counter name, e.g. 'Loket 1'")
    c.add_argument("--id", type=_int_in(1, 1_000_000), help="the counter to edit")
    c.add_argument("--services", help="comma-separated service codes, e.g. KS,PS")
    c.add_argument("--active", choices=["yes", "no"], help="in use")
    c.add_argument("--status", choices=["open", "paused", "closed"], help="open, pause or close it")
    c.add_argument("--reason", help="why it is paused")

    o = sub.add_parser("officer", help="list, add, edit or unlock officers")
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

    t = sub.add_parser("ticket", help="issue, call, move, print and list tickets")
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
        help="what to do",
    )
    t.add_argument("ticket", nargs="?", default="", help="ticket id, QR code or today's number")
    t.add_argument("--service", default="KS", help="service to issue a number for (issue)")
    t.add_argument("--priority", help="priority group, e.g. elderly (issue)")
    t.add_argument("--guest", help="UTF-8 JSON file with the guest-book record (issue)")
    t.add_argument("--ignore-hours", action="store_true", help="issue outside service hours")
    t.add_argument("--counter", type=_int_in(1, 1_000_000), help="counter id (call, call-next)")
    t.add_argument("--officer", type=_int_in(1, 1_000_000), help="officer id doing it")
    t.add_argument("--reason", help="why a ticket is called out of order (call)")
    t.add_argument("--notes", help="officer's notes (finish, transfer)")
    t.add_argument("--to", help="service code to transfer to (transfer)")
    t.add_argument("--day", help="service day YYYY-MM-DD (list)")
    t.add_argument(
        "--status", help=f"only tickets in this state (list): {', '.join(TICKET_STATES)}"
    )
    t.add_argument(
        "--printer",
        help="printer (print; default: this PC's [kiosk] printer), e.g. network:10.0.0.5:9100,"
        " or dummy to only count the bytes",
    )
    t.add_argument("--profile", help="printer profile (print; default: the configuration's)")
    t.add_argument("--op-id", help=op_help)

    dy = sub.add_parser(
        "day",
        help="close a service day: waiting tickets become unserved, counters close",
    )
    dy.add_argument("action", choices=["close"], help="what to do")
    dy.add_argument("--day", help="service day YYYY-MM-DD (default today)")
    dy.add_argument(
        "--due", action="store_true", help="close every day whose closing time has passed"
    )

    sub.add_parser("check", help="integrity, journal mode, write access, schema and clock skew")
    b = sub.add_parser(
        "backup", help="copy the database safely while it is in use, then check the copy"
    )
    b.add_argument(
        "destination",
        help="an existing folder (gets antrian-pst-YYYYMMDD-HHMM.db) or a file name",
    )
    b.add_argument(
        "--keep", type=_int_in(1, 10_000), help="in a folder, keep only the newest N backups"
    )
    pp = sub.add_parser(
        "purge-pii", help="anonymise guest-book records past the retention period (shows first)"
    )
    pp.add_argument(
        "--older-than-days",
        type=_int_in(-(10**9), 10**9),
        help=f"records older than this (default: retention_days; at least {settings.RETENTION_FLOOR_DAYS})",
    )
    pp.add_argument("--yes", action="store_true", help="really anonymise (without it: only show)")
    st = sub.add_parser("setting", help="list, describe, get or set office-wide settings")
    st.add_argument("action", choices=["list", "describe", "get", "set"], help="what to do")
    st.add_argument(
        "key", nargs="?", default="", help="setting name (“setting describe” lists them)"
    )
    st.add_argument("value", nargs="?", default="", help="new value: JSON, or plain text for texts")
    st.add_argument("--from-file", help="read the new value from a UTF-8 file (no shell quoting)")
    r = sub.add_parser(
        "report",
        help="the report of a period: visits, the 10-minute promise, waits, visitors, IKM",
    )
    r.add_argument(
        "--period",
        choices=list(REPORT_PERIODS),
        help="kind of period (default: what --date names, else day)",
    )
    r.add_argument(
        "--date",
        help="the period or a day of it: YYYY-MM-DD, a month YYYY-MM, a quarter YYYY-Q1…Q4,"
        " a semester YYYY-S1/S2 or a year YYYY (default today); without --period its form"
        " decides the period",
    )
    r.add_argument("--from", dest="date_from", help="first day of a custom range, YYYY-MM-DD")
    r.add_argument("--to", dest="date_to", help="last day of a custom range, YYYY-MM-DD")
    r.add_argument("--service", help="only this service, e.g. KS")
    r.add_argument("--counter", help="only this counter (id or name)")
    r.add_argument("--officer", help="only this officer (id or user name)")
    r.add_argument(
        "--format",
        choices=list(report_export.FORMATS),
        help="text (default), json, csv, xlsx or pdf",
    )
    r.add_argument("--output", help="write to this file (needed for xlsx and pdf)")
    r.add_argument(
        "--integrity-list",
        action="store_true",
        help="list the ratings that answered yes to an integrity question (administrators)",
    )
    r.add_argument(
        "--central",
        metavar="URL",
        help="report over the province's central database (postgresql://user@server/db)"
        " instead of this office's file",
    )
    r.add_argument(
        "--office", help="with --central: office codes, e.g. 1671 or 1671,1601 (default: all)"
    )
    r.add_argument("--day", help=argparse.SUPPRESS)
    r.add_argument("--month", help=argparse.SUPPRESS)
    pl = sub.add_parser(
        "plan",
        help="plan the counters from history: visitors per half hour and the counters they"
        " need (Erlang C, checked by simulation); “plan erlang” sizes one half hour",
    )
    pl.add_argument(
        "what", nargs="?", choices=["week", "erlang"], default="week", help="what to plan"
    )
    pl.add_argument(
        "--weeks", type=_int_in(1, 104), default=12, help="weeks of history to use (default 12)"
    )
    pl.add_argument("--service", help="only this service, e.g. KS (default: the whole office)")
    pl.add_argument(
        "--date", help="plan from the weeks before this day, YYYY-MM-DD (default today)"
    )
    pl.add_argument(
        "--format",
        choices=["text", "json", "csv", "xlsx"],
        help="text (default), json, csv or xlsx",
    )
    pl.add_argument("--output", help="write to this file (needed for xlsx)")
    pl.add_argument(
        "--no-simulation", action="store_true", help="Erlang C only, without the simulation check"
    )
    pl.add_argument("--arrivals", type=float, help="erlang: visitors arriving per --per-minutes")
    pl.add_argument("--per-minutes", type=float, default=30.0, help="erlang: minutes (default 30)")
    pl.add_argument("--service-minutes", type=float, help="erlang: mean service time in minutes")
    pl.add_argument(
        "--wait-minutes", type=float, help="erlang: wait target in minutes (default 10)"
    )
    pl.add_argument(
        "--level", type=float, help="erlang: share to call within the wait (default 0.9)"
    )
    pl.add_argument(
        "--occupancy",
        type=float,
        default=0.85,
        help="erlang: busiest a counter may be planned (default 0.85)",
    )
    pub = sub.add_parser(
        "publish",
        help="send this office's record since the last publish to the province's central"
        " database (reads the office's file only)",
    )
    pub.add_argument(
        "--to", metavar="URL", help="central database (default: the setting central_url)"
    )
    pub.add_argument(
        "--batch-events",
        type=_int_in(100, 1_000_000),
        default=20_000,
        help="events per central transaction (default 20000)",
    )
    for parser in (r, pub):
        parser.add_argument(
            "--password-file",
            help="file holding the central account's password (else PGPASSWORD or PGPASSFILE)",
        )
        parser.add_argument(
            "--timeout",
            type=_int_in(1, 600),
            default=10,
            help="seconds to wait for the central server to answer (default 10)",
        )
    return p


def _human(key: str, value: Any, tz: str) -> str:
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and (key.endswith("_at") or key == "cutoff")
        and value > 10**11
    ):
        return format_local(value, tz, "%Y-%m-%d %H:%M:%S")
    return str(value)


def _print_human(result: dict[str, Any], tz: str) -> None:
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


def open_store(path: Path, args: argparse.Namespace, config: Config) -> Store:
    """Open the database the way the command may use it (the one opening policy)."""
    db = config.database
    if args.command == "init":
        folder = path.parent
        if not folder.is_dir():
            raise UsageError(
                N_("The folder {path} does not exist. Create it (or connect the share) first."),
                path=str(folder),
            )
        dbfile.check_file(path, may_create=True)
        return Store(path, busy_timeout_ms=db.busy_timeout_ms, retry_seconds=10, create=True)
    if args.command == "demo":
        if dbfile.check_file(path, may_create=True):
            if not path.parent.is_dir():
                raise UsageError(
                    N_("The folder {path} does not exist. Create it first."), path=str(path.parent)
                )
            return Store(path, busy_timeout_ms=db.busy_timeout_ms, retry_seconds=10, create=True)
        store = Store(path, busy_timeout_ms=db.busy_timeout_ms, retry_seconds=10, create=False)
        is_demo = store.read(
            lambda c: c.execute("SELECT 1 FROM events WHERE program = 'demo' LIMIT 1").fetchone()
        )
        if is_demo and args.reset:
            store.close()
            path.unlink()
            return Store(path, busy_timeout_ms=db.busy_timeout_ms, retry_seconds=10, create=True)
        if not is_demo:
            store.close()
            raise errors.DomainError(
                N_(
                    "{path} is not a demo database: demo only creates a new file or refills a"
                    " demo. Give a new path, e.g. --db demo.db."
                ),
                path=str(path),
            )
        return store
    will_write = writes(args)
    dbfile.check_file(path, may_create=False)
    if will_write and not writable(path):
        raise errors.StorageReadOnly()
    return Store(
        path,
        busy_timeout_ms=db.busy_timeout_ms,
        retry_seconds=db.retry_seconds,
        create=False,
        writes=will_write,
    )


def _language(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _run(argv: list[str], clock: Clock | None) -> tuple[dict[str, Any], str, argparse.Namespace]:
    args = build_parser().parse_args(argv)
    for name, value in vars(args).items():
        # No file, setting or name can hold a NUL character; the OS would refuse it later.
        if isinstance(value, str) and "\x00" in value:
            option = "--" + name.replace("_", "-")
            raise UsageError(N_("{option} contains a NUL character."), option=option)
    config = load_config(args.config)
    i18n.set_language(args.lang or config.machine.language)
    if args.command == "plan" and args.what == "erlang":
        # One half hour by Erlang C is arithmetic: no database is opened for it.
        return plan_erlang(args), settings.DEFAULTS["timezone"], args
    if args.command == "publish":
        result, tz = cmd_publish(args, config)
        return result, tz, args
    if args.command == "report" and args.central:
        return cmd_central_report(args, clock), settings.DEFAULTS["timezone"], args
    path = resolve_db(args, config)
    store = open_store(path, args, config)
    try:
        ops = Operations(
            store,
            clock=clock,
            machine=config.machine.name or socket.gethostname(),
            program="pst-admin",
        )
        command = COMMANDS[args.command]
        result = command(ops, args, config) if args.command == "ticket" else command(ops, args)
        tz = store.read(lambda c: settings.get(c, "timezone"))
    finally:
        store.close()
    return result, tz, args


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    if not logging.getLogger().handlers:
        # Sentences go to the terminal; details of the unexpected go to the log file.
        setup_logging("pst-admin", stderr=False)
    lang = _language(argv)
    if lang in i18n.LANGUAGES:
        i18n.set_language(lang)
    try:
        try:
            result, tz, args = _run(argv, clock)
        except errors.PSTError as exc:
            kind = error_kind(exc)
            return _say_error(kind, exc.message, as_json, exc)
        except RecursionError:
            return _say_error("usage", _("The input is nested too deeply."), as_json, None)
        except KeyboardInterrupt:
            return 130
        except Exception as exc:
            log.exception("pst-admin failed: %s", argv)
            message = _(
                "Something went wrong inside pst-admin ({error}). Please report it with the log {path}.",
                error=type(exc).__name__,
                path=str(log_file("pst-admin")),
            )
            return _say_error("internal", message, as_json, exc)
        if as_json:
            print(json.dumps(result, ensure_ascii=False, default=str))
        else:
            _print_human(result, tz)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (``| head``) has gone: the rest of the output is not wanted.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 0
    if args.command == "check" and not result["ok"]:
        return KINDS["refused"]
    return 0


def _say_error(kind: str, message: str, as_json: bool, exc: BaseException | None) -> int:
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


if __name__ == "__main__":
    sys.exit(main())
