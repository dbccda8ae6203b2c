"""The queue's read side: what screens and reports show.

Functions take an open connection (inside :meth:`Store.read`) and return plain dicts,
so the same numbers reach the console, the display, the kiosk and ``pst-admin``.
"""

from __future__ import annotations

import json
import math
import sqlite3
from typing import Any

from shared.clock import service_day
from shared.office import servicehours, settings
from shared.queue import rules, target, ticketcode
from shared.queue.privacy import mask_email, mask_phone
from shared.queue.validation import normalise_phone
from shared.storage.rows import fetch_all, fetch_one

# The service time assumed before a service has any finished visit to learn from.
DEFAULT_SERVICE_MINUTES = 8.0


def waiting_tickets(conn: sqlite3.Connection, codes: list[str], day: str) -> list[dict[str, Any]]:
    """Today's waiting tickets of the given services, in arrival order."""
    if not codes:
        return []
    marks = ", ".join("?" for _ in codes)
    return fetch_all(
        conn,
        f"SELECT * FROM tickets WHERE service_day = ? AND status = 'waiting'"
        f" AND service_code IN ({marks}) ORDER BY issued_at, id",
        (day, *codes),
    )


def call_history(conn: sqlite3.Connection, codes: list[str], day: str) -> list[bool]:
    """For today's calls in these services (oldest first): was each a priority ticket?"""
    if not codes:
        return []
    marks = ", ".join("?" for _ in codes)
    rows = conn.execute(
        f"SELECT priority_group IS NOT NULL FROM tickets WHERE service_day = ?"
        f" AND service_code IN ({marks}) AND first_called_at IS NOT NULL"
        f" ORDER BY first_called_at, id",
        (day, *codes),
    ).fetchall()
    return [bool(r[0]) for r in rows]


def predicted_queue(
    conn: sqlite3.Connection, codes: list[str], day: str, office: dict[str, Any]
) -> list[dict[str, Any]]:
    """Waiting tickets of ``codes`` in the order they will be called."""
    return rules.predicted_order(
        waiting_tickets(conn, codes, day),
        call_history(conn, codes, day),
        office["regular_per_priority"],
        office["priority_max_streak"],
    )


def open_counters(conn: sqlite3.Connection, service_code: str) -> int:
    return conn.execute(
        "SELECT COUNT(*) FROM counters c JOIN counter_services cs ON cs.counter_id = c.id"
        " WHERE cs.service_code = ? AND c.status = 'open' AND c.active = 1",
        (service_code,),
    ).fetchone()[0]


# The service-time estimate learns from the office's newest finished visits only: one
# short walk at the end of an index, whatever the years of history behind it.
RECENT_FINISHED = 200
PER_SERVICE = 20


def recent_service_minutes(conn: sqlite3.Connection) -> dict[str, float]:
    """Mean service time per service over its last 20 of the office's last 200 visits.

    A service missing from the result has no finished visit in that window; callers
    use :data:`DEFAULT_SERVICE_MINUTES` for it.
    """
    rows = conn.execute(
        "SELECT service_code, ended_at - COALESCE(started_at, called_at) FROM tickets"
        " WHERE status = 'done' AND ended_at IS NOT NULL ORDER BY ended_at DESC LIMIT ?",
        (RECENT_FINISHED,),
    ).fetchall()
    durations: dict[str, list[int]] = {}
    for code, duration in rows:
        if duration is not None and duration >= 0:
            mine = durations.setdefault(code, [])
            if len(mine) < PER_SERVICE:
                mine.append(duration)
    return {code: sum(d) / len(d) / 60_000 for code, d in durations.items()}


def average_service_minutes(conn: sqlite3.Connection, service_code: str) -> float:
    """Mean service time of the service's recent finished visits (a default if none)."""
    return recent_service_minutes(conn).get(service_code, DEFAULT_SERVICE_MINUTES)


def estimate_minutes(people_ahead: int, avg_minutes: float, counters: int) -> int:
    """Estimated wait: the people ahead shared over the open counters."""
    return math.ceil(people_ahead * avg_minutes / max(1, counters))


