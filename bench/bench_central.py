"""Central database benchmark: publishing to PostgreSQL and the province's year report.

Starts its own PostgreSQL (Debian's ``postgresql``; a temporary cluster on a Unix
socket), then measures:

* the first publish of five years of an office's history (bench/history.py's file);
* publishing one busy day (200 visitors through the real operations) after that;
* publishing again with nothing new;
* the central year report over 18 offices × one year (the five-year office's reported
  rows copied under 17 more office codes) and over one office, and its exports.

Prints figures; asserts nothing. Usage: python bench/bench_central.py [--years 5]
Targets (docs/benchmarks.md): busy day ≤ 2 s, first publish of five years ≤ 2 minutes,
year report over 18 offices ≤ 5 s.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import psycopg

from bench import history
from shared.central.outbound import OUTBOUND
from shared.central.publish import publish
from shared.central.report import build_central_report
from shared.clock import FakeClock, local_ms
from shared.queue.operations import Operations
from shared.reporting import Period
from shared.reporting.export import write
from shared.storage.store import Store
from tests.pgserver import start_server

TODAY = date(2026, 11, 25)  # a Wednesday; the history ends the day before
BUSY_VISITORS = 200
# The province's office and its seventeen regencies and cities (BPS area codes).
CODES = ["1600", *(f"16{n:02d}" for n in range(1, 14)), "1671", "1672", "1673", "1674"]


# What the report reads (events and calls are published but not reported on).
REPORTED = ("services", "counters", "officers", "visits", "tickets", "ratings")


def clone_offices(url: str, source: str, codes: list[str]) -> None:
    """Copy the reported rows of office ``source`` under each of ``codes`` (in SQL)."""
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO antrian_pst.offices SELECT c, office_name || ' ' || c, office_unit,"
            " timezone, lists, last_event_id, published_at, program_version"
            " FROM antrian_pst.offices CROSS JOIN unnest(%s::text[]) c WHERE office_code = %s",
            (codes, source),
        )
        for o in OUTBOUND:
            if o.table not in REPORTED:
                continue
            columns = ", ".join(o.columns)
            conn.execute(
                f"INSERT INTO antrian_pst.{o.table} (office_code, {columns})"
                f" SELECT c, {columns} FROM antrian_pst.{o.table}"
                " CROSS JOIN unnest(%s::text[]) c WHERE office_code = %s",
                (codes, source),
            )
        conn.execute("ANALYZE")


def server_cpu(conn) -> float:
    """CPU seconds the server process of ``conn`` has used (Linux /proc)."""
    pid = conn.execute("SELECT pg_backend_pid()").fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def best_of(n: int, fn) -> tuple[float, object]:
    times, result = [], None
    for _ in range(n):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return min(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()
    last = date.fromordinal(TODAY.toordinal() - 1)
    source, rows = history.history_database(args.years, last)
    print(
        f"history: {args.years} years, {rows['working_days']} working days, {rows['tickets']}"
        f" tickets, {rows['events']} events, {rows['ratings']} ratings"
    )
    server = start_server()
    if server is None:
        print("PostgreSQL is not installed (Debian package postgresql): nothing measured")
        return 1
    folder = Path(tempfile.mkdtemp(prefix="pst-bench-central-"))
    try:
        url = server.create_database("central")
        path = folder / "office.db"
        shutil.copy(source, path)
        conn = sqlite3.connect(path)
        with conn:
            conn.execute("INSERT INTO settings VALUES ('office_code', '\"1600\"')")
        conn.close()

        started = time.perf_counter()
        first = publish(path, url)
        took = time.perf_counter() - started
        print(
            f"first publish of {args.years} years: {took:.1f} s, {first['batches']} batches,"
            f" sent {json.dumps(first['sent'])}"
        )

        clock = FakeClock(local_ms(TODAY, "07:00", history.TZ))
        ops = Operations(Store(path), clock=clock, machine="kiosk-1", program="bench")
        desks = history.office_desks(ops)
        issued = history.run_day(ops, clock, desks, TODAY, seed=2026, visitors=BUSY_VISITORS)
        ops.store.close()
        started = time.perf_counter()
        day = publish(path, url)
        took = time.perf_counter() - started
        print(
            f"publish one busy day ({issued} tickets,"
            f" {day['last_event_id'] - day['from_event']} events): {took:.2f} s,"
            f" sent {json.dumps(day['sent'])}"
        )
        took, again = best_of(3, lambda: publish(path, url))
        print(f"publish again, nothing new: {took * 1000:.0f} ms ({again['batches']} batches)")

        started = time.perf_counter()
        clone_offices(url, "1600", CODES[1:])
        print(f"(17 more offices copied centrally in {time.perf_counter() - started:.0f} s)")
        year = Period.containing("year", date(2025, 1, 1))
        with psycopg.connect(url, autocommit=True) as pg:
            for label, codes in (("1 office", ["1600"]), (f"{len(CODES)} offices", None)):
                cpu, client = server_cpu(pg), time.process_time()
                took, report = best_of(
                    3, lambda c=codes: build_central_report(pg, year, c, now_ms=0)
                )
                cpu = (server_cpu(pg) - cpu) / 3
                client = (time.process_time() - client) / 3
                print(
                    f"central year report 2025, {label}: best of 3 {took:.2f} s,"
                    f" {report['visits']['tickets']} tickets (CPU per report: server"
                    f" {cpu:.2f} s, pst-admin {client:.2f} s; load average"
                    f" {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores)"
                )
            for fmt in ("text", "csv", "xlsx", "pdf"):
                started = time.perf_counter()
                write(report, fmt, folder / f"province.{fmt}", "id")
                print(f"  export {fmt:4}: {(time.perf_counter() - started) * 1000:.0f} ms")
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
