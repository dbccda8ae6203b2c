"""Kiosk-like and counter-like worker processes, and the office they work in.

A worker is a separate process that uses the core exactly as a program does: one
:class:`~shared.queue.operations.Operations` over one :class:`~shared.storage.store.Store` on the
database path of its PC. It keeps its pending ``op_id`` across storage errors and
retries it until it is confirmed, as the kiosk keeps a visitor's guest book and the
counter keeps an officer's action. Every step is appended to a JSON-lines log on the
local disk (flushed before the next step), so the checks know exactly which
operations each worker saw confirmed.

Run one worker: ``python workload.py kiosk|counter --db PATH --log FILE ...``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from shared.clock import Clock  # noqa: E402
from shared.errors import DomainError, StorageError  # noqa: E402
from shared.queue.operations import Operations, new_op_id  # noqa: E402
from shared.storage.store import Store  # noqa: E402

SERVICES = ("KS", "PS")
# Wednesday 25 November 2026, 09:00 in Palembang: a service day, inside opening hours.
OFFICE_MORNING_MS = 1_795_572_000_000
GUEST = {"name": "Tamu Uji", "email": "tamu{n}@contoh.id", "consent": True, "purpose": "data"}


class ShiftedClock(Clock):
    """Real time moved to an office morning, the same for every worker of a run."""

    def __init__(self, offset_ms: int) -> None:
        self.offset_ms = offset_ms

    def now_ms(self) -> int:
        return super().now_ms() + self.offset_ms


class HoldingStore(Store):
    """A store that can stall once inside a write transaction, for fault injection.

    After ``hold_after`` confirmed writes, the next transaction writes its rows, then
    touches ``marker`` and sleeps ``hold_seconds`` before COMMIT: the test kills or
    freezes the process while it holds the write lock with uncommitted changes.
    """

    def __init__(self, *args, marker: Path | None, hold_after: int, hold_seconds: float, **kw):
        super().__init__(*args, **kw)
        self.marker = marker
        self.hold_after = hold_after
        self.hold_seconds = hold_seconds

    def write(self, fn):
        if self.marker is None or self.write_count < self.hold_after:
            return super().write(fn)

        def held(conn):
            result = fn(conn)
            if self.marker is not None:
                marker, self.marker = self.marker, None
                marker.write_text(str(os.getpid()))
                time.sleep(self.hold_seconds)
            return result

        return super().write(held)


class Journal:
    """The worker's own record of what it did, on local disk."""

    def __init__(self, path: Path) -> None:
        self.fh = open(path, "a", encoding="utf-8")  # noqa: SIM115 (lives as long as the worker)

    def add(self, **record) -> None:
        record["at"] = time.time()
        self.fh.write(json.dumps(record) + "\n")
        self.fh.flush()
        os.fsync(self.fh.fileno())


