"""Heartbeats and clock-skew detection between the office PCs.

The PCs share no clock, only the database. Each program writes a heartbeat row every
few seconds: its machine, program, own wall clock and a global sequence number. When
machine A beats, every other machine B that has beaten since A's previous beat did so
at a real instant between A's two beats. So, with ``d = A.now - B.clock`` and
``g = A.now - A.previous``, the offset of A's clock against B's lies in
``[d - g, d]``; A stores the midpoint and the half-width. An offset beyond the
threshold (default 30 s) is a problem: the 10-minute clock uses several PCs' times.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from shared.office import settings
from shared.queue.operations import Operations
from shared.storage.rows import fetch_all, fetch_one


def beat(ops: Operations, status: dict[str, Any] | None = None, version: str = "") -> dict:
    """Write this program's heartbeat and its clock-offset estimates; return the row."""

    def tx(conn: sqlite3.Connection) -> dict[str, Any]:
        now = ops.clock.now_ms()
        seq = conn.execute("SELECT COALESCE(MAX(seq), 0) + 1 FROM heartbeats").fetchone()[0]
        mine = fetch_one(
            conn,
            "SELECT * FROM heartbeats WHERE machine = ? AND program = ?",
            (ops.machine, ops.program),
        )
        skew: dict[str, Any] = {}
        if mine is not None and now > mine["clock_at"]:
            gap = now - mine["clock_at"]
            others = fetch_all(
                conn,
                "SELECT machine, clock_at FROM heartbeats WHERE seq > ? AND machine != ?",
                (mine["seq"], ops.machine),
            )
            for other in others:
                d = now - other["clock_at"]
                estimate = {"offset_ms": d - gap // 2, "uncertainty_ms": gap // 2, "seq": seq}
                previous = skew.get(other["machine"])
                if previous is None or estimate["uncertainty_ms"] < previous["uncertainty_ms"]:
                    skew[other["machine"]] = estimate
        conn.execute(
            "INSERT INTO heartbeats(machine, program, seq, clock_at, status, skew, version)"
            " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(machine, program) DO UPDATE SET"
            " seq = excluded.seq, clock_at = excluded.clock_at, status = excluded.status,"
            " skew = CASE WHEN excluded.skew = '{}' THEN heartbeats.skew ELSE excluded.skew END,"
            " version = excluded.version",
            (
                ops.machine,
                ops.program,
                seq,
                now,
                json.dumps(status or {}),
                json.dumps(skew),
                version,
            ),
        )
        return fetch_one(
            conn,
            "SELECT * FROM heartbeats WHERE machine = ? AND program = ?",
            (ops.machine, ops.program),
        )

    return ops.store.write(tx)


def skew_report(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Pairs of machines whose clocks differ by more than the threshold, surely.

    Each item: ``machine``, ``other``, ``offset_ms`` (machine minus other),
    ``uncertainty_ms``. Only offsets whose whole uncertainty range is beyond the
    threshold are reported.
    """
    threshold = settings.get(conn, "clock_skew_threshold_seconds") * 1000
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for row in fetch_all(conn, "SELECT machine, skew FROM heartbeats"):
        for other, est in json.loads(row["skew"]).items():
            if abs(est["offset_ms"]) - est["uncertainty_ms"] > threshold:
                key = (row["machine"], other)
                if key not in found or est["uncertainty_ms"] < found[key]["uncertainty_ms"]:
                    found[key] = {"machine": row["machine"], "other": other, **est}
    return sorted(found.values(), key=lambda r: -abs(r["offset_ms"]))


def machines(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every program's last heartbeat, newest sequence first (status decoded)."""
    rows = fetch_all(conn, "SELECT * FROM heartbeats ORDER BY seq DESC")
    for row in rows:
        row["status"] = json.loads(row["status"])
        row["skew"] = json.loads(row["skew"])
    return rows
