"""A year report on five years of history reads that year only, through the day index.

How long it takes is measured by bench/bench_reports.py, not here (a shared machine's
timings are noise).
"""

from __future__ import annotations

from datetime import date

import pytest

from shared.reporting import Period, build_report
from tests.bulk_history import fill


@pytest.mark.slow
def test_year_report_on_five_years_of_history(ops, store):
    counts = fill(store, date(2021, 1, 1), date(2025, 12, 31))
    assert counts["tickets"] > 60_000
    period = Period.parse("year", "2025")
    report = store.read(lambda c: build_report(c, period, integrity_list=True))
    assert report["visits"]["tickets"] > 12_000
    assert report["period"]["days"] == 365
    in_2025 = store.read(
        lambda c: c.execute(
            "SELECT count(*) FROM tickets WHERE service_day BETWEEN '2025-01-01' AND '2025-12-31'"
        ).fetchone()[0]
    )
    assert report["visits"]["tickets"] == in_2025 < counts["tickets"] / 4
    plan = store.read(
        lambda c: c.execute(
            "EXPLAIN QUERY PLAN SELECT t.id FROM tickets t WHERE t.service_day BETWEEN ? AND ?",
            ("2025-01-01", "2025-12-31"),
        ).fetchall()
    )
    assert any("INDEX" in row[-1] and "service_day" in row[-1] for row in plan), plan
