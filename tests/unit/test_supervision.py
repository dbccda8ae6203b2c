"""The supervisor's numbers against timelines worked out by hand."""

from __future__ import annotations

from shared.queue import supervision
from shared.queue.operations import Operations

MIN = 60_000
NOW = 1_000 * MIN  # any instant; the timelines are in minutes relative to it


def t(number: str, code: str, issued_min: float) -> dict:
    return {"number": number, "service_code": code, "issued_at": NOW + int(issued_min * MIN)}


def at(minutes: float) -> int:
    return NOW + int(minutes * MIN)


def late(waiting, counters, ahead_end, minutes, opening=None, target=10):
    codes = {w["service_code"] for w in waiting}
    return [
        x["number"]
        for x in supervision.simulate_breaches(
            NOW,
            waiting,
            [(at(free), frozenset(services)) for free, services in counters],
            {code: at(m) for code, m in ahead_end.items()},
            {code: minutes for code in codes},
            {code: target for code in codes},
            {code: opening for code in codes},
        )
    ]


def test_one_counter_for_one_service_always_meets_the_target():
    # The visitor ahead ended 5 min ago; each visit takes 8 min. A: clock -5 → deadline
    # +5, called at 0. B: clock starts when A ends (8), called at 8. C likewise at 16.
    waiting = [t("KS-001", "KS", -20), t("KS-002", "KS", -15), t("KS-003", "KS", -1)]
    assert late(waiting, [(0, {"KS"})], {"KS": -5}, 8) == []


def test_a_shared_counter_makes_the_other_service_wait_too_long():
    # One counter serves KS and PS, 9 min a visit. KS ahead ended at -3, PS ahead at -2.
    #   KS-001 at 0:  clock -3, deadline 7   → met;    KS ends 9
    #   PS-001 at 9:  clock -2, deadline 8   → missed; PS ends 18
    #   KS-002 at 18: clock 9,  deadline 19  → met;    KS ends 27
    #   PS-002 at 27: clock 18, deadline 28  → met
    waiting = [
        t("KS-001", "KS", -12),
        t("PS-001", "PS", -11),
        t("KS-002", "KS", -10),
        t("PS-002", "PS", -9),
    ]
    one = [(0, {"KS", "PS"})]
    assert late(waiting, one, {"KS": -3, "PS": -2}, 9) == ["PS-001"]
    # A second counter: PS-001 is called at 0 (deadline 8), then KS-002 and PS-002 at 9
    # with clocks starting at 9 → nobody is late.
    two = [(0, {"KS", "PS"}), (0, {"KS", "PS"})]
    assert late(waiting, two, {"KS": -3, "PS": -2}, 9) == []


def test_an_overdue_head_and_a_busy_counter():
    # The only counter is busy until +6; the head's clock started at -8 (deadline +2).
    waiting = [t("KS-004", "KS", -9), t("KS-005", "KS", -8)]
    # KS-004 at 6: ahead ended at -8 → deadline 2 → missed; KS-005 at 14: clock 14 → met.
    assert late(waiting, [(6, {"KS"})], {"KS": -8}, 8) == ["KS-004"]


def test_visitor_ahead_still_served_means_the_target_is_met():
    # The visitor ahead is at counter 1 until +5; counter 2 calls KS-002 at 0.
    waiting = [t("KS-002", "KS", -30)]
    assert late(waiting, [(0, {"KS"})], {"KS": 5}, 8) == []


def test_first_visitor_of_the_day_counts_from_opening_and_orphans_are_late():
    # No call today yet: the clock starts at max(issued, opening). LA has no open counter.
    waiting = [t("KS-001", "KS", -15), t("LA-001", "LA", -1)]
    opening = at(-20)
    result = supervision.simulate_breaches(
        NOW,
        waiting,
        [(NOW, frozenset({"KS"}))],
        {},
        {"KS": 8, "LA": 8},
        {"KS": 10, "LA": 10},
        {"KS": opening, "LA": opening},
    )
    assert [x["number"] for x in result] == ["LA-001", "KS-001"]


def _setup(ops: Operations, office: dict, clock):
    ks1 = ops.issue_ticket("KS")
    ps1 = ops.issue_ticket("PS")
    ks2 = ops.issue_ticket("KS")
    pj1 = ops.issue_ticket("PJ")
    return ks1, ps1, ks2, pj1