def position(
    conn: sqlite3.Connection, ticket: dict[str, Any], office: dict[str, Any]
) -> dict[str, Any]:
    """People ahead of a waiting ticket in its queue and the estimated wait."""
    order = predicted_queue(conn, [ticket["service_code"]], ticket["service_day"], office)
    ids = [t["id"] for t in order]
    ahead = ids.index(ticket["id"]) if ticket["id"] in ids else 0
    avg = average_service_minutes(conn, ticket["service_code"])
    counters = open_counters(conn, ticket["service_code"])
    return {"ahead": ahead, "estimate_minutes": estimate_minutes(ahead, avg, counters)}


def find_ticket(
    conn: sqlite3.Connection, text: str, office: dict[str, Any], now: int
) -> dict[str, Any] | None:
    """Find a ticket by its QR code, or by today's number (``KS-003`` / ``ks3``)."""
    key = ticketcode.extract(text) or "".join(ch for ch in str(text).upper() if ch.isalnum())
    if not key:
        return None
    found = fetch_one(conn, "SELECT * FROM tickets WHERE code = ?", (key,))
    if found:
        return found
    letters = "".join(ch for ch in key if ch.isalpha())
    digits = key[len(letters) :]
    if letters and digits.isdigit():
        return fetch_one(
            conn,
            "SELECT * FROM tickets WHERE service_code = ? AND seq = ? AND service_day = ?",
            (letters, int(digits), service_day(now, office["timezone"])),
        )
    return None


def services(conn: sqlite3.Connection, *, active_only: bool = False) -> list[dict[str, Any]]:
    where = "WHERE active = 1" if active_only else ""
    return fetch_all(conn, f"SELECT * FROM services {where} ORDER BY sort_order, code")


