"""Planning the counters: Erlang C, the forecast from history, the check by simulation."""

from __future__ import annotations

import math
import random
import subprocess
import sys
from datetime import date, timedelta
from fractions import Fraction

import pytest

from shared.clock import local_ms
from shared.office import settings
from shared.planning import erlang
from shared.planning.forecast import MIN_WEEKS, forecast, read_history
from shared.planning.plan import day_outlook, falls_short, make_plan, what_if
from shared.planning.simulate import simulate_day
from tests import bulk_history
from tests.planning_history import TZ, Visit, weekdays, write

TODAY = date(2026, 11, 25)  # a Wednesday; the twelve weeks before it hold no holiday


# -- Erlang C ---------------------------------------------------------------------------


def test_the_published_test_vector():
    # 100 arrivals in 30 minutes, 3-minute service, answer within 20 s, target 80 %.
    result = erlang.counters_needed(100, 30, 3, 20 / 60, 0.8)
    assert result.counters == 14
    assert round(result.service_level, 3) == 0.888
    assert round(result.waiting_probability, 3) == 0.174
    assert round(result.occupancy, 3) == 0.714
    # One counter fewer misses the target: 14 is the fewest.
    assert erlang.staffing(13, 100, 30, 3, 20 / 60).service_level < 0.8


def _erlang_c_exact(n: int, a: Fraction) -> Fraction:
    """Erlang C from its textbook formula, in exact rational arithmetic."""
    top = a**n / math.factorial(n) * Fraction(n) / (n - a)
    return top / (sum(a**k / math.factorial(k) for k in range(n)) + top)


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 13, 21, 34, 50])
def test_erlang_c_is_exact_for_one_to_fifty_counters(n):
    for load in (Fraction(1, 10), Fraction(1, 2), Fraction(4, 5), Fraction(97, 100)):
        traffic = load * n
        exact = float(_erlang_c_exact(n, traffic))
        assert erlang.erlang_c(n, float(traffic)) == pytest.approx(exact, rel=1e-12, abs=1e-15)


def test_large_counts_do_not_overflow_and_overload_is_no_answer():
    assert 0 < erlang.erlang_c(200, 190.0) < 1
    assert erlang.erlang_c(3, 3.0) == 1.0  # as much work as counters: the queue never ends
    overloaded = erlang.staffing(3, 60, 30, 2, 10)
    assert overloaded.service_level == 0.0 and overloaded.mean_wait_minutes is None


def test_occupancy_caps_the_counters_and_an_empty_slot_keeps_the_minimum():
    # A long wait target alone would allow 3 counters; 85 % occupancy needs 4.
    result = erlang.counters_needed(40, 30, 2, 60, 0.5)
    assert result.counters == 4 and result.occupancy <= erlang.MAX_OCCUPANCY
    assert erlang.staffing(3, 40, 30, 2, 60).service_level >= 0.5
    assert erlang.counters_needed(0, 30, 5, 10, 0.9, minimum=1).counters == 1
    with pytest.raises(ValueError):
        erlang.counters_needed(10, 30, 5, 10, 1.0)


def test_plan_settings_are_declared_and_checked():
    assert settings.DEFAULTS["plan_level"] == 0.9
    assert settings.DEFAULTS["plan_wait_minutes"] == 10
    assert settings.problem("plan_level", 0.8) is None
    for bad in (0.3, 1.0, True, "0.9", float("nan")):
        assert "0.50 sampai 0.99" in settings.problem("plan_level", bad)
    assert settings.problem("plan_wait_minutes", 0) is not None


# -- the forecast -----------------------------------------------------------------------


def _week_of_visits(first: date, last: date, per_weekday: dict[int, list[str]]) -> list[Visit]:
    visits = []
    for weekday, times in per_weekday.items():
        for day in weekdays(first, last, weekday):
            visits += [Visit(day, t, second=i) for i, t in enumerate(times)]
    return visits


PATTERN = {
    0: ["08:05", "08:10", "08:40", "09:15", "13:00"],
    1: ["08:20", "10:00"],
    2: ["08:00", "08:01", "11:45"],
    3: ["09:00"],
    4: ["14:10", "15:45"],
}


def _history(ops, today=TODAY, weeks=12, service=None):
    return ops.store.read(lambda c: read_history(c, today, weeks, service))


def test_a_doubled_monday_doubles_its_forecast(ops, tmp_path):
    first, last = TODAY - timedelta(weeks=12), TODAY - timedelta(days=1)
    write(ops.store, _week_of_visits(first, last, PATTERN))
    plain = forecast(_history(ops))
    write(ops.store, _week_of_visits(first, last, {0: PATTERN[0]}))  # every Monday twice
    doubled = forecast(_history(ops))
    monday, monday2 = plain.weekday(0), doubled.weekday(0)
    assert len(monday.days) == 12 and monday.enough
    assert [s.mean for s in monday2.slots] == [2 * s.mean for s in monday.slots]
    assert monday2.slots[0].mean == 4  # 08:00–08:30: 08:05 and 08:10, twice
    assert monday2.mean == 2 * monday.mean == 10
    for weekday in (1, 2, 3, 4):
        assert [s.mean for s in doubled.weekday(weekday).slots] == [
            s.mean for s in plain.weekday(weekday).slots
        ]
    # Slots follow the office's hours: Monday 08:00–15:30, Friday until 16:00.
    assert [s.start for s in monday.slots][:2] == [480, 510] and len(monday.slots) == 15
    assert len(plain.weekday(4).slots) == 16 and plain.weekday(4).slots[-1].mean == 1


