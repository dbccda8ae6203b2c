"""Does the queue stay as fast after five years of an office's history? Print the figures.

Two files of the same office (four counters, five officers): one with no history, one
with five years of working days (about 125,000 tickets with their guest-book records,
events and ratings; built and cached by ``bench/history.py``). On each, the same
morning runs through the real operations up to 10:00, then, turn by turn (the two files
alternately, so both meet the same load of a shared machine), a kiosk issues a number, a counter calls the next visitor, and another PC reads what its
screen shows: the display's board, a counter console (with the supervisor view), the
supervisor overview alone and the kiosk's overview. The reads come from another
connection (on the share: another PC's mount), so each of them follows a commit and
finds its page cache stale, exactly as a program does after another PC's change.

Printed: p50/p95 in ms of each path, empty file against five-year file, and the ratio
(target: every ratio <= 1.5); then the same on a loopback SMB share when the lab can
run here (root, /dev/fuse, samba — see tests/share/lab.py); then a month report and a
year report (the report model, every section) on the five-year file (target <= 1 s each).

Run: ``python bench/bench_history.py [--runs 60] [--share-runs 15] [--no-share]``.
The first run builds the five-year file (a few minutes); later runs reuse it.
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import history  # noqa: E402
from counter.snapshot import read_snapshot  # noqa: E402
from display.board import read_board  # noqa: E402
from kiosk.backend import read_overview  # noqa: E402
from shared.clock import FakeClock, local_ms  # noqa: E402
from shared.queue import supervision  # noqa: E402
from shared.queue.operations import Operations  # noqa: E402
from shared.reporting import Period, build_report  # noqa: E402
from shared.storage.store import Store  # noqa: E402

TODAY = date(2026, 11, 25)  # a Wednesday; the history ends the day before
PATHS = ("issue", "call_next", "board", "console", "supervisor", "kiosk")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def morning(source: Path, folder: Path) -> Path:
    """Copy ``source`` and run today's morning on it, up to 10:00 (done locally, once)."""
    path = folder / f"{source.stem}-morning.db"
    shutil.copy(source, path)
    clock = FakeClock(local_ms(TODAY, "07:00", history.TZ))
    ops = Operations(Store(path), clock=clock, machine="kiosk-1", program="bench")
    ops.initialise()
    desks = history.office_desks(ops)
    history.run_day(ops, clock, desks, TODAY, seed=2026, until=local_ms(TODAY, "10:00", history.TZ))
    ops.store.close()
    return path


class Session:
    """One file being used: a kiosk-and-counter PC that writes, another PC that reads."""

    def __init__(self, writer_path: Path, reader_path: Path) -> None:
        self.clock = FakeClock(local_ms(TODAY, "10:00", history.TZ))
        self.ops = Operations(
            Store(writer_path), clock=self.clock, machine="kiosk-1", program="bench"
        )
        self.reader = Store(reader_path)
        self.desks = history.office_desks(self.ops)
        self.rng = random.Random(7)
        self.times: dict[str, list[float]] = {name: [] for name in PATHS}

    def _timed(self, name: str, fn: Callable[[], object], counted: bool) -> None:
        started = time.perf_counter()
        fn()
        if counted:
            self.times[name].append((time.perf_counter() - started) * 1000)

    def turn(self, n: int) -> None:
        """Issue, call the next visitor, and read each screen once (turn 0 only warms up)."""
        ops, reader, counted = self.ops, self.reader, n > 0
        desk = self.desks[n % len(self.desks)]
        self.clock.advance(seconds=30)

        def now() -> int:
            return self.clock.now_ms()

        guest = history._guest(self.rng, 900_000 + n)
        self._timed("issue", lambda: ops.issue_ticket("KS", guest), counted)
        history.free_desk(ops, desk)
        self._timed("call_next", lambda: ops.call_next(desk.counter_id, desk.officer_id), counted)
        self._timed(
            "board", lambda: reader.read(lambda c: read_board(c, now(), after_event_id=0)), counted
        )
        ops.issue_ticket("PS")  # another change before each screen, as in the office
        self._timed(
            "console",
            lambda: reader.read(
                lambda c: read_snapshot(
                    c, now(), counter_id=desk.counter_id, machine="pc", with_supervision=True
                )
            ),
            counted,
        )
        ops.issue_ticket("PJ")
        self._timed(
            "supervisor", lambda: reader.read(lambda c: supervision.overview(c, now())), counted
        )
        ops.issue_ticket("LA")
        self._timed("kiosk", lambda: reader.read(lambda c: read_overview(c, now())), counted)

    def close(self) -> None:
        self.ops.store.close()
        self.reader.close()


