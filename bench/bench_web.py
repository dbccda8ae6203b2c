"""Load on ``pst-web``: phones polling their ticket while the office works, local and on SMB.

What it does, for the database on a local disk and (``--share``) on a loopback SMB share
(tests/share/lab.py: Samba on 127.0.0.1, a FUSE client per emulated PC):

1. prepares the office: counters open, ``--tickets`` visitors of today (with ``--years``,
   on top of that many years of history, bench/history.py);
2. starts the real ``pst-web`` process and times its **cold start** (process start to the
   first answered ``/api/board``);
3. measures its **idle CPU** (no request, nothing changing) from /proc;
4. runs ``--phones`` phones, each on its own keep-alive connection asking
   ``/api/t/<code>`` every ``--every`` seconds (random phase), while another PC makes
   ``--changes`` changes a minute through the core (call next, finish, issue);
5. prints the response times (p50, p95, max), the errors, and the **database reads per
   change** from pst-web's own counters (``/api/health``: snapshot reads against the
   ``data_version`` changes it saw and the commits the other PC made).

Targets: p95 ≤ 50 ms locally, ≤ 100 ms on the share; at most one read per change; idle
≤ 2 % of a core; cold start ≤ 1.5 s. ``--quick`` runs a few seconds (for CI: it checks
that the bench works, not the machine).

Run: ``python bench/bench_web.py [--share] [--years 2]`` or ``python bench/bench_web.py --quick``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from shared.clock import Clock  # noqa: E402
from shared.errors import DomainError, StorageError  # noqa: E402
from shared.queue.operations import Operations  # noqa: E402
from shared.storage.store import Store  # noqa: E402

SERVICES = ("KS", "PS", "PJ", "LA")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(db: Path, tickets: int, years: int, until: date | None = None) -> list[str]:
    """Create the office (or copy its history) and issue today's tickets; return their codes."""
    if years:
        from bench.history import history_database

        source, _counts = history_database(years, until or date.today() - timedelta(days=1))
        shutil.copyfile(source, db)
        store = Store(db, create=False)
    else:
        store = Store(db)
    ops = Operations(store, clock=Clock(), machine="kiosk", program="bench")
    if not years:
        ops.initialise()
        ops.save_officer("budi", full_name="Budi", pin="1234")
        ops.save_counter("Loket 1", services=["KS", "PS"])
        ops.save_counter("Loket 2", services=["KS", "PJ", "LA"])
    officer = store.read(lambda c: c.execute("SELECT MIN(id) FROM officers").fetchone()[0])
    counters = store.read(lambda c: [r[0] for r in c.execute("SELECT id FROM counters")])
    for counter in counters:
        with contextlib.suppress(DomainError):  # already open in the history's office
            ops.set_counter_status(counter, "open", officer)
    codes = [
        ops.issue_ticket(SERVICES[n % len(SERVICES)], ignore_hours=True)["code"]
        for n in range(tickets)
    ]
    store.close()
    return codes


class Office(threading.Thread):
    """Another PC making ``per_minute`` changes a minute through the core."""

    def __init__(self, db: Path, per_minute: float) -> None:
        super().__init__(daemon=True)
        self.store = Store(db, create=False)
        self.ops = Operations(self.store, clock=Clock(), machine="counter", program="bench")
        self.pause = 60 / per_minute if per_minute else 0
        self.commits = 0
        self.stopping = threading.Event()

    def change(self, n: int) -> None:
        counters = self.store.read(
            lambda c: c.execute(
                "SELECT id, officer_id FROM counters WHERE status = 'open'"
            ).fetchall()
        )
        counter, officer = counters[n % len(counters)]
        current = self.store.read(
            lambda c: c.execute(
                "SELECT id, status FROM tickets WHERE counter_id = ? AND status IN ('called', 'serving')",
                (counter,),
            ).fetchone()
        )
        if current and current[1] == "called":
            self.ops.start_service(current[0], officer)
        elif current:
            self.ops.finish(current[0], officer)
        elif n % 3 == 2:
            self.ops.issue_ticket(SERVICES[n % len(SERVICES)], ignore_hours=True)
        else:
            try:
                self.ops.call_next(counter, officer)
            except DomainError:
                self.ops.issue_ticket("KS", ignore_hours=True)

    def run(self) -> None:
        n = 0
        while self.pause and not self.stopping.wait(self.pause * random.uniform(0.8, 1.2)):
            try:
                self.change(n)
                self.commits += 1
            except (StorageError, DomainError) as exc:
                print(f"  office change skipped: {exc}", file=sys.stderr)
            n += 1
        self.store.close()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def health(base: str) -> dict:
    with urllib.request.urlopen(base + "/api/health", timeout=10) as response:
        return json.loads(response.read())


async def phone(port: int, code: str, every: float, until: float, out: list, errors: list) -> None:
    """One phone: a keep-alive connection, a request every ``every`` seconds."""
    await asyncio.sleep(random.uniform(0, every))
    reader = writer = None
    request = (
        f"GET /api/t/{code} HTTP/1.1\r\nHost: pst\r\nAccept: application/json\r\n\r\n".encode()
    )
    while time.monotonic() < until:
        started = time.monotonic()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            for line in head.split(b"\r\n"):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            await reader.readexactly(length)
            out.append(time.monotonic() - started)
            if status != 200:
                errors.append(status)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            errors.append(type(exc).__name__)
            if writer is not None:
                writer.close()
            reader = writer = None
        await asyncio.sleep(max(0.0, every - (time.monotonic() - started)))
    if writer is not None:
        writer.close()


async def load(port: int, codes: list[str], phones: int, every: float, seconds: float):
    until = time.monotonic() + seconds
    out: list[float] = []
    errors: list = []
    await asyncio.gather(
        *(phone(port, codes[i % len(codes)], every, until, out, errors) for i in range(phones))
    )
    return out, errors


