"""Compare the queue's storage on a local file and on a loopback SMB share, in one run.

The same workload on each: two "PCs" (for the share: two FUSE client mounts of one
Samba server on 127.0.0.1) each issuing tickets through the core, one after another,
while a poller on the other PC watches for the commits. Printed: write latency p50/p99
and change-propagation p50/p95, and the ratios share/local. Absolute figures depend on
the machine (and the FUSE client is plain Python); the ratios are what to compare.

With ``--contention N`` it measures instead N writer processes (spread over two PCs)
issuing tickets as fast as they can for ``--seconds``: throughput, latency p50/p99 of
the writes that succeeded, the share of attempts that ended busy, and the longest time
any one process went without a success; then it checks that every success is in the
file exactly once.

Needs what the share tests need: root, /dev/fuse, samba, smbprotocol, fusepy.
Run: ``python bench/bench_share.py [--writes 150] [--poll-ms 100]``
or ``python bench/bench_share.py --contention 8 [--seconds 15]``.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.sharelab import two_pcs  # noqa: E402
from shared.clock import FakeClock  # noqa: E402
from shared.errors import StorageError  # noqa: E402
from shared.queue.operations import Operations  # noqa: E402
from shared.storage.poller import ChangePoller  # noqa: E402
from shared.storage.store import Store  # noqa: E402
from tests.share.lab import skip_reason  # noqa: E402
from tests.share.workload import OFFICE_MORNING_MS, office_clock_offset, prepare_office  # noqa: E402


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def measure(writer_db: Path, poller_db: Path, writes: int, poll_s: float) -> dict[str, float]:
    """Issue ``writes`` tickets on one path; time each and when the other path sees it."""
    prepare_office(writer_db, 1, office_clock_offset())
    ops = Operations(Store(writer_db), clock=FakeClock(OFFICE_MORNING_MS), machine="pc1")
    poller = ChangePoller(Store(poller_db))
    poller.check()
    commits: list[float] = []
    seen: list[float] = []
    stop = threading.Event()

    def watch() -> None:
        while not stop.is_set():
            if poller.check():
                seen.append(time.monotonic())
            time.sleep(poll_s)

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    latencies = []
    propagation = []
    try:
        for _ in range(writes):
            started = time.monotonic()
            ops.issue_ticket("KS")
            done = time.monotonic()
            latencies.append(done - started)
            commits.append(done)
            # Wait until the poller saw it, then pause a random part of a poll interval so
            # the next commit lands at an arbitrary phase of the poll loop.
            deadline = done + 5
            while not any(s >= started for s in seen) and time.monotonic() < deadline:
                time.sleep(0.001)
            later = [s for s in seen if s >= started]
            if later:
                propagation.append(max(0.0, later[0] - done))
            time.sleep(random.uniform(0, poll_s))
    finally:
        stop.set()
        thread.join(5)
        poller.close()
        ops.store.close()
    return {
        "write_p50": statistics.median(latencies) * 1000,
        "write_p99": percentile(latencies, 99) * 1000,
        "seen_p50": statistics.median(propagation) * 1000,
        "seen_p95": percentile(propagation, 95) * 1000,
        "seen_n": len(propagation),
    }


def _writer(db: str, machine: str, seconds: float, start: mp.Barrier, out: mp.Queue) -> None:
    """Issue tickets for ``seconds``; report each attempt (start, end, outcome)."""
    ops = Operations(Store(db), machine=machine, program="bench")
    try:
        for _ in range(100):  # warm up (holiday table, connection), busy or not
            try:
                ops.issue_ticket("LA", ignore_hours=True)
                break
            except StorageError:
                time.sleep(random.uniform(0.1, 0.5))
        start.wait(timeout=300)
    except Exception as exc:  # a writer that cannot start must not hang the others
        start.abort()
        out.put(json.dumps({"machine": machine, "error": repr(exc)}))
        return
    attempts: list[tuple[float, float, str]] = []
    numbers: list[str] = []
    began = time.monotonic()
    while time.monotonic() - began < seconds:
        t0 = time.monotonic()
        try:
            numbers.append(ops.issue_ticket("KS", ignore_hours=True)["number"])
            outcome = "ok"
        except StorageError as exc:
            outcome = type(exc).__name__
        attempts.append((t0 - began, time.monotonic() - began, outcome))
    ops.store.close()
    out.put(json.dumps({"machine": machine, "attempts": attempts, "numbers": numbers}))


def contention(folder: Path, dbs: list[Path], writers: int, seconds: float) -> dict:
    """Run ``writers`` processes over the given paths (one per PC, round robin)."""
    prepare_office(dbs[0], 1, office_clock_offset())
    ctx = mp.get_context("spawn")
    out, start = ctx.Queue(), ctx.Barrier(writers)
    procs = [
        ctx.Process(
            target=_writer,
            args=(str(dbs[i % len(dbs)]), f"pc{i % len(dbs) + 1}-{i}", seconds, start, out),
        )
        for i in range(writers)
    ]
    for proc in procs:
        proc.start()
    reports = [json.loads(out.get(timeout=seconds + 300)) for _ in procs]
    for proc in procs:
        proc.join(30)
    failed = [r for r in reports if "error" in r]
    if failed:
        raise RuntimeError(f"writers could not start: {failed}")
    ok_latency, gaps, outcomes, numbers = [], [], {}, []
    for report in reports:
        last = 0.0
        longest = 0.0
        for t0, t1, outcome in report["attempts"]:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == "ok":
                ok_latency.append(t1 - t0)
                longest = max(longest, t1 - last)
                last = t1
        longest = max(longest, seconds - last)
        gaps.append(longest)
        numbers.extend(report["numbers"])
    conn = sqlite3.connect(dbs[0])
    stored = [r[0] for r in conn.execute("SELECT number FROM tickets WHERE service_code = 'KS'")]
    conn.close()
    attempts = sum(outcomes.values())
    return {
        "writers": writers,
        "seconds": seconds,
        "ok": outcomes.get("ok", 0),
        "attempts": attempts,
        "outcomes": outcomes,
        "throughput": outcomes.get("ok", 0) / seconds,
        "p50_ms": statistics.median(ok_latency) * 1000 if ok_latency else float("nan"),
        "p99_ms": percentile(ok_latency, 99) * 1000 if ok_latency else float("nan"),
        "busy_share": 1 - outcomes.get("ok", 0) / attempts if attempts else float("nan"),
        "longest_without_success_s": max(gaps),
        "lost": len(set(numbers) - set(stored)),
        "doubled": len(stored) - len(set(stored)),
        "unreported": len(set(stored) - set(numbers)),
    }


def run_contention(writers: int, seconds: float) -> int:
    with two_pcs("pst-contention-") as (server, mounts):
        paths = [m.mountpoint / "antrian.db" for m in mounts]
        result = contention(server.root, paths, writers, seconds)
    print(f"{writers} writers on 2 PCs (loopback SMB), {seconds:.0f} s saturated ticket writes")
    print(f"  successful writes   {result['ok']} of {result['attempts']} attempts")
    print(f"  throughput          {result['throughput']:.1f} writes/s")
    print(f"  latency p50 / p99   {result['p50_ms']:.0f} / {result['p99_ms']:.0f} ms")
    print(f"  attempts busy       {result['busy_share'] * 100:.1f} %  {result['outcomes']}")
    print(f"  longest without success (one process)  {result['longest_without_success_s']:.1f} s")
    print(
        f"  lost {result['lost']}, doubled {result['doubled']},"
        f" committed but reported failed {result['unreported']}"
    )
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=150)
    parser.add_argument("--poll-ms", type=int, default=100)
    parser.add_argument("--contention", type=int, default=0, metavar="WRITERS")
    parser.add_argument("--seconds", type=float, default=15.0)
    args = parser.parse_args()
    reason = skip_reason()
    if reason:
        print(f"cannot run the share benchmark: {reason}")
        return 2
    if args.contention:
        return run_contention(args.contention, args.seconds)
    poll_s = args.poll_ms / 1000
    local_dir = Path(tempfile.mkdtemp(prefix="pst-bench-local-"))
    try:
        local = measure(local_dir / "antrian.db", local_dir / "antrian.db", args.writes, poll_s)
    finally:
        shutil.rmtree(local_dir, ignore_errors=True)
    with two_pcs("pst-bench-") as (_server, mounts):
        share = measure(
            mounts[0].mountpoint / "antrian.db",
            mounts[1].mountpoint / "antrian.db",
            args.writes,
            poll_s,
        )
    print(f"{args.writes} ticket writes each; poller every {args.poll_ms} ms on the other PC")
    print(f"{'':22}{'local':>10}{'share':>10}{'share/local':>13}")
    for key, label in (
        ("write_p50", "write p50 (ms)"),
        ("write_p99", "write p99 (ms)"),
        ("seen_p50", "seen by other p50 (ms)"),
        ("seen_p95", "seen by other p95 (ms)"),
    ):
        ratio = share[key] / local[key] if local[key] else float("inf")
        print(f"{label:22}{local[key]:10.2f}{share[key]:10.2f}{ratio:13.2f}")
    print(
        f"commits seen: local {local['seen_n']}/{args.writes}, share {share['seen_n']}/{args.writes}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
