"""The supervisor's numbers: counters, queues, the day's compliance and what is coming.

Plain Python over an open connection (call inside :meth:`Store.read`), so the console's
supervisor view, reports and tests all see the same figures. Everything is computed from
the tickets, counters and ratings tables with the one 10-minute rule of
:mod:`shared.queue.target`.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from shared.clock import day_bounds_ms, service_day
from shared.office import servicehours, settings
from shared.queue import heartbeat, queries, target
from shared.storage.rows import fetch_all, fetch_one

# Integrity answers (a gratuity asked, an illegal charge) name an officer. They go to the
# head of office only — the administrator role — never to a supervisor or an officer, who
# may be the very person named; the kiosk promises the visitor as much.
INTEGRITY_ROLES = ("admin",)


def may_see_integrity(role: str | None) -> bool:
    """Whether a person of ``role`` may read the integrity answers of ratings."""
    return role in INTEGRITY_ROLES


@dataclass(frozen=True)
class CounterState:
    """One counter as the supervisor sees it."""

    id: int
    name: str
    status: str
    officer_name: str | None
    pause_reason: str | None
    services: tuple[str, ...]
    current_number: str | None
    current_status: str | None
    # Time since the counter last had something to do; None unless open and free.
    idle_ms: int | None


@dataclass(frozen=True)
class QueueState:
    """One service queue: how long it is and how its head stands against the target."""

    service_code: str
    service_name: str
    active: bool
    target_minutes: int
    length: int
    oldest_wait_ms: int
    head_number: str | None
    head_target: target.Target | None
    open_counters: int
    avg_service_minutes: float


@dataclass(frozen=True)
class Compliance:
    """The day's 10-minute target so far, over the visitors already called."""

    called: int
    met: int
    # Waiting visitors at the head of a queue whose deadline has already passed.
    overdue_waiting: int

    @property
    def missed(self) -> int:
        return self.called - self.met

    @property
    def percent(self) -> float | None:
        """Share of called visitors who met the target, or None before the first call."""
        return None if self.called == 0 else 100.0 * self.met / self.called


@dataclass(frozen=True)
class Forecast:
    """Visitors now waiting who will, at the current pace, be called past their deadline."""

    breaches: tuple[str, ...] = ()
    target_minutes: int = 10

    @property
    def count(self) -> int:
        return len(self.breaches)


@dataclass(frozen=True)
class Overview:
    at: int
    day: str
    counters: list[CounterState]
    queues: list[QueueState]
    compliance: Compliance
    flagged: list[dict[str, Any]] = field(default_factory=list)
    forecast: Forecast = field(default_factory=Forecast)
    # False when the viewer may not see integrity answers: ``flagged`` is then empty
    # because it was never read, not because nobody answered yes.
    integrity_visible: bool = False
    # Programs that reset their screen after an unexpected error today (screen_resets()).
    screen_resets: list[dict[str, Any]] = field(default_factory=list)


def counter_states(conn: sqlite3.Connection, now: int, day: str) -> list[CounterState]:
    """Every active counter with its officer, status, current ticket and idle time.

    A counter is idle when it is open and has no called or serving ticket; idle time runs
    from the later of its last status change and the end of its last ticket today.
    """
    out = []
    for row in queries.counters(conn):
        current = row["current"]
        idle_ms = None
        if row["status"] == "open" and current is None:
            last_end = conn.execute(
                "SELECT MAX(ended_at) FROM tickets WHERE counter_id = ? AND service_day = ?",
                (row["id"], day),
            ).fetchone()[0]
            since = max(v for v in (row["status_at"], last_end, 0) if v is not None)
            idle_ms = max(0, now - since) if since else None
        out.append(
            CounterState(
                id=row["id"],
                name=row["name"],
                status=row["status"],
                officer_name=row["officer_name"] if row["status"] != "closed" else None,
                pause_reason=row["pause_reason"],
                services=tuple(row["services"]),
                current_number=current["number"] if current else None,
                current_status=current["status"] if current else None,
                idle_ms=idle_ms,
            )
        )
    return out


