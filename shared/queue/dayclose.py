"""Closing a service day: what is still open at closing time ends, and is counted.

At the office's closing time plus a grace (``close_grace_minutes``) the day is over:

* tickets still ``waiting`` or ``called`` become ``unserved`` (terminal). One that was
  never called gets its 10-minute outcome now: **missed** when its deadline passed
  before the service closed, **excluded** (``target_met`` NULL) when the service closed
  before its deadline. A called ticket kept the outcome of its first call;
* counters close and their officers are logged out (``officer_id`` cleared), except a
  counter whose officer is still serving a visitor: that ticket is left to its officer;
* one event ``day_close`` records it all.

Whichever program notices first closes the day (:func:`due_days` is a cheap read run
on a timer); a second run finds nothing left and writes nothing. ``pst-admin day close``
runs it by hand, e.g. when the office closes early. A PC that was off overnight closes
yesterday the next morning: the rule uses the day's own closing time, not the moment
the operation happened to run.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from typing import Any

from shared.clock import day_bounds_ms, service_day
from shared.office import servicehours
from shared.queue import queries, target
from shared.storage import eventresult
from shared.storage.rows import fetch_all


def _service_hours(service: dict[str, Any]) -> Any:
    return json.loads(service["hours"]) if service["hours"] else None


def service_closing_ms(day: str, office: dict[str, Any], service: dict[str, Any]) -> int:
    """When a service stops serving on ``day``: its closing time, or midnight if unscheduled.

    A day without scheduled hours (a holiday, a weekend) can still have tickets an
    administrator issued by hand; those days end at midnight.
    """
    closing = servicehours.closing_ms(day, office, _service_hours(service))
    return closing if closing is not None else day_bounds_ms(day, office["timezone"])[1]


def cutoff_ms(conn: sqlite3.Connection, day: str, office: dict[str, Any]) -> int:
    """The instant the day is closed automatically: the last service's closing + grace."""
    services = queries.services(conn)
    closings = [service_closing_ms(day, office, s) for s in services] or [
        day_bounds_ms(day, office["timezone"])[1]
    ]
    return max(closings) + int(office.get("close_grace_minutes", 30)) * 60_000


def due_days(conn: sqlite3.Connection, now: int, office: dict[str, Any]) -> list[str]:
    """Service days with something still open after their cutoff (oldest first).

    Reads only open tickets (a small partial index) and the counters table, so its cost
    does not grow with the office's history.
    """
    today = service_day(now, office["timezone"])
    days = {
        row[0]
        for row in conn.execute(
            "SELECT DISTINCT service_day FROM tickets WHERE status IN ('waiting', 'called')"
        )
    }
    for (status_at,) in conn.execute(
        "SELECT status_at FROM counters WHERE status != 'closed' AND status_at IS NOT NULL"
    ):
        days.add(service_day(status_at, office["timezone"]))
    due = []
    for day in sorted(days):
        if day > today:
            continue
        cut = cutoff_ms(conn, day, office)
        if now < cut:
            continue
        if _open_tickets(conn, day, today, cut) or _open_counters(
            conn, _counter_limit(day, today, cut, office)
        ):
            due.append(day)
    return due


def _open_tickets(conn: sqlite3.Connection, day: str, today: str, cut: int) -> list[dict]:
    # On the day itself only tickets issued before the cutoff end: a visitor an
    # administrator lets in after closing is not swept away a minute later.
    limit = 2**62 if day < today else cut
    return fetch_all(
        conn,
        "SELECT * FROM tickets WHERE service_day = ? AND status IN ('waiting', 'called')"
        " AND issued_at < ? ORDER BY service_code, seq",
        (day, limit),
    )


def _counter_limit(day: str, today: str, cut: int, office: dict[str, Any]) -> int:
    # Today, a counter opened after the cutoff (someone working late) stays open; a past
    # day's counters close whenever they were opened that day.
    return cut if day == today else day_bounds_ms(day, office["timezone"])[1]


def _open_counters(conn: sqlite3.Connection, cut: int) -> list[dict]:
    """Counters left open or paused since before ``cut``, without a visitor being served."""
    return fetch_all(
        conn,
        "SELECT * FROM counters c WHERE c.status != 'closed' AND c.status_at < ?"
        " AND NOT EXISTS (SELECT 1 FROM tickets t WHERE t.counter_id = c.id"
        " AND t.status = 'serving')",
        (cut,),
    )


def unserved_outcome(
    conn: sqlite3.Connection,
    ticket: dict[str, Any],
    service: dict[str, Any],
    office: dict[str, Any],
    closed_at: int,
) -> dict[str, Any]:
    """The 10-minute outcome of a ticket that was never called, decided at closing.

    Its clock started as a waiting head's would (the visitor ahead is the day's last
    in-order call); it is missed when the deadline came before ``closed_at``, excluded
    when the service closed first or the visitor ahead was never finished.
    """
    ahead = queries.ahead_call(conn, ticket["service_code"], ticket["service_day"])
    opening = servicehours.opening_ms(ticket["service_day"], office, _service_hours(service))
    start = target.clock_start(
        ticket["issued_at"],
        ahead is not None,
        ahead["ended_at"] if ahead else None,
        opening,
    )
    if start is None:
        return {"clock_start_at": None, "deadline_at": None, "target_met": None}
    deadline = start + service["target_minutes"] * 60_000
    return {
        "clock_start_at": start,
        "deadline_at": deadline,
        "target_met": 0 if deadline < closed_at else None,
    }


