"""``pst-admin`` commands on the day's record: ``ticket`` (issue, call, serve, list, print)
and ``day close``.

They do what the kiosk and the counter consoles do, through the same functions of
:class:`~shared.queue.operations.Operations`; ``--op-id`` makes a retried command happen only
once. A ticket is named by its number today (KS-001), its QR code or its id.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from shared import errors
from shared.cli.common import Command, UsageError, check_day, int_in, read_json_object
from shared.clock import service_day
from shared.i18n import N_, _
from shared.install.config import Config
from shared.office import settings
from shared.queue import queries
from shared.queue.operations import Operations
from shared.storage.schema import TICKET_STATES

TICKET_ACTIONS = [
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
]


def check_status(text: str) -> str:
    """Return ``text`` if it is a ticket state."""
    if text in TICKET_STATES:
        return text
    raise UsageError(
        N_("{status} is not a ticket state; use one of {states}."),
        status=text,
        states=", ".join(TICKET_STATES),
    )


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


# -- ticket -------------------------------------------------------------------------------


def add_ticket_options(t: argparse.ArgumentParser) -> None:
    op_help = "operation id: repeating the command with the same id does it only once"
    t.add_argument("action", choices=TICKET_ACTIONS, help="what to do")
    t.add_argument("ticket", nargs="?", default="", help="ticket id, QR code or today's number")
    t.add_argument("--service", default="KS", help="service to issue a number for (issue)")
    t.add_argument("--priority", help="priority group, e.g. elderly (issue)")
    t.add_argument("--guest", help="UTF-8 JSON file with the guest-book record (issue)")
    t.add_argument("--ignore-hours", action="store_true", help="issue outside service hours")
    t.add_argument("--counter", type=int_in(1, 1_000_000), help="counter id (call, call-next)")
    t.add_argument("--officer", type=int_in(1, 1_000_000), help="officer id doing it")
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


def run_ticket(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
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
    from shared.devices.printing import parse_printer_spec, print_ticket_by_id

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


# -- day ----------------------------------------------------------------------------------


def add_day_options(dy: argparse.ArgumentParser) -> None:
    dy.add_argument("action", choices=["close"], help="what to do")
    dy.add_argument("--day", help="service day YYYY-MM-DD (default today)")
    dy.add_argument(
        "--due", action="store_true", help="close every day whose closing time has passed"
    )


def run_day(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    """Close a service day by hand (``day close``) or every day that is due (``--due``)."""
    if args.due:
        closed = ops.close_due_days()
        return {"closed": [{**c, "unserved": len(c["unserved"])} for c in closed]}
    summary = ops.close_day(check_day(args.day) if args.day else None)
    if summary is None:
        return {"closed": False, "message": _("Nothing was left open on that day.")}
    return {"closed": True, **summary}


TICKET = Command(
    "ticket", "issue, call, move, print and list tickets", add_ticket_options, run_ticket
)
DAY = Command(
    "day",
    "close a service day: waiting tickets become unserved, counters close",
    add_day_options,
    run_day,
)
