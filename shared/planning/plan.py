"""The counter plan: forecast, Erlang C per half hour, then a check by simulation.

:func:`make_plan` turns a :class:`~shared.planning.forecast.History` into a
:class:`Plan`: per weekday and half hour the visitors expected, the fewest counters
that call at least ``plan_level`` of them within ``plan_wait_minutes`` of arriving with
the counters at most :data:`~shared.planning.erlang.MAX_OCCUPANCY` busy (Erlang C), and
the share the simulation of the weekday's real days finds. Where the simulated share
falls short of the level (by more than chance explains, see :func:`falls_short`), a
counter is added to that half hour and the simulation runs again, a few rounds at most; each
added counter is shown as such.

A weekday with fewer than :data:`~shared.planning.forecast.MIN_WEEKS` days that count
gets no plan, only its counts. :meth:`Plan.as_dict` is the plain data the exports, the
JSON output and the console show; :func:`what_if` and :func:`day_outlook` answer the
console's questions from a plan.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.clock import WEEKDAY_NAMES
from shared.i18n import translate
from shared.planning import erlang
from shared.planning.forecast import (
    MIN_SLOT_SAMPLES,
    MIN_WEEKS,
    SLOT_MINUTES,
    Forecast,
    History,
    SlotForecast,
    WeekdayForecast,
    forecast,
)

# The most recent days of a weekday the simulation replays (a year holds fifty).
SIM_DAYS = 12
# A half hour with fewer simulated visitors than this is not judged: its share is noise.
SIM_MIN_VISITORS = 20
# Rounds of "add a counter where the simulation falls short, simulate again".
SIM_ROUNDS = 6
SIM_SEED = 2026


def hhmm(minutes: int) -> str:
    """Write minutes after midnight as ``HH:MM``."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@dataclass
class SlotPlan:
    """One half hour: its forecast, the Erlang C count and what the simulation added."""

    forecast: SlotForecast
    erlang_counters: int | None = None
    added: int = 0
    staffing: erlang.Staffing | None = None  # Erlang C at the recommended count
    simulated: float | None = None
    simulated_visitors: int = 0

    @property
    def counters(self) -> int | None:
        return None if self.erlang_counters is None else self.erlang_counters + self.added


@dataclass
class WeekdayPlan:
    forecast: WeekdayForecast
    slots: list[SlotPlan]

    @property
    def weekday(self) -> int:
        return self.forecast.weekday

    @property
    def enough(self) -> bool:
        return self.forecast.enough and self.slots[0].erlang_counters is not None

    @property
    def counters(self) -> list[int]:
        return [s.counters or 0 for s in self.slots]


@dataclass
class Plan:
    """Every weekday's plan from one window of history, with the targets it met."""

    forecast: Forecast
    level: float
    wait_minutes: float
    weekdays: list[WeekdayPlan]
    simulated: bool
    max_occupancy: float = erlang.MAX_OCCUPANCY
    generated_at: int | None = None
    service_by_start: dict[int, list[float]] = field(default_factory=dict)

    @property
    def history(self) -> History:
        return self.forecast.history

    @property
    def enough(self) -> bool:
        return self.forecast.enough

    def weekday(self, weekday: int) -> WeekdayPlan | None:
        for w in self.weekdays:
            if w.weekday == weekday:
                return w
        return None

    def as_dict(self, lang: str = "id") -> dict[str, Any]:
        """The plan as plain data (JSON): what every export and the console show."""
        h = self.history
        service = h.services.get(h.service or "")
        return {
            "kind": "counter_plan",
            "office": {
                "name": h.office["office_name"],
                "unit": h.office["office_unit"],
                "timezone": h.office["timezone"],
            },
            "generated_at": self.generated_at,
            "language": lang,
            "today": h.today.isoformat(),
            "weeks": h.weeks,
            "from": h.first_day.isoformat(),
            "to": h.last_day.isoformat(),
            "service": h.service,
            "service_name": (service["name_en"] if lang == "en" else service["name_id"])
            if service
            else None,
            "level": self.level,
            "wait_minutes": self.wait_minutes,
            "max_occupancy": self.max_occupancy,
            "slot_minutes": SLOT_MINUTES,
            "minimum_weeks": MIN_WEEKS,
            "comparable_weeks": self.forecast.comparable_weeks,
            "enough": self.enough,
            "service_minutes": _round(self.forecast.service_minutes),
            "served_visits": len(self.forecast.service_samples),
            "simulation": {
                "ran": self.simulated,
                "days_per_weekday": SIM_DAYS,
                "minimum_visitors": SIM_MIN_VISITORS,
                "seed": SIM_SEED,
                "added": sum(s.added for w in self.weekdays for s in w.slots),
            },
            "weekdays": [_weekday_dict(w, lang) for w in self.weekdays],
            "left_out": [
                {"day": d.day, "reason": d.reason, "name": d.name, "tickets": d.tickets}
                for d in self.forecast.left_out
            ],
        }


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _weekday_dict(w: WeekdayPlan, lang: str) -> dict[str, Any]:
    f = w.forecast
    return {
        "weekday": f.weekday,
        "name": translate(WEEKDAY_NAMES[f.weekday], lang),
        "days": f.days,
        "enough": w.enough,
        "visitors": _round(f.mean, 1),
        "visitors_sd": _round(f.sd, 1),
        "peak_counters": max(w.counters, default=0) if w.enough else None,
        "slots": [
            {
                "start": hhmm(s.forecast.start),
                "end": hhmm(s.forecast.end),
                "arrivals": _round(s.forecast.mean),
                "sd": _round(s.forecast.sd),
                "low": s.forecast.low,
                "high": s.forecast.high,
                "counts": list(s.forecast.counts),
                "service_minutes": _round(s.forecast.service_minutes),
                "erlang_counters": s.erlang_counters,
                "added": s.added,
                "counters": s.counters,
                "service_level": _round(s.staffing.service_level, 4) if s.staffing else None,
                "waiting_probability": _round(s.staffing.waiting_probability, 4)
                if s.staffing
                else None,
                "occupancy": _round(s.staffing.occupancy, 4) if s.staffing else None,
                "simulated_level": _round(s.simulated, 4),
                "simulated_visitors": s.simulated_visitors,
            }
            for s in w.slots
        ],
    }


