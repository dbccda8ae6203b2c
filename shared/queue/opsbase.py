"""The plumbing every operation shares: one store, clock, machine and program; one
idempotent transaction with one event row; lookups and ticket writes used inside
transactions.

:class:`~shared.queue.operations.Operations` is built on :class:`OperationsBase`: the
visitor's operations in :mod:`shared.queue.operations_visitor`, the counter's work in
:mod:`shared.queue.operations_calls`, counters, logins and the day in
:mod:`shared.queue.operations_desk`, the administrative ones in :mod:`shared.queue.administration`.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable
from typing import Any

from shared.clock import Clock, service_day
from shared.errors import DomainError, InvalidTransition, NotFound, SchemaTooNew
from shared.i18n import N_, Msg
from shared.office import settings
from shared.queue import rules, ticketcode
from shared.storage import eventresult
from shared.storage.rows import fetch_one
from shared.storage.schema import known_migrations, migrate
from shared.storage.store import Store


def new_op_id() -> str:
    return uuid.uuid4().hex


def format_number(code: str, seq: int) -> str:
    """Write a ticket's number as the display shows it: ``KS-001``."""
    return f"{code}-{seq:03d}"


def _found(row: dict[str, Any] | None, message: str, **names: Any) -> dict[str, Any]:
    """Return ``row``, or raise :class:`NotFound` with the message when there is none."""
    if row is None:
        raise NotFound(message, **names)
    return row


def insert_row(conn: sqlite3.Connection, table: str, values: dict[str, Any]) -> int:
    """Insert one row of ``values`` (column: value) into ``table``; return its id."""
    columns = ", ".join(values)
    marks = ", ".join("?" for _ in values)
    sql = f"INSERT INTO {table}({columns}) VALUES ({marks})"
    return conn.execute(sql, tuple(values.values())).lastrowid


