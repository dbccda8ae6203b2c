"""The forecast: how many visitors come on each weekday and half hour, from history.

:func:`read_history` reads, inside one short read transaction, the tickets of the last
``weeks`` weeks before a day — one query bounded by ``tickets.service_day`` (the
``tickets_queue`` index leads with it) — with the settings it needs. :func:`forecast`
then works on that copy, with no transaction open:

* **Days that count.** Every day of the window on which the office is open by its
  current hours, is no national holiday or joint leave day (cuti bersama) or holiday
  the administrator added, and has at least one ticket (a day without any is a day the
  queue was not used). Each left-out day is listed with its reason.
* **Arrivals.** Office-wide a visitor counts once: a transferred visitor is one arrival,
  at the time they first took a number, and the counter time of every part of their
  visit is their service time. For one service, every number taken in that service is
  an arrival (a visitor transferred into it joins its queue then), with its own service
  time.
* **Slots.** Half hours from the weekday's opening time (current hours, rounded out to
  the half hour); a number taken outside them counts in the first or last slot.
* **Per slot** the mean over the weekday's days that count, the spread between those
  weeks (standard deviation, fewest, most), and the mean service time of the visitors
  who arrived in that half hour (the service's overall mean when fewer than
  :data:`MIN_SLOT_SAMPLES` were served then).
* **Service time** is a counter's time with the visitor: from the (last) call to the
  end of the service, the transfer or the not-present mark.
"""

from __future__ import annotations

import math
import sqlite3
import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from shared.clock import day_bounds_ms
from shared.office import servicehours, settings

SLOT_MINUTES = 30
# Fewer comparable weeks than this and there is no plan, only the counts.
MIN_WEEKS = 4
# Fewer visitors served in a half hour than this and its mean service time is the
# service's overall one.
MIN_SLOT_SAMPLES = 10
# A counter time above this is an officer who forgot to press Finish, not a visit.
MAX_SERVICE_MINUTES = 180.0
MIN_SERVICE_MINUTES = 0.1
DEFAULT_WEEKS = 12
MAX_WEEKS = 104

TICKET_SQL = (
    "SELECT t.id, t.service_code, t.service_day, t.issued_at, t.status, t.called_at,"
    " t.ended_at, t.no_show_at, t.transferred_from_id FROM tickets t"
    " WHERE t.service_day BETWEEN ? AND ?"
)
# The states that end a counter's time with a visitor.
ENDED = ("done", "transferred", "no_show")


@dataclass
class History:
    """What a plan is made from: the window's tickets and the office's calendar, copied."""

    today: date
    weeks: int
    first_day: date
    last_day: date
    service: str | None
    office: dict[str, Any]
    services: dict[str, dict[str, Any]]
    # (id, service_code, service_day, issued_at, status, called_at, ended_at,
    #  no_show_at, transferred_from_id)
    rows: list[tuple]


def window(today: date, weeks: int) -> tuple[date, date]:
    """The first and last day of the ``weeks`` whole weeks before ``today``."""
    return today - timedelta(days=7 * weeks), today - timedelta(days=1)


def read_history(
    conn: sqlite3.Connection, today: date, weeks: int = DEFAULT_WEEKS, service: str | None = None
) -> History:
    """Read what :func:`forecast` needs (call inside :meth:`Store.read`; it fetches all)."""
    first, last = window(today, weeks)
    sql, params = TICKET_SQL, [first.isoformat(), last.isoformat()]
    if service:
        sql += " AND t.service_code = ?"
        params.append(service)
    rows = conn.execute(sql, params).fetchall()
    services = {
        r[0]: {"code": r[0], "name_id": r[1], "name_en": r[2], "sort_order": r[3]}
        for r in conn.execute("SELECT code, name_id, name_en, sort_order FROM services")
    }
    return History(today, weeks, first, last, service, settings.get_all(conn), services, rows)


@dataclass
class SlotForecast:
    """One half hour of one weekday: arrivals on each day that counts, and their spread."""

    start: int  # minutes after midnight, local time
    counts: list[int]
    service_minutes: float | None = None
    service_samples: int = 0

    @property
    def end(self) -> int:
        return self.start + SLOT_MINUTES

    @property
    def mean(self) -> float:
        return statistics.fmean(self.counts) if self.counts else 0.0

    @property
    def sd(self) -> float:
        return statistics.stdev(self.counts) if len(self.counts) > 1 else 0.0

    @property
    def low(self) -> int:
        return min(self.counts, default=0)

    @property
    def high(self) -> int:
        return max(self.counts, default=0)


@dataclass
class WeekdayForecast:
    """A weekday: its slots, the days that count and each day's arrival times."""

    weekday: int
    opens: int  # minutes after midnight of the first slot
    slots: list[SlotForecast]
    days: list[str] = field(default_factory=list)
    # Per day that counts: arrival minutes after ``opens``, in order (for the simulation).
    traces: list[list[float]] = field(default_factory=list)

    @property
    def enough(self) -> bool:
        return len(self.days) >= MIN_WEEKS

    @property
    def totals(self) -> list[int]:
        return [len(t) for t in self.traces]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.totals) if self.traces else 0.0

    @property
    def sd(self) -> float:
        return statistics.stdev(self.totals) if len(self.traces) > 1 else 0.0


@dataclass
class LeftOut:
    """A day of the window that does not count, and why (``holiday``, ``closed``, ``unused``)."""

    day: str
    reason: str
    name: str = ""
    tickets: int = 0


