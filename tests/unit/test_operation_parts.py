"""Each kind of operation works alone on the shared plumbing of OperationsBase."""

from __future__ import annotations

import pytest

from shared.errors import NotFound
from shared.queue.operations_calls import CallOperations
from shared.queue.operations_desk import DeskOperations
from shared.queue.operations_visitor import VisitorOperations
from shared.queue.opsbase import OperationsBase, format_number, insert_row


def test_visitor_operations_alone_number_tickets_per_service(ops, store, clock):
    visitor = VisitorOperations(store, clock=clock, machine="kiosk-1", program="kiosk")
    first = visitor.issue_ticket("KS")
    second = visitor.issue_ticket("KS")
    other = visitor.issue_ticket("PS")
    assert [first["number"], second["number"], other["number"]] == ["KS-001", "KS-002", "PS-001"]
    assert first["code"] != second["code"]
    assert first["issued_machine"] == "kiosk-1"
    kinds = store.read(lambda c: [r[0] for r in c.execute("SELECT kind FROM events")])
    assert kinds.count("issue") == 3


def test_desk_and_calls_alone_open_a_counter_and_call(ops, office, store, clock):
    ticket = ops.issue_ticket("KS")
    desk = DeskOperations(store, clock=clock, machine="counter-1", program="counter")
    calls = CallOperations(store, clock=clock, machine="counter-1", program="counter")
    counter = desk.take_counter(office["counter1"]["id"], office["officer"]["id"])
    assert counter["status"] == "open"
    called = calls.call_next(counter["id"], office["officer"]["id"])
    assert (called["id"], called["status"]) == (ticket["id"], "called")


def test_lookups_refuse_what_is_missing(ops, store):
    with pytest.raises(NotFound):
        store.read(lambda c: OperationsBase._ticket(c, 999))
    with pytest.raises(NotFound):
        store.read(lambda c: OperationsBase._service(c, "XX"))
    with pytest.raises(NotFound):
        store.read(lambda c: OperationsBase._officer(c, 999))


def test_insert_row_returns_the_new_id(ops, store, clock):
    def tx(conn):
        return insert_row(
            conn,
            "visitors",
            {"name": "Ani", "email": "ani@example.id", "created_at": 1, "updated_at": 1},
        )

    visitor_id = store.write(tx)
    row = store.read(
        lambda c: c.execute(
            "SELECT name, email FROM visitors WHERE id = ?", (visitor_id,)
        ).fetchone()
    )
    assert tuple(row) == ("Ani", "ani@example.id")
    assert format_number("KS", 7) == "KS-007"
