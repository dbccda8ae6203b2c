"""Every change to the queue: one function = one transaction = one event row.

:class:`Operations` is what the kiosk, the counter console, the display and
``pst-admin`` call; nothing else writes to the database. Each operation takes an
``op_id`` (a fresh one is made when omitted). The op_id is stored with the event, so
running the same operation again — a retry after the share dropped during COMMIT, or
a visitor's double tap — returns the first result instead of doing it twice.
"""

from __future__ import annotations

import json
import math
import sqlite3
from collections.abc import Callable
from typing import Any

from shared import dayclose, queries, queue, security, servicehours, target, ticketcode
from shared.administration import AdminOperations
from shared.clock import from_ms, service_day
from shared.errors import (
    AuthError,
    CounterHeld,
    DomainError,
    InvalidTransition,
    NotFound,
    ValidationError,
)
from shared.i18n import N_, Msg
from shared.opsbase import OperationsBase, new_op_id
from shared.rows import fetch_all, fetch_one
from shared.ticketcode import CODE_ALPHABET
from shared.validation import GuestBook, clean_line, clean_notes, validate_guest_book

__all__ = ["CODE_ALPHABET", "Operations", "TicketOperations", "format_number", "new_op_id"]


def format_number(code: str, seq: int) -> str:
    return f"{code}-{seq:03d}"