def measure(pairs: list[tuple[Path, Path]], runs: int) -> list[dict[str, list[float]]]:
    """Time each path ``runs`` times on each file, turn by turn in alternating order.

    Interleaving puts both files under the same load of a shared machine at the same
    moments, so their ratio is fair even when absolute times wander.
    """
    sessions = [Session(writer, reader) for writer, reader in pairs]
    try:
        for n in range(runs + 1):
            for session in sessions if n % 2 else reversed(sessions):
                session.turn(n)
    finally:
        for session in sessions:
            session.close()
    return [session.times for session in sessions]


def table(title: str, empty: dict[str, list[float]], full: dict[str, list[float]]) -> bool:
    print(title)
    print(
        f"  {'path':<12}{'empty p50':>10}{'p95':>8}{'5-year p50':>12}{'p95':>8}"
        f"{'ratio p50':>11}{'p95':>7}"
    )
    within = True
    for name in PATHS:
        e50, e95 = statistics.median(empty[name]), pct(empty[name], 95)
        f50, f95 = statistics.median(full[name]), pct(full[name], 95)
        ratio = f50 / e50
        within &= ratio <= 1.5
        print(
            f"  {name:<12}{e50:>10.1f}{e95:>8.1f}{f50:>12.1f}{f95:>8.1f}"
            f"{ratio:>11.2f}{f95 / e95:>7.2f}"
        )
    return within


def time_reports(path: Path) -> None:
    """Time the report model (every section, as pst-admin and the Laporan page build it)."""
    store = Store(path)
    try:
        for label, period in (
            ("month report 2026-10", Period.parse("month", "2026-10-01")),
            ("year report 2025", Period.parse("year", "2025-06-30")),
        ):
            started = time.perf_counter()
            report = store.read(lambda c, p=period: build_report(c, p, now_ms=0))
            took = time.perf_counter() - started
            tickets = report["visits"]["tickets"]
            print(f"  {label:<30}{took:>7.2f} s  ({tickets} tickets)")
    finally:
        store.close()


def run_share(empty: Path, full: Path, runs: int) -> bool | None:
    from bench.sharelab import two_pcs
    from tests.share.lab import skip_reason

    reason = skip_reason()
    if reason:
        print(f"\nloopback SMB share: not measured here ({reason})")
        return None
    with two_pcs("pst-history-share-") as (server, mounts):
        pairs = []
        for source in (empty, full):
            shutil.copy(source, server.share_dir / source.name)
            pairs.append((mounts[0].mountpoint / source.name, mounts[1].mountpoint / source.name))
        results = measure(pairs, runs)
    print()
    return table(f"loopback SMB share, two PCs ({runs} turns, ms)", *results)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--share-runs", type=int, default=15)
    parser.add_argument("--no-share", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="build the cached files again")
    args = parser.parse_args()
    last = date.fromordinal(TODAY.toordinal() - 1)
    started = time.perf_counter()
    empty_src, _ = history.history_database(0, last, rebuild=args.rebuild)
    full_src, rows = history.history_database(args.years, last, rebuild=args.rebuild)
    print(
        f"history: {args.years} years, {rows['working_days']} working days, "
        f"{rows['tickets']} tickets, {rows['visits']} visits, {rows['events']} events, "
        f"{rows['ratings']} ratings, {full_src.stat().st_size / 1e6:.0f} MB"
        f" (ready in {time.perf_counter() - started:.0f} s; cached in {full_src.parent})"
    )
    with tempfile.TemporaryDirectory(prefix="pst-history-") as tmp:
        folder = Path(tmp)
        empty, full = morning(empty_src, folder), morning(full_src, folder)
        pairs = []
        for source in (empty, full):
            work = folder / f"run-{source.name}"
            shutil.copy(source, work)
            pairs.append((work, work))
        local = measure(pairs, args.runs)
        print()
        ok = table(f"local disk, two connections ({args.runs} turns, ms)", *local)
        shared = None if args.no_share else run_share(empty, full, args.share_runs)
        print(f"\nreports on the {args.years}-year file (local disk)")
        time_reports(full)
    verdict = ok and shared is not False
    print(f"\nevery ratio <= 1.5: {'yes' if verdict else 'NO'}")
    return 0 if verdict else 1


if __name__ == "__main__":
    sys.exit(main())