def close(
    conn: sqlite3.Connection, day: str, now: int, office: dict[str, Any]
) -> dict[str, Any] | None:
    """Close ``day`` inside the caller's write transaction; None when nothing was open.

    Run by hand before the cutoff (the office closes early), the day closes at ``now``.
    """
    date.fromisoformat(day)  # a malformed day is the caller's bug, not a closed day
    today = service_day(now, office["timezone"])
    cut = min(now, cutoff_ms(conn, day, office))
    tickets = _open_tickets(conn, day, today, cut)
    counters = _open_counters(conn, _counter_limit(day, today, cut, office))
    if not tickets and not counters:
        return None
    services = {s["code"]: s for s in queries.services(conn)}
    counter_names = {c["id"]: c["name"] for c in queries.counters(conn)}
    last_closing = max(
        (service_closing_ms(day, office, s) for s in services.values()),
        default=day_bounds_ms(day, office["timezone"])[1],
    )
    summary = {
        "day": day,
        "unserved": [],
        "missed": 0,
        "excluded": 0,
        "counters": [],
        # When the service stopped: the last service's closing time, or earlier when the
        # day was closed by hand before it.
        "closed_at": min(cut, last_closing),
        # Visitors who were being called when the day closed, and where.
        "called": [],
    }
    for ticket in tickets:
        values: dict[str, Any] = {"status": "unserved"}
        if ticket["status"] == "called":
            summary["called"].append(
                {"number": ticket["number"], "counter": counter_names.get(ticket["counter_id"], "")}
            )
            conn.execute(
                "UPDATE calls SET ended_at = ?, end_kind = 'close_day' WHERE ticket_id = ?"
                " AND ended_at IS NULL",
                (now, ticket["id"]),
            )
            values["ended_at"] = now
        elif ticket["first_called_at"] is None:
            service = services[ticket["service_code"]]
            closed_at = min(cut, service_closing_ms(day, office, service))
            values.update(unserved_outcome(conn, ticket, service, office, closed_at))
        outcome = values.get("target_met", ticket["target_met"])
        if outcome == 0:
            summary["missed"] += 1
        elif outcome is None:
            summary["excluded"] += 1
        assignments = ", ".join(f"{k} = ?" for k in values)
        conn.execute(
            f"UPDATE tickets SET {assignments} WHERE id = ?", (*values.values(), ticket["id"])
        )
        summary["unserved"].append(ticket["number"])
    for counter in counters:
        conn.execute(
            "UPDATE counters SET status = 'closed', pause_reason = NULL, officer_id = NULL,"
            " status_at = ? WHERE id = ?",
            (now, counter["id"]),
        )
        summary["counters"].append(counter["name"])
    return summary


def closing_at(
    conn: sqlite3.Connection, day: str, office: dict[str, Any], codes: list[str] | None = None
) -> int | None:
    """When the last of ``codes``' services (default: all) stops serving on ``day``.

    None when none of them has scheduled hours that day (a holiday, a weekend).
    """
    closings = [
        servicehours.closing_ms(day, office, _service_hours(s))
        for s in queries.services(conn)
        if codes is None or s["code"] in codes
    ]
    scheduled = [c for c in closings if c is not None]
    return max(scheduled) if scheduled else None


def last_close(conn: sqlite3.Connection, day: str, office: dict[str, Any]) -> dict | None:
    """What closing ``day`` did, all runs together; None while it is not closed.

    A day may be closed in several runs (a counter still serving at closing closes at a
    later run): their unserved tickets, called visitors and counters are added up; ``at``
    is the first run. Bounded by the events' time index (only events since the day began
    are read). A summary written before ``closed_at`` and ``called`` existed gets them
    from the run's time.
    """
    start = day_bounds_ms(day, office["timezone"])[0]
    rows = conn.execute(
        "SELECT at, result FROM events WHERE at >= ? AND kind = 'day_close' ORDER BY at, id",
        (start,),
    ).fetchall()
    merged: dict | None = None
    for at, result in rows:
        summary = eventresult.decode(result)
        if not isinstance(summary, dict) or summary.get("day") != day:
            continue
        if merged is None:
            merged = {
                "day": day,
                "at": at,
                "closed_at": summary.get("closed_at", at),
                "unserved": [],
                "called": [],
                "counters": [],
                "missed": 0,
                "excluded": 0,
            }
        for key in ("unserved", "called", "counters"):
            merged[key] += summary.get(key, [])
        for key in ("missed", "excluded"):
            merged[key] += summary.get(key, 0)
    return merged


def latest_close(conn: sqlite3.Connection, since: int, office: dict[str, Any]) -> dict | None:
    """What the latest ``day_close`` since ``since`` did, all runs of its day together.

    The day may be yesterday's, closed this morning by the first program that started.
    """
    row = conn.execute(
        "SELECT result FROM events WHERE at >= ? AND kind = 'day_close' ORDER BY at DESC, id DESC"
        " LIMIT 1",
        (since,),
    ).fetchone()
    summary = eventresult.decode(row[0]) if row else None
    if not isinstance(summary, dict) or not summary.get("day"):
        return None
    return last_close(conn, summary["day"], office)
