"""The report model: every figure of one period, computed from tickets, visits and ratings.

:func:`build_report` reads inside one short read transaction (call it within
:meth:`Store.read`) and returns plain data (dicts, lists, numbers, ISO dates) that the
text, JSON, CSV, XLSX and PDF exports and the console's Laporan tab all present. It is
two steps: :func:`load_rows` reads the period's rows, :func:`compute_report` computes
every figure from them; the province's central report (:mod:`shared.central.report`)
reads the same rows from PostgreSQL and runs the same computation.

Definitions (the same as the console and the supervisor view):

* the promise: ``tickets.target_met`` is 1 (met), 0 (missed) or NULL (excluded: never
  called before the day closed ahead of its deadline, or not decided yet); compliance =
  met / (met + missed);
* wait from arrival = first call − issue; service time = end − (start, or call when the
  service was never started) of finished tickets; p90 is the nearest-rank 90th percentile;
* visitors are counted per visit (a transfer keeps the visit, so it is counted once),
  from the guest book, never named; first-time means the visitor had no earlier visit;
* ratings belong to the period of the ticket they rate.

Every query is bounded by ``tickets.service_day BETWEEN start AND end`` (the
``tickets_queue`` index leads with ``service_day``); joins go from those tickets to their
ratings and visits by key.
"""

from __future__ import annotations

import heapq
import math
import sqlite3
import statistics
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from shared.clock import from_ms
from shared.office import settings
from shared.reporting.ikm import ELEMENTS, add_tallies
from shared.reporting.ikm import from_tally as ikm_from_tally
from shared.reporting.ikm import tally as ikm_tally
from shared.reporting.period import Period
from shared.storage.rows import fetch_all

STATUSES = ("waiting", "called", "serving", "done", "no_show", "transferred", "unserved")
AGE_BANDS = ("<20", "20-29", "30-39", "40-49", "50-59", "60+")
UNKNOWN = ""  # a guest-book answer left empty (or no guest book at all)
LONGEST_WAITS = 10


@dataclass(frozen=True)
class ReportFilter:
    """Narrow a report to one service, counter or officer (None: all)."""

    service: str | None = None
    counter_id: int | None = None
    officer_id: int | None = None

    def where(self) -> tuple[str, tuple]:
        parts, params = [], []
        if self.service:
            parts.append("t.service_code = ?")
            params.append(self.service)
        if self.counter_id is not None:
            parts.append("t.counter_id = ?")
            params.append(self.counter_id)
        if self.officer_id is not None:
            parts.append("t.officer_id = ?")
            params.append(self.officer_id)
        return "".join(f" AND {p}" for p in parts), tuple(params)


TICKET_COLUMNS = (
    "t.id, t.number, t.service_code, t.service_day, t.status, t.priority_group, t.visit_id,"
    " t.issued_at, t.first_called_at, t.called_at, t.started_at, t.ended_at, t.no_show_at,"
    " t.counter_id, t.officer_id, t.target_met, t.clock_start_at, t.deadline_at,"
    " t.transferred_from_id, t.transferred_to_id"
)


def _minutes(ms: float) -> float:
    return round(ms / 60_000, 2)


def durations(values: list[int]) -> dict[str, Any]:
    """Count, mean, median, nearest-rank p90 and max of durations, in minutes."""
    if not values:
        return {"count": 0, "mean": None, "median": None, "p90": None, "max": None}
    ordered = sorted(values)
    p90 = ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]
    return {
        "count": len(ordered),
        "mean": _minutes(statistics.fmean(ordered)),
        "median": _minutes(statistics.median(ordered)),
        "p90": _minutes(p90),
        "max": _minutes(ordered[-1]),
    }


def _wait(t: dict[str, Any]) -> int | None:
    if t["first_called_at"] is None:
        return None
    return max(0, t["first_called_at"] - t["issued_at"])


