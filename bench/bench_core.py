"""Core storage benchmark: write latency under concurrency and change detection.

Prints figures; asserts nothing (the machines that run it are shared and noisy, so read
ratios within one run). Usage: python bench/bench_core.py [--seconds 3]

* issue and call-next latency p50/p99 with 1, 4 and 16 concurrent processes on a local
  file (target: p99 <= 100 ms at 16 processes), first with each process pausing ~100 ms
  between writes (16 PCs writing ten times a second: far above a real office's peak),
  then saturated (no pause at all), where SQLite's unfair file locks show in the tail;
* cost of one ``PRAGMA data_version`` poll;
* commit in process A -> detected by a poller in process B, at the chosen poll interval
  (target: p95 <= interval + 20 ms).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import tempfile
import time
from pathlib import Path

from shared.errors import DomainError
from shared.queue.operations import Operations
from shared.storage.poller import ChangePoller
from shared.storage.store import Store


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def _think(pace_ms: float) -> None:
    # An office PC between two writes: a random pause averaging ``pace_ms``.
    if pace_ms:
        time.sleep(random.uniform(0, 2 * pace_ms) / 1000)


def _warm_up(ops: Operations, start: mp.Barrier) -> None:
    # The first operation of a process builds the holiday table and fills caches; a
    # program does that once at start, so it is not part of a write's latency. Then all
    # processes start together.
    ops.issue_ticket("LA", ignore_hours=True)
    start.wait()


def _issue_worker(
    db: str, seconds: float, pace_ms: float, start: mp.Barrier, queue: mp.Queue
) -> None:
    ops = Operations(
        Store(db, busy_timeout_ms=30_000, retry_seconds=30), machine="bench", program="kiosk"
    )
    _warm_up(ops, start)
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        _think(pace_ms)
        t0 = time.perf_counter()
        ops.issue_ticket("KS", ignore_hours=True)
        times.append((time.perf_counter() - t0) * 1000)
    queue.put(times)


def _call_worker(
    db: str, counter_id: int, seconds: float, pace_ms: float, start: mp.Barrier, queue: mp.Queue
) -> None:
    # A counter's day: someone takes a number, the officer calls, serves and finishes.
    # Only call-next is timed; the queue stays as short as in a real office.
    ops = Operations(
        Store(db, busy_timeout_ms=30_000, retry_seconds=30), machine="bench", program="counter"
    )
    _warm_up(ops, start)
    times = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        ops.issue_ticket("KS", ignore_hours=True)
        _think(pace_ms)
        t0 = time.perf_counter()
        try:
            ticket = ops.call_next(counter_id)
        except DomainError:  # another counter took it first
            continue
        times.append((time.perf_counter() - t0) * 1000)
        ops.start_service(ticket["id"])
        ops.finish(ticket["id"])
    queue.put(times)


def _prepare(folder: Path, counters: int, tickets: int) -> tuple[str, list[int]]:
    db = str(folder / f"bench-{counters}-{random.random():.6f}.db")
    ops = Operations(Store(db), machine="bench", program="setup")
    ops.initialise()
    ids = []
    for i in range(counters):
        counter = ops.save_counter(f"Loket {i + 1}", services=["KS"])
        ops.set_counter_status(counter["id"], "open")
        ids.append(counter["id"])
    for _ in range(tickets):
        ops.issue_ticket("KS", ignore_hours=True)
    ops.store.close()
    return db, ids


def run_writes(folder: Path, procs: int, seconds: float, pace_ms: float) -> dict[str, list[float]]:
    ctx = mp.get_context("spawn")
    out: dict[str, list[float]] = {}
    db, _ = _prepare(folder, 0, 0)
    q, start = ctx.Queue(), ctx.Barrier(procs)
    workers = [
        ctx.Process(target=_issue_worker, args=(db, seconds, pace_ms, start, q))
        for _ in range(procs)
    ]
    for w in workers:
        w.start()
    out["issue"] = [t for _ in workers for t in q.get()]
    for w in workers:
        w.join()
    db, counters = _prepare(folder, procs, 0)
    q, start = ctx.Queue(), ctx.Barrier(procs)
    workers = [
        ctx.Process(target=_call_worker, args=(db, counters[i], seconds, pace_ms, start, q))
        for i in range(procs)
    ]
    for w in workers:
        w.start()
    out["call_next"] = [t for _ in workers for t in q.get()]
    for w in workers:
        w.join()
    return out


def _poller_worker(db: str, interval: float, count: int, queue: mp.Queue) -> None:
    poller = ChangePoller(Store(db))
    poller.check()
    seen = []
    queue.put("ready")
    while len(seen) < count:
        if poller.check():
            seen.append(time.time())
        time.sleep(interval)
    queue.put(seen)


def run_detection(folder: Path, interval_ms: int, count: int) -> list[float]:
    ctx = mp.get_context("spawn")
    db, _ = _prepare(folder, 0, 0)
    q = ctx.Queue()
    p = ctx.Process(target=_poller_worker, args=(db, interval_ms / 1000, count, q))
    p.start()
    assert q.get() == "ready"
    time.sleep(0.3)
    ops = Operations(Store(db), machine="bench", program="kiosk")
    commits = []
    for _ in range(count):
        time.sleep(interval_ms / 1000 * random.uniform(1.5, 3.0))
        ops.issue_ticket("KS", ignore_hours=True)
        commits.append(time.time())
    seen = q.get()
    p.join()
    return [(s - c) * 1000 for c, s in zip(commits, seen, strict=False)]


def poll_cost(folder: Path, n: int = 20000) -> float:
    db, _ = _prepare(folder, 0, 0)
    poller = ChangePoller(Store(db))
    poller.check()
    t0 = time.perf_counter()
    for _ in range(n):
        poller.check()
    return (time.perf_counter() - t0) / n * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--interval-ms", type=int, default=250)
    parser.add_argument("--detections", type=int, default=40)
    parser.add_argument(
        "--pace-ms", type=float, default=100, help="mean pause between one PC's writes"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="pst-bench-") as tmp:
        folder = Path(tmp)
        print(
            f"{'processes':>9} {'load':>10} {'operation':>10} {'ops':>6} {'p50 ms':>8}"
            f" {'p99 ms':>8}"
        )
        for pace_ms, load in ((args.pace_ms, f"~{args.pace_ms:.0f} ms"), (0, "saturated")):
            for procs in (1, 4, 16):
                for op, times in run_writes(folder, procs, args.seconds, pace_ms).items():
                    print(
                        f"{procs:>9} {load:>10} {op:>10} {len(times):>6}"
                        f" {pct(times, 0.5):>8.1f} {pct(times, 0.99):>8.1f}"
                    )
        print(f"data_version poll: {poll_cost(folder) * 1000:.1f} µs per check (local file)")
        lat = run_detection(folder, args.interval_ms, args.detections)
        print(
            f"commit -> detected at {args.interval_ms} ms poll: p50 {statistics.median(lat):.0f} ms,"
            f" p95 {pct(lat, 0.95):.0f} ms, max {max(lat):.0f} ms"
            f" (target p95 <= {args.interval_ms + 20} ms)"
        )


if __name__ == "__main__":
    main()