def run(db: Path, prepared: Path, office_db: Path, args: argparse.Namespace, label: str) -> dict:
    """Prepare the file at ``prepared``, serve it from ``db``, change it through ``office_db``.

    On the share the three are the server's own folder (prepared before any PC mounts
    it), the status page PC's mount and the other PC's mount.
    """
    codes = prepare(prepared, args.tickets, args.years, args.history_until)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    logs = Path(tempfile.mkdtemp(prefix="pst-web-bench-log-"))
    started = time.monotonic()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "status_page",
            "--db",
            str(db),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=ROOT,
        env={**os.environ, "PST_LOG_DIR": str(logs), "PST_CONFIG": str(logs / "none.toml")},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        cold = None
        while time.monotonic() - started < 30:
            try:
                with urllib.request.urlopen(base + "/api/board", timeout=5) as response:
                    if response.status == 200:
                        cold = time.monotonic() - started
                        break
            except OSError:
                time.sleep(0.01)
        if cold is None:
            raise RuntimeError("pst-web did not answer within 30 s")
        # Idle means idle: after the years of tickets entered the code index.
        indexed = None
        while time.monotonic() - started < 120:
            if health(base)["history_complete"]:
                indexed = time.monotonic() - started
                break
            time.sleep(0.1)
        time.sleep(0.5)
        cpu0, wall0 = cpu_seconds(process.pid), time.monotonic()
        time.sleep(args.idle)
        idle = (cpu_seconds(process.pid) - cpu0) / (time.monotonic() - wall0) * 100
        before = health(base)
        office = Office(office_db, args.changes)
        office.start()
        latencies, errors = asyncio.run(load(port, codes, args.phones, args.every, args.seconds))
        office.stopping.set()
        office.join(10)
        time.sleep(0.5)
        after = health(base)
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(logs, ignore_errors=True)
    reads = after["snapshot_reads"] - before["snapshot_reads"]
    changes = after["changes_seen"] - before["changes_seen"]
    return {
        "where": label,
        "cold_start_s": cold,
        "code_index_s": indexed,
        "idle_cpu_percent": idle,
        "requests": len(latencies),
        "errors": len(errors),
        "rate_per_s": len(latencies) / args.seconds,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p95_ms": percentile(latencies, 95) * 1000 if latencies else float("nan"),
        "max_ms": max(latencies) * 1000 if latencies else float("nan"),
        "commits": office.commits,
        "changes_seen": changes,
        "snapshot_reads": reads,
        "reads_per_change": reads / changes if changes else float("nan"),
        "reads_per_commit": reads / office.commits if office.commits else float("nan"),
    }


def show(result: dict, args: argparse.Namespace) -> None:
    target = 50 if result["where"] == "local" else 100
    print(
        f"{result['where']}: {args.phones} phones every {args.every:g} s, "
        f"{args.changes:g} changes/min, {args.seconds:g} s"
        f"{f', {args.years} years of history' if args.years else ''}"
    )
    print(
        f"  responses: {result['requests']} ({result['rate_per_s']:.1f}/s), "
        f"errors {result['errors']}, p50 {result['p50_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms (target ≤ {target}), max {result['max_ms']:.1f} ms"
    )
    print(
        f"  database: {result['commits']} commits by the other PC, {result['changes_seen']} changes"
        f" seen, {result['snapshot_reads']} snapshot reads = {result['reads_per_change']:.2f}"
        f" per change (target ≤ 1)"
    )
    print(
        f"  cold start {result['cold_start_s']:.2f} s (target ≤ 1.5; every code known after"
        f" {result['code_index_s'] or float('nan'):.1f} s), idle CPU"
        f" {result['idle_cpu_percent']:.2f} % of a core (target ≤ 2)"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--every", type=float, default=5.0, help="seconds between a phone's polls")
    parser.add_argument("--changes", type=float, default=10.0, help="changes a minute")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the load")
    parser.add_argument("--idle", type=float, default=10.0, help="seconds of idle measurement")
    parser.add_argument("--tickets", type=int, default=120, help="today's visitors")
    parser.add_argument("--years", type=int, default=0, help="years of history under today")
    parser.add_argument(
        "--history-until",
        type=date.fromisoformat,
        help="last day of the history (default yesterday; a cached one starts at once)",
    )
    parser.add_argument("--share", action="store_true", help="also on a loopback SMB share")
    parser.add_argument("--quick", action="store_true", help="a few seconds (for CI)")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    if args.quick:
        args.phones, args.seconds, args.idle, args.tickets = 60, 4.0, 1.0, 20
        args.changes = 30.0
    results = []
    work = Path(tempfile.mkdtemp(prefix="pst-web-bench-"))
    try:
        local = work / "antrian.db"
        results.append(run(local, local, local, args, "local"))
        show(results[-1], args)
        if args.share:
            from tests.share.lab import Mount, SambaServer, skip_reason

            reason = skip_reason()
            if reason:
                print(f"share: not run ({reason})")
            else:
                (work / "lab").mkdir()
                server = SambaServer(work / "lab")
                mounts: list[Mount] = []
                try:
                    server.configure()
                    server.start()
                    mounts = [
                        Mount(server, work / "lab" / f"pc{i}", name=f"pc{i}").start()
                        for i in (1, 2)
                    ]
                    web_db, office_db = (m.mountpoint / "antrian.db" for m in mounts)
                    prepared = server.share_dir / "antrian.db"
                    results.append(run(web_db, prepared, office_db, args, "share"))
                    show(results[-1], args)
                finally:
                    for mount in mounts:
                        mount.stop()
                    server.stop()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if args.json:
        print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