def test_overview_on_a_real_day(ops, office, clock, store):
    c1, c2 = office["counter1"]["id"], office["counter2"]["id"]
    budi = office["officer"]["id"]
    ks1, _ps1, ks2, _pj1 = _setup(ops, office, clock)
    ops.set_counter_status(c1, "open", budi)

    # 09:00, Loket 1 (KS+PS) open at the default 8 min a visit, Loket 2 closed:
    #   KS-001 09:00 met (first KS call: clock 09:00) · PS-001 09:08 met (clock 09:00,
    #   deadline 09:10) · KS-002 09:16 met (clock 09:08) · PJ-001: nobody serves PJ → late.
    view = store.read(lambda c: supervision.overview(c, clock.now_ms()))
    assert view.forecast.breaches == ("PJ-001",)
    assert view.forecast.target_minutes == 10
    by_code = {q.service_code: q for q in view.queues}
    assert (by_code["KS"].length, by_code["PS"].length, by_code["PJ"].length) == (2, 1, 1)
    assert by_code["KS"].head_number == "KS-001"
    assert by_code["KS"].open_counters == 1 and by_code["PJ"].open_counters == 0
    assert view.compliance.called == 0 and view.compliance.percent is None
    states = {c.id: c for c in view.counters}
    assert states[c1].status == "open" and states[c1].idle_ms == 0
    assert states[c2].idle_ms is None and states[c2].officer_name is None

    ops.set_counter_status(c2, "open", budi)
    view = store.read(lambda c: supervision.overview(c, clock.now_ms()))
    assert view.forecast.count == 0

    # KS-001 called at 09:00 (met), finished 09:05; KS-002 called at 09:20: its clock
    # started at 09:05, deadline 09:15 → missed. Compliance 1 of 2.
    ops.call_ticket(ks1["id"], c1, budi, reason="test")
    clock.advance(minutes=5)
    ops.start_service(ks1["id"], budi)
    ops.finish(ks1["id"], budi)
    clock.advance(minutes=15)
    view = store.read(lambda c: supervision.overview(c, clock.now_ms()))
    states = {c.id: c for c in view.counters}
    assert states[c1].idle_ms == 15 * MIN
    ks = next(q for q in view.queues if q.service_code == "KS")
    assert ks.head_target.level == "breached"
    assert view.compliance.overdue_waiting >= 1
    ops.call_ticket(ks2["id"], c1, budi, reason="test")
    view = store.read(lambda c: supervision.overview(c, clock.now_ms()))
    assert (view.compliance.called, view.compliance.met, view.compliance.missed) == (2, 1, 1)
    assert view.compliance.percent == 50.0
    states = {c.id: c for c in view.counters}
    assert states[c1].current_number == "KS-002" and states[c1].idle_ms is None


def test_flagged_integrity_answers_of_today(ops, office, clock, store):
    c1, budi = office["counter1"]["id"], office["officer"]["id"]
    ops.set_counter_status(c1, "open", budi)
    first = ops.issue_ticket("KS")
    second = ops.issue_ticket("KS")
    for ticket in (first, second):
        ops.call_next(c1, budi)
        ops.start_service(ticket["id"], budi)
        ops.finish(ticket["id"], budi)
    ops.record_rating(first["code"], 5, gratification=False, extortion=False)
    ops.record_rating(second["code"], 2, extortion=True, comment="Diminta uang fotokopi")
    view = store.read(lambda c: supervision.overview(c, clock.now_ms(), viewer_role="admin"))
    assert view.integrity_visible
    assert [(f["number"], f["extortion"], f["officer_name"]) for f in view.flagged] == [
        ("KS-002", 1, "Budi Santoso")
    ]
    # The head of office only: a supervisor or an officer may be the person named.
    for role in ("supervisor", "officer", None):
        view = store.read(lambda c, r=role: supervision.overview(c, clock.now_ms(), viewer_role=r))
        assert view.flagged == [] and not view.integrity_visible
        flagged = store.read(
            lambda c, r=role, d=view.day: supervision.flagged_ratings(
                c, d, "Asia/Jakarta", viewer_role=r
            )
        )
        assert flagged == []
