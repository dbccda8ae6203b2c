"""Summarise a service day or a month as plain dicts: the short figures of each service.

The full report of any period (what ``pst-admin report`` and the console's Laporan page
show) is :func:`shared.reporting.build_report`; this is the compact summary of a day or
a month, per service and for all, with the IKM of :mod:`shared.reporting.ikm`.

* target compliance: met / (met + missed), uncalled tickets decided at closing;
* ordinary wait (issued → first called) and service time (started → ended);
* IKM satisfaction index (PermenPANRB 14/2017): NRR per element = mean score (1–4);
  IKM = (Σ NRR_i × 1/9) × 25, graded A–D.
"""

from __future__ import annotations

import sqlite3
import statistics
from typing import Any

from shared.reporting.ikm import ikm
from shared.storage.rows import fetch_all

__all__ = ["day_report", "ikm", "month_report", "summarise"]


def _minutes(values: list[int]) -> dict[str, float | None]:
    if not values:
        return {"mean": None, "median": None, "max": None}
    return {
        "mean": round(statistics.fmean(values) / 60_000, 1),
        "median": round(statistics.median(values) / 60_000, 1),
        "max": round(max(values) / 60_000, 1),
    }


def summarise(tickets: list[dict[str, Any]], ratings: list[dict[str, Any]]) -> dict[str, Any]:
    """Figures for a set of tickets and their ratings."""
    called = [t for t in tickets if t["first_called_at"] is not None]
    # Outcomes are fixed at the first call, or at closing for a ticket never called.
    met = [t for t in tickets if t["target_met"] == 1]
    missed = [t for t in tickets if t["target_met"] == 0]
    decided = len(met) + len(missed)
    waits = [t["first_called_at"] - t["issued_at"] for t in called]
    service = [
        t["ended_at"] - (t["started_at"] or t["called_at"])
        for t in tickets
        if t["status"] == "done" and t["ended_at"] is not None
    ]
    by_status: dict[str, int] = {}
    for t in tickets:
        by_status[t["status"]] = by_status.get(t["status"], 0) + 1
    scores = [r["score"] for r in ratings]
    return {
        "tickets": len(tickets),
        "by_status": by_status,
        "called": len(called),
        "target_met": len(met),
        "target_missed": len(missed),
        "target_excluded": sum(
            1 for t in tickets if t["status"] == "unserved" and t["target_met"] is None
        ),
        "target_compliance": round(len(met) / decided * 100, 1) if decided else None,
        "wait_minutes": _minutes(waits),
        "service_minutes": _minutes(service),
        "ratings": len(ratings),
        "mean_score": round(statistics.fmean(scores), 2) if scores else None,
        "flagged_integrity": sum(1 for r in ratings if r["flagged"]),
        "ikm": ikm(ratings),
    }


def _report(conn: sqlite3.Connection, where: str, params: tuple) -> dict[str, Any]:
    tickets = fetch_all(conn, f"SELECT * FROM tickets t WHERE {where}", params)
    ratings = fetch_all(
        conn,
        f"SELECT r.* FROM ratings r JOIN tickets t ON t.id = r.ticket_id WHERE {where}",
        tuple(params),
    )
    codes = sorted({t["service_code"] for t in tickets})
    return {
        "all": summarise(tickets, ratings),
        "services": {
            code: summarise(
                [t for t in tickets if t["service_code"] == code],
                [r for r in ratings if r["service_code"] == code],
            )
            for code in codes
        },
    }


def day_report(conn: sqlite3.Connection, day: str) -> dict[str, Any]:
    """The figures of one service day (``YYYY-MM-DD``)."""
    return {"day": day, **_report(conn, "t.service_day = ?", (day,))}


def month_report(conn: sqlite3.Connection, month: str) -> dict[str, Any]:
    """The figures of one month (``YYYY-MM``), including the month's IKM."""
    # A range, not LIKE: LIKE cannot use the service_day index and reads every ticket.
    where = "t.service_day BETWEEN ? AND ?"
    return {"month": month, **_report(conn, where, (f"{month}-01", f"{month}-31"))}