def _service_time(t: dict[str, Any]) -> int | None:
    if t["status"] != "done" or t["ended_at"] is None:
        return None
    began = t["started_at"] or t["called_at"]
    return None if began is None else max(0, t["ended_at"] - began)


def _promise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    met = sum(1 for t in rows if t["target_met"] == 1)
    missed = sum(1 for t in rows if t["target_met"] == 0)
    decided = met + missed
    return {
        "tickets": len(rows),
        "met": met,
        "missed": missed,
        "excluded": len(rows) - decided,
        "compliance": round(100 * met / decided, 1) if decided else None,
    }


def _group(rows: list[dict[str, Any]], key: str) -> dict[Any, list[dict[str, Any]]]:
    groups: dict[Any, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row[key], []).append(row)
    return groups


def age_band(birth_year: int | None, year: int) -> str:
    """The age band of a visitor born in ``birth_year``, in ``year`` (empty: unknown)."""
    if not birth_year:
        return UNKNOWN
    age = year - int(birth_year)
    if age < 20:
        return AGE_BANDS[0]
    if age >= 60:
        return AGE_BANDS[-1]
    return AGE_BANDS[(age - 20) // 10 + 1]


def _counted(values: list[Any], order: list[str]) -> list[dict[str, Any]]:
    """Count answers: the office's list order first, then other answers, then empty ones."""
    return ordered_counts(Counter(v if v not in (None, "") else UNKNOWN for v in values), order)


def ordered_counts(counts: Counter, order: list[str]) -> list[dict[str, Any]]:
    """Counted answers in the office's list order, then other answers, then empty ones."""
    keys = [k for k in order if k in counts]
    keys += sorted(k for k in counts if k not in order and k != UNKNOWN)
    if UNKNOWN in counts:
        keys.append(UNKNOWN)
    return [{"value": k, "count": counts[k]} for k in keys]


@dataclass
class ReportRows:
    """The rows a report is computed from, wherever they were read.

    The office's own file (:func:`load_rows`) and the province's central database
    (:mod:`shared.central.report`) fill the same shape, so one computation
    (:func:`compute_report`) gives the same figures from either.

    ``guests`` rows carry the visitor's age band at the visit (``age``), not the year of
    birth; ``first_visits`` maps each of the period's visitors to their first visit ever.
    ``office`` holds the settings the report shows and orders by (name, unit, time zone,
    guest-book lists).
    """

    office: dict[str, Any]
    tickets: list[dict[str, Any]]
    ratings: list[dict[str, Any]]
    guests: list[dict[str, Any]]
    first_visits: dict[Any, Any]
    services: dict[str, dict[str, Any]]
    counters: dict[Any, str]
    officers: dict[Any, str]


def load_rows(
    conn: sqlite3.Connection, period: Period, where: ReportFilter | None = None
) -> ReportRows:
    """Read the rows of ``period`` from the office's database (inside a read transaction)."""
    where = where or ReportFilter()
    office = settings.get_all(conn)
    extra, params = where.where()
    bounds = (period.start.isoformat(), period.end.isoformat(), *params)
    tickets = fetch_all(
        conn,
        f"SELECT {TICKET_COLUMNS} FROM tickets t"
        f" WHERE t.service_day BETWEEN ? AND ?{extra} ORDER BY t.service_day, t.id",
        bounds,
    )
    ratings = fetch_all(
        conn,
        "SELECT r.score, r.gratification, r.extortion, r.flagged, r.comment, r.created_at,"
        f" {', '.join('r.' + k for k in ELEMENTS)}, t.number, t.service_code, t.service_day,"
        " t.counter_id, t.officer_id FROM tickets t CROSS JOIN ratings r ON r.ticket_id = t.id"
        f" WHERE t.service_day BETWEEN ? AND ?{extra}",
        bounds,
    )
    guests = fetch_all(
        conn,
        "SELECT t.visit_id, t.service_day, v.visitor_id, v.purpose, p.sex, p.birth_year,"
        " p.education, p.occupation, p.institution_category FROM tickets t"
        " CROSS JOIN visits v ON v.id = t.visit_id JOIN visitors p ON p.id = v.visitor_id"
        f" WHERE t.service_day BETWEEN ? AND ? AND t.transferred_from_id IS NULL{extra}",
        bounds,
    )
    for g in guests:
        g["age"] = age_band(g.pop("birth_year"), int(g["service_day"][:4]))
    first: dict[Any, Any] = {}
    if guests:
        first = _first_visits(
            conn, sorted({g["visitor_id"] for g in guests}), max(g["visit_id"] for g in guests)
        )
    services = {
        s["code"]: s
        for s in fetch_all(
            conn, "SELECT code, name_id, name_en, target_minutes, sort_order FROM services"
        )
    }
    counters = dict(conn.execute("SELECT id, name FROM counters").fetchall())
    officers = dict(conn.execute("SELECT id, full_name FROM officers").fetchall())
    return ReportRows(office, tickets, ratings, guests, first, services, counters, officers)


def build_report(
    conn: sqlite3.Connection,
    period: Period,
    where: ReportFilter | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Compute every section of the report for ``period`` (optionally filtered).

    Reads the rows (:func:`load_rows`) and computes them with :func:`compute_report`,
    whose keyword ``options`` it takes: ``lang`` chooses the service names and the
    period's label (figures are the same in every language); ``integrity_list`` adds
    the ratings that answered *yes* to an integrity question (for the admin role only;
    without it only their counts are given); ``now_ms`` is when the report was made.
    """
    return compute_report(load_rows(conn, period, where), period, where, **options)


def compute_report(
    rows: ReportRows,
    period: Period,
    where: ReportFilter | None = None,
    *,
    lang: str = "id",
    integrity_list: bool = False,
    now_ms: int | None = None,
) -> dict[str, Any]:
    """Compute every section of the report from rows already read (see :class:`ReportRows`)."""
    where = where or ReportFilter()
    office = rows.office
    tz = office["timezone"]
    tickets, ratings, services = rows.tickets, rows.ratings, rows.services
    counters, officers = rows.counters, rows.officers

    def service_name(code: str) -> str:
        s = services.get(code)
        if s is None:
            return code
        return s["name_en"] if lang == "en" else s["name_id"]

    service_order = sorted(
        {t["service_code"] for t in tickets} | {r["service_code"] for r in ratings},
        key=lambda c: (services.get(c, {}).get("sort_order", 999), c),
    )
    report: dict[str, Any] = {
        "office": {
            "name": office["office_name"],
            "unit": office["office_unit"],
            "timezone": tz,
            "code": office.get("office_code") or None,
        },
        "period": period.as_dict(lang),
        "filter": {
            "service": where.service,
            "service_name": service_name(where.service) if where.service else None,
            "counter_id": where.counter_id,
            "counter_name": counters.get(where.counter_id) if where.counter_id else None,
            "officer_id": where.officer_id,
            "officer_name": officers.get(where.officer_id) if where.officer_id else None,
        },
        "generated_at": now_ms,
        "language": lang,
        "services": service_list(service_order, service_name, services),
    }
    report["visits"] = _visits(tickets, period, tz, service_order, service_name)
    report["promise"] = _promise_section(
        tickets, period, service_order, service_name, counters, officers
    )
    report["times"] = _times(tickets, service_order, service_name)
    report["visitors"] = _visitors(rows.guests, rows.first_visits, office)
    report["satisfaction"] = _satisfaction(
        ratings, service_order, service_name, counters, officers, integrity_list, tz
    )
    return report


def _local_hour(tz: str) -> Callable[[int], int]:
    """A fast ``instant → local hour`` for one time zone.

    Every UTC offset is a whole number of quarter hours, so all instants of one
    quarter hour share their local hour: it is worked out once per quarter hour.
    """
    hours: dict[int, int] = {}

    def hour(ms: int) -> int:
        quarter = ms // 900_000
        found = hours.get(quarter)
        if found is None:
            found = hours[quarter] = from_ms(quarter * 900_000, tz).hour
        return found

    return hour


def _visits(tickets, period: Period, tz: str, service_order, service_name) -> dict[str, Any]:
    per_service: dict[str, Counter] = {}
    per_day: Counter = Counter()
    per_hour: Counter = Counter()
    priority: Counter = Counter()
    visits = 0
    hour = _local_hour(tz)
    for t in tickets:
        code = t["service_code"]
        statuses = per_service.get(code)
        if statuses is None:
            statuses = per_service[code] = Counter()
        statuses[t["status"]] += 1
        per_day[t["service_day"]] += 1
        per_hour[hour(t["issued_at"])] += 1
        if t["priority_group"]:
            priority[t["priority_group"]] += 1
        if t["transferred_from_id"] is None:
            visits += 1
    return visits_section(
        period,
        per_service,
        per_day,
        per_hour,
        priority,
        tickets=len(tickets),
        visits=visits,
        service_order=service_order,
        service_name=service_name,
    )


def service_list(
    service_order: list[str], service_name: Callable[[str], str], services: dict[str, dict]
) -> list[dict[str, Any]]:
    """The report's services in their order: code, name and target minutes."""
    return [
        {
            "code": c,
            "name": service_name(c),
            "target_minutes": services.get(c, {}).get("target_minutes"),
        }
        for c in service_order
    ]


def visits_section(
    period: Period,
    per_service: dict[str, Counter],
    per_day: Mapping[str, int],
    per_hour: Mapping[int, int],
    priority: Mapping[str, int],
    *,
    tickets: int,
    visits: int,
    service_order: list[str],
    service_name: Callable[[str], str],
) -> dict[str, Any]:
    """Lay out the visits section from its counts: tickets per status of each service,
    per day, per hour of arrival and per priority group.

    The office's report counts its tickets, the province's report its grouped rows;
    both give this one shape.
    """
    by_service = [
        {
            "service": code,
            "name": service_name(code),
            "tickets": sum(per_service[code].values()),
            "by_status": {s: per_service[code].get(s, 0) for s in STATUSES},
        }
        for code in service_order
        if per_service.get(code)
    ]
    statuses: Counter = Counter()
    for counts in per_service.values():
        statuses.update(counts)
    hours = sorted(per_hour)
    hour_range = range(hours[0], hours[-1] + 1) if hours else range(0)
    return {
        "tickets": tickets,
        "visits": visits,
        "priority": sum(priority.values()),
        "transfers": statuses.get("transferred", 0),
        "no_shows": statuses.get("no_show", 0),
        "unserved": statuses.get("unserved", 0),
        "by_status": {s: statuses.get(s, 0) for s in STATUSES},
        "by_service": by_service,
        "by_day": [{"day": day, "tickets": per_day.get(day, 0)} for day in period.day_list()],
        "by_hour": [{"hour": h, "tickets": per_hour.get(h, 0)} for h in hour_range],
        "by_priority": [{"group": g, "tickets": n} for g, n in sorted(priority.items())],
    }


def _tally(tickets, key: str) -> dict[Any, list[int]]:
    """Per value of ``key``: [tickets, met, missed] in one pass."""
    tallies: dict[Any, list[int]] = {}
    for t in tickets:
        tally = tallies.get(t[key])
        if tally is None:
            tally = tallies[t[key]] = [0, 0, 0]
        tally[0] += 1
        met = t["target_met"]
        if met == 1:
            tally[1] += 1
        elif met == 0:
            tally[2] += 1
    return tallies


def promise_of(tally: list[int]) -> dict[str, Any]:
    """The promise figures of a [tickets, met, missed] tally (as :func:`_promise`)."""
    total, met, missed = tally
    decided = met + missed
    return {
        "tickets": total,
        "met": met,
        "missed": missed,
        "excluded": total - decided,
        "compliance": round(100 * met / decided, 1) if decided else None,
    }


def _promise_section(
    tickets, period: Period, service_order, service_name, counters, officers
) -> dict[str, Any]:
    services = _tally(tickets, "service_code")
    by_service = [
        {"key": code, "label": service_name(code), **promise_of(services[code])}
        for code in service_order
        if code in services
    ]
    overall = [0, 0, 0]
    for tally in services.values():
        for i in range(3):
            overall[i] += tally[i]

    def named(key: str, names: dict[Any, str]) -> list[dict[str, Any]]:
        out = []
        for ident, tally in sorted(
            _tally(tickets, key).items(), key=lambda kv: (kv[0] is None, names.get(kv[0], ""))
        ):
            out.append(
                {
                    "key": ident,
                    "label": names.get(ident, "") if ident is not None else None,
                    **promise_of(tally),
                }
            )
        return out

    days = _tally(tickets, "service_day")
    by_day = [{"key": day, **promise_of(days.get(day, [0, 0, 0]))} for day in period.day_list()]
    # The longest waits: the same order as sorting every called ticket, without the sort.
    longest_rows = heapq.nsmallest(
        LONGEST_WAITS,
        (t for t in tickets if t["first_called_at"] is not None),
        key=lambda t: (-_wait(t), t["service_day"], t["number"]),
    )
    longest = [
        {
            "day": t["service_day"],
            "number": t["number"],
            "service": t["service_code"],
            "counter": counters.get(t["counter_id"]) if t["counter_id"] else None,
            "wait_minutes": _minutes(_wait(t)),
            "late_minutes": (
                _minutes(t["first_called_at"] - t["deadline_at"])
                if t["deadline_at"] is not None and t["first_called_at"] > t["deadline_at"]
                else 0.0
            ),
            "target_met": t["target_met"],
        }
        for t in longest_rows
    ]
    return {
        **promise_of(overall),
        "by_service": by_service,
        "by_counter": named("counter_id", counters),
        "by_officer": named("officer_id", officers),
        "by_day": by_day,
        "longest_waits": longest,
    }


def _times(tickets, service_order, service_name) -> dict[str, Any]:
    waits: dict[str, list[int]] = {}
    services: dict[str, list[int]] = {}
    for t in tickets:
        code = t["service_code"]
        wait_list = waits.get(code)
        if wait_list is None:
            wait_list = waits[code] = []
            services[code] = []
        called = t["first_called_at"]
        if called is not None:
            wait = called - t["issued_at"]
            wait_list.append(wait if wait > 0 else 0)
        if t["status"] == "done" and t["ended_at"] is not None:
            began = t["started_at"] or t["called_at"]
            if began is not None:
                spent = t["ended_at"] - began
                services[code].append(spent if spent > 0 else 0)

    def figures(wait: list[int], service: list[int]) -> dict[str, Any]:
        return {"wait": durations(wait), "service": durations(service)}

    return {
        **figures(
            [w for code in waits for w in waits[code]],
            [s for code in services for s in services[code]],
        ),
        "by_service": [
            {"key": code, "label": service_name(code), **figures(waits[code], services[code])}
            for code in service_order
            if code in waits
        ],
    }


def _visitor_index(conn: sqlite3.Connection) -> bool:
    """Tell whether an index on ``visits`` leads with ``visitor_id``."""
    for row in conn.execute("PRAGMA index_list(visits)").fetchall():
        columns = conn.execute(f"PRAGMA index_info({row[1]!r})").fetchall()
        if columns and columns[0][2] == "visitor_id":
            return True
    return False


def _first_visits(
    conn: sqlite3.Connection, visitor_ids: list[int], last_visit: int
) -> dict[int, int]:
    """Each visitor's first visit ever (to tell first-time from returning visitors).

    With an index on ``visits(visitor_id)`` only the period's visitors are looked up;
    without one, a single grouped pass over the visits up to the period's last one is
    far cheaper than a lookup per visitor.
    """
    if _visitor_index(conn):
        first: dict[int, int] = {}
        for start in range(0, len(visitor_ids), 500):
            chunk = visitor_ids[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            first.update(
                conn.execute(
                    f"SELECT visitor_id, MIN(id) FROM visits WHERE visitor_id IN ({marks})"
                    " GROUP BY visitor_id",
                    chunk,
                ).fetchall()
            )
        return first
    return dict(
        conn.execute(
            "SELECT visitor_id, MIN(id) FROM visits WHERE id <= ? GROUP BY visitor_id",
            (last_visit,),
        ).fetchall()
    )


def _visitors(guests, first_visits, office) -> dict[str, Any]:
    visits: dict[Any, dict[str, Any]] = {}
    for g in guests:
        visits.setdefault(g["visit_id"], g)
    rows = list(visits.values())
    returning = sum(
        1 for r in rows if first_visits.get(r["visitor_id"], r["visit_id"]) < r["visit_id"]
    )
    lists = office.get("lists", {})
    return {
        "visits": len(rows),
        "first_time": len(rows) - returning,
        "returning": returning,
        "sex": _counted([r["sex"] for r in rows], lists.get("sex", [])),
        "age": _counted([r["age"] for r in rows], list(AGE_BANDS)),
        "education": _counted([r["education"] for r in rows], lists.get("education", [])),
        "occupation": _counted([r["occupation"] for r in rows], lists.get("occupation", [])),
        "institution_category": _counted(
            [r["institution_category"] for r in rows], lists.get("institution_category", [])
        ),
        "purpose": _counted([r["purpose"] for r in rows], lists.get("purpose", [])),
    }


def _satisfaction(
    ratings, service_order, service_name, counters, officers, integrity_list: bool, tz: str
) -> dict[str, Any]:
    stars: Counter = Counter()
    groups = _group(ratings, "service_code")
    integrity = {
        key: {"yes": 0, "no": 0, "unanswered": 0} for key in ("gratification", "extortion")
    }
    answer = {1: "yes", 0: "no", None: "unanswered"}
    flagged = []
    for r in ratings:
        stars[r["score"]] += 1
        for key, counts in integrity.items():
            word = answer.get(r[key])
            if word:
                counts[word] += 1
        if r["gratification"] == 1 or r["extortion"] == 1:
            flagged.append(r)
    per_service = []
    tallies = []
    for code in service_order:
        rows = groups.get(code, [])
        if not rows:
            continue
        counted = ikm_tally(rows)
        tallies.append(counted)
        per_service.append(
            {
                "key": code,
                "label": service_name(code),
                "ratings": len(rows),
                "mean_stars": round(statistics.fmean(r["score"] for r in rows), 2),
                "ikm": ikm_from_tally(counted),
            }
        )
    section: dict[str, Any] = {
        "ratings": len(ratings),
        "mean_stars": round(statistics.fmean(stars.elements()), 2) if ratings else None,
        "stars": [{"stars": s, "count": stars.get(s, 0)} for s in (5, 4, 3, 2, 1)],
        "ikm": ikm_from_tally(add_tallies(tallies)),
        "by_service": per_service,
        "integrity": {**integrity, "flagged": len(flagged)},
        "integrity_list": None,
    }
    if integrity_list:
        section["integrity_list"] = [
            {
                "day": r["service_day"],
                "number": r["number"],
                "service": r["service_code"],
                "counter": counters.get(r["counter_id"]) if r["counter_id"] else None,
                "officer": officers.get(r["officer_id"]) if r["officer_id"] else None,
                "gratification": r["gratification"] == 1,
                "extortion": r["extortion"] == 1,
                "comment": r["comment"] or "",
            }
            for r in sorted(flagged, key=lambda r: (r["service_day"], r["number"]))
        ]
    return section
