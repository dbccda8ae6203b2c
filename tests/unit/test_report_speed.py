"""A year report on five years of history is computed in at most one second."""

from __future__ import annotations

import time
from datetime import date

import pytest

from shared.reporting import Period, build_report
from tests.bulk_history import fill


@pytest.mark.slow
def test_year_report_on_five_years_of_history(ops, store):
    counts = fill(store, date(2021, 1, 1), date(2025, 12, 31))
    assert counts["tickets"] > 60_000
    period = Period.parse("year", "2025")
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        report = store.read(lambda c: build_report(c, period, integrity_list=True))
        best = min(best, time.perf_counter() - started)
    assert report["visits"]["tickets"] > 12_000
    assert report["period"]["days"] == 365
    assert best <= 1.0, f"year report took {best:.2f} s"
    plan = store.read(
        lambda c: c.execute(
            "EXPLAIN QUERY PLAN SELECT t.id FROM tickets t WHERE t.service_day BETWEEN ? AND ?",
            ("2025-01-01", "2025-12-31"),
        ).fetchall()
    )
    assert any("INDEX" in row[-1] and "service_day" in row[-1] for row in plan), plan