class Worker:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.store = HoldingStore(
            args.db,
            busy_timeout_ms=args.busy_timeout_ms,
            retry_seconds=args.retry_seconds,
            create=False,
            marker=Path(args.hold_marker) if args.hold_marker else None,
            hold_after=args.hold_after,
            hold_seconds=args.hold_seconds,
        )
        self.ops = Operations(
            self.store,
            clock=ShiftedClock(args.clock_offset_ms),
            machine=args.machine,
            program=args.role,
        )
        self.journal = Journal(Path(args.log))
        self.errors: dict[str, int] = {}
        self.confirmed = 0
        self.stopping = False

    def perform(self, kind: str, call, *args, **kwargs):
        """Run one operation until it is confirmed, keeping its op_id across failures."""
        op_id = new_op_id()
        self.journal.add(t="pending", op=op_id, kind=kind)
        give_up = time.monotonic() + self.args.give_up_seconds
        while True:
            try:
                result = call(*args, op_id=op_id, **kwargs)
            except StorageError as exc:
                name = type(exc).__name__
                self.errors[name] = self.errors.get(name, 0) + 1
                self.journal.add(
                    t="storage_error", op=op_id, kind=kind, error=name, message=exc.message
                )
                if not exc.transient or time.monotonic() > give_up:
                    self.journal.add(t="abandoned", op=op_id, kind=kind)
                    raise
                time.sleep(random.uniform(0.05, 0.2))
                continue
            except DomainError as exc:
                self.journal.add(t="refused", op=op_id, kind=kind, message=str(exc))
                return None
            self.confirmed += 1
            self.journal.add(
                t="ok",
                op=op_id,
                kind=kind,
                ticket_id=result["id"],
                number=result["number"],
                day=result["service_day"],
            )
            return result

    def run(self) -> int:
        end = time.monotonic() + self.args.seconds
        # A kiosk keeps going past ``seconds`` until it has ``at_least`` numbers: a test
        # then counts the work it asked for, however slow a loaded machine is.
        last = end + self.args.overtime
        signal.signal(signal.SIGTERM, lambda *_: setattr(self, "stopping", True))
        n = 0
        while not self.stopping and (
            time.monotonic() < end
            or (self.confirmed < self.args.at_least and time.monotonic() < last)
        ):
            n += 1
            if self.args.role == "kiosk":
                guest = {**GUEST, "email": GUEST["email"].format(n=f"{self.args.machine}.{n}")}
                self.perform("issue", self.ops.issue_ticket, SERVICES[n % len(SERVICES)], guest)
                time.sleep(random.uniform(0, self.args.pause))
            else:
                ticket = self.perform("call", self.ops.call_next, self.args.counter_id)
                if ticket is None:
                    time.sleep(0.05)
                    continue
                self.perform("start", self.ops.start_service, ticket["id"])
                self.perform("finish", self.ops.finish, ticket["id"])
        self.journal.add(t="summary", confirmed=self.confirmed, errors=self.errors)
        return 0


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="one kiosk-like or counter-like worker")
    p.add_argument("role", choices=("kiosk", "counter"))
    p.add_argument("--db", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--machine", required=True)
    p.add_argument("--counter-id", type=int, default=0)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--pause", type=float, default=0.02, help="max think time between tickets")
    p.add_argument("--clock-offset-ms", type=int, default=0)
    p.add_argument("--busy-timeout-ms", type=int, default=1000)
    p.add_argument("--retry-seconds", type=float, default=8)
    p.add_argument("--give-up-seconds", type=float, default=90)
    p.add_argument("--at-least", type=int, default=0, help="confirmed operations to reach")
    p.add_argument("--overtime", type=float, default=150, help="at most this long past seconds")
    p.add_argument("--hold-marker", default="")
    p.add_argument("--hold-after", type=int, default=5)
    p.add_argument("--hold-seconds", type=float, default=30)
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    return Worker(parse(argv)).run()


# -- the parent side -------------------------------------------------------------------


def hold(marker: Path, after: int, seconds: float) -> tuple[str, ...]:
    """Worker flags: after ``after`` writes, hold the next write transaction open
    for ``seconds`` and create ``marker`` while holding it (a PC frozen mid-write)."""
    return (
        "--hold-marker",
        str(marker),
        "--hold-after",
        str(after),
        "--hold-seconds",
        str(seconds),
    )


def office_clock_offset() -> int:
    return OFFICE_MORNING_MS - Clock().now_ms()


def prepare_office(db: Path, counters: int, offset_ms: int) -> list[int]:
    """Create the database with ``counters`` open counters serving KS and PS."""
    store = Store(db, busy_timeout_ms=5000, retry_seconds=30)
    try:
        ops = Operations(store, clock=ShiftedClock(offset_ms), machine="setup", program="admin")
        ops.initialise()
        ids = []
        for i in range(counters):
            counter = ops.save_counter(f"Loket {i + 1}", services=list(SERVICES))
            ops.set_counter_status(counter["id"], "open")
            ids.append(counter["id"])
        return ids
    finally:
        store.close()


@dataclass
class WorkerSpec:
    role: str
    db: Path
    machine: str
    counter_id: int = 0
    extra: tuple[str, ...] = ()


class Workers:
    """Worker processes of one run; whatever is still running at exit is killed by PID."""

    def __init__(self, logs: Path, seconds: float, offset_ms: int) -> None:
        self.logs = logs
        self.seconds = seconds
        self.offset_ms = offset_ms
        self.procs: dict[str, subprocess.Popen] = {}
        logs.mkdir(parents=True, exist_ok=True)

    def start(self, spec: WorkerSpec) -> subprocess.Popen:
        log = self.logs / f"{spec.machine}.jsonl"
        args = [
            sys.executable,
            str(Path(__file__).resolve()),
            spec.role,
            "--db",
            str(spec.db),
            "--log",
            str(log),
            "--machine",
            spec.machine,
            "--counter-id",
            str(spec.counter_id),
            "--seconds",
            str(self.seconds),
            "--clock-offset-ms",
            str(self.offset_ms),
            *spec.extra,
        ]
        with open(self.logs / f"{spec.machine}.err", "ab") as err:
            proc = subprocess.Popen(args, stdout=err, stderr=subprocess.STDOUT)
        self.procs[spec.machine] = proc
        return proc

    def start_all(self, specs: Iterable[WorkerSpec]) -> None:
        for spec in specs:
            self.start(spec)

    def wait(self, timeout: float) -> dict[str, int | None]:
        """Wait for every worker; return exit codes (None for one that did not end)."""
        deadline = time.monotonic() + timeout
        codes: dict[str, int | None] = {}
        for name, proc in self.procs.items():
            try:
                codes[name] = proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                codes[name] = None
        return codes

    def failures(self, codes: dict[str, int | None]) -> list[str]:
        """One line per worker that did not end cleanly: its name, code and last words."""
        failed = []
        for name, code in codes.items():
            if code != 0:
                last = (self.stderr(name).strip().splitlines() or ["(no output)"])[-1]
                failed.append(f"{name} exit {code}: {last}")
        return failed

    def stderr(self, machine: str) -> str:
        path = self.logs / f"{machine}.err"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop_all(self) -> None:
        """Ask every running worker to finish its current operation and end."""
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGTERM)

    def kill_all(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGCONT)
                    os.kill(proc.pid, signal.SIGKILL)
                proc.wait(10)

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc) -> None:
        self.kill_all()


def standard_specs(
    dbs: list[Path],
    counter_ids: list[int],
    kiosks_per_pc: int = 2,
    counters_per_pc: int = 1,
    extra: dict[str, tuple[str, ...]] | None = None,
) -> list[WorkerSpec]:
    """Kiosks and counters spread over the PCs (one database path per PC)."""
    specs = []
    ids = iter(counter_ids)
    extra = extra or {}
    for pc, db in enumerate(dbs, start=1):
        for k in range(kiosks_per_pc):
            name = f"pc{pc}-kiosk{k}"
            specs.append(WorkerSpec("kiosk", db, name, extra=extra.get(name, ())))
        for c in range(counters_per_pc):
            name = f"pc{pc}-counter{c}"
            specs.append(WorkerSpec("counter", db, name, next(ids), extra=extra.get(name, ())))
    return specs


if __name__ == "__main__":
    sys.exit(main())