class TicketOperations(OperationsBase):
    """The ticket, counter, login and rating operations of the queue."""

    @staticmethod
    def _transition(ticket: dict[str, Any], action: str) -> str:
        new_state = queue.next_state(ticket["status"], action)
        if new_state is None:
            raise InvalidTransition(
                N_("Ticket {number} cannot be {action}: it is {state}."),
                number=ticket["number"],
                action=Msg(queue.ACTION_LABELS[action]),
                state=Msg(queue.STATE_LABELS[ticket["status"]]),
            )
        return new_state

    def _update_ticket(
        self, conn: sqlite3.Connection, ticket_id: int, **values: Any
    ) -> dict[str, Any]:
        assignments = ", ".join(f"{k} = ?" for k in values)
        conn.execute(
            f"UPDATE tickets SET {assignments} WHERE id = ?", (*values.values(), ticket_id)
        )
        return self._ticket(conn, ticket_id)

    def _allocate(self, conn: sqlite3.Connection, service_code: str, day: str) -> tuple[int, str]:
        seq = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE service_code = ? AND"
            " service_day = ?",
            (service_code, day),
        ).fetchone()[0]
        while True:
            code = ticketcode.new_code()
            if not conn.execute("SELECT 1 FROM tickets WHERE code = ?", (code,)).fetchone():
                return seq, code

    # -- kiosk ------------------------------------------------------------------------

    def issue_ticket(
        self,
        service_code: str,
        guest: GuestBook | dict[str, Any] | None = None,
        *,
        priority_group: str | None = None,
        op_id: str | None = None,
        ignore_hours: bool = False,
    ) -> dict[str, Any]:
        """Give a visitor the next number of a service, with their guest-book record.

        Refused outside service hours (unless ``ignore_hours``, for administrators) and
        for inactive services. The result carries ``ahead`` (people to be called first)
        and ``estimate_minutes``.
        """
        if isinstance(guest, dict):
            guest = GuestBook.from_dict(guest)

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            office = self._settings(conn)
            service = self._service(conn, service_code)
            if not service["active"]:
                raise DomainError(
                    N_("The service {name} is closed at the moment."), name=service["name_id"]
                )
            hours = json.loads(service["hours"]) if service["hours"] else None
            state = servicehours.open_state(now, office, hours)
            if not state.is_open and not ignore_hours:
                raise DomainError(N_("The service is closed now. No numbers are issued."))
            if priority_group and priority_group not in office["priority_groups"]:
                raise ValidationError(
                    "priority_group", N_("Unknown priority group {group}."), group=priority_group
                )
            visit_id = None
            if guest is not None:
                year = from_ms(now, office["timezone"]).year
                visit_id = self._record_guest(conn, now, validate_guest_book(guest, year), office)
            day = service_day(now, office["timezone"])
            seq, code = self._allocate(conn, service_code, day)
            cur = conn.execute(
                "INSERT INTO tickets(code, service_code, service_day, seq, number,"
                " priority_group, visit_id, issued_at, issued_machine)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    service_code,
                    day,
                    seq,
                    format_number(service_code, seq),
                    priority_group or None,
                    visit_id,
                    now,
                    self.machine,
                ),
            )
            ticket = self._ticket(conn, cur.lastrowid)
            ticket.update(queries.position(conn, ticket, office))
            event = {
                "ticket_id": ticket["id"],
                "service_code": service_code,
                "to_state": "waiting",
                "data": {"priority_group": priority_group},
            }
            return ticket, event

        return self._run("issue", op_id, body)

    def _record_guest(
        self, conn: sqlite3.Connection, now: int, guest: GuestBook, office: dict[str, Any]
    ) -> int:
        columns = {
            "name": guest.name,
            "email": guest.email,
            "phone": guest.phone or None,
            "sex": guest.sex,
            "birth_year": guest.birth_year,
            "education": guest.education,
            "occupation": guest.occupation,
            "institution_category": guest.institution_category,
            "institution_name": guest.institution_name,
        }
        found = conn.execute(
            "SELECT id FROM visitors WHERE email = ? AND anonymised_at IS NULL"
            " ORDER BY updated_at DESC LIMIT 1",
            (guest.email,),
        ).fetchone()
        if found:
            visitor_id = found[0]
            sets = ", ".join(f"{k} = ?" for k in columns)
            conn.execute(
                f"UPDATE visitors SET {sets}, updated_at = ? WHERE id = ?",
                (*columns.values(), now, visitor_id),
            )
        else:
            cols = ", ".join(columns)
            marks = ", ".join("?" for _ in columns)
            visitor_id = conn.execute(
                f"INSERT INTO visitors({cols}, created_at, updated_at) VALUES ({marks}, ?, ?)",
                (*columns.values(), now, now),
            ).lastrowid
        return conn.execute(
            "INSERT INTO visits(visitor_id, purpose, topic, consent_at, consent_version,"
            " created_at) VALUES (?, ?, ?, ?, ?, ?)",
            (visitor_id, guest.purpose, guest.topic, now, office["consent_version"], now),
        ).lastrowid

    # -- counter ---------------------------------------------------------------------

    def call_next(
        self, counter_id: int, officer_id: int | None = None, *, op_id: str | None = None
    ) -> dict[str, Any]:
        """Call the next visitor for a counter by the fair priority rule."""

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            office = self._settings(conn)
            counter = self._ready_counter(conn, counter_id)
            codes = self._counter_services(conn, counter_id)
            waiting = queries.waiting_tickets(conn, codes, service_day(now, office["timezone"]))
            history = queries.call_history(conn, codes, service_day(now, office["timezone"]))
            chosen = queue.choose_next(
                waiting, history, office["regular_per_priority"], office["priority_max_streak"]
            )
            if chosen is None:
                raise DomainError(N_("No visitor is waiting for this counter."))
            return self._call(conn, now, office, counter, chosen, officer_id, {})

        return self._run("call", op_id, body)

    def call_ticket(
        self,
        ticket_id: int,
        counter_id: int,
        officer_id: int | None = None,
        *,
        reason: str,
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """Call one waiting ticket out of order; the reason is required and recorded."""
        reason = clean_line(reason, 300)

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            if not reason:
                raise ValidationError("reason", N_("Say why this visitor is called out of order."))
            office = self._settings(conn)
            ticket = self._ticket(conn, ticket_id)
            self._transition(ticket, "call")
            counter = self._ready_counter(conn, counter_id)
            if ticket["service_code"] not in self._counter_services(conn, counter_id):
                raise DomainError(
                    N_("{counter} does not serve {service}."),
                    counter=counter["name"],
                    service=ticket["service_code"],
                )
            if ticket["service_day"] != service_day(now, office["timezone"]):
                raise DomainError(N_("Ticket {number} is not from today."), number=ticket["number"])
            return self._call(
                conn,
                now,
                office,
                counter,
                ticket,
                officer_id,
                {"reason": reason, "out_of_order": True},
            )

        return self._run("call", op_id, body)

    def _ready_counter(self, conn: sqlite3.Connection, counter_id: int) -> dict[str, Any]:
        counter = self._counter(conn, counter_id)
        if counter["status"] == "closed":
            raise DomainError(N_("{counter} is closed. Open it first."), counter=counter["name"])
        if counter["status"] == "paused":
            raise DomainError(N_("{counter} is paused. Resume it first."), counter=counter["name"])
        busy = fetch_one(
            conn,
            "SELECT number FROM tickets WHERE counter_id = ? AND status IN ('called', 'serving')",
            (counter_id,),
        )
        if busy:
            raise DomainError(
                N_("Finish ticket {number} before calling the next visitor."),
                number=busy["number"],
            )
        return counter

    def _call(
        self,
        conn: sqlite3.Connection,
        now: int,
        office: dict[str, Any],
        counter: dict[str, Any],
        ticket: dict[str, Any],
        officer_id: int | None,
        data: dict[str, Any],
    ) -> tuple[Any, dict[str, Any]]:
        self._officer(conn, officer_id)
        new_state = self._transition(ticket, "call")
        first_call = ticket["first_called_at"] is None
        call_seq = conn.execute(
            "SELECT COALESCE(MAX(call_seq), 0) + 1 FROM calls WHERE service_code = ?"
            " AND service_day = ?",
            (ticket["service_code"], ticket["service_day"]),
        ).fetchone()[0]
        # Only the queue's fair next counts as somebody's "visitor ahead": a call out of
        # order, or a returned ticket called again, must not restart the clocks of the
        # visitors who were already waiting.
        in_order = first_call and not data.get("out_of_order")
        conn.execute(
            "INSERT INTO calls(ticket_id, service_code, service_day, call_seq, in_order,"
            " called_at, counter_id, officer_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                ticket["id"],
                ticket["service_code"],
                ticket["service_day"],
                call_seq,
                int(in_order),
                now,
                counter["id"],
                officer_id,
            ),
        )
        values: dict[str, Any] = {
            "status": new_state,
            "call_seq": call_seq,
            "called_at": now,
            "recall_count": 0,
            "counter_id": counter["id"],
            "officer_id": officer_id,
        }
        if first_call:
            # The outcome is fixed at the first call: a visitor who was called in time and
            # returned to the queue later was still called in time.
            values["first_called_at"] = now
            values.update(self._target_at_call(conn, now, office, ticket, call_seq))
        updated = self._update_ticket(conn, ticket["id"], **values)
        event = {
            "officer_id": officer_id,
            "ticket_id": ticket["id"],
            "counter_id": counter["id"],
            "service_code": ticket["service_code"],
            "from_state": ticket["status"],
            "to_state": new_state,
            "data": {"number": ticket["number"], "counter": counter["name"], **data},
        }
        return updated, event

    def _target_at_call(
        self,
        conn: sqlite3.Connection,
        now: int,
        office: dict[str, Any],
        ticket: dict[str, Any],
        call_seq: int,
    ) -> dict[str, Any]:
        service = self._service(conn, ticket["service_code"])
        ahead = queries.ahead_call(conn, ticket["service_code"], ticket["service_day"], call_seq)
        hours = json.loads(service["hours"]) if service["hours"] else None
        opening = servicehours.opening_ms(ticket["service_day"], office, hours)
        start, deadline, met = target.at_call(
            now,
            ticket["issued_at"],
            service["target_minutes"],
            ahead is not None,
            ahead["ended_at"] if ahead else None,
            opening,
        )
        return {
            "ahead_ticket_id": ahead["ticket_id"] if ahead else None,
            "clock_start_at": start,
            "deadline_at": deadline,
            "target_met": int(met),
        }

    @staticmethod
    def _end_call(conn: sqlite3.Connection, ticket_id: int, now: int, how: str) -> None:
        """Write when the ticket's current call ended; a call's end is never rewritten."""
        conn.execute(
            "UPDATE calls SET ended_at = ?, end_kind = ? WHERE ticket_id = ? AND ended_at IS NULL",
            (now, how, ticket_id),
        )

    def _ticket_action(
        self,
        kind: str,
        ticket_id: int,
        officer_id: int | None,
        op_id: str | None,
        extra: Callable[[sqlite3.Connection, int, dict[str, Any], dict[str, Any]], dict] | None,
    ) -> dict[str, Any]:
        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            ticket = self._ticket(conn, ticket_id)
            new_state = self._transition(ticket, kind)
            office = self._settings(conn)
            data: dict[str, Any] = {"number": ticket["number"]}
            values = extra(conn, now, ticket, office) if extra else {}
            data.update(values.pop("_data", {}))
            if ticket["status"] in queue.ACTIVE_STATES and new_state not in queue.ACTIVE_STATES:
                self._end_call(conn, ticket_id, now, kind)
            updated = self._update_ticket(conn, ticket_id, status=new_state, **values)
            event = {
                "officer_id": officer_id,
                "ticket_id": ticket_id,
                "counter_id": ticket["counter_id"],
                "service_code": ticket["service_code"],
                "from_state": ticket["status"],
                "to_state": new_state,
                "data": data,
            }
            return updated, event

        return self._run(kind, op_id, body)

    def recall(
        self, ticket_id: int, officer_id: int | None = None, *, op_id: str | None = None
    ) -> dict[str, Any]:
        """Call the same visitor again (the display announces it once more)."""

        def extra(conn, now, ticket, office):
            limit = office["recall_limit"]
            if ticket["recall_count"] >= limit:
                raise DomainError(
                    N_("Ticket {number} was called again {limit} times; mark it as not present."),
                    number=ticket["number"],
                    limit=limit,
                )
            counter = self._counter(conn, ticket["counter_id"])
            return {
                "recall_count": ticket["recall_count"] + 1,
                "called_at": now,
                "_data": {"recall": ticket["recall_count"] + 1, "counter": counter["name"]},
            }

        return self._ticket_action("recall", ticket_id, officer_id, op_id, extra)

    def start_service(
        self, ticket_id: int, officer_id: int | None = None, *, op_id: str | None = None
    ) -> dict[str, Any]:
        """The visitor has arrived at the counter: service starts."""
        return self._ticket_action(
            "start", ticket_id, officer_id, op_id, lambda c, now, t, o: {"started_at": now}
        )

    def finish(
        self,
        ticket_id: int,
        officer_id: int | None = None,
        *,
        notes: str | None = None,
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """Finish the service; the next visitor's 10-minute clock starts now."""

        def extra(conn, now, ticket, office):
            values: dict[str, Any] = {"ended_at": now}
            if notes is not None:
                values["notes"] = clean_notes(notes)
            return values

        return self._ticket_action("finish", ticket_id, officer_id, op_id, extra)

    def no_show(
        self, ticket_id: int, officer_id: int | None = None, *, op_id: str | None = None
    ) -> dict[str, Any]:
        """Mark a called visitor as not present; they may be put back within the grace time."""
        return self._ticket_action(
            "no_show",
            ticket_id,
            officer_id,
            op_id,
            lambda c, now, t, o: {
                "ended_at": now,
                "no_show_at": now,
                "_data": {"recalls": t["recall_count"]},
            },
        )

    def requeue(
        self, ticket_id: int, officer_id: int | None = None, *, op_id: str | None = None
    ) -> dict[str, Any]:
        """Return a called visitor, or a no-show who came back in time, to the queue."""

        def extra(conn, now, ticket, office):
            if ticket["status"] == "no_show":
                grace = office["no_show_grace_minutes"] * 60_000
                if now - ticket["no_show_at"] > grace:
                    raise DomainError(
                        N_(
                            "Ticket {number} was marked not present more than {minutes} minutes"
                            " ago; please take a new number."
                        ),
                        number=ticket["number"],
                        minutes=office["no_show_grace_minutes"],
                    )
            return {"counter_id": None, "ended_at": None, "no_show_at": None}

        return self._ticket_action("requeue", ticket_id, officer_id, op_id, extra)

    def transfer(
        self,
        ticket_id: int,
        to_service: str,
        officer_id: int | None = None,
        *,
        notes: str | None = None,
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """End this ticket and queue a linked one in another service.

        The new ticket keeps the visit (guest-book record), the priority group and the
        notes; its own number and 10-minute clock start in the target queue.
        Returns the new ticket.
        """

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            ticket = self._ticket(conn, ticket_id)
            new_state = self._transition(ticket, "transfer")
            service = self._service(conn, to_service)
            if not service["active"]:
                raise DomainError(
                    N_("The service {name} is closed at the moment."), name=service["name_id"]
                )
            if to_service == ticket["service_code"]:
                raise DomainError(N_("Choose a different service to transfer to."))
            office = self._settings(conn)
            text = clean_notes(notes) if notes is not None else ticket["notes"]
            day = service_day(now, office["timezone"])
            seq, code = self._allocate(conn, to_service, day)
            new_id = conn.execute(
                "INSERT INTO tickets(code, service_code, service_day, seq, number,"
                " priority_group, visit_id, issued_at, issued_machine, notes,"
                " transferred_from_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    code,
                    to_service,
                    day,
                    seq,
                    format_number(to_service, seq),
                    ticket["priority_group"],
                    ticket["visit_id"],
                    now,
                    self.machine,
                    text,
                    ticket_id,
                ),
            ).lastrowid
            self._end_call(conn, ticket_id, now, "transfer")
            self._update_ticket(
                conn,
                ticket_id,
                status=new_state,
                ended_at=now,
                notes=text,
                transferred_to_id=new_id,
            )
            new_ticket = self._ticket(conn, new_id)
            event = {
                "officer_id": officer_id,
                "ticket_id": ticket_id,
                "counter_id": ticket["counter_id"],
                "service_code": ticket["service_code"],
                "from_state": ticket["status"],
                "to_state": new_state,
                "data": {
                    "number": ticket["number"],
                    "new_ticket_id": new_id,
                    "new_number": new_ticket["number"],
                    "to_service": to_service,
                },
            }
            return new_ticket, event

        return self._run("transfer", op_id, body)

    def save_notes(
        self, ticket_id: int, notes: str, officer_id: int | None = None, *, op_id: str | None = None
    ) -> dict[str, Any]:
        """Save an officer's notes on an active ticket without changing its state."""

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            ticket = self._ticket(conn, ticket_id)
            if ticket["status"] not in queue.ACTIVE_STATES:
                raise InvalidTransition(
                    N_("Notes can only be changed while the visitor is at the counter.")
                )
            updated = self._update_ticket(conn, ticket_id, notes=clean_notes(notes))
            return updated, {
                "officer_id": officer_id,
                "ticket_id": ticket_id,
                "counter_id": ticket["counter_id"],
                "service_code": ticket["service_code"],
            }

        return self._run("notes", op_id, body)

    # -- counters ------------------------------------------------------------------------

    def set_counter_status(
        self,
        counter_id: int,
        status: str,
        officer_id: int | None = None,
        *,
        reason: str = "",
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """Open, pause (with a reason) or close a counter."""
        if status not in ("open", "paused", "closed"):
            raise ValidationError("status", N_("Unknown counter status {status}."), status=status)
        reason = clean_line(reason, 200)

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            counter = self._counter(conn, counter_id)
            self._officer(conn, officer_id)
            if status == "paused" and not reason:
                raise ValidationError("reason", N_("Say why the counter is paused."))
            if status in ("paused", "closed"):
                # The display would keep sending a called visitor to a counter that is
                # not there: the officer ends the call first, and that is its own event.
                busy = fetch_one(
                    conn,
                    "SELECT number, status FROM tickets WHERE counter_id = ?"
                    " AND status IN ('called', 'serving')",
                    (counter_id,),
                )
                if busy and status == "closed":
                    raise DomainError(
                        N_("Finish ticket {number} before closing the counter."),
                        number=busy["number"],
                    )
                if busy and busy["status"] == "called":
                    raise DomainError(
                        N_(
                            "Ticket {number} is being called here: start, mark not present or"
                            " return it to the queue before pausing the counter."
                        ),
                        number=busy["number"],
                    )
            conn.execute(
                "UPDATE counters SET status = ?, pause_reason = ?, officer_id = ?, machine = ?,"
                " status_at = ? WHERE id = ?",
                (
                    status,
                    reason if status == "paused" else None,
                    # A supervisor pausing or opening somebody's counter does not take it.
                    None if status == "closed" else (counter["officer_id"] or officer_id),
                    self.machine,
                    now,
                    counter_id,
                ),
            )
            updated = self._counter(conn, counter_id)
            return updated, {
                "officer_id": officer_id,
                "counter_id": counter_id,
                "from_state": counter["status"],
                "to_state": status,
                "data": {"reason": reason} if reason else {},
            }

        return self._run("counter_" + status, op_id, body)

    def take_counter(
        self,
        counter_id: int,
        officer_id: int,
        *,
        move: bool = False,
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """Open a counter for the officer who logs in there: one officer, one counter.

        A closed counter opens; an open or paused one keeps its state with this officer.
        An officer who still holds another counter (a console elsewhere, or one that
        crashed) gets :class:`CounterHeld` and nothing changes; with ``move`` that
        counter is closed and a visitor being called there goes back to the queue (the
        ``requeue`` event says ``officer_moved``), all in this one transaction. A
        visitor being *served* there keeps the officer there: refused either way.
        Another officer's open or paused counter is refused (one counter, one officer).
        Returns the counter taken.
        """

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            counter = self._counter(conn, counter_id)
            self._officer(conn, officer_id)
            holder = counter["officer_id"]
            if counter["status"] != "closed" and holder is not None and holder != officer_id:
                # One counter, one officer: another officer's open counter is theirs until
                # they log out, or a supervisor closes it (their PC broke down).
                other = self._officer(conn, holder)
                raise DomainError(
                    N_(
                        "{counter} is in use by {officer}. Choose another counter, or ask"
                        " {officer} to log out there (a supervisor can close that counter)."
                    ),
                    counter=counter["name"],
                    officer=other["full_name"] if other else holder,
                )
            held = fetch_all(
                conn,
                "SELECT * FROM counters WHERE officer_id = ? AND status != 'closed' AND id != ?"
                " ORDER BY id",
                (officer_id, counter_id),
            )
            busy = {
                c["id"]: fetch_one(
                    conn,
                    "SELECT * FROM tickets WHERE counter_id = ? AND status IN ('called',"
                    " 'serving')",
                    (c["id"],),
                )
                for c in held
            }
            for other in held:
                visitor = busy[other["id"]]
                if visitor is not None and visitor["status"] == "serving":
                    raise DomainError(
                        N_(
                            "You are serving {number} at {counter}. Finish or transfer that"
                            " visitor there first, then log in here."
                        ),
                        number=visitor["number"],
                        counter=other["name"],
                    )
            if held and not move:
                visitor = busy[held[0]["id"]]
                raise CounterHeld(held[0]["name"], visitor["number"] if visitor else None)
            returned = []
            for other in held:
                visitor = busy[other["id"]]
                if visitor is not None:
                    new_state = self._transition(visitor, "requeue")
                    self._end_call(conn, visitor["id"], now, "requeue")
                    self._update_ticket(
                        conn, visitor["id"], status=new_state, counter_id=None, ended_at=None
                    )
                    returned.append(visitor["number"])
                    self._event(
                        conn,
                        None,
                        now,
                        "requeue",
                        officer_id=officer_id,
                        ticket_id=visitor["id"],
                        counter_id=other["id"],
                        service_code=visitor["service_code"],
                        from_state=visitor["status"],
                        to_state=new_state,
                        data={
                            "number": visitor["number"],
                            "reason": "officer_moved",
                            "moved_to": counter["name"],
                        },
                    )
                conn.execute(
                    "UPDATE counters SET status = 'closed', pause_reason = NULL,"
                    " officer_id = NULL, machine = ?, status_at = ? WHERE id = ?",
                    (self.machine, now, other["id"]),
                )
                self._event(
                    conn,
                    None,
                    now,
                    "counter_closed",
                    officer_id=officer_id,
                    counter_id=other["id"],
                    from_state=other["status"],
                    to_state="closed",
                    data={"reason": "officer_moved", "moved_to": counter["name"]},
                )
            status = "open" if counter["status"] == "closed" else counter["status"]
            conn.execute(
                "UPDATE counters SET status = ?, officer_id = ?, machine = ?, status_at = ?"
                " WHERE id = ?",
                (status, officer_id, self.machine, now, counter_id),
            )
            taken = self._counter(conn, counter_id)
            data: dict[str, Any] = {}
            if held:
                data = {"moved_from": [c["name"] for c in held], "returned": returned}
            if taken["pause_reason"]:
                data["reason"] = taken["pause_reason"]
            return {**taken, "returned": returned}, {
                "officer_id": officer_id,
                "counter_id": counter_id,
                "from_state": counter["status"],
                "to_state": status,
                "data": data,
            }

        # "counter_open" whatever the state kept: the counter is now this officer's.
        return self._run("counter_open", op_id, body)

    # -- the service day ---------------------------------------------------------------

    def close_day(self, day: str | None = None, *, op_id: str | None = None) -> dict | None:
        """Close a service day (default: today) now; None when nothing was left open.

        See :mod:`shared.dayclose`. Idempotent: a second run finds nothing and writes
        nothing, so every program may try it.
        """

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any] | None]:
            office = self._settings(conn)
            closing = day or service_day(now, office["timezone"])
            if closing > service_day(now, office["timezone"]):
                raise DomainError(N_("Day {day} has not begun yet."), day=closing)
            summary = dayclose.close(conn, closing, now, office)
            if summary is None:
                return None, None
            return summary, {"data": {"day": closing}}

        return self._run("day_close", op_id, body)

    def close_due_days(self) -> list[dict]:
        """Close every day whose closing time (+ grace) has passed with something open.

        A cheap read decides; only a day that is due costs a write. Programs call this on
        their heartbeat timer, so the next morning starts clean even after a night with
        every PC switched off.
        """

        def due(conn: sqlite3.Connection) -> list[str]:
            return dayclose.due_days(conn, self.clock.now_ms(), self._settings(conn))

        closed = []
        for day in self.store.read(due):
            summary = self.close_day(day)
            if summary is not None:
                closed.append(summary)
        return closed

    # -- officers ------------------------------------------------------------------------

    def login(
        self,
        username: str,
        pin: str,
        *,
        counter_id: int | None = None,
        supervisors_only: bool = False,
        picked: bool = False,
    ) -> dict[str, Any]:
        """Check an officer's PIN; five failures lock the officer for five minutes.

        With ``supervisors_only`` (the kiosk settings) a counter officer's right PIN is
        refused and recorded as ``login_refused``, not ``login``. ``picked`` says the
        officer was chosen from a list, so a wrong PIN may say so and count the tries
        left; a typed name gets the vaguer answer that does not confirm it exists.
        Returns the officer (without the hash). Raises :class:`AuthError`. Failed tries,
        refusals and lockouts are recorded as events, so this is a write.
        """

        def tx(conn: sqlite3.Connection) -> dict[str, Any] | AuthError:
            now = self.clock.now_ms()
            officer = fetch_one(
                conn, "SELECT * FROM officers WHERE username = ? AND active = 1", (username,)
            )
            if officer is None:
                return AuthError(N_("Unknown officer or wrong PIN."))
            if officer["locked_until"] and officer["locked_until"] > now:
                minutes = math.ceil((officer["locked_until"] - now) / 60_000)
                return AuthError(
                    N_("Too many wrong PINs. Try again in {minutes} minutes."), minutes=minutes
                )
            if not security.verify_pin(pin, officer["pin_hash"]):
                failed = officer["failed_attempts"] + 1
                locked = (
                    now + security.LOCKOUT_MS if failed >= security.MAX_FAILED_ATTEMPTS else None
                )
                conn.execute(
                    "UPDATE officers SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                    (0 if locked else failed, locked, officer["id"]),
                )
                kind = "officer_locked" if locked else "login_failed"
                self._event(
                    conn,
                    None,
                    now,
                    kind,
                    officer_id=officer["id"],
                    counter_id=counter_id,
                    data={"attempt": failed},
                )
                if locked:
                    return AuthError(
                        N_("Too many wrong PINs. Try again in {minutes} minutes."),
                        minutes=security.LOCKOUT_MS // 60_000,
                    )
                if picked:
                    return AuthError(
                        N_("Wrong PIN. Tries left before a {minutes}-minute lock: {left}."),
                        left=security.MAX_FAILED_ATTEMPTS - failed,
                        minutes=security.LOCKOUT_MS // 60_000,
                    )
                return AuthError(N_("Unknown officer or wrong PIN."))
            conn.execute(
                "UPDATE officers SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                (officer["id"],),
            )
            if supervisors_only and officer["role"] not in ("supervisor", "admin"):
                self._event(
                    conn,
                    None,
                    now,
                    "login_refused",
                    officer_id=officer["id"],
                    counter_id=counter_id,
                    data={"role": officer["role"]},
                )
                return AuthError(N_("Only a supervisor or an administrator may log in here."))
            self._event(conn, None, now, "login", officer_id=officer["id"], counter_id=counter_id)
            officer.pop("pin_hash")
            return officer

        outcome = self.store.write(tx)
        if isinstance(outcome, AuthError):
            raise outcome  # raised after COMMIT so the failed try is recorded
        return outcome

    def logout(self, officer_id: int, counter_id: int | None = None) -> None:
        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            return None, {"officer_id": officer_id, "counter_id": counter_id}

        self._run("logout", None, body)

    # -- ratings ---------------------------------------------------------------------------

    def record_rating(
        self,
        ticket_code: str,
        score: int,
        *,
        ikm: dict[str, int] | None = None,
        gratification: bool | None = None,
        extortion: bool | None = None,
        comment: str = "",
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """Store a visitor's rating of a ticket served today (once per ticket).

        ``ticket_code`` is the ticket's private code (its QR), not the number the
        waiting-room screen shows to everyone: nobody can rate another person's visit.
        ``ikm`` maps ``u1``…``u9`` to 1–4. A *yes* to either integrity question flags the
        rating for the supervisor: the service is free of charge.
        """
        if not isinstance(score, int) or not 1 <= score <= 5:
            raise ValidationError("score", N_("Choose from one to five stars."))
        answers = dict(ikm or {})
        for key, value in answers.items():
            if key not in {f"u{i}" for i in range(1, 10)} or value not in (1, 2, 3, 4):
                raise ValidationError(key, N_("Each question is answered from 1 to 4."))
        flagged = bool(gratification) or bool(extortion)

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            ticket = queries.ticket_by_code(conn, ticket_code)
            if ticket is None:
                raise NotFound(N_("No ticket {code} was found today."), code=ticket_code)
            if ticket["status"] != "done" or ticket["service_day"] != service_day(
                now, self._settings(conn)["timezone"]
            ):
                raise DomainError(
                    N_("Ticket {number} has not been served today, so it cannot be rated yet."),
                    number=ticket["number"],
                )
            if conn.execute(
                "SELECT 1 FROM ratings WHERE ticket_id = ?", (ticket["id"],)
            ).fetchone():
                raise DomainError(
                    N_("Ticket {number} has already been rated. Thank you!"),
                    number=ticket["number"],
                )
            cols = [
                "ticket_id",
                "service_code",
                "officer_id",
                "counter_id",
                "score",
                "gratification",
                "extortion",
                "comment",
                "flagged",
                "created_at",
                *answers,
            ]
            values = [
                ticket["id"],
                ticket["service_code"],
                ticket["officer_id"],
                ticket["counter_id"],
                score,
                None if gratification is None else int(gratification),
                None if extortion is None else int(extortion),
                clean_notes(comment)[:1000],
                int(flagged),
                now,
                *answers.values(),
            ]
            rating_id = conn.execute(
                f"INSERT INTO ratings({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                values,
            ).lastrowid
            rating = fetch_one(conn, "SELECT * FROM ratings WHERE id = ?", (rating_id,))
            return rating, {
                "ticket_id": ticket["id"],
                "service_code": ticket["service_code"],
                "officer_id": ticket["officer_id"],
                "data": {"score": score, "flagged": flagged},
            }

        return self._run("rating", op_id, body)


class Operations(TicketOperations, AdminOperations):
    """Every operation of the queue: what the programs and ``pst-admin`` call."""
