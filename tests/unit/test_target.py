"""The 10-minute rule on hand-worked timelines (fake clock, Jakarta time)."""

from __future__ import annotations

from datetime import datetime

import pytest

from shared.queue import queries, target
from tests.conftest import JAKARTA

MIN = 60_000


def at(hh: int, mm: int, ss: int = 0) -> int:
    return int(datetime(2026, 11, 25, hh, mm, ss, tzinfo=JAKARTA).timestamp() * 1000)


def test_pure_rule_examples():
    # First ticket of the day, issued before opening: the clock starts at opening.
    assert target.clock_start(at(7, 50), False, None, at(8, 0)) == at(8, 0)
    # Ahead finished 09:05, T issued 09:00: clock starts 09:05, deadline 09:15.
    start, deadline, met = target.at_call(at(9, 15), at(9, 0), 10, True, at(9, 5), None)
    assert (start, deadline, met) == (at(9, 5), at(9, 15), True)
    # Called one second late: missed.
    assert target.at_call(at(9, 15, 1), at(9, 0), 10, True, at(9, 5), None)[2] is False
    # T issued after the ahead finished: its own arrival starts the clock.
    assert target.at_call(at(9, 25), at(9, 12), 10, True, at(9, 5), None) == (
        at(9, 12),
        at(9, 22),
        False,
    )
    # The ahead had not ended when T was called (two counters): met, no clock.
    assert target.at_call(at(9, 40), at(9, 0), 10, True, None, None) == (None, None, True)


def test_live_levels_amber_at_70_percent_red_when_breached():
    def level(now):
        return target.live(now, at(9, 0), 10, True, at(9, 10), None).level

    assert target.live(at(9, 30), at(9, 0), 10, True, None, None).state == target.PENDING
    assert level(at(9, 16, 59)) == "ok"
    assert level(at(9, 17)) == "warning"
    assert level(at(9, 19, 59)) == "warning"
    assert level(at(9, 20)) == "breached"
    running = target.live(at(9, 14), at(9, 0), 10, True, at(9, 10), None)
    assert running.remaining_ms == 6 * MIN and running.fraction == pytest.approx(0.4)


def test_recorded_outcome_of_called_tickets(ops, office, clock):
    """Walk a morning through real operations and check each ticket's outcome."""
    ops.set_counter_status(office["counter1"]["id"], "open")
    c = office["counter1"]["id"]
    clock.set(at(8, 55))
    a = ops.issue_ticket("KS")
    b = ops.issue_ticket("KS")
    clock.set(at(9, 0))
    ops.issue_ticket("KS")  # c, issued 09:00
    clock.set(at(9, 1))
    first = ops.call_next(c)
    # First ticket of the day: clock from max(issued 08:55, opening 08:00) = 08:55.
    assert first["id"] == a["id"]
    assert (first["clock_start_at"], first["deadline_at"], first["target_met"]) == (
        at(8, 55),
        at(9, 5),
        1,
    )
    ops.start_service(a["id"])
    clock.set(at(9, 20))
    ops.finish(a["id"])
    clock.set(at(9, 29, 59))
    second = ops.call_next(c)
    assert second["id"] == b["id"] and second["ahead_ticket_id"] == a["id"]
    assert (second["clock_start_at"], second["deadline_at"], second["target_met"]) == (
        at(9, 20),
        at(9, 30),
        1,
    )
    ops.start_service(b["id"])
    clock.set(at(9, 40))
    ops.finish(b["id"])
    # The head of the queue now counts down from 09:40.
    clock.set(at(9, 47))
    overview = ops.store.read(lambda conn: queries.queue_overview(conn, clock.now_ms()))
    ks = next(q for q in overview if q["service"]["code"] == "KS")
    assert ks["head_target"].state == target.RUNNING
    assert ks["head_target"].deadline_at == at(9, 50)
    assert ks["head_target"].level == "warning"
    clock.set(at(9, 50, 1))
    third = ops.call_next(c)
    assert third["target_met"] == 0 and target.recorded(third).state == target.MISSED


def test_target_minutes_is_per_service(ops, office, clock):
    ops.save_service("PS", target_minutes=15)
    ops.set_counter_status(office["counter1"]["id"], "open")
    ops.issue_ticket("PS")
    clock.advance(minutes=14)
    called = ops.call_next(office["counter1"]["id"])
    assert called["deadline_at"] - called["clock_start_at"] == 15 * MIN
    assert called["target_met"] == 1
