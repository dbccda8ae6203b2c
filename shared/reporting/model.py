"""The report model: every figure of one period, computed from tickets, visits and ratings.

:func:`build_report` reads inside one short read transaction (call it within
:meth:`Store.read`) and returns plain data (dicts, lists, numbers, ISO dates) that the
text, JSON, CSV, XLSX and PDF exports and the console's Laporan tab all present.

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

import math
import sqlite3
import statistics
from collections import Counter
from dataclasses import dataclass
from typing import Any

from shared import settings
from shared.clock import from_ms
from shared.reporting.ikm import ELEMENTS, ikm
from shared.reporting.period import Period
from shared.rows import fetch_all

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


def _age_band(birth_year: int | None, year: int) -> str:
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
    counts = Counter(v if v not in (None, "") else UNKNOWN for v in values)
    keys = [k for k in order if k in counts]
    keys += sorted(k for k in counts if k not in order and k != UNKNOWN)
    if UNKNOWN in counts:
        keys.append(UNKNOWN)
    return [{"value": k, "count": counts[k]} for k in keys]


def build_report(
    conn: sqlite3.Connection,
    period: Period,
    where: ReportFilter | None = None,
    *,
    lang: str = "id",
    integrity_list: bool = False,
    now_ms: int | None = None,
) -> dict[str, Any]:
    """Compute every section of the report for ``period`` (optionally filtered).

    ``integrity_list`` adds the ratings that answered *yes* to an integrity question (for
    the admin role only); without it only their counts are given. ``lang`` chooses the
    service names and the period's label; figures are the same in every language.
    """
    where = where or ReportFilter()
    office = settings.get_all(conn)
    tz = office["timezone"]
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
    services = {
        s["code"]: s
        for s in fetch_all(
            conn, "SELECT code, name_id, name_en, target_minutes, sort_order FROM services"
        )
    }
    counters = dict(conn.execute("SELECT id, name FROM counters").fetchall())
    officers = dict(conn.execute("SELECT id, full_name FROM officers").fetchall())

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
        "services": [
            {
                "code": c,
                "name": service_name(c),
                "target_minutes": services.get(c, {}).get("target_minutes"),
            }
            for c in service_order
        ],
    }
    report["visits"] = _visits(tickets, period, tz, service_order, service_name)
    report["promise"] = _promise_section(
        tickets, period, service_order, service_name, counters, officers
    )
    report["times"] = _times(tickets, service_order, service_name)
    report["visitors"] = _visitors(conn, guests, office)
    report["satisfaction"] = _satisfaction(
        ratings, service_order, service_name, counters, officers, integrity_list, tz
    )
    return report


def _visits(tickets, period: Period, tz: str, service_order, service_name) -> dict[str, Any]:
    by_service = []
    groups = _group(tickets, "service_code")
    for code in service_order:
        rows = groups.get(code, [])
        if not rows:
            continue
        statuses = Counter(t["status"] for t in rows)
        by_service.append(
            {
                "service": code,
                "name": service_name(code),
                "tickets": len(rows),
                "by_status": {s: statuses.get(s, 0) for s in STATUSES},
            }
        )
    per_day = Counter(t["service_day"] for t in tickets)
    per_hour = Counter(from_ms(t["issued_at"], tz).hour for t in tickets)
    hours = sorted(per_hour)
    hour_range = range(hours[0], hours[-1] + 1) if hours else range(0)
    priority = Counter(t["priority_group"] for t in tickets if t["priority_group"])
    statuses = Counter(t["status"] for t in tickets)
    return {
        "tickets": len(tickets),
        "visits": sum(1 for t in tickets if t["transferred_from_id"] is None),
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


def _promise_section(
    tickets, period: Period, service_order, service_name, counters, officers
) -> dict[str, Any]:
    by_service = []
    groups = _group(tickets, "service_code")
    for code in service_order:
        if groups.get(code):
            by_service.append({"key": code, "label": service_name(code), **_promise(groups[code])})

    def named(key: str, names: dict[int, str]) -> list[dict[str, Any]]:
        out = []
        for ident, rows in sorted(
            _group(tickets, key).items(), key=lambda kv: (kv[0] is None, names.get(kv[0], ""))
        ):
            out.append(
                {
                    "key": ident,
                    "label": names.get(ident, "") if ident is not None else None,
                    **_promise(rows),
                }
            )
        return out

    days = _group(tickets, "service_day")
    by_day = [{"key": day, **_promise(days.get(day, []))} for day in period.day_list()]
    called = [t for t in tickets if _wait(t) is not None]
    called.sort(key=lambda t: (-_wait(t), t["service_day"], t["number"]))
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
        for t in called[:LONGEST_WAITS]
    ]
    return {
        **_promise(tickets),
        "by_service": by_service,
        "by_counter": named("counter_id", counters),
        "by_officer": named("officer_id", officers),
        "by_day": by_day,
        "longest_waits": longest,
    }


def _times(tickets, service_order, service_name) -> dict[str, Any]:
    def figures(rows):
        return {
            "wait": durations([w for t in rows if (w := _wait(t)) is not None]),
            "service": durations([s for t in rows if (s := _service_time(t)) is not None]),
        }

    groups = _group(tickets, "service_code")
    return {
        **figures(tickets),
        "by_service": [
            {"key": code, "label": service_name(code), **figures(groups[code])}
            for code in service_order
            if groups.get(code)
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


def _visitors(conn: sqlite3.Connection, guests, office) -> dict[str, Any]:
    visits: dict[int, dict[str, Any]] = {}
    for g in guests:
        visits.setdefault(g["visit_id"], g)
    rows = list(visits.values())
    returning = 0
    if rows:
        first = _first_visits(conn, sorted({r["visitor_id"] for r in rows}), max(visits))
        returning = sum(
            1 for r in rows if first.get(r["visitor_id"], r["visit_id"]) < r["visit_id"]
        )
    lists = office.get("lists", {})
    return {
        "visits": len(rows),
        "first_time": len(rows) - returning,
        "returning": returning,
        "sex": _counted([r["sex"] for r in rows], lists.get("sex", [])),
        "age": _counted(
            [_age_band(r["birth_year"], int(r["service_day"][:4])) for r in rows],
            list(AGE_BANDS),
        ),
        "education": _counted([r["education"] for r in rows], lists.get("education", [])),
        "occupation": _counted([r["occupation"] for r in rows], lists.get("occupation", [])),
        "institution_category": _counted(
            [r["institution_category"] for r in rows], lists.get("institution_category", [])
        ),
        "purpose": _counted([r["purpose"] for r in rows], lists.get("purpose", [])),
    }


def _yes_no(ratings, key: str) -> dict[str, int]:
    values = [r[key] for r in ratings]
    return {
        "yes": sum(1 for v in values if v == 1),
        "no": sum(1 for v in values if v == 0),
        "unanswered": sum(1 for v in values if v is None),
    }


def _satisfaction(
    ratings, service_order, service_name, counters, officers, integrity_list: bool, tz: str
) -> dict[str, Any]:
    stars = Counter(r["score"] for r in ratings)
    groups = _group(ratings, "service_code")
    per_service = []
    for code in service_order:
        rows = groups.get(code, [])
        if not rows:
            continue
        scores = [r["score"] for r in rows]
        per_service.append(
            {
                "key": code,
                "label": service_name(code),
                "ratings": len(rows),
                "mean_stars": round(statistics.fmean(scores), 2),
                "ikm": ikm(rows),
            }
        )
    flagged = [r for r in ratings if r["gratification"] == 1 or r["extortion"] == 1]
    section: dict[str, Any] = {
        "ratings": len(ratings),
        "mean_stars": round(statistics.fmean(stars.elements()), 2) if ratings else None,
        "stars": [{"stars": s, "count": stars.get(s, 0)} for s in (5, 4, 3, 2, 1)],
        "ikm": ikm(ratings),
        "by_service": per_service,
        "integrity": {
            "gratification": _yes_no(ratings, "gratification"),
            "extortion": _yes_no(ratings, "extortion"),
            "flagged": len(flagged),
        },
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
