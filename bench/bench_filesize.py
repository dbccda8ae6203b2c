"""How big does the queue file grow? Print its size per ticket, per table and per year.

Measures the five-year file of ``bench/history.py`` (ten template days run through the
real operations, copied onto every working day of five years; built once per schema and
cached): the file's size, its size per ticket, the share of each table with its indexes
(SQLite's ``dbstat``), what the events keep as the results of repeatable operations, and
what that means for an office with 25,000 tickets a year and 30 daily backups.

Run: ``python bench/bench_filesize.py [--years 5] [--rebuild]``. Asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
import timeit
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import history  # noqa: E402

LAST_DAY = date(2026, 11, 24)
TICKETS_A_YEAR = 25_000
BACKUPS_KEPT = 30


def table_sizes(conn: sqlite3.Connection) -> dict[str, int]:
    """Bytes of each table, its indexes included (SQLite's dbstat virtual table)."""
    owner = {
        name: table for name, table in conn.execute("SELECT name, tbl_name FROM sqlite_master")
    }
    sizes: dict[str, int] = {}
    for name, size in conn.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name"):
        table = owner.get(name, name)
        sizes[table] = sizes.get(table, 0) + size
    return dict(sorted(sizes.items(), key=lambda item: -item[1]))


def result_bytes(conn: sqlite3.Connection) -> tuple[int, int, int, int]:
    """Events with a result; bytes stored; of them compact (BLOB); bytes as JSON text."""
    count = stored = compact = as_text = 0
    for (value,) in conn.execute("SELECT result FROM events WHERE result IS NOT NULL"):
        count += 1
        stored += len(value) if isinstance(value, bytes) else len(value.encode("utf-8"))
        if isinstance(value, bytes):
            from shared.storage import eventresult

            compact += 1
            value = json.dumps(eventresult.decode(value), ensure_ascii=False)
        as_text += len(value.encode("utf-8"))
    return count, stored, compact, as_text


def print_costs() -> None:
    """Time keeping a ticket row as JSON text and in the compact form (best of 5 × 2,000)."""
    from shared.storage import eventresult

    row = json.loads(SAMPLE_TICKET)
    compact = eventresult.encode(row)

    def best(fn) -> float:
        return min(timeit.repeat(fn, number=2000, repeat=5)) / 2000 * 1e6

    print(
        f"keeping a ticket row ({len(SAMPLE_TICKET)} bytes as text, {len(compact)} compact):"
        f" JSON text {best(lambda: json.dumps(row, ensure_ascii=False)):.1f} µs,"
        f" compact {best(lambda: eventresult.encode(row)):.1f} µs;"
        f" reading it back on a retry {best(lambda: eventresult.decode(compact)):.1f} µs"
    )


SAMPLE_TICKET = json.dumps(
    {
        "id": 8841,
        "code": "SDYVWUNU",
        "service_code": "KS",
        "service_day": "2026-11-25",
        "seq": 17,
        "number": "KS-017",
        "priority_group": None,
        "status": "done",
        "visit_id": 8402,
        "issued_at": 1764039986658,
        "issued_machine": "kiosk-lobby",
        "call_seq": 16,
        "first_called_at": 1764040432745,
        "called_at": 1764040432745,
        "recall_count": 0,
        "started_at": 1764040475101,
        "ended_at": 1764040921377,
        "no_show_at": None,
        "counter_id": 2,
        "officer_id": 3,
        "ahead_ticket_id": 8838,
        "clock_start_at": 1764040186658,
        "deadline_at": 1764040786658,
        "target_met": 1,
        "notes": "Data inflasi bulanan dikirim lewat surel",
        "transferred_from_id": None,
        "transferred_to_id": None,
    },
    ensure_ascii=False,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true", help="build the cached file again")
    args = parser.parse_args()
    started = time.perf_counter()
    path, rows = history.history_database(args.years, LAST_DAY, rebuild=args.rebuild)
    size = path.stat().st_size
    tickets = rows["tickets"]
    print(
        f"history: {args.years} years to {LAST_DAY}, {rows['working_days']} working days,"
        f" {tickets:,} tickets, {rows['events']:,} events"
        f" (ready in {time.perf_counter() - started:.0f} s; {path})"
    )
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        page = conn.execute("PRAGMA page_size").fetchone()[0]
        print(f"file: {size / 1e6:.0f} MB, {free * page / 1e6:.1f} MB of it free pages")
        print(f"per ticket: {size / tickets / 1000:.2f} KB (everything the ticket brought)")
        print("\ntable with its indexes        MB   per ticket (bytes)")
        for table, used in table_sizes(conn).items():
            if used >= 1e6:
                print(f"  {table:<24}{used / 1e6:>8.1f}   {used / tickets:>8.0f}")
        count, stored, compact, as_text = result_bytes(conn)
    finally:
        conn.close()
    print(
        f"\nevent results: {count:,} kept, {stored / 1e6:.1f} MB stored"
        f" ({stored / count:.0f} bytes each; {compact:,} compact),"
        f" {as_text / 1e6:.1f} MB as JSON text ({as_text / count:.0f} bytes each)"
    )
    print_costs()
    year = size / tickets * TICKETS_A_YEAR
    print(
        f"\nan office with {TICKETS_A_YEAR:,} tickets a year: {year / 1e6:.0f} MB a year;"
        f" {BACKUPS_KEPT} daily backups (--keep {BACKUPS_KEPT}) of a 1-year file"
        f" {BACKUPS_KEPT * year / 1e9:.1f} GB, of a 5-year file {BACKUPS_KEPT * 5 * year / 1e9:.1f} GB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