def queue_states(conn: sqlite3.Connection, now: int) -> list[QueueState]:
    """Every service (closed ones too, so they can be reopened) with its queue figures."""
    overview = {q["service"]["code"]: q for q in queries.queue_overview(conn, now)}
    out = []
    for service in queries.services(conn):
        q = overview.get(service["code"])
        waiting = q["waiting"] if q else []
        out.append(
            QueueState(
                service_code=service["code"],
                service_name=service["name_id"],
                active=bool(service["active"]),
                target_minutes=service["target_minutes"],
                length=len(waiting),
                oldest_wait_ms=q["oldest_wait_ms"] if q else 0,
                head_number=waiting[0]["number"] if waiting else None,
                head_target=q["head_target"] if q else None,
                open_counters=q["open_counters"] if q else 0,
                avg_service_minutes=q["avg_service_minutes"] if q else 0.0,
            )
        )
    return out


def compliance(conn: sqlite3.Connection, day: str, queues: list[QueueState]) -> Compliance:
    """Count the day's decided tickets: met / (met + missed), as every report does.

    A ticket's outcome is fixed when it is first called, or when the day is closed for
    a ticket that was never called (missed when its deadline passed while it waited).
    """
    called, met = conn.execute(
        "SELECT COUNT(*), COALESCE(SUM(target_met), 0) FROM tickets"
        " WHERE service_day = ? AND target_met IS NOT NULL",
        (day,),
    ).fetchone()
    overdue = sum(
        1 for q in queues if q.head_target is not None and q.head_target.level == "breached"
    )
    return Compliance(called=called, met=met, overdue_waiting=overdue)


def flagged_ratings(
    conn: sqlite3.Connection, day: str, tz: str, *, viewer_role: str | None
) -> list[dict[str, Any]]:
    """Today's ratings with a *yes* to an integrity question (gratification, extortion).

    Empty unless ``viewer_role`` may see them (:func:`may_see_integrity`).
    """
    if not may_see_integrity(viewer_role):
        return []
    start, end = day_bounds_ms(day, tz)
    return fetch_all(
        conn,
        "SELECT r.id, r.created_at, r.score, r.gratification, r.extortion, r.comment,"
        " t.number, c.name AS counter_name, o.full_name AS officer_name"
        " FROM ratings r JOIN tickets t ON t.id = r.ticket_id"
        " LEFT JOIN counters c ON c.id = r.counter_id"
        " LEFT JOIN officers o ON o.id = r.officer_id"
        " WHERE r.flagged = 1 AND r.created_at >= ? AND r.created_at < ?"
        " ORDER BY r.created_at DESC",
        (start, end),
    )


@dataclass
class _SimCounter:
    free_at: int
    services: frozenset[str]


def simulate_breaches(
    now: int,
    waiting: list[dict[str, Any]],
    counters: list[tuple[int, frozenset[str]]],
    ahead_end: dict[str, int],
    service_minutes: dict[str, float],
    target_minutes: dict[str, int],
    opening: dict[str, int | None],
) -> list[dict[str, Any]]:
    """Return the waiting tickets that will be called past their deadline at this pace.

    ``waiting`` is in call order; ``counters`` are the open counters as (free at, services);
    ``ahead_end`` maps a service to when its last called ticket ended or will end (a
    service missing from it has had no call today, so its first clock starts at
    ``opening``). Each free counter calls the first waiting ticket it serves and keeps it
    for the service's mean service time. A ticket that no open counter serves is counted:
    nobody will call it.
    """
    sim = sorted(
        (_SimCounter(max(now, free_at), services) for free_at, services in counters),
        key=lambda c: c.free_at,
    )
    ends = dict(ahead_end)
    pending = list(waiting)
    late: list[dict[str, Any]] = []
    while pending:
        served = {code for c in sim for code in c.services}
        orphans = [t for t in pending if t["service_code"] not in served]
        late.extend(orphans)
        pending = [t for t in pending if t["service_code"] in served]
        if not pending:
            break
        codes = {t["service_code"] for t in pending}
        counter = min((c for c in sim if c.services & codes), key=lambda c: c.free_at)
        ticket = next(t for t in pending if t["service_code"] in counter.services)
        pending.remove(ticket)
        code, called_at = ticket["service_code"], counter.free_at
        if code in ends:
            start = target.clock_start(ticket["issued_at"], True, ends[code], None)
            ahead_still_served = ends[code] > called_at
        else:
            start = target.clock_start(ticket["issued_at"], False, None, opening.get(code))
            ahead_still_served = False
        deadline = start + target_minutes[code] * 60_000
        if not ahead_still_served and called_at > deadline:
            late.append(ticket)
        duration = int(service_minutes[code] * 60_000)
        ends[code] = called_at + duration
        counter.free_at = called_at + duration
    return late