def test_holidays_and_cuti_bersama_are_left_out(ops):
    today = date(2027, 1, 6)  # the window holds cuti bersama 24 Dec and Christmas 25 Dec
    first, last = today - timedelta(weeks=12), today - timedelta(days=1)
    visits = _week_of_visits(first, last, {3: ["09:00"], 4: ["09:00"]})
    # An office that opened on a holiday anyway: a crowd, left out of the forecast.
    visits += [Visit(date(2026, 12, 24), "09:10", second=i) for i in range(30)]
    # The administrator's own extra holiday, and a national holiday worked as normal.
    ops.save_setting("holidays_added", [{"date": "2026-11-19", "name": "Banjir"}])
    ops.save_setting("holidays_removed", ["2027-01-01"])
    write(ops.store, visits)
    fc = forecast(_history(ops, today))
    left = {d.day: d for d in fc.left_out}
    assert left["2026-12-24"].reason == "holiday" and "Cuti Bersama" in left["2026-12-24"].name
    assert left["2026-12-24"].tickets == 31
    assert left["2026-12-25"].reason == "holiday"
    assert left["2026-11-19"].name == "Banjir"
    assert "2027-01-01" not in left  # removed from the holidays: a working Friday
    thursday, friday = fc.weekday(3), fc.weekday(4)
    assert len(thursday.days) == 10 and "2026-12-24" not in thursday.days
    assert len(friday.days) == 11 and "2027-01-01" in friday.days
    assert thursday.slots[2].mean == 1 and thursday.slots[2].sd == 0
    # Weekdays without a single ticket are days the queue was not used.
    assert {d.reason for d in fc.left_out if date.fromisoformat(d.day).weekday() == 0} == {"unused"}


def test_a_transferred_visitor_counts_once(ops, office, clock):
    monday = date(2026, 11, 23)
    clock.set(local_ms(monday, "08:00", TZ))
    desk = office["counter1"]["id"]
    officer = office["officer"]["id"]
    ops.login("budi", "1234", counter_id=desk)
    ops.set_counter_status(desk, "open", officer)
    for _ in range(3):
        ops.issue_ticket("KS")
        clock.advance(minutes=1)
    first = ops.call_next(desk, officer)
    ops.start_service(first["id"], officer)
    clock.advance(minutes=4)
    moved = ops.transfer(first["id"], "PS", officer)
    for _ in range(3):
        ticket = ops.call_next(desk, officer)
        ops.start_service(ticket["id"], officer)
        clock.advance(minutes=6)
        ops.finish(ticket["id"], officer)
    assert moved["service_code"] == "PS"
    office_wide = forecast(_history(ops))
    monday_fc = office_wide.weekday(0)
    assert monday_fc.totals == [3]  # four tickets, three visitors
    # The transferred visitor's service time is both parts: 4 min at KS + 6 at PS.
    assert sorted(round(m) for m in office_wide.service_samples) == [6, 6, 10]
    # Per service, the transfer is an arrival where the visitor queued again.
    assert forecast(_history(ops, service="KS")).weekday(0).totals == [3]
    assert forecast(_history(ops, service="PS")).weekday(0).totals == [1]


def test_thin_history_shows_counts_not_a_plan(ops):
    first = TODAY - timedelta(weeks=3)
    write(ops.store, _week_of_visits(first, TODAY - timedelta(days=1), PATTERN))
    plan = make_plan(_history(ops))
    data = plan.as_dict()
    assert not plan.enough and data["comparable_weeks"] == 3 < MIN_WEEKS
    monday = data["weekdays"][0]
    assert not monday["enough"] and monday["slots"][0]["counts"] == [2, 2, 2]
    assert all(s["counters"] is None for w in data["weekdays"] for s in w["slots"])
    assert day_outlook(plan, TODAY).enough is False


# -- the check by simulation -------------------------------------------------------------


def _poisson_days(rate_per_minute: float, minutes: float, days: int, seed: int):
    rng = random.Random(seed)
    out = []
    for _ in range(days):
        t, trace = 0.0, []
        while (t := t + rng.expovariate(rate_per_minute)) < minutes:
            trace.append(t)
        out.append(trace)
    return out