def counters(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Active counters with their services, officer and current ticket."""
    rows = fetch_all(
        conn,
        "SELECT c.*, o.full_name AS officer_name FROM counters c"
        " LEFT JOIN officers o ON o.id = c.officer_id WHERE c.active = 1 ORDER BY c.id",
    )
    links = conn.execute(
        "SELECT counter_id, service_code FROM counter_services ORDER BY service_code"
    ).fetchall()
    current = {
        r["counter_id"]: r
        for r in fetch_all(
            conn,
            "SELECT id, counter_id, number, status, called_at, started_at FROM tickets"
            " WHERE status IN ('called', 'serving') AND counter_id IS NOT NULL",
        )
    }
    for row in rows:
        row["services"] = [code for cid, code in links if cid == row["id"]]
        row["current"] = current.get(row["id"])
    return rows


def officers(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return fetch_all(
        conn,
        "SELECT id, username, full_name, role, active, locked_until FROM officers"
        " ORDER BY full_name",
    )


def ticket_detail(conn: sqlite3.Connection, ticket_id: int) -> dict[str, Any] | None:
    """A ticket with its guest-book record and the visitor's earlier visits.

    Personal data: for the officer serving the visitor and supervisors only.
    """
    ticket = fetch_one(conn, "SELECT * FROM tickets WHERE id = ?", (ticket_id,))
    if ticket is None:
        return None
    ticket["visitor"] = None
    ticket["visit"] = None
    ticket["earlier_visits"] = 0
    if ticket["visit_id"]:
        visit = fetch_one(conn, "SELECT * FROM visits WHERE id = ?", (ticket["visit_id"],))
        ticket["visit"] = visit
        ticket["visitor"] = fetch_one(
            conn, "SELECT * FROM visitors WHERE id = ?", (visit["visitor_id"],)
        )
        ticket["earlier_visits"] = conn.execute(
            "SELECT COUNT(*) FROM visits WHERE visitor_id = ? AND id < ?",
            (visit["visitor_id"], visit["id"]),
        ).fetchone()[0]
    return ticket


# What a returning visitor's guest book is filled with: what they would type again.
# Purpose and topic belong to a visit, not to the person, and are asked anew.
PREFILL_FIELDS = (
    "name",
    "sex",
    "birth_year",
    "education",
    "occupation",
    "institution_category",
    "institution_name",
)


def find_visitor(
    conn: sqlite3.Connection, *, email: str = "", phone: str = "", ticket_code: str = ""
) -> dict[str, Any] | None:
    """A returning visitor who proved two details, with only the fields to pre-fill.

    Either ``email`` *and* ``phone`` both match one record, or ``ticket_code`` is the
    private code of one of the visitor's own tickets (from the QR or the slip; the public
    number is not accepted). One detail alone finds nothing. Returns
    :data:`PREFILL_FIELDS`, the contact details (``email``, ``phone``: for issuing the
    ticket, never for showing) and their masked forms ``email_masked``/``phone_masked``.
    Anonymised records are never returned.
    """
    code = ticketcode.extract(ticket_code) or "".join(
        ch for ch in str(ticket_code).upper() if ch.isalnum()
    )
    email = email.strip().lower()
    phone = normalise_phone(phone.strip())
    if code:
        visitor = fetch_one(
            conn,
            "SELECT v.* FROM tickets t JOIN visits s ON s.id = t.visit_id"
            " JOIN visitors v ON v.id = s.visitor_id"
            " WHERE t.code = ? AND v.anonymised_at IS NULL",
            (code,),
        )
    elif email and phone:
        visitor = fetch_one(
            conn,
            "SELECT * FROM visitors WHERE anonymised_at IS NULL AND email = ? AND phone = ?"
            " ORDER BY updated_at DESC LIMIT 1",
            (email, phone),
        )
    else:
        return None
    if visitor is None:
        return None
    found = {key: visitor[key] for key in PREFILL_FIELDS}
    found["email"] = visitor["email"] or ""
    found["phone"] = visitor["phone"] or ""
    found["email_masked"] = mask_email(found["email"])
    found["phone_masked"] = mask_phone(found["phone"])
    return found


def ticket_by_code(conn: sqlite3.Connection, code: str) -> dict[str, Any] | None:
    """A ticket by its private code only (the QR), never by its public number.

    ``code`` may be the status page's address of the ticket, as its QR holds it.
    """
    key = ticketcode.extract(code) or "".join(ch for ch in str(code).upper() if ch.isalnum())
    if not key:
        return None
    return fetch_one(conn, "SELECT * FROM tickets WHERE code = ?", (key,))


def ahead_call(
    conn: sqlite3.Connection, service_code: str, day: str, before_seq: int | None = None
) -> dict[str, Any] | None:
    """The call that is the "visitor ahead": the last in-order call of a service's day.

    ``before_seq`` limits it to calls made before that call; without it, the last one
    so far (the visitor ahead of whoever waits at the head of the queue now). A call's
    ``ended_at`` is written once, so a requeue or a second call never moves it.
    """
    return fetch_one(
        conn,
        "SELECT ticket_id, call_seq, called_at, ended_at FROM calls WHERE service_code = ?"
        " AND service_day = ? AND in_order = 1 AND call_seq < ? ORDER BY call_seq DESC LIMIT 1",
        (service_code, day, before_seq if before_seq is not None else 2**62),
    )


def head_target(
    conn: sqlite3.Connection,
    service: dict[str, Any],
    head: dict[str, Any],
    office: dict[str, Any],
    now: int,
) -> target.Target:
    """Live 10-minute target of the ticket at the head of a service queue."""
    ahead = ahead_call(conn, service["code"], head["service_day"])
    hours = json.loads(service["hours"]) if service["hours"] else None
    opening = servicehours.opening_ms(head["service_day"], office, hours)
    return target.live(
        now,
        head["issued_at"],
        service["target_minutes"],
        ahead is not None,
        ahead["ended_at"] if ahead else None,
        opening,
    )


def queue_overview(conn: sqlite3.Connection, now: int) -> list[dict[str, Any]]:
    """Per active service: the waiting tickets in call order and the head's live target."""
    office = settings.get_all(conn)
    day = service_day(now, office["timezone"])
    minutes = recent_service_minutes(conn)
    out = []
    for service in services(conn, active_only=True):
        order = predicted_queue(conn, [service["code"]], day, office)
        avg = minutes.get(service["code"], DEFAULT_SERVICE_MINUTES)
        n_open = open_counters(conn, service["code"])
        head = order[0] if order else None
        out.append(
            {
                "service": service,
                "waiting": order,
                "head_target": head_target(conn, service, head, office, now) if head else None,
                "open_counters": n_open,
                "avg_service_minutes": avg,
                "estimate_minutes": estimate_minutes(len(order), avg, n_open),
                "oldest_wait_ms": max((now - t["issued_at"] for t in order), default=0),
            }
        )
    return out


