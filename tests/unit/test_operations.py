"""Every queue operation against a real migrated database file."""

from __future__ import annotations

import json

import pytest

from shared.errors import DomainError, InvalidTransition, NotFound, ValidationError
from shared.queue import queries
from shared.queue import rules as queue

GUEST = {"name": "Rina Marlina", "email": "rina@example.id", "consent": True}


def events(store, **where):
    clause = " AND ".join(f"{k} = ?" for k in where) or "1"
    return store.read(
        lambda c: c.execute(
            f"SELECT kind, from_state, to_state, ticket_id FROM events WHERE {clause} ORDER BY id",
            tuple(where.values()),
        ).fetchall()
    )


def open_counter(ops, office, which="counter1"):
    ops.set_counter_status(office[which]["id"], "open", office["officer"]["id"])
    return office[which]["id"]


def test_issue_numbers_per_service_and_records_guest_book(ops, store, office):
    first = ops.issue_ticket("KS", GUEST)
    second = ops.issue_ticket("KS")
    other = ops.issue_ticket("PS")
    assert (first["number"], second["number"], other["number"]) == ("KS-001", "KS-002", "PS-001")
    assert (first["ahead"], second["ahead"]) == (0, 1)
    detail = store.read(lambda c: queries.ticket_detail(c, first["id"]))
    assert detail["visitor"]["name"] == "Rina Marlina"
    assert detail["visit"]["consent_at"] == first["issued_at"]
    assert events(store, kind="issue") == [
        ("issue", None, "waiting", first["id"]),
        ("issue", None, "waiting", second["id"]),
        ("issue", None, "waiting", other["id"]),
    ]


def test_returning_visitor_is_one_visitor_with_two_visits(ops, store):
    ops.issue_ticket("KS", {**GUEST, "phone": "0811-222-333"})
    ops.issue_ticket("PS", {**GUEST, "phone": "0811222333", "institution_name": "Unsri"})
    visitor = store.read(
        lambda c: queries.find_visitor(c, email="RINA@example.id", phone="+62 811 222 333")
    )
    assert visitor["institution_name"] == "Unsri"
    assert store.read(lambda c: c.execute("SELECT COUNT(*) FROM visits").fetchone()[0]) == 2
    assert store.read(lambda c: c.execute("SELECT COUNT(*) FROM visitors").fetchone()[0]) == 1


def test_whole_lifecycle_writes_one_event_per_step(ops, store, office, clock):
    counter = open_counter(ops, office)
    officer = office["officer"]["id"]
    ticket = ops.issue_ticket("KS", GUEST)
    clock.advance(minutes=1)
    called = ops.call_next(counter, officer)
    assert called["id"] == ticket["id"] and called["status"] == "called"
    assert called["counter_id"] == counter and called["call_seq"] == 1
    ops.recall(ticket["id"], officer)
    started = ops.start_service(ticket["id"], officer)
    assert started["status"] == "serving" and started["started_at"] == clock.now_ms()
    clock.advance(minutes=7)
    done = ops.finish(ticket["id"], officer, notes="Tabel\x1b kemiskinan\n2025")
    assert done["status"] == "done" and done["ended_at"] == clock.now_ms()
    assert done["notes"] == "Tabel kemiskinan\n2025"
    kinds = [e[0] for e in events(store, ticket_id=ticket["id"])]
    assert kinds == ["issue", "call", "recall", "start", "finish"]


def test_call_next_only_calls_the_counters_services(ops, office):
    counter = open_counter(ops, office)  # Loket 1: KS and PS
    ops.issue_ticket("PJ")
    with pytest.raises(DomainError, match="No visitor is waiting"):
        ops.call_next(counter)


def test_call_next_needs_an_open_counter_and_a_free_one(ops, office):
    ops.issue_ticket("KS")
    ops.issue_ticket("KS")
    with pytest.raises(DomainError, match="closed"):
        ops.call_next(office["counter1"]["id"])
    counter = open_counter(ops, office)
    ops.call_next(counter)
    with pytest.raises(DomainError, match="Finish ticket KS-001"):
        ops.call_next(counter)
    with pytest.raises(DomainError, match="before pausing"):
        ops.set_counter_status(counter, "paused", reason="Istirahat")
    ops.requeue(1)
    ops.set_counter_status(counter, "paused", reason="Istirahat")
    with pytest.raises(DomainError, match="paused"):
        ops.call_ticket(2, counter, reason="x")


