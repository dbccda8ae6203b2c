"""What the console shows, read in one short transaction (no Qt).

The console never queries from a widget: a worker thread calls :func:`read_snapshot`
inside :meth:`Store.read` and hands the frozen result to the window, which only formats
it. Live countdowns between two reads are recomputed with :func:`at_instant`.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field, replace
from typing import Any

from counter import texts
from shared.clock import service_day
from shared.office import settings
from shared.queue import dayclose, heartbeat, queries, supervision, target
from shared.queue.rules import ACTIVE_STATES


@dataclass(frozen=True)
class QueueEntry:
    """A waiting ticket in the order this counter will call it."""

    ticket: dict[str, Any]
    position: int
    # The first ticket of its own service queue: its 10-minute clock may be running.
    is_head: bool
    head_target: target.Target | None


# The console warns of the day's end from this long before the services close.
DAY_END_NOTICE_MS = 15 * 60_000


@dataclass(frozen=True)
class DayEnd:
    """When today's service ends for this console, and what closing the day did.

    ``closing_at``: when the last of the services this console calls stops (None: no
    scheduled hours today); ``cutoff_at``: when the day is closed automatically (the last
    closing + the grace); ``waiting``: visitors still waiting that closing would leave
    unserved (this counter's queue, or the whole office without a counter); ``closed``:
    the summary of closing today (:func:`shared.queue.dayclose.last_close`), once it happened.
    """

    closing_at: int | None
    cutoff_at: int
    waiting: int = 0
    closed: dict[str, Any] | None = None


@dataclass(frozen=True)
class Snapshot:
    at: int
    day: str
    office: dict[str, Any]
    officers: list[dict[str, Any]]
    counters: list[dict[str, Any]]
    services: list[dict[str, Any]]
    counter: dict[str, Any] | None = None
    current: dict[str, Any] | None = None
    queue: list[QueueEntry] = field(default_factory=list)
    # No-show tickets of this counter still inside the grace window: they may be put back.
    returnable: list[dict[str, Any]] = field(default_factory=list)
    printer_problems: list[dict[str, Any]] = field(default_factory=list)
    # Waiting-room displays that beat recently and say their voice is unavailable.
    voice_problems: list[str] = field(default_factory=list)
    clock_skew: list[dict[str, Any]] = field(default_factory=list)
    supervision: supervision.Overview | None = None
    # Every pair of PCs whose clocks differ (read with the supervision overview only).
    office_clock_skew: list[dict[str, Any]] = field(default_factory=list)
    # For the administrator's Pengaturan page: every service, counter and officer,
    # inactive ones too (read only while that page is shown).
    administration: dict[str, Any] | None = None
    # When a service day was last closed (in the last 24 hours): officers still logged
    # in from before it are logged out by their console.
    day_closed_at: int | None = None
    # What that close did (shared.queue.dayclose.latest_close): its day may be yesterday's.
    closed_summary: dict[str, Any] | None = None
    day_end: DayEnd | None = None
    # Another counter the logged-in officer holds now (they moved there from another PC).
    elsewhere: str | None = None

    @property
    def recall_limit(self) -> int:
        return int(self.office["recall_limit"])

    def service_name(self, code: str) -> str:
        for service in self.services:
            if service["code"] == code:
                return texts.service_name(service)
        return code


def at_instant(value: target.Target | None, now: int) -> target.Target | None:
    """Move a running countdown to instant ``now`` without reading the database again."""
    if value is None or value.state != target.RUNNING or value.deadline_at is None:
        return value
    span = value.deadline_at - value.clock_start_at
    elapsed = max(0, now - value.clock_start_at)
    return replace(value, remaining_ms=value.deadline_at - now, fraction=elapsed / span)


def read_snapshot(
    conn: sqlite3.Connection,
    now: int,
    *,
    counter_id: int | None,
    machine: str,
    with_supervision: bool = False,
    with_administration: bool = False,
    viewer_role: str | None = None,
    officer_id: int | None = None,
) -> Snapshot:
    """Read everything one console screen needs at instant ``now``.

    ``viewer_role`` is the logged-in person's role: it decides what the supervision
    overview may include (integrity answers only for the head of office).
    """
    office = settings.get_all(conn)
    day = service_day(now, office["timezone"])
    counters = queries.counters(conn)
    skew = heartbeat.skew_report(conn)
    snapshot = Snapshot(
        at=now,
        day=day,
        office=office,
        officers=[o for o in queries.officers(conn) if o["active"]],
        counters=counters,
        services=queries.services(conn),
        printer_problems=_printer_problems(conn),
        voice_problems=_voice_problems(conn, now),
        clock_skew=[s for s in skew if machine in (s["machine"], s["other"])],
    )
    counter = next((c for c in counters if c["id"] == counter_id), None)
    if counter is None or counter["status"] == "closed":
        # Only a closed counter (or none) can mean the day was closed under its officer;
        # an open one skips this scan of the day's events on every refresh.
        since = now - 86_400_000
        closed_at = queries.day_closed_since(conn, since)
        snapshot = replace(
            snapshot,
            day_closed_at=closed_at,
            closed_summary=dayclose.latest_close(conn, since, office) if closed_at else None,
        )
    if counter is not None and officer_id is not None and counter["status"] == "closed":
        other = next(
            (
                c["name"]
                for c in counters
                if c["officer_id"] == officer_id and c["status"] != "closed" and c is not counter
            ),
            None,
        )
        snapshot = replace(snapshot, elsewhere=other)
    if counter is not None:
        snapshot = replace(
            snapshot,
            counter=counter,
            current=_current(conn, counter),
            queue=_queue(conn, now, day, office, counter),
            returnable=_returnable(conn, now, day, office, counter["id"]),
        )
    snapshot = replace(snapshot, day_end=_day_end(conn, now, day, office, snapshot))
    if with_supervision:
        snapshot = replace(
            snapshot,
            supervision=supervision.overview(conn, now, viewer_role=viewer_role),
            office_clock_skew=skew,
        )
    if with_administration:
        snapshot = replace(
            snapshot,
            administration={
                "services": snapshot.services,
                "counters": queries.all_counters(conn),
                "officers": queries.officers(conn),
            },
        )
    return snapshot


def _day_end(
    conn: sqlite3.Connection, now: int, day: str, office: dict[str, Any], snapshot: Snapshot
) -> DayEnd:
    counter = snapshot.counter
    codes = counter["services"] if counter is not None else None
    closing = dayclose.closing_at(conn, day, office, codes)
    cutoff = dayclose.cutoff_ms(conn, day, office)
    near = now >= min(closing if closing is not None else cutoff, cutoff) - DAY_END_NOTICE_MS
    if not near and counter is not None and counter["status"] != "closed":
        # Most of the day: nothing to read (an open counter's refreshes stay cheap).
        return DayEnd(closing, cutoff)
    if counter is not None:
        waiting = len(snapshot.queue)
    else:
        waiting = conn.execute(
            "SELECT COUNT(*) FROM tickets WHERE status = 'waiting' AND service_day = ?", (day,)
        ).fetchone()[0]
    return DayEnd(closing, cutoff, waiting, dayclose.last_close(conn, day, office))


def _current(conn: sqlite3.Connection, counter: dict[str, Any]) -> dict[str, Any] | None:
    if counter["current"] is None:
        return None
    detail = queries.ticket_detail(conn, counter["current"]["id"])
    if detail is not None and detail["status"] not in ACTIVE_STATES:
        return None
    return detail


def _queue(
    conn: sqlite3.Connection, now: int, day: str, office: dict[str, Any], counter: dict[str, Any]
) -> list[QueueEntry]:
    services = {s["code"]: s for s in queries.services(conn, active_only=True)}
    codes = [code for code in counter["services"] if code in services]
    order = queries.predicted_queue(conn, codes, day, office)
    heads: dict[int, target.Target] = {}
    for code in codes:
        own = [t for t in queries.predicted_queue(conn, [code], day, office)]
        if own:
            heads[own[0]["id"]] = queries.head_target(conn, services[code], own[0], office, now)
    return [
        QueueEntry(
            ticket=t, position=i + 1, is_head=t["id"] in heads, head_target=heads.get(t["id"])
        )
        for i, t in enumerate(order)
    ]


def _returnable(
    conn: sqlite3.Connection, now: int, day: str, office: dict[str, Any], counter_id: int
) -> list[dict[str, Any]]:
    grace_ms = int(office["no_show_grace_minutes"]) * 60_000
    return queries.no_shows_since(conn, counter_id, day, now - grace_ms)


def _printer_problems(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Kiosks whose last heartbeat reports a printer that is not ``ok``."""
    problems = []
    for row in heartbeat.machines(conn):
        status = row["status"] if isinstance(row["status"], dict) else {}
        printer = status.get("printer")
        if printer is not None and printer != "ok":
            params = status.get("printer_params")
            problems.append(
                {
                    "machine": row["machine"],
                    "printer": str(printer),
                    # The kiosk's own sentence, shown in this console's language.
                    "msgid": str(status.get("printer_msgid") or ""),
                    "params": params if isinstance(params, dict) else {},
                }
            )
    return problems


# A display that has not beaten for this long is off, not mute: say nothing about its voice.
VOICE_REPORT_MS = 120_000


def _voice_problems(conn: sqlite3.Connection, now: int) -> list[str]:
    """Machines whose display says, in a recent heartbeat, that its voice is unavailable."""
    return [
        row["machine"]
        for row in heartbeat.machines(conn)
        if isinstance(row["status"], dict)
        and row["status"].get("voice") == "unavailable"
        and now - row["clock_at"] <= VOICE_REPORT_MS
    ]