def forecast(conn: sqlite3.Connection, now: int, office: dict[str, Any]) -> Forecast:
    """Predict how many waiting visitors will miss the target with the counters now open."""
    day = service_day(now, office["timezone"])
    services = {s["code"]: s for s in queries.services(conn, active_only=True)}
    if not services:
        return Forecast()
    recent = queries.recent_service_minutes(conn)
    minutes = {code: recent.get(code, queries.DEFAULT_SERVICE_MINUTES) for code in services}
    waiting = queries.predicted_queue(conn, list(services), day, office)
    if not waiting:
        return Forecast(target_minutes=min(s["target_minutes"] for s in services.values()))
    counters = []
    for row in queries.counters(conn):
        if row["status"] != "open":
            continue
        free_at = now
        current = row["current"]
        if current is not None:
            ticket = fetch_one(
                conn, "SELECT service_code FROM tickets WHERE id = ?", (current["id"],)
            )
            began = current["started_at"] or current["called_at"]
            free_at = max(now, began + int(minutes.get(ticket["service_code"], 8.0) * 60_000))
        counters.append((free_at, frozenset(row["services"]) & frozenset(services)))
    ahead_end: dict[str, int] = {}
    opening: dict[str, int | None] = {}
    for code, service in services.items():
        hours = json.loads(service["hours"]) if service["hours"] else None
        opening[code] = servicehours.opening_ms(day, office, hours)
        last = queries.ahead_call(conn, code, day)
        if last is None:
            continue
        if last["ended_at"] is None:
            ahead_end[code] = max(now, last["called_at"] + int(minutes[code] * 60_000))
        else:
            ahead_end[code] = last["ended_at"]
    late = simulate_breaches(
        now,
        waiting,
        counters,
        ahead_end,
        minutes,
        {code: s["target_minutes"] for code, s in services.items()},
        opening,
    )
    late_minutes = [services[t["service_code"]]["target_minutes"] for t in late]
    return Forecast(
        breaches=tuple(t["number"] for t in late),
        target_minutes=min(late_minutes or [s["target_minutes"] for s in services.values()]),
    )


def overview(conn: sqlite3.Connection, now: int, *, viewer_role: str | None = None) -> Overview:
    """Compute every number of the supervisor view at instant ``now``.

    ``viewer_role`` is the role of the person looking; integrity answers are included
    only for the roles of :data:`INTEGRITY_ROLES`.
    """
    office = settings.get_all(conn)
    day = service_day(now, office["timezone"])
    queues = queue_states(conn, now)
    return Overview(
        at=now,
        day=day,
        counters=counter_states(conn, now, day),
        queues=queues,
        compliance=compliance(conn, day, queues),
        flagged=flagged_ratings(conn, day, office["timezone"], viewer_role=viewer_role),
        forecast=forecast(conn, now, office),
        integrity_visible=may_see_integrity(viewer_role),
        screen_resets=screen_resets(conn, day),
    )


def screen_resets(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    """Programs that reset their screen after an unexpected error on ``day``, and how often.

    Read from each program's last heartbeat (``screen_resets`` of its
    ``screen_resets_day``); items ``machine``, ``program``, ``count``, by machine.
    """
    found = []
    for row in heartbeat.machines(conn):
        status = row["status"] if isinstance(row["status"], dict) else {}
        count = status.get("screen_resets")
        if status.get("screen_resets_day") == day and isinstance(count, int) and count > 0:
            found.append({"machine": row["machine"], "program": row["program"], "count": count})
    return sorted(found, key=lambda r: (r["machine"], r["program"]))