def test_pause_needs_a_reason_and_close_needs_no_visitor(ops, office):
    counter = open_counter(ops, office)
    with pytest.raises(ValidationError):
        ops.set_counter_status(counter, "paused")
    ops.issue_ticket("KS")
    ops.call_next(counter)
    with pytest.raises(DomainError, match="before closing"):
        ops.set_counter_status(counter, "closed")


def test_call_specific_ticket_requires_and_records_a_reason(ops, store, office):
    counter = open_counter(ops, office)
    ops.issue_ticket("KS")
    later = ops.issue_ticket("KS")
    with pytest.raises(ValidationError):
        ops.call_ticket(later["id"], counter, reason="   ")
    called = ops.call_ticket(later["id"], counter, reason="Kursi roda, tidak tercatat prioritas")
    assert called["status"] == "called"
    data = store.read(
        lambda c: c.execute("SELECT data FROM events WHERE kind = 'call'").fetchone()[0]
    )
    assert json.loads(data)["reason"] == "Kursi roda, tidak tercatat prioritas"


def test_call_specific_refuses_a_service_the_counter_does_not_serve(ops, office):
    counter = open_counter(ops, office)
    pj = ops.issue_ticket("PJ")
    with pytest.raises(DomainError, match="does not serve"):
        ops.call_ticket(pj["id"], counter, reason="coba")


def test_recall_limit_then_no_show_then_grace_requeue(ops, office, clock):
    counter = open_counter(ops, office)
    ticket = ops.issue_ticket("KS")
    ops.call_next(counter)
    for _ in range(3):
        ops.recall(ticket["id"])
    with pytest.raises(DomainError, match="mark it as not present"):
        ops.recall(ticket["id"])
    gone = ops.no_show(ticket["id"])
    assert gone["status"] == "no_show" and gone["ended_at"] == clock.now_ms()
    clock.advance(minutes=29)
    back = ops.requeue(ticket["id"])
    assert back["status"] == "waiting" and back["counter_id"] is None


def test_no_show_after_grace_cannot_be_put_back(ops, office, clock):
    counter = open_counter(ops, office)
    ticket = ops.issue_ticket("KS")
    ops.call_next(counter)
    ops.no_show(ticket["id"])
    clock.advance(minutes=31)
    with pytest.raises(DomainError, match="take a new number"):
        ops.requeue(ticket["id"])


def test_transfer_keeps_visit_notes_and_priority(ops, store, office):
    counter = open_counter(ops, office)
    ticket = ops.issue_ticket("KS", GUEST, priority_group="elderly")
    ops.call_next(counter)
    ops.start_service(ticket["id"])
    new = ops.transfer(ticket["id"], "PJ", notes="Beli publikasi")
    old = store.read(lambda c: queries.ticket_detail(c, ticket["id"]))
    assert old["status"] == "transferred" and old["transferred_to_id"] == new["id"]
    assert old["ended_at"] is not None
    assert new["number"] == "PJ-001" and new["status"] == "waiting"
    assert new["visit_id"] == ticket["visit_id"] and new["notes"] == "Beli publikasi"
    assert new["priority_group"] == "elderly" and new["transferred_from_id"] == ticket["id"]
    with pytest.raises(DomainError):
        ops.transfer(new["id"], "PJ")


def test_issue_refuses_inactive_service_unknown_group_and_closed_hours(ops, clock):
    ops.save_service("LA", active=False)
    with pytest.raises(DomainError, match="closed"):
        ops.issue_ticket("LA")
    with pytest.raises(ValidationError):
        ops.issue_ticket("KS", priority_group="vip")
    with pytest.raises(NotFound):
        ops.issue_ticket("ZZ")
    clock.advance(minutes=7 * 60)  # 16:00 on a Wednesday: closed at 15:30
    with pytest.raises(DomainError, match="closed now"):
        ops.issue_ticket("KS")
    assert ops.issue_ticket("KS", ignore_hours=True)["number"] == "KS-001"