def _service_by_slot(f: Forecast, w: WeekdayForecast) -> list[list[float]]:
    return [
        f.samples_by_start.get(s.start, [])
        if len(f.samples_by_start.get(s.start, [])) >= MIN_SLOT_SAMPLES
        else f.service_samples
        for s in w.slots
    ]


def _simulate(plan: Plan, w: WeekdayPlan, counters: list[int]):
    from shared.planning.simulate import simulate_day

    return simulate_day(
        w.forecast.traces[-SIM_DAYS:],
        counters,
        _service_by_slot(plan.forecast, w.forecast),
        plan.wait_minutes,
        slot_minutes=SLOT_MINUTES,
        seed=SIM_SEED + w.weekday,
    )


def falls_short(outcome, level: float) -> bool:
    """Tell whether a simulated half hour missed ``level`` by more than chance explains.

    Judged only with :data:`SIM_MIN_VISITORS` or more simulated visitors, and only when
    the share lies more than two standard errors (of a share at ``level`` among that
    many visitors) below the level: a few unlucky draws do not buy a counter.
    """
    if outcome.visitors < SIM_MIN_VISITORS or outcome.share is None:
        return False
    margin = 2 * math.sqrt(level * (1 - level) / outcome.visitors)
    return outcome.share < level - margin


def _check_by_simulation(plan: Plan, w: WeekdayPlan) -> None:
    counters = [s.counters or 0 for s in w.slots]
    for round_ in range(SIM_ROUNDS + 1):
        outcomes = _simulate(plan, w, counters)
        short = [i for i, o in enumerate(outcomes) if falls_short(o, plan.level)]
        if not short or round_ == SIM_ROUNDS:
            break
        for i in short:
            counters[i] += 1
            w.slots[i].added += 1
    for slot, outcome in zip(w.slots, outcomes, strict=True):
        slot.simulated = outcome.share
        slot.simulated_visitors = outcome.visitors
    _size(plan, w)


def _size(plan: Plan, w: WeekdayPlan) -> None:
    """Fill each slot's Erlang C figures at its recommended count."""
    for slot in w.slots:
        f = slot.forecast
        if slot.counters is not None and f.service_minutes:
            slot.staffing = erlang.staffing(
                slot.counters, f.mean, SLOT_MINUTES, f.service_minutes, plan.wait_minutes
            )


def make_plan(
    history: History,
    *,
    simulate: bool = True,
    now_ms: int | None = None,
    weekdays: tuple[int, ...] | None = None,
) -> Plan:
    """Forecast, size every half hour with Erlang C and check the plan by simulation.

    ``weekdays`` limits the work to those weekdays (the supervisor's banner needs one).
    The level and wait target are the office's ``plan_level`` and ``plan_wait_minutes``.
    """
    fc = forecast(history)
    level = float(history.office["plan_level"])
    wait = float(history.office["plan_wait_minutes"])
    plan = Plan(fc, level, wait, [], simulated=False, generated_at=now_ms)
    for wf in fc.weekdays:
        if weekdays is not None and wf.weekday not in weekdays:
            continue
        wp = WeekdayPlan(wf, [SlotPlan(s) for s in wf.slots])
        plan.weekdays.append(wp)
        if not (wf.enough and fc.service_minutes):
            continue
        for slot in wp.slots:
            f = slot.forecast
            slot.erlang_counters = erlang.counters_needed(
                f.mean, SLOT_MINUTES, f.service_minutes, wait, level, minimum=1
            ).counters
        _size(plan, wp)
        if simulate and any(wf.traces):
            _check_by_simulation(plan, wp)
            plan.simulated = True
    return plan