def test_the_simulation_agrees_with_erlang_where_its_assumptions_hold():
    # Steady Poisson arrivals, exponential service, a long day: Erlang C's own world.
    slots, per_slot, service = 24, 10, 6.0
    traces = _poisson_days(per_slot / 30, slots * 30, 10, seed=4)
    rng = random.Random(9)
    samples = [rng.expovariate(1 / service) for _ in range(20_000)]
    # Half hours of 3 counters alternate with 4: a change of counters must not add any.
    counters = [3, 3, 4, 4] * (slots // 4)
    state = random.getstate()
    outcomes = simulate_day(traces, counters, [samples] * slots, 4.0, seed=5)
    assert random.getstate() == state  # the program's generator is left as it was
    later = outcomes[4:]  # after the morning's empty start
    share = sum(o.within for o in later) / sum(o.visitors for o in later)
    expected = statistics_mean(
        erlang.staffing(n, per_slot, 30, service, 4.0).service_level for n in counters[4:]
    )
    assert share == pytest.approx(expected, abs=0.04)
    # The same seed, the same answer.
    assert simulate_day(traces, counters, [samples] * slots, 4.0, seed=5) == outcomes


def statistics_mean(values) -> float:
    values = list(values)
    return sum(values) / len(values)


def test_a_burst_at_opening_gets_a_counter_erlang_does_not_see(ops):
    # Every Monday a class of 20 students arrives in the first three minutes.
    first, last = TODAY - timedelta(weeks=12), TODAY - timedelta(days=1)
    visits = [
        Visit(day, f"08:0{i % 3}", minutes=5.0, second=i)
        for day in weekdays(first, last, 0)
        for i in range(20)
    ]
    write(ops.store, visits)
    plan = make_plan(_history(ops), weekdays=(0,))
    slot = plan.weekday(0).slots[0]
    assert slot.erlang_counters == 5  # Erlang C: 20 in half an hour, 5 minutes each
    assert slot.added >= 1 and slot.counters == slot.erlang_counters + slot.added
    assert slot.simulated >= plan.level - 0.1
    assert not falls_short(_outcome(slot), plan.level)
    data = plan.as_dict()
    assert data["simulation"]["added"] == slot.added
    assert data["weekdays"][0]["slots"][0]["added"] == slot.added
    # What if the office opened only the 5 counters Erlang C asked for?
    five = what_if(plan, 0, 480, 510, 5)
    assert five.erlang_level >= 0.9 > five.simulated_level
    assert five.planned == [slot.counters]


def _outcome(slot):
    from shared.planning.simulate import SlotOutcome

    return SlotOutcome(slot.simulated_visitors, round(slot.simulated * slot.simulated_visitors))


def test_the_simulation_check_on_a_generated_twelve_week_history(ops):
    bulk_history.fill(ops.store, TODAY - timedelta(weeks=12), TODAY - timedelta(days=1))
    history = _history(ops)
    state = random.getstate()
    plan = make_plan(history)
    assert random.getstate() == state
    assert plan.enough and plan.simulated
    for w in plan.weekdays:
        assert w.enough and len(w.forecast.days) == 12
        for slot in w.slots:
            if slot.forecast.mean:
                assert slot.simulated is not None and slot.simulated_visitors > 0
                assert not falls_short(_outcome(slot), plan.level)
            assert slot.counters >= 1
            assert slot.staffing.occupancy <= erlang.MAX_OCCUPANCY
    # Repeatable: the same history gives the same plan.
    assert make_plan(history).as_dict() == plan.as_dict()
    # Fewer counters than planned on Monday morning: a lower level, by both measures.
    planned = what_if(plan, 0, 480, 600, max(plan.weekday(0).counters[:4]))
    fewer = what_if(plan, 0, 480, 600, 1)
    assert fewer.erlang_level < planned.erlang_level
    assert fewer.simulated_level < planned.simulated_level
    assert fewer.visitors == pytest.approx(sum(s.forecast.mean for s in plan.weekday(0).slots[:4]))
    with pytest.raises(ValueError):
        what_if(plan, 0, 1200, 1230, 2)  # 20:00 is outside the hours


def test_todays_outlook_names_the_busiest_stretch(ops):
    first, last = TODAY - timedelta(weeks=6), TODAY - timedelta(days=1)
    times = [f"08:{m:02d}" for m in range(0, 60, 2)] + [f"09:{m:02d}" for m in range(0, 60, 2)]
    times += ["11:00", "13:00", "14:00"]
    visits = [
        Visit(day, t, minutes=6.0, second=i)
        for day in weekdays(first, last, 2)
        for i, t in enumerate(times)
    ]
    write(ops.store, visits)
    plan = make_plan(_history(ops, weeks=6), weekdays=(2,), simulate=False)
    outlook = day_outlook(plan, TODAY)
    assert outlook.enough and outlook.visitors == 63
    counters = plan.weekday(2).counters
    assert outlook.peak_counters == max(counters) > counters[-1]
    assert (outlook.peak_from, outlook.peak_to) == ("08:00", "10:00")
    assert day_outlook(plan, date(2026, 11, 28)) is None  # a Saturday: closed


def test_planning_loads_no_qt():
    code = (
        "import sys, shared.planning.plan, shared.planning.simulate, shared.planning.export;"
        "assert 'PySide6' not in sys.modules, 'PySide6 was imported'; print('clean')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.stdout.strip() == "clean", done.stderr
