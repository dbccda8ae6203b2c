"""Report benchmark: a year report on five years of history, in the core and each export.

Prints figures; asserts nothing. Usage: python bench/bench_reports.py [--years 5]
Target: the year report's model in ≤ 1 s (docs/benchmarks.md).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from shared.clock import FakeClock
from shared.queue.operations import Operations
from shared.reporting import Period, build_report
from shared.reporting.export import write
from shared.storage.store import Store
from tests.bulk_history import fill


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--years", type=int, default=5)
    args = p.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="pst-bench-reports-"))
    store = Store(folder / "history.db")
    Operations(store, clock=FakeClock(0)).initialise()
    last = 2025
    started = time.perf_counter()
    counts = fill(store, date(last - args.years + 1, 1, 1), date(last, 12, 31))
    print(f"history: {args.years} years, {counts} in {time.perf_counter() - started:.1f} s")
    for kind, anchor in (("day", "2025-11-12"), ("month", "2025-11-01"), ("year", "2025-06-01")):
        period = Period.parse(kind, anchor)
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            report = store.read(lambda c, p=period: build_report(c, p, now_ms=0))
            times.append(time.perf_counter() - t0)
        print(
            f"{kind:5} report model: best {min(times) * 1000:.0f} ms, {report['visits']['tickets']} tickets"
        )
    for fmt in ("text", "csv", "xlsx", "pdf"):
        t0 = time.perf_counter()
        write(report, fmt, folder / f"year.{fmt}", "id")
        print(f"year export {fmt:4}: {(time.perf_counter() - t0) * 1000:.0f} ms")
    store.close()


if __name__ == "__main__":
    main()
