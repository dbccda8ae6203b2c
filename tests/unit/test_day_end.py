"""What closing the day tells the programs afterwards (shared.queue.dayclose)."""

from __future__ import annotations

from datetime import datetime

from shared.office import settings
from shared.queue import dayclose
from tests.conftest import JAKARTA

FRIDAY = "2026-11-27"


def at(clock, hour: int, minute: int) -> None:
    clock.set(datetime(2026, 11, 27, hour, minute, tzinfo=JAKARTA))


def test_the_close_says_when_the_service_stopped_and_who_was_being_called(ops, office, clock):
    at(clock, 15, 0)
    called = ops.issue_ticket("KS")
    waiting = ops.issue_ticket("PS")
    loket2 = office["counter2"]["id"]
    ops.set_counter_status(loket2, "open", office["officer"]["id"])
    ops.call_next(loket2, office["officer"]["id"])
    at(clock, 16, 30)
    [summary] = ops.close_due_days()
    office_settings = ops.store.read(settings.get_all)
    # Friday's services close at 16:00; the day is closed at 16:30, after the grace.
    assert summary["closed_at"] == ops.store.read(
        lambda c: dayclose.closing_at(c, FRIDAY, office_settings)
    )
    assert summary["closed_at"] == datetime(2026, 11, 27, 16, 0, tzinfo=JAKARTA).timestamp() * 1000
    assert summary["called"] == [{"number": called["number"], "counter": "Loket 2"}]
    assert summary["unserved"] == [called["number"], waiting["number"]]


def test_every_run_of_a_day_close_adds_up(ops, office, clock):
    at(clock, 15, 0)
    served = ops.issue_ticket("KS")
    left = ops.issue_ticket("KS")
    loket1 = office["counter1"]["id"]
    ops.set_counter_status(loket1, "open", office["officer"]["id"])
    ops.call_next(loket1)
    ops.start_service(served["id"])
    at(clock, 16, 30)
    first_run = clock.now_ms()
    first = ops.close_day()
    assert first["unserved"] == [left["number"]] and first["counters"] == []
    ops.finish(served["id"])
    at(clock, 16, 31)
    [second] = ops.close_due_days()  # the counter, free at last, closes now
    assert second["unserved"] == [] and second["counters"] == ["Loket 1"]
    office_settings = ops.store.read(settings.get_all)
    merged = ops.store.read(lambda c: dayclose.last_close(c, FRIDAY, office_settings))
    assert merged["unserved"] == [left["number"]]
    assert merged["counters"] == ["Loket 1"]
    assert merged["at"] == first_run and merged["closed_at"] < first_run
    assert ops.store.read(lambda c: dayclose.last_close(c, "2026-11-26", office_settings)) is None


def test_a_holiday_has_no_closing_time(ops, clock):
    office_settings = ops.store.read(settings.get_all)
    # Saturday: the office has no hours; the day still ends at midnight for the record.
    assert ops.store.read(lambda c: dayclose.closing_at(c, "2026-11-28", office_settings)) is None
    assert ops.store.read(lambda c: dayclose.closing_at(c, FRIDAY, office_settings)) is not None
