"""What the waiting-room screen shows, read from the database in one short read.

A :class:`Board` holds only what may hang on a wall: numbers, counter names, counter
states, service names, waiting counts and the office's public texts. It is built from
the core's queries by copying the few fields it needs, so a column added to the guest
book later cannot leak onto the screen. No Qt here.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from shared.clock import day_bounds_ms, service_day
from shared.office import settings
from shared.queue import queries

NEXT_NUMBERS = 3
# How long a call stays "now calling" after its visitor's ticket ended (see Call.live).
STILL_CALLING_MS = 120_000
ACTIVE_TICKET = ("called", "serving")
# More calls than this between two reads are not all announced: the older ones are
# already stale, and the screen's history shows them anyway.
MAX_NEW_CALLS = 20


@dataclass(frozen=True)
class Call:
    """One call or recall of a number to a counter, and where that visit stands now.

    ``active`` says the visitor is still called or being served at that counter;
    ``ended_at`` when the ticket ended (finished, no-show, transferred), if it has;
    ``counter_open`` whether the calling counter is still open; ``transferred_to`` the
    visitor's new number after a transfer.
    """

    event_id: int
    number: str
    counter: str
    recall: bool
    at: int
    active: bool = True
    ended_at: int | None = None
    counter_open: bool = True
    transferred_to: str | None = None

    def live(self, now: int) -> bool:
        """Whether the call still belongs on the big "now calling" card at ``now``.

        The rule: a call is shown while its visitor is called or served at the counter,
        and for two minutes after the ticket ended, so a quick finish does not wipe a
        number the room is still reading — unless the counter is no longer open, which
        ends it at once. A ticket put back in the queue is no longer being called.
        """
        if self.active:
            return True
        if self.ended_at is None or not self.counter_open:
            return False
        return now - self.ended_at < STILL_CALLING_MS


@dataclass(frozen=True)
class CounterState:
    name: str
    status: str
    number: str | None
    ticket_status: str | None


@dataclass(frozen=True)
class ServiceQueue:
    """One service's next numbers; ``open_counters`` 0 means nobody calls it now."""

    code: str
    name: str
    next_numbers: tuple[str, ...]
    waiting: int
    open_counters: int = 1

    @property
    def closed(self) -> bool:
        return self.open_counters == 0


@dataclass(frozen=True)
class Board:
    """Everything on the screen at one moment, plus the calls that are new since the last read.

    ``last_event_id`` is the newest call event seen; pass it to the next read so each
    call is announced once. ``new_calls`` is empty on the first read, so a display that
    starts at noon does not replay the morning.
    """

    office_name: str
    office_unit: str
    timezone: str
    running_text: str
    complaint_channels: tuple[str, ...]
    counters: tuple[CounterState, ...]
    queues: tuple[ServiceQueue, ...]
    recent_calls: tuple[Call, ...]
    new_calls: tuple[Call, ...] = field(default=())
    last_event_id: int = 0


def _call(row: dict, outcome: dict | None = None) -> Call:
    outcome = outcome or {}
    ended_at = outcome.get("ended_at")
    transferred_to = outcome.get("transferred_to")
    return Call(
        event_id=int(row["event_id"]),
        number=str(row["number"]),
        counter=str(row["counter"]),
        recall=row["kind"] == "recall",
        at=int(row["at"]),
        active=outcome.get("ticket_status", "called") in ACTIVE_TICKET,
        ended_at=int(ended_at) if ended_at is not None else None,
        counter_open=outcome.get("counter_status", "open") == "open",
        transferred_to=str(transferred_to) if transferred_to else None,
    )


def channel_text(channel: dict) -> str:
    """One complaint channel as a line of the footer ("WhatsApp 0813-3378-3485")."""
    label = str(channel.get("label") or "").strip()
    target = str(channel.get("target") or "").strip()
    for prefix in ("https://", "http://"):
        target = target.removeprefix(prefix)
    return " ".join(part for part in (label, target) if part)


def read_board(
    conn: sqlite3.Connection,
    now: int,
    *,
    after_event_id: int | None,
    history: int = 5,
    language: str = "id",
) -> Board:
    """Read the board inside a :meth:`Store.read`; ``after_event_id`` None means "first read"."""
    office = settings.get_all(conn)
    tz = office["timezone"]
    day_start, _day_end = day_bounds_ms(service_day(now, tz), tz)

    rows = queries.recent_calls(conn, 0, (history + 1) * 4)
    outcomes = queries.call_outcomes(conn, [int(r["event_id"]) for r in rows])
    latest = [_call(r, outcomes.get(r["event_id"])) for r in rows]
    # A recall repeats a call: the history lists each number once, at its latest call.
    seen: set[str] = set()
    unique: list[Call] = []
    for call in reversed(latest):
        if call.at >= day_start and call.number not in seen:
            seen.add(call.number)
            unique.append(call)
    recent = tuple(reversed(unique[: history + 1]))
    newest_id = latest[-1].event_id if latest else 0
    if after_event_id is None:
        new_calls: tuple[Call, ...] = ()
        last_event_id = newest_id
    else:
        new_calls = tuple(
            _call(r) for r in queries.recent_calls(conn, after_event_id, MAX_NEW_CALLS)
        )
        last_event_id = max(newest_id, after_event_id)

    counters = []
    for row in queries.counters(conn):
        current = row["current"]
        counters.append(
            CounterState(
                name=str(row["name"]),
                status=str(row["status"]),
                number=str(current["number"]) if current else None,
                ticket_status=str(current["status"]) if current else None,
            )
        )

    queues = []
    for item in queries.queue_overview(conn, now):
        service = item["service"]
        name = service["name_en"] if language == "en" and service.get("name_en") else None
        queues.append(
            ServiceQueue(
                code=str(service["code"]),
                name=str(name or service["name_id"]),
                next_numbers=tuple(str(t["number"]) for t in item["waiting"][:NEXT_NUMBERS]),
                waiting=len(item["waiting"]),
                open_counters=int(item["open_counters"]),
            )
        )

    return Board(
        office_name=str(office["office_name"]),
        office_unit=str(office["office_unit"]),
        timezone=tz,
        running_text=str(office["running_text"]),
        complaint_channels=tuple(
            text for text in map(channel_text, office["complaint_channels"]) if text
        ),
        counters=tuple(counters),
        queues=tuple(queues),
        recent_calls=recent,
        new_calls=new_calls,
        last_event_id=last_event_id,
    )