def test_invalid_guest_book_writes_nothing(ops, store):
    with pytest.raises(ValidationError) as info:
        ops.issue_ticket("KS", {"name": "Rina", "email": "rina@", "consent": True})
    assert info.value.field == "email"
    with pytest.raises(ValidationError) as info:
        ops.issue_ticket("KS", {"name": "Rina", "email": "rina@example.id"})
    assert info.value.field == "consent"
    assert store.read(lambda c: c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]) == 0
    assert (
        store.read(
            lambda c: c.execute("SELECT COUNT(*) FROM events WHERE kind='issue'").fetchone()[0]
        )
        == 0
    )


def test_same_op_id_is_done_once(ops, store, office):
    counter = open_counter(ops, office)
    first = ops.issue_ticket("KS", GUEST, op_id="tap-1")
    again = ops.issue_ticket("KS", GUEST, op_id="tap-1")
    assert again["id"] == first["id"]
    ops.issue_ticket("KS")
    called = ops.call_next(counter, op_id="press-1")
    retried = ops.call_next(counter, op_id="press-1")  # would fail if it ran again
    assert retried["id"] == called["id"]
    assert len(events(store, kind="call")) == 1
    assert store.read(lambda c: c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]) == 2


def test_rating_only_for_served_tickets_once(ops, store, office):
    counter = open_counter(ops, office)
    ticket = ops.issue_ticket("KS")
    with pytest.raises(DomainError, match="not been served"):
        ops.record_rating(ticket["code"], 5)
    ops.call_next(counter)
    ops.start_service(ticket["id"])
    ops.finish(ticket["id"])
    with pytest.raises(ValidationError):
        ops.record_rating(ticket["code"], 6)
    with pytest.raises(ValidationError):
        ops.record_rating(ticket["code"], 4, ikm={"u1": 5})
    with pytest.raises(NotFound):
        ops.record_rating("ks-1", 4)  # the public number proves nothing
    rating = ops.record_rating(ticket["code"].lower(), 4, ikm={"u1": 4, "u9": 3}, extortion=True)
    assert rating["flagged"] == 1 and rating["counter_id"] == counter and rating["u9"] == 3
    with pytest.raises(DomainError, match="already been rated"):
        ops.record_rating(ticket["code"], 5)
    with pytest.raises(NotFound):
        ops.record_rating("NOPE1234", 5)


def test_login_lockout_after_five_failures(ops, store, office, clock):
    from shared.errors import AuthError

    for _ in range(4):
        with pytest.raises(AuthError, match="wrong PIN"):
            ops.login("budi", "0000")
    with pytest.raises(AuthError, match="Try again in 5 minutes"):
        ops.login("budi", "0000")
    with pytest.raises(AuthError, match="Try again"):
        ops.login("budi", "1234")  # right PIN, but locked
    clock.advance(minutes=5, seconds=1)
    officer = ops.login("budi", "1234")
    assert officer["username"] == "budi" and "pin_hash" not in officer
    kinds = [e[0] for e in events(store) if e[0].startswith(("login", "officer"))]
    assert kinds == ["login_failed"] * 4 + ["officer_locked", "login"]


def test_an_officer_picked_from_a_list_is_told_the_pin_is_wrong_and_the_tries_left(ops, office):
    from shared.errors import AuthError

    for left in (4, 3):
        with pytest.raises(AuthError) as wrong:
            ops.login("budi", "0000", picked=True)
        assert wrong.value.message == f"PIN salah. Sisa percobaan sebelum dikunci 5 menit: {left}."
    # A typed name still gets the answer that does not confirm the officer exists.
    with pytest.raises(AuthError, match="Unknown officer or wrong PIN"):
        ops.login("budi", "0000")
    with pytest.raises(AuthError, match="Unknown officer or wrong PIN"):
        ops.login("nobody", "0000", picked=True)