@dataclass(frozen=True)
class WhatIf:
    """The expected share called in time when ``counters`` open from ``start`` to ``end``."""

    weekday: int
    start: int
    end: int
    counters: int
    visitors: float  # expected arrivals in the span
    erlang_level: float | None
    simulated_level: float | None
    simulated_visitors: int
    planned: list[int]  # the plan's counters in the span, for comparison

    def as_dict(self) -> dict[str, Any]:
        return {
            "weekday": self.weekday,
            "from": hhmm(self.start),
            "to": hhmm(self.end),
            "counters": self.counters,
            "visitors": round(self.visitors, 1),
            "erlang_level": _round(self.erlang_level, 4),
            "simulated_level": _round(self.simulated_level, 4),
            "simulated_visitors": self.simulated_visitors,
            "planned": self.planned,
        }


def what_if(
    plan: Plan, weekday: int, start: int, end: int, counters: int, *, simulate: bool = True
) -> WhatIf:
    """Return the share called within the target if only ``counters`` open ``start``–``end``.

    ``start`` and ``end`` are minutes after midnight on slot boundaries; the rest of the
    day keeps the plan. The Erlang C figure weighs each half hour by its visitors; the
    simulated one replays the weekday's days with the changed counters (a queue left
    at ``end`` still costs the visitors behind it, which Erlang C does not see).
    Raises ValueError for a weekday without a plan or a span outside its hours.
    """
    w = plan.weekday(weekday)
    if w is None or not w.enough:
        raise ValueError("that weekday has no plan")
    chosen = [i for i, s in enumerate(w.slots) if start <= s.forecast.start < end]
    if not chosen or counters < 0:
        raise ValueError("the span lies outside the weekday's hours")
    visitors = sum(w.slots[i].forecast.mean for i in chosen)
    erlang_level = None
    if visitors > 0:
        served = 0.0
        for i in chosen:
            f = w.slots[i].forecast
            s = erlang.staffing(
                counters, f.mean, SLOT_MINUTES, f.service_minutes, plan.wait_minutes
            )
            served += s.service_level * f.mean
        erlang_level = served / visitors
    simulated, simulated_visitors = None, 0
    if simulate and any(w.forecast.traces):
        schedule = list(w.counters)
        for i in chosen:
            schedule[i] = counters
        outcomes = _simulate(plan, w, schedule)
        simulated_visitors = sum(outcomes[i].visitors for i in chosen)
        if simulated_visitors:
            simulated = sum(outcomes[i].within for i in chosen) / simulated_visitors
    return WhatIf(
        weekday,
        w.slots[chosen[0]].forecast.start,
        w.slots[chosen[-1]].forecast.end,
        counters,
        visitors,
        erlang_level,
        simulated,
        simulated_visitors,
        [w.slots[i].counters or 0 for i in chosen],
    )


@dataclass(frozen=True)
class DayOutlook:
    """Today at a glance: visitors expected, the most counters any half hour needs, and
    from when until when (the first to the last half hour that needs them)."""

    day: str
    weekday: int
    enough: bool
    comparable_days: int
    visitors: int = 0
    peak_counters: int = 0
    peak_from: str = ""
    peak_to: str = ""
    all_day: bool = False  # every half hour with visitors needs the peak count


def day_outlook(plan: Plan, day: date) -> DayOutlook | None:
    """Return today's outlook from ``plan``, or None when the office does not open then."""
    w = plan.weekday(day.weekday())
    if w is None:
        return None
    days = len(w.forecast.days)
    if not w.enough:
        return DayOutlook(day.isoformat(), day.weekday(), False, days)
    counters = w.counters
    peak = max(counters)
    # From the first to the last half hour that needs the peak count: counters are not
    # opened and closed every half hour, so the stretch between is kept at the peak.
    needing = [i for i, n in enumerate(counters) if n == peak]
    first, last = needing[0], needing[-1]
    slots = w.slots
    return DayOutlook(
        day.isoformat(),
        day.weekday(),
        True,
        days,
        visitors=round(statistics.fmean(w.forecast.totals)),
        peak_counters=peak,
        peak_from=hhmm(slots[first].forecast.start),
        peak_to=hhmm(slots[last].forecast.end),
        all_day=all(
            n == peak or s.forecast.mean == 0 for n, s in zip(counters, slots, strict=True)
        ),
    )
