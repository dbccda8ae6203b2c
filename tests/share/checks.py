"""The harness's verdict on a database after a workload: what went wrong, if anything.

The checks compare two independent records: what each worker saw confirmed (its own
journal on local disk) and what the database holds. A check that only looked at the
database could not notice a lost commit; one that only looked at the journals could not
notice a half-applied operation.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

WORKLOAD_KINDS = ("issue", "call", "start", "finish")


@dataclass
class Verdict:
    confirmed: int = 0
    unconfirmed_pending: int = 0
    storage_errors: Counter = field(default_factory=Counter)
    lost: list[str] = field(default_factory=list)
    doubled: list[str] = field(default_factory=list)
    mismatched: list[str] = field(default_factory=list)
    duplicate_numbers: list[str] = field(default_factory=list)
    called_twice: list[int] = field(default_factory=list)
    phantom: list[str] = field(default_factory=list)
    inconsistent: list[str] = field(default_factory=list)
    integrity: list[str] = field(default_factory=list)
    unreadable: str = ""
    worker_failures: list[str] = field(default_factory=list)
    tickets: int = 0
    events: int = 0

    def problems(self) -> list[str]:
        """Every broken guarantee, one line each; empty when the run was sound."""
        found = []
        for name in (
            "lost",
            "doubled",
            "mismatched",
            "duplicate_numbers",
            "called_twice",
            "phantom",
            "inconsistent",
            "integrity",
            "worker_failures",
        ):
            items = getattr(self, name)
            if items:
                found.append(f"{name}: {len(items)} (e.g. {items[:3]})")
        if self.unreadable:
            found.append(f"unreadable: {self.unreadable}")
        return found

    def summary(self) -> str:
        return (
            f"confirmed={self.confirmed} tickets={self.tickets} events={self.events}"
            f" storage_errors={dict(self.storage_errors)} problems={self.problems() or 'none'}"
        )


def read_journals(folder: Path) -> tuple[dict[str, dict], set[str], Counter]:
    """Return confirmed ops (op_id → record), ops ever pending, storage errors by type."""
    confirmed: dict[str, dict] = {}
    pending: set[str] = set()
    errors: Counter = Counter()
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            try:
                rec = json.loads(line)
            except json.JSONDecodeError:
                continue  # a worker killed mid-line: its op is still "pending"
            rec["worker"] = path.stem
            if rec["t"] == "pending":
                pending.add(rec["op"])
            elif rec["t"] == "ok":
                if rec["op"] in confirmed:
                    raise AssertionError(f"worker journal confirms {rec['op']} twice")
                confirmed[rec["op"]] = rec
            elif rec["t"] == "storage_error":
                errors[rec["error"]] += 1
    return confirmed, pending, errors


def check(db: Path, journals: Path) -> Verdict:
    """Judge ``db`` against the worker journals in ``journals``."""
    verdict = Verdict()
    confirmed, pending, verdict.storage_errors = read_journals(journals)
    verdict.confirmed = len(confirmed)
    verdict.unconfirmed_pending = len(pending - confirmed.keys())

    # Duplicates as the visitors would see them: one number handed to two people,
    # one ticket called to two counters. These need no database at all.
    by_number = defaultdict(set)
    by_call = defaultdict(set)
    for op, rec in confirmed.items():
        if rec["kind"] == "issue":
            by_number[(rec["day"], rec["number"])].add(op)
        elif rec["kind"] == "call":
            by_call[rec["ticket_id"]].add(op)
    verdict.duplicate_numbers = sorted(
        f"{d} {n}" for (d, n), ops in by_number.items() if len(ops) > 1
    )
    verdict.called_twice = sorted(t for t, ops in by_call.items() if len(ops) > 1)

    try:
        conn = sqlite3.connect(db, timeout=30, isolation_level=None)
    except sqlite3.Error as exc:
        verdict.unreadable = f"{type(exc).__name__}: {exc}"
        return verdict
    try:
        _check_database(conn, verdict, confirmed, pending)
    except sqlite3.DatabaseError as exc:
        verdict.unreadable = f"{type(exc).__name__}: {exc}"
    finally:
        conn.close()
    return verdict


def _check_database(
    conn: sqlite3.Connection, verdict: Verdict, confirmed: dict, pending: set
) -> None:
    rows = conn.execute("PRAGMA integrity_check").fetchall()
    if [r[0] for r in rows] != ["ok"]:
        verdict.integrity = [r[0] for r in rows]
    verdict.integrity += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]

    events = conn.execute(
        "SELECT op_id, kind, ticket_id, machine FROM events WHERE kind IN (?, ?, ?, ?)",
        WORKLOAD_KINDS,
    ).fetchall()
    verdict.events = len(events)
    per_op = Counter(e[0] for e in events)
    event_of = {e[0]: e for e in events}
    for op, rec in confirmed.items():
        if per_op[op] == 0:
            verdict.lost.append(f"{rec['worker']} {rec['kind']} {op}")
        elif event_of[op][1] != rec["kind"] or event_of[op][2] != rec["ticket_id"]:
            verdict.mismatched.append(f"{rec['worker']} {rec['kind']} {op} → {event_of[op]}")
    verdict.doubled = sorted(op for op, n in per_op.items() if n > 1)
    verdict.phantom = sorted(
        f"{e[3]} {e[1]} {e[0]}" for e in events if e[0] not in pending and e[3] != "setup"
    )

    # Numbers twice in the table itself (only possible when the file's indexes are broken).
    for code, day, seq, n in conn.execute(
        "SELECT service_code, service_day, seq, COUNT(*) FROM tickets"
        " GROUP BY service_code, service_day, seq HAVING COUNT(*) > 1"
    ):
        verdict.duplicate_numbers.append(f"table: {day} {code}-{seq:03d} ×{n}")
    for (ticket_id,) in conn.execute(
        "SELECT ticket_id FROM events WHERE kind = 'call' GROUP BY ticket_id HAVING COUNT(*) > 1"
    ):
        verdict.called_twice.append(ticket_id)

    # All-or-nothing: every ticket's state matches exactly the events that made it.
    tickets = conn.execute(
        "SELECT id, number, status, first_called_at, started_at, ended_at FROM tickets"
    ).fetchall()
    verdict.tickets = len(tickets)
    kinds = Counter((e[2], e[1]) for e in events)
    for tid, number, status, called, started, ended in tickets:
        expected = {
            "issue": 1,
            "call": int(called is not None),
            "start": int(started is not None),
            "finish": int(status == "done"),
        }
        got = {k: kinds[(tid, k)] for k in WORKLOAD_KINDS}
        if got != expected:
            verdict.inconsistent.append(f"ticket {number} ({status}): events {got}")
        if status == "done" and not (called and started and ended):
            verdict.inconsistent.append(f"ticket {number} done without call/start/end times")
    known = {t[0] for t in tickets}
    for op, kind, tid, _machine in events:
        if tid not in known:
            verdict.inconsistent.append(f"event {kind} {op} for missing ticket {tid}")