@dataclass
class Forecast:
    """Every weekday's forecast from one window of history."""

    history: History
    weekdays: list[WeekdayForecast]
    left_out: list[LeftOut]
    service_minutes: float | None  # over every visit served
    service_samples: list[float]
    # Per slot start (minutes after midnight): the service times of visitors arriving then.
    samples_by_start: dict[int, list[float]]

    @property
    def comparable_weeks(self) -> int:
        """The most days any weekday has that count: how many weeks stand behind a plan."""
        return max((len(w.days) for w in self.weekdays), default=0)

    @property
    def enough(self) -> bool:
        return self.comparable_weeks >= MIN_WEEKS and self.service_minutes is not None

    def weekday(self, weekday: int) -> WeekdayForecast | None:
        for w in self.weekdays:
            if w.weekday == weekday:
                return w
        return None


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def _grid(hours: tuple[str, str]) -> tuple[int, int]:
    """First slot start and number of slots covering opening hours."""
    opens = _minutes(hours[0]) // SLOT_MINUTES * SLOT_MINUTES
    closes = math.ceil(_minutes(hours[1]) / SLOT_MINUTES) * SLOT_MINUTES
    return opens, max(1, (closes - opens) // SLOT_MINUTES)


def _counter_minutes(row: tuple) -> float | None:
    """A ticket's counter time in minutes, or None when it never ended at a counter."""
    _id, _svc, _day, _issued, status, called, ended, no_show, _from = row
    end = (no_show or ended) if status == "no_show" else ended
    if status not in ENDED or called is None or end is None:
        return None
    return (end - called) / 60_000


def _clip(minutes: float) -> float:
    return min(MAX_SERVICE_MINUTES, max(MIN_SERVICE_MINUTES, minutes))


def _visits(rows: list[tuple], office_wide: bool) -> list[tuple[int, float | None]]:
    """(arrival instant, service minutes or None) of every visit of one day.

    Office-wide a transfer chain is one visit: arrival of its first ticket, the sum of
    its parts' counter time. For one service every ticket is a visit.
    """
    if not office_wide or all(row[8] is None for row in rows):
        out = []
        for row in rows:
            minutes = _counter_minutes(row)
            out.append((row[3], None if minutes is None else _clip(minutes)))
        return out
    children: dict[int, list[tuple]] = defaultdict(list)
    ids = {row[0] for row in rows}
    roots = []
    for row in rows:
        parent = row[8]
        if parent is not None and parent in ids:
            children[parent].append(row)
        else:
            roots.append(row)
    out = []
    for root in roots:
        total, served, stack = 0.0, False, [root]
        while stack:
            row = stack.pop()
            minutes = _counter_minutes(row)
            if minutes is not None:
                total += max(0.0, minutes)
                served = True
            stack.extend(children.get(row[0], ()))
        out.append((root[3], _clip(total) if served else None))
    return out


def forecast(history: History) -> Forecast:
    """Forecast every weekday the office opens, from ``history`` (no database needed)."""
    office = history.office
    tz = office["timezone"]
    by_day: dict[str, list[tuple]] = defaultdict(list)
    for row in history.rows:
        by_day[row[2]].append(row)
    weekdays: dict[int, WeekdayForecast] = {}
    for weekday in range(7):
        hours = office["hours"].get(str(weekday))
        if hours:
            opens, count = _grid(tuple(hours))
            weekdays[weekday] = WeekdayForecast(
                weekday, opens, [SlotForecast(opens + i * SLOT_MINUTES, []) for i in range(count)]
            )
    left_out: list[LeftOut] = []
    samples: list[float] = []
    by_start: dict[int, list[float]] = defaultdict(list)
    day = history.first_day
    while day <= history.last_day:
        iso = day.isoformat()
        rows = by_day.get(iso, [])
        holiday = servicehours.holiday_name(day, office)
        target = weekdays.get(day.weekday())
        if target is None:
            if rows:  # worked on a day the office is (now) closed: not a normal day
                left_out.append(LeftOut(iso, "closed", "", len(rows)))
        elif holiday:
            left_out.append(LeftOut(iso, "holiday", holiday, len(rows)))
        elif not rows:
            left_out.append(LeftOut(iso, "unused"))
        else:
            midnight = day_bounds_ms(iso, tz)[0]
            counts = [0] * len(target.slots)
            trace = []
            for issued, minutes in _visits(rows, history.service is None):
                local = (issued - midnight) / 60_000
                slot = min(len(counts) - 1, max(0, int((local - target.opens) // SLOT_MINUTES)))
                counts[slot] += 1
                trace.append(min(max(0.0, local - target.opens), len(counts) * SLOT_MINUTES))
                if minutes is not None:
                    samples.append(minutes)
                    by_start[target.slots[slot].start].append(minutes)
            for slot, n in zip(target.slots, counts, strict=True):
                slot.counts.append(n)
            target.days.append(iso)
            target.traces.append(sorted(trace))
        day += timedelta(days=1)
    overall = statistics.fmean(samples) if samples else None
    for w in weekdays.values():
        for slot in w.slots:
            own = by_start.get(slot.start, [])
            slot.service_samples = len(own)
            slot.service_minutes = (
                statistics.fmean(own) if len(own) >= MIN_SLOT_SAMPLES else overall
            )
    return Forecast(
        history,
        [weekdays[k] for k in sorted(weekdays)],
        left_out,
        overall,
        samples,
        dict(by_start),
    )
