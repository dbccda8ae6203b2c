"""How long does the counter plan take on years of history, and how good is its forecast?

1. **Plan time.** The plan from one year (52 weeks) of the five-year benchmark history
   (``bench/history.py`` builds and caches it: about 125,000 tickets; the first build
   takes a while): reading the tickets, the forecast, Erlang C for every half hour and
   the simulation check, timed apart; the first run in a fresh process (it imports Ciw
   and numpy) and the median of the next ones; then ``pst-admin plan --weeks 52`` as a
   whole process. Target: at most 2 s.
2. **Forecast error.** Twelve weeks forecast the week after them, which is held out:
   per weekday and half hour, the forecast (the mean of the twelve weeks) against the
   visitors who came. Printed: the mean absolute error per half hour (MAE), the error
   as a share of all visitors (WAPE), the error of each day's total (MAPE), the bias,
   and for comparison the naive forecast "the same weekday last week" and the error a
   perfect forecast of Poisson arrivals would still have. On two generated histories:
   the benchmark's (template days copied, so weeks repeat) and ``tests/bulk_history.py``
   (30–70 visitors a day at random times).

Run: ``python bench/bench_plan.py [--runs 5] [--years 5]``.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import history  # noqa: E402
from shared.clock import FakeClock, local_ms  # noqa: E402
from shared.planning import forecast as fc  # noqa: E402
from shared.queue.operations import Operations  # noqa: E402
from shared.storage.store import Store  # noqa: E402

TODAY = date(2026, 11, 25)  # the five-year history ends the day before


def timed_plan(path: Path, weeks: int) -> dict[str, float]:
    """One plan, each step timed (seconds)."""
    from shared.planning import plan as plan_module

    out = {}
    store = Store(path)
    try:
        t = time.perf_counter()
        hist = store.read(lambda c: fc.read_history(c, TODAY, weeks))
        out["read"] = time.perf_counter() - t
    finally:
        store.close()
    t = time.perf_counter()
    plan_module.make_plan(hist, simulate=False)
    out["forecast + Erlang C"] = time.perf_counter() - t
    t = time.perf_counter()
    plan = plan_module.make_plan(hist)
    out["simulation"] = time.perf_counter() - t - out["forecast + Erlang C"]
    out["total"] = time.perf_counter() - t + out["read"]
    out["_tickets"] = len(hist.rows)
    out["_days"] = sum(len(w.forecast.days) for w in plan.weekdays)
    out["_added"] = sum(s.added for w in plan.weekdays for s in w.slots)
    return out


def cold_plan(path: Path, weeks: int) -> float:
    """A plan in a fresh Python process, imports included (seconds)."""
    code = (
        "import sys, time; t = time.perf_counter();"
        f"sys.path.insert(0, {str(ROOT)!r});"
        "from bench.bench_plan import timed_plan;"
        "from pathlib import Path;"
        f"timed_plan(Path({str(path)!r}), {weeks});"
        "print(time.perf_counter() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def cli_plan(path: Path, weeks: int) -> float:
    admin = Path(sys.executable).with_name("pst-admin")
    command = [str(admin)] if admin.exists() else [sys.executable, "-m", "shared.cli.main"]
    t = time.perf_counter()
    subprocess.run(
        [*command, "--db", str(path), "plan", "--weeks", str(weeks), "--date", TODAY.isoformat()],
        capture_output=True,
        check=True,
        env={**os.environ, "PST_LOG_DIR": tempfile.gettempdir()},
    )
    return time.perf_counter() - t


def held_out_error(path: Path, week_start: date, weeks: int = 12) -> dict[str, float]:
    """Forecast the week from ``week_start`` from the ``weeks`` before it; compare."""
    store = Store(path)
    try:
        train = store.read(lambda c: fc.read_history(c, week_start, weeks))
        test = store.read(lambda c: fc.read_history(c, week_start + timedelta(days=7), 1))
        naive = store.read(lambda c: fc.read_history(c, week_start, 1))
    finally:
        store.close()
    predicted, actual, last_week = fc.forecast(train), fc.forecast(test), fc.forecast(naive)
    errors, naive_errors, floor, total = [], [], [], 0
    day_errors = []
    bias = 0.0
    for w in actual.weekdays:
        if not w.days:
            continue  # a holiday in the held-out week
        p, n = predicted.weekday(w.weekday), last_week.weekday(w.weekday)
        for slot, guess, before in zip(w.slots, p.slots, n.slots, strict=True):
            came = slot.counts[0]
            errors.append(abs(guess.mean - came))
            bias += guess.mean - came
            naive_errors.append(abs((before.counts or [0])[0] - came))
            # E|X − λ| of Poisson arrivals: what a perfect forecast still misses.
            lam = guess.mean
            floor.append(_poisson_mad(lam))
            total += came
        day_errors.append(abs(p.mean - w.totals[0]) / w.totals[0] if w.totals[0] else 0.0)
    return {
        "slots": len(errors),
        "visitors": total,
        "mae": statistics.fmean(errors),
        "wape": sum(errors) / total if total else float("nan"),
        "bias": bias / len(errors),
        "day_mape": statistics.fmean(day_errors),
        "naive_mae": statistics.fmean(naive_errors),
        "poisson_floor": statistics.fmean(floor),
    }


def _poisson_mad(lam: float) -> float:
    if lam <= 0:
        return 0.0
    # Mean absolute deviation of a Poisson variable: 2 e^-λ λ^(⌊λ⌋+1) / ⌊λ⌋!
    k = math.floor(lam)
    return 2 * math.exp(-lam) * lam ** (k + 1) / math.factorial(k)


def bulk_file(folder: Path, first: date, last: date) -> Path:
    from tests import bulk_history

    path = folder / "bulk.db"
    store = Store(path, create=True)
    Operations(
        store, clock=FakeClock(local_ms(TODAY, "07:00", history.TZ)), machine="b", program="bench"
    ).initialise()
    bulk_history.fill(store, first, last, seed=11)
    store.close()
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--weeks", type=int, default=52)
    args = parser.parse_args()
    started = time.perf_counter()
    path, rows = history.history_database(args.years, TODAY - timedelta(days=1))
    print(
        f"history: {args.years} years, {rows['working_days']} working days, {rows['tickets']}"
        f" tickets (ready in {time.perf_counter() - started:.0f} s)"
    )
    cold = cold_plan(path, args.weeks)
    runs = [timed_plan(path, args.weeks) for _ in range(args.runs)]
    first = runs[0]
    print(
        f"plan of {args.weeks} weeks: {first['_tickets']} tickets, {first['_days']} days counted,"
        f" {first['_added']} counters added by the simulation"
    )
    for key in ("read", "forecast + Erlang C", "simulation", "total"):
        values = [r[key] * 1000 for r in runs]
        print(f"  {key:<19} median {statistics.median(values):5.0f} ms   max {max(values):5.0f} ms")
    print(f"  fresh process, imports included: {cold * 1000:.0f} ms (target <= 2000)")
    cli = [cli_plan(path, args.weeks) for _ in range(3)]
    print(f"  pst-admin plan --weeks {args.weeks}: median {statistics.median(cli) * 1000:.0f} ms")

    print("\nforecast error on a held-out week (12 weeks forecast the next one):")
    header = f"  {'history':<34} {'slots':>5} {'MAE':>5} {'WAPE':>6} {'day MAPE':>8} {'bias':>6} {'naive MAE':>9} {'Poisson floor':>13}"
    print(header)
    cases = [("benchmark, week of 2026-11-18", path, date(2026, 11, 18))]
    with tempfile.TemporaryDirectory() as tmp:
        bulk = bulk_file(Path(tmp), date(2026, 8, 24), date(2026, 11, 29))
        cases.append(("bulk_history, week of 2026-11-23", bulk, date(2026, 11, 23)))
        for label, file, week in cases:
            e = held_out_error(file, week)
            print(
                f"  {label:<34} {e['slots']:>5} {e['mae']:>5.2f} {100 * e['wape']:>5.1f}%"
                f" {100 * e['day_mape']:>7.1f}% {e['bias']:>+6.2f} {e['naive_mae']:>9.2f}"
                f" {e['poisson_floor']:>13.2f}"
            )
    print("  (MAE and bias in visitors per half hour)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
