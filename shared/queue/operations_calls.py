"""The counter's work on a ticket: call, recall, start, finish, no-show, requeue, transfer.

Part of :class:`~shared.queue.operations.Operations` (what the counter console calls). Each
ticket's move is checked by :mod:`shared.queue.rules`'s one table of transitions; the
10-minute target is fixed at the first call (:mod:`shared.queue.target`).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from shared.clock import service_day
from shared.errors import DomainError, InvalidTransition, ValidationError
from shared.i18n import N_
from shared.office import servicehours
from shared.queue import queries, rules, target
from shared.queue.opsbase import OperationsBase
from shared.queue.validation import clean_line, clean_notes
from shared.storage.rows import fetch_one


class CallOperations(OperationsBase):
    """Call visitors to a counter and move their tickets through the service."""

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
            chosen = rules.choose_next(
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
            if ticket["status"] in rules.ACTIVE_STATES and new_state not in rules.ACTIVE_STATES:
                self._end_call(conn, ticket_id, now, kind)
            updated = self._update_ticket(conn, ticket_id, status=new_state, **values)
            return updated, self._ticket_event(ticket, new_state, officer_id, data)

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
            self._open_service(conn, to_service)
            if to_service == ticket["service_code"]:
                raise DomainError(N_("Choose a different service to transfer to."))
            office = self._settings(conn)
            text = clean_notes(notes) if notes is not None else ticket["notes"]
            new_id = self._new_ticket(
                conn,
                now,
                office,
                to_service,
                priority_group=ticket["priority_group"],
                visit_id=ticket["visit_id"],
                notes=text,
                transferred_from_id=ticket_id,
            )
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
            moved = {
                "number": ticket["number"],
                "new_ticket_id": new_id,
                "new_number": new_ticket["number"],
                "to_service": to_service,
            }
            return new_ticket, self._ticket_event(ticket, new_state, officer_id, moved)

        return self._run("transfer", op_id, body)

    def save_notes(
        self, ticket_id: int, notes: str, officer_id: int | None = None, *, op_id: str | None = None
    ) -> dict[str, Any]:
        """Save an officer's notes on an active ticket without changing its state."""

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            ticket = self._ticket(conn, ticket_id)
            if ticket["status"] not in rules.ACTIVE_STATES:
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
