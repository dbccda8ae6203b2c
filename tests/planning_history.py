"""Hand-made histories for the planning tests: tickets written straight into the file.

Each visitor is one ticket row as the operations leave it after the day: issued at a
local time, called two minutes later, finished (or transferred, not present, never
called) after its service minutes. One write transaction for the whole history.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from shared.clock import local_ms
from shared.storage.store import Store

TZ = "Asia/Jakarta"


@dataclass
class Visit:
    day: date
    time: str  # HH:MM local
    service: str = "KS"
    minutes: float = 6.0  # counter time, from the call to the end
    status: str = "done"
    second: int = 0  # seconds after the minute, to spread equal times


def weekdays(first: date, last: date, weekday: int) -> list[date]:
    """Every ``weekday`` (0 = Monday) from ``first`` to ``last``."""
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    out = []
    while day <= last:
        out.append(day)
        day += timedelta(days=7)
    return out


def write(store: Store, visits: Iterable[Visit]) -> int:
    """Write ``visits`` as tickets (after any already there); return how many."""
    ordered = sorted(visits, key=lambda v: (v.day, v.time, v.second))

    def tx(conn) -> None:
        n = conn.execute("SELECT COALESCE(MAX(id), 0) FROM tickets").fetchone()[0]
        seqs = {
            (code, day): seq
            for code, day, seq in conn.execute(
                "SELECT service_code, service_day, MAX(seq) FROM tickets"
                " GROUP BY service_code, service_day"
            )
        }
        rows = []
        for v in ordered:
            n += 1
            key = (v.service, v.day.isoformat())
            seqs[key] = seqs.get(key, 0) + 1
            issued = local_ms(v.day, v.time, TZ) + v.second * 1000
            called = None if v.status in ("waiting", "unserved") else issued + 120_000
            ended = None if called is None else called + int(v.minutes * 60_000)
            rows.append(
                (
                    f"P{n:07d}",
                    v.service,
                    v.day.isoformat(),
                    seqs[key],
                    f"{v.service}-{seqs[key]:03d}",
                    v.status,
                    issued,
                    called,
                    called,
                    called,
                    ended if v.status != "no_show" else None,
                    ended if v.status == "no_show" else None,
                )
            )
        conn.executemany(
            "INSERT INTO tickets(code, service_code, service_day, seq, number, status,"
            " issued_at, first_called_at, called_at, started_at, ended_at, no_show_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )

    store.write(tx)
    return len(ordered)
