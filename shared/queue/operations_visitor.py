"""The visitor's operations: take a number with the guest book, rate the service.

Part of :class:`~shared.queue.operations.Operations` (what the kiosk and the status page
call); the plumbing and the ticket helpers are in :mod:`shared.queue.opsbase`.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from shared.clock import from_ms, service_day
from shared.errors import DomainError, NotFound, ValidationError
from shared.i18n import N_
from shared.office import servicehours
from shared.queue import queries
from shared.queue.opsbase import OperationsBase, insert_row
from shared.queue.validation import GuestBook, clean_notes, validate_guest_book
from shared.storage.rows import fetch_one


class VisitorOperations(OperationsBase):
    """Issue a ticket with its guest-book record; record the visitor's rating."""

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
            service = self._open_service(conn, service_code)
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
            ticket_id = self._new_ticket(
                conn,
                now,
                office,
                service_code,
                priority_group=priority_group or None,
                visit_id=visit_id,
            )
            ticket = self._ticket(conn, ticket_id)
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
            visitor_id = insert_row(
                conn, "visitors", {**columns, "created_at": now, "updated_at": now}
            )
        visit = {
            "visitor_id": visitor_id,
            "purpose": guest.purpose,
            "topic": guest.topic,
            "consent_at": now,
            "consent_version": office["consent_version"],
            "created_at": now,
        }
        return insert_row(conn, "visits", visit)

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
            rating = {
                "ticket_id": ticket["id"],
                "service_code": ticket["service_code"],
                "officer_id": ticket["officer_id"],
                "counter_id": ticket["counter_id"],
                "score": score,
                "gratification": None if gratification is None else int(gratification),
                "extortion": None if extortion is None else int(extortion),
                "comment": clean_notes(comment)[:1000],
                "flagged": int(flagged),
                "created_at": now,
                **answers,
            }
            rating_id = insert_row(conn, "ratings", rating)
            rating = fetch_one(conn, "SELECT * FROM ratings WHERE id = ?", (rating_id,))
            return rating, {
                "ticket_id": ticket["id"],
                "service_code": ticket["service_code"],
                "officer_id": ticket["officer_id"],
                "data": {"score": score, "flagged": flagged},
            }

        return self._run("rating", op_id, body)