def recent_calls(
    conn: sqlite3.Connection, after_event_id: int = 0, limit: int = 20
) -> list[dict[str, Any]]:
    """Calls and recalls (newest last) — what the waiting-room display announces.

    Only the number and the counter: never anything from the guest book.
    """
    rows = fetch_all(
        conn,
        "SELECT e.id AS event_id, e.kind, e.at, t.number, t.service_code, c.name AS counter,"
        " c.id AS counter_id FROM events e JOIN tickets t ON t.id = e.ticket_id"
        " JOIN counters c ON c.id = e.counter_id WHERE e.kind IN ('call', 'recall')"
        " AND e.id > ? ORDER BY e.id DESC LIMIT ?",
        (after_event_id, limit),
    )
    return list(reversed(rows))


def no_shows_since(
    conn: sqlite3.Connection, counter_id: int, day: str, since: int
) -> list[dict[str, Any]]:
    """A counter's visitors marked not present since ``since`` (they may be put back)."""
    return fetch_all(
        conn,
        "SELECT id, number, service_code, no_show_at, recall_count FROM tickets"
        " WHERE status = 'no_show' AND counter_id = ? AND service_day = ? AND no_show_at >= ?"
        " ORDER BY no_show_at DESC",
        (counter_id, day, since),
    )


def day_tickets(conn: sqlite3.Connection, day: str) -> list[dict[str, Any]]:
    return fetch_all(
        conn, "SELECT * FROM tickets WHERE service_day = ? ORDER BY service_code, seq", (day,)
    )


def ticket_rating(conn: sqlite3.Connection, ticket_id: int) -> dict[str, Any] | None:
    """The visitor's rating of a ticket, or None while it has not been rated."""
    return fetch_one(conn, "SELECT * FROM ratings WHERE ticket_id = ?", (ticket_id,))


def all_counters(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Every counter, inactive ones too, with its services (for the administrator)."""
    rows = fetch_all(conn, "SELECT id, name, status, active FROM counters ORDER BY id")
    links = conn.execute(
        "SELECT counter_id, service_code FROM counter_services ORDER BY service_code"
    ).fetchall()
    for row in rows:
        row["services"] = [code for cid, code in links if cid == row["id"]]
    return rows


def call_outcomes(conn: sqlite3.Connection, event_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Where each call stands now, by call event id: for the display's "now calling".

    Each value: ``ticket_status``, ``ended_at``, ``counter_status`` (of the counter that
    called) and ``transferred_to`` (the new number of a transferred ticket, or None).
    """
    if not event_ids:
        return {}
    marks = ", ".join("?" * len(event_ids))
    rows = fetch_all(
        conn,
        "SELECT e.id AS event_id, t.status AS ticket_status, t.ended_at,"
        " c.status AS counter_status, n.number AS transferred_to"
        " FROM events e JOIN tickets t ON t.id = e.ticket_id"
        " JOIN counters c ON c.id = e.counter_id"
        " LEFT JOIN tickets n ON n.id = t.transferred_to_id"
        f" WHERE e.id IN ({marks})",
        tuple(event_ids),
    )
    return {row.pop("event_id"): row for row in rows}


def day_closed_since(conn: sqlite3.Connection, since: int) -> int | None:
    """When a service day was last closed after ``since`` (bounded by the events index)."""
    return conn.execute(
        "SELECT MAX(at) FROM events WHERE at >= ? AND kind = 'day_close'", (since,)
    ).fetchone()[0]
