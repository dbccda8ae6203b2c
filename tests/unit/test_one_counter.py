"""One officer, one counter: taking a counter while holding another asks to move first."""

from __future__ import annotations

import pytest

from shared.errors import CounterHeld, DomainError
from shared.storage.rows import fetch_all, fetch_one


def counter(store, counter_id):
    return store.read(lambda c: fetch_one(c, "SELECT * FROM counters WHERE id = ?", (counter_id,)))


def ticket(store, ticket_id):
    return store.read(lambda c: fetch_one(c, "SELECT * FROM tickets WHERE id = ?", (ticket_id,)))


def events_since(store, event_id):
    return store.read(
        lambda c: fetch_all(c, "SELECT * FROM events WHERE id > ? ORDER BY id", (event_id,))
    )


def last_event_id(store):
    return store.read(lambda c: c.execute("SELECT MAX(id) FROM events").fetchone()[0])


@pytest.fixture
def desks(office):
    return office["counter1"]["id"], office["counter2"]["id"], office["officer"]["id"]


def test_taking_a_free_counter_opens_it_for_the_officer(ops, store, desks):
    loket1, _loket2, budi = desks
    before = last_event_id(store)
    taken = ops.take_counter(loket1, budi)
    assert (taken["status"], taken["officer_id"]) == ("open", budi)
    [event] = events_since(store, before)
    assert (event["kind"], event["counter_id"], event["officer_id"]) == (
        "counter_open",
        loket1,
        budi,
    )
    # Again at the same counter (the console was restarted): nothing to move.
    assert ops.take_counter(loket1, budi)["officer_id"] == budi


def test_a_paused_counter_stays_paused_with_its_reason(ops, store, desks):
    loket1, _loket2, budi = desks
    ops.set_counter_status(loket1, "paused", budi, reason="Salat")
    taken = ops.take_counter(loket1, budi)
    assert (taken["status"], taken["pause_reason"]) == ("paused", "Salat")


def test_holding_another_counter_is_refused_until_the_officer_agrees_to_move(ops, store, desks):
    loket1, loket2, budi = desks
    ops.take_counter(loket2, budi)
    before = last_event_id(store)
    with pytest.raises(CounterHeld) as held:
        ops.take_counter(loket1, budi)
    assert held.value.params == {"counter": "Loket 2"}
    assert held.value.message == "Anda masih tercatat di Loket 2."
    assert counter(store, loket1)["status"] == "closed"
    assert counter(store, loket2)["officer_id"] == budi
    assert events_since(store, before) == []

    moved = ops.take_counter(loket1, budi, move=True)
    assert (moved["status"], moved["officer_id"]) == ("open", budi)
    left = counter(store, loket2)
    assert (left["status"], left["officer_id"]) == ("closed", None)
    written = events_since(store, before)
    assert [(e["kind"], e["counter_id"]) for e in written] == [
        ("counter_closed", loket2),
        ("counter_open", loket1),
    ]
    assert len({e["at"] for e in written}) == 1, "one transaction"
    assert '"moved_to": "Loket 1"' in written[0]["data"]
    assert '"moved_from": ["Loket 2"]' in written[1]["data"]


def test_moving_returns_the_called_visitor_to_the_queue_with_a_reason(ops, store, desks):
    loket1, loket2, budi = desks
    waiting = ops.issue_ticket("KS")
    ops.take_counter(loket2, budi)
    called = ops.call_next(loket2, budi)
    assert called["id"] == waiting["id"]
    with pytest.raises(CounterHeld) as held:
        ops.take_counter(loket1, budi)
    assert held.value.params == {"counter": "Loket 2", "number": "KS-001"}
    assert held.value.message == "Anda masih tercatat di Loket 2; KS-001 sedang dipanggil di sana."
    before = last_event_id(store)
    ops.take_counter(loket1, budi, move=True)
    back = ticket(store, waiting["id"])
    assert (back["status"], back["counter_id"]) == ("waiting", None)
    call = store.read(
        lambda c: fetch_one(c, "SELECT * FROM calls WHERE ticket_id = ?", (waiting["id"],))
    )
    assert call["end_kind"] == "requeue" and call["ended_at"] is not None
    written = events_since(store, before)
    assert [(e["kind"], e["ticket_id"], e["to_state"]) for e in written] == [
        ("requeue", waiting["id"], "waiting"),
        ("counter_closed", None, "closed"),
        ("counter_open", None, "open"),
    ]
    assert '"reason": "officer_moved"' in written[0]["data"]
    # Loket 1 serves KS too: the visitor can be called there at once.
    assert ops.call_next(loket1, budi)["id"] == waiting["id"]


def test_a_visitor_being_served_keeps_the_officer_at_that_counter(ops, store, desks):
    loket1, loket2, budi = desks
    served = ops.issue_ticket("KS")
    ops.take_counter(loket2, budi)
    ops.call_next(loket2, budi)
    ops.start_service(served["id"], budi)
    before = last_event_id(store)
    for move in (False, True):
        with pytest.raises(DomainError) as refused:
            ops.take_counter(loket1, budi, move=move)
        assert not isinstance(refused.value, CounterHeld)
        assert refused.value.message == (
            "Anda sedang melayani KS-001 di Loket 2. Selesaikan atau alihkan pengunjung itu"
            " di sana dahulu, lalu masuk di sini."
        )
    assert events_since(store, before) == []
    assert ticket(store, served["id"])["status"] == "serving"


def test_a_repeated_move_is_done_once(ops, store, desks):
    loket1, loket2, budi = desks
    ops.take_counter(loket2, budi)
    first = ops.take_counter(loket1, budi, move=True, op_id="move-1")
    before = last_event_id(store)
    assert ops.take_counter(loket1, budi, move=True, op_id="move-1") == first
    assert events_since(store, before) == []


def test_a_counter_in_use_by_another_officer_is_refused(ops, store, office, desks):
    loket1, _loket2, budi = desks
    sari = office["supervisor"]["id"]
    ops.take_counter(loket1, budi)
    before = last_event_id(store)
    with pytest.raises(DomainError) as refused:
        ops.take_counter(loket1, sari, move=True)
    assert refused.value.message == (
        "Loket 1 sedang dipakai Budi Santoso. Pilih loket lain, atau minta Budi Santoso"
        " keluar di sana (supervisor dapat menutup loket itu)."
    )
    assert counter(store, loket1)["officer_id"] == budi
    assert events_since(store, before) == []
    # A supervisor closes it (Budi's PC broke down): now Sari may take it.
    ops.set_counter_status(loket1, "closed", sari)
    assert ops.take_counter(loket1, sari)["officer_id"] == sari


def test_a_supervisor_pausing_a_counter_does_not_take_it_over(ops, store, office, desks):
    loket1, _loket2, budi = desks
    sari = office["supervisor"]["id"]
    ops.take_counter(loket1, budi)
    ops.set_counter_status(loket1, "paused", sari, reason="Rapat")
    ops.set_counter_status(loket1, "open", sari)
    assert counter(store, loket1)["officer_id"] == budi