def test_supervisors_only_login_refuses_a_counter_officer_with_the_right_pin(ops, store, office):
    from shared.errors import AuthError

    with pytest.raises(AuthError, match="wrong PIN"):
        ops.login("budi", "0000", supervisors_only=True)  # a wrong PIN says nothing of roles
    with pytest.raises(AuthError, match="Only a supervisor or an administrator"):
        ops.login("budi", "1234", supervisors_only=True)
    assert ops.login("sari", "5678", supervisors_only=True)["role"] == "supervisor"
    logged = store.read(
        lambda c: c.execute(
            "SELECT e.kind, o.username, e.data FROM events e JOIN officers o"
            " ON o.id = e.officer_id WHERE e.kind LIKE 'login%' ORDER BY e.id"
        ).fetchall()
    )
    assert [(kind, who) for kind, who, _ in logged] == [
        ("login_failed", "budi"),
        ("login_refused", "budi"),
        ("login", "sari"),
    ]
    assert json.loads(logged[1][2]) == {"role": "officer"}


ALL_STATES = ("waiting", "called", "serving", "done", "no_show", "transferred")


def _ticket_in(ops, office, clock, state):
    """Drive a fresh ticket into ``state`` through real operations."""
    counter = open_counter(ops, office, "counter2")
    ticket = ops.issue_ticket("RS")
    if state == "waiting":
        return ticket
    ops.call_next(counter)
    if state == "called":
        return ticket
    if state == "no_show":
        ops.no_show(ticket["id"])
        return ticket
    ops.start_service(ticket["id"])
    if state == "serving":
        return ticket
    if state == "done":
        ops.finish(ticket["id"])
    else:
        ops.transfer(ticket["id"], "LA")
    return ticket


@pytest.mark.parametrize("state", ALL_STATES)
@pytest.mark.parametrize("action", queue.ACTIONS)
def test_state_table_is_enforced(ops, store, office, clock, state, action):
    ticket = _ticket_in(ops, office, clock, state)
    counter = office["counter2"]["id"]
    run = {
        "call": lambda: ops.call_ticket(ticket["id"], counter, reason="uji"),
        "recall": lambda: ops.recall(ticket["id"]),
        "start": lambda: ops.start_service(ticket["id"]),
        "no_show": lambda: ops.no_show(ticket["id"]),
        "requeue": lambda: ops.requeue(ticket["id"]),
        "finish": lambda: ops.finish(ticket["id"]),
        "transfer": lambda: ops.transfer(ticket["id"], "LA"),
    }[action]
    before = len(events(store))
    allowed = queue.next_state(state, action)
    if allowed is None:
        with pytest.raises(InvalidTransition) as info:
            run()
        assert ticket["number"] in info.value.message
        assert len(events(store)) == before  # refused: nothing written
    else:
        if state == "waiting" and action == "call":
            pass
        result = run()
        status = store.read(
            lambda c: c.execute(
                "SELECT status FROM tickets WHERE id = ?", (ticket["id"],)
            ).fetchone()[0]
        )
        assert status == allowed
        assert len(events(store)) == before + 1
        assert result is not None


def test_invalid_transition_message_is_translated(ops, office, clock):
    from shared import i18n

    ticket = _ticket_in(ops, office, clock, "done")
    with pytest.raises(InvalidTransition) as info:
        ops.start_service(ticket["id"])
    i18n.set_language("id")
    assert info.value.message == "Tiket RS-001 tidak dapat dimulai: tiket ini sudah selesai."
    i18n.set_language("en")
    assert info.value.message == "Ticket RS-001 cannot be started: it is already finished."


def test_purge_anonymises_old_guest_books_but_keeps_categories(ops, store, clock):
    ops.issue_ticket(
        "KS", {**GUEST, "education": "S2", "phone": "081234567890", "birth_year": 1987}
    )
    clock.advance(minutes=400 * 24 * 60)
    result = ops.purge_personal_data()
    assert result["anonymised"] == 1
    visitor = store.read(lambda c: c.execute("SELECT * FROM visitors").fetchone())
    assert "Rina" not in str(visitor) and "rina@" not in str(visitor) and "0812" not in str(visitor)
    assert "S2" in visitor and 1980 in visitor