class OperationsBase:
    """One store, clock, machine and program, and the one way to change the database."""

    def __init__(
        self, store: Store, *, clock: Clock | None = None, machine: str = "", program: str = ""
    ) -> None:
        self.store = store
        self.clock = clock or Clock()
        self.machine = machine or "unknown"
        self.program = program or "core"

    # -- plumbing ---------------------------------------------------------------------

    def initialise(self) -> list[str]:
        """Create or migrate the schema and seed default services; idempotent."""

        def tx(conn: sqlite3.Connection) -> list[str]:
            applied = migrate(conn)
            if not conn.execute("SELECT 1 FROM services LIMIT 1").fetchone():
                for order, (code, name_id, name_en, minutes) in enumerate(
                    settings.DEFAULT_SERVICES
                ):
                    conn.execute(
                        "INSERT INTO services(code, name_id, name_en, target_minutes, sort_order)"
                        " VALUES (?, ?, ?, ?, ?)",
                        (code, name_id, name_en, minutes, order),
                    )
            if applied:
                self._event(conn, None, self.clock.now_ms(), "migrate", data={"applied": applied})
            return applied

        return self.store.write(tx)

    def _run(
        self,
        kind: str,
        op_id: str | None,
        body: Callable[[sqlite3.Connection, int], tuple[Any, dict[str, Any]]],
    ) -> Any:
        """Run ``body`` as one idempotent operation; ``body`` returns (result, event).

        An event of ``None`` means the operation found nothing to do and wrote nothing.
        """
        op_id = op_id or new_op_id()

        def tx(conn: sqlite3.Connection) -> Any:
            # Another PC may have upgraded the file since this connection was opened: an
            # old program never writes into a newer schema.
            if conn.execute("PRAGMA user_version").fetchone()[0] > len(known_migrations()):
                raise SchemaTooNew()
            done = conn.execute("SELECT result FROM events WHERE op_id = ?", (op_id,)).fetchone()
            if done is not None:
                return eventresult.decode(done[0])
            now = self.clock.now_ms()
            result, event = body(conn, now)
            if event is not None:  # None: there was nothing to do, so nothing happened
                self._event(conn, op_id, now, kind, result=result, **event)
            return result

        return self.store.write(tx)

    def _event(
        self,
        conn: sqlite3.Connection,
        op_id: str | None,
        now: int,
        kind: str,
        *,
        officer_id: int | None = None,
        ticket_id: int | None = None,
        counter_id: int | None = None,
        service_code: str | None = None,
        from_state: str | None = None,
        to_state: str | None = None,
        data: dict[str, Any] | None = None,
        result: Any = None,
    ) -> None:
        conn.execute(
            "INSERT INTO events(op_id, at, machine, program, officer_id, kind, ticket_id,"
            " counter_id, service_code, from_state, to_state, data, result)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                op_id,
                now,
                self.machine,
                self.program,
                officer_id,
                kind,
                ticket_id,
                counter_id,
                service_code,
                from_state,
                to_state,
                json.dumps(data or {}, ensure_ascii=False),
                eventresult.encode(result),
            ),
        )

    # -- lookups used inside transactions --------------------------------------------------

    @staticmethod
    def _settings(conn: sqlite3.Connection) -> dict[str, Any]:
        return settings.get_all(conn)

    @staticmethod
    def _service(conn: sqlite3.Connection, code: str) -> dict[str, Any]:
        service = fetch_one(conn, "SELECT * FROM services WHERE code = ?", (code,))
        return _found(service, N_("There is no service with code {code}."), code=code)

    def _open_service(self, conn: sqlite3.Connection, code: str) -> dict[str, Any]:
        """Return an active service; a closed one refuses new tickets."""
        service = self._service(conn, code)
        if not service["active"]:
            raise DomainError(
                N_("The service {name} is closed at the moment."), name=service["name_id"]
            )
        return service

    @staticmethod
    def _ticket(conn: sqlite3.Connection, ticket_id: int) -> dict[str, Any]:
        ticket = fetch_one(conn, "SELECT * FROM tickets WHERE id = ?", (ticket_id,))
        return _found(ticket, N_("Ticket {id} does not exist."), id=ticket_id)

    @staticmethod
    def _counter(conn: sqlite3.Connection, counter_id: int) -> dict[str, Any]:
        counter = fetch_one(conn, "SELECT * FROM counters WHERE id = ? AND active", (counter_id,))
        return _found(counter, N_("Counter {id} does not exist."), id=counter_id)

    @staticmethod
    def _counter_services(conn: sqlite3.Connection, counter_id: int) -> list[str]:
        rows = conn.execute(
            "SELECT cs.service_code FROM counter_services cs JOIN services s"
            " ON s.code = cs.service_code WHERE cs.counter_id = ? AND s.active = 1"
            " ORDER BY s.sort_order",
            (counter_id,),
        ).fetchall()
        return [r[0] for r in rows]

    @staticmethod
    def _officer(conn: sqlite3.Connection, officer_id: int | None) -> dict[str, Any] | None:
        if officer_id is None:
            return None
        officer = fetch_one(conn, "SELECT * FROM officers WHERE id = ? AND active", (officer_id,))
        return _found(officer, N_("Officer {id} does not exist."), id=officer_id)

    # -- a ticket's writes, shared by the kinds of operations ---------------------------------

    @staticmethod
    def _transition(ticket: dict[str, Any], action: str) -> str:
        """Return the ticket's state after ``action``; raise :class:`InvalidTransition`."""
        new_state = rules.next_state(ticket["status"], action)
        if new_state is None:
            raise InvalidTransition(
                N_("Ticket {number} cannot be {action}: it is {state}."),
                number=ticket["number"],
                action=Msg(rules.ACTION_LABELS[action]),
                state=Msg(rules.STATE_LABELS[ticket["status"]]),
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

    def _new_ticket(
        self,
        conn: sqlite3.Connection,
        now: int,
        office: dict[str, Any],
        service_code: str,
        **values: Any,
    ) -> int:
        """Insert a waiting ticket with its service's next number of today; return its id.

        ``values`` are the ticket's other columns (visit, priority group, notes...). The
        number is taken inside the caller's write transaction, so two kiosks never get
        the same one; the private code (the QR) is drawn until it is unused.
        """
        day = service_day(now, office["timezone"])
        seq = conn.execute(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM tickets WHERE service_code = ? AND"
            " service_day = ?",
            (service_code, day),
        ).fetchone()[0]
        code = ticketcode.new_code()
        while conn.execute("SELECT 1 FROM tickets WHERE code = ?", (code,)).fetchone():
            code = ticketcode.new_code()
        row = {
            "code": code,
            "service_code": service_code,
            "service_day": day,
            "seq": seq,
            "number": format_number(service_code, seq),
            "issued_at": now,
            "issued_machine": self.machine,
            **values,
        }
        return insert_row(conn, "tickets", row)

    @staticmethod
    def _ticket_event(
        ticket: dict[str, Any], new_state: str, officer_id: int | None, data: dict[str, Any]
    ) -> dict[str, Any]:
        """The event of a ticket's move at its counter: who, which ticket, from and to what."""
        return {
            "officer_id": officer_id,
            "ticket_id": ticket["id"],
            "counter_id": ticket["counter_id"],
            "service_code": ticket["service_code"],
            "from_state": ticket["status"],
            "to_state": new_state,
            "data": data,
        }

    @staticmethod
    def _end_call(conn: sqlite3.Connection, ticket_id: int, now: int, how: str) -> None:
        """Write when the ticket's current call ended; a call's end is never rewritten."""
        conn.execute(
            "UPDATE calls SET ended_at = ?, end_kind = ? WHERE ticket_id = ? AND ended_at IS NULL",
            (now, how, ticket_id),
        )
