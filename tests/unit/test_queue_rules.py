"""The fair priority rule, numbering per service day, and the rollover at midnight."""

from __future__ import annotations

from datetime import datetime

from shared.queue import queries
from shared.queue import rules as queue
from tests.conftest import JAKARTA


def t(i, prio=None):
    return {"id": i, "priority_group": prio}


def ids(order):
    return [x["id"] for x in order]


def test_priority_first_by_default_but_at_most_three_in_a_row():
    waiting = [t(1), t(2), t(3, "elderly"), t(4, "pregnant"), t(5, "disability"), t(6, "elderly")]
    assert ids(queue.predicted_order(waiting, [], 0, 3)) == [3, 4, 5, 1, 6, 2]


def test_one_priority_per_n_regular():
    waiting = [t(1), t(2), t(3), t(4), t(5, "elderly"), t(6, "elderly")]
    # History: a priority was just served; two regular calls are due before the next one.
    assert ids(queue.predicted_order(waiting, [True], 2, 0)) == [1, 2, 5, 3, 4, 6]


def test_only_one_kind_waiting_is_plain_fifo():
    assert ids(queue.predicted_order([t(1), t(2)], [True, True, True], 0, 3)) == [1, 2]
    assert ids(queue.predicted_order([t(1, "x"), t(2, "x")], [], 5, 1)) == [1, 2]
    assert queue.choose_next([], [], 0, 3) is None


def test_call_next_follows_the_rule_and_position_matches(ops, store, office):
    counter = office["counter1"]["id"]
    ops.set_counter_status(counter, "open")
    regular = ops.issue_ticket("KS")
    elderly = ops.issue_ticket("KS", priority_group="elderly")
    assert elderly["ahead"] == 0
    after = store.read(lambda c: queries.position(c, regular, queries.settings.get_all(c)))
    assert after["ahead"] == 1
    assert ops.call_next(counter)["id"] == elderly["id"]


def test_numbers_restart_each_service_day_and_history_is_kept(ops, store, clock):
    first = ops.issue_ticket("KS")
    clock.set(datetime(2026, 11, 26, 9, 0, tzinfo=JAKARTA))
    next_day = ops.issue_ticket("KS")
    assert (first["number"], next_day["number"]) == ("KS-001", "KS-001")
    assert (first["service_day"], next_day["service_day"]) == ("2026-11-25", "2026-11-26")
    assert store.read(lambda c: c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]) == 2


def test_service_day_rolls_over_at_local_midnight_not_utc(ops):
    clock = ops.clock
    clock.set(datetime(2026, 11, 25, 23, 59, 30, tzinfo=JAKARTA))  # 16:59 UTC
    late = ops.issue_ticket("KS", ignore_hours=True)
    clock.set(datetime(2026, 11, 26, 0, 0, 30, tzinfo=JAKARTA))  # 17:00 UTC, same UTC day
    early = ops.issue_ticket("KS", ignore_hours=True)
    assert late["service_day"] == "2026-11-25" and early["service_day"] == "2026-11-26"
    assert early["number"] == "KS-001"


def test_closed_on_holidays_and_weekends_with_admin_overrides(ops, clock):
    from shared.office import servicehours, settings

    office = ops.store.read(settings.get_all)
    sunday = datetime(2026, 11, 29, 10, 0, tzinfo=JAKARTA)
    assert not servicehours.open_state(int(sunday.timestamp() * 1000), office).is_open
    independence = datetime(2026, 8, 17, 10, 0, tzinfo=JAKARTA)  # a Monday
    state = servicehours.open_state(int(independence.timestamp() * 1000), office)
    assert not state.is_open and state.holiday_name
    office["holidays_removed"] = ["2026-08-17"]
    assert servicehours.open_state(int(independence.timestamp() * 1000), office).is_open
    office["holidays_added"] = [{"date": "2026-11-25", "name": "Cuti bersama kantor"}]
    state = servicehours.open_state(clock.now_ms(), office)
    assert not state.is_open and state.holiday_name == "Cuti bersama kantor"
