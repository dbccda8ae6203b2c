"""One snapshot of what the status page may show, rebuilt only when the database changed.

:class:`SnapshotKeeper` polls ``PRAGMA data_version`` on a read-only connection (the
core's :class:`~shared.storage.poller.ChangePoller`) and, when another PC committed, reads one
:class:`Snapshot` in one short read transaction. Every request is answered from the
current snapshot; no request reads the database. The snapshot holds only what a ticket's
holder or the waiting room may see — numbers, services, counters, positions — copied
field by field from the core's queries, never a guest-book field.

Positions and estimates come from the core (:func:`shared.queue.queries.queue_overview`: the
priority rule's predicted order, the open counters, the recent service time), the board
from the display's own reading (:func:`display.board.read_board`), so the phone, the
kiosk, the console and the TV agree.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from display.board import Board, read_board
from shared import errors
from shared.clock import Clock, day_bounds_ms, service_day
from shared.errors import StorageBusy, StorageError
from shared.office import settings
from shared.queue import queries
from shared.queue.target import RUNNING
from shared.storage.poller import ChangePoller
from shared.storage.store import Store

log = logging.getLogger(__name__)

# A ticket page asks again every 5 s, every 1 s while its visitor is next or called.
POLL_SECONDS = 5
POLL_SECONDS_NEAR = 1
# Tickets of the history read into the code index at a time (one short read each).
HISTORY_CHUNK = 5_000
# How long the database may stay unreadable before the pages say so.
UNAVAILABLE_GRACE_S = 2.0


@dataclass(frozen=True)
class Snapshot:
    """The queue as the status page shows it, at one database version.

    ``tickets`` maps each code of the service day to its public view (see
    :func:`ticket_view`); ``days`` maps every code read so far to its service day (the
    keeper's index, filled in the background at start), so a ticket of another day is
    answered without reading the database and an unknown code costs nothing.
    """

    generation: int
    built_at: int
    day: str
    timezone: str
    office: dict[str, Any]
    tickets: dict[str, dict[str, Any]]
    days: dict[str, str]
    board: Board
    service_names: dict[str, dict[str, str]] = field(default_factory=dict)


def _service_json(service: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": str(service["code"]),
        "name": {"id": str(service["name_id"]), "en": str(service["name_en"] or "")},
        "target_minutes": int(service["target_minutes"]),
    }


def ticket_view(
    ticket: dict[str, Any],
    service: dict[str, Any],
    counter_names: dict[int, str],
    place: dict[str, Any] | None,
    rated: bool,
    office: dict[str, Any],
) -> dict[str, Any]:
    """The public view of one ticket: only what its holder may see, field by field.

    ``place`` is the waiting ticket's position (``ahead``, ``estimate_minutes``,
    ``open_counters`` and, at the head of the queue with its clock running,
    ``deadline_at``); ``None`` for a ticket that no longer waits.
    """
    status = str(ticket["status"])
    view: dict[str, Any] = {
        "number": str(ticket["number"]),
        "service": _service_json(service),
        "day": str(ticket["service_day"]),
        "status": status,
        "priority": bool(ticket["priority_group"]),
        "issued_at": int(ticket["issued_at"]),
    }
    if status == "waiting" and place is not None:
        view.update(place)
    if status in ("called", "serving", "done", "no_show") and ticket["counter_id"] is not None:
        view["counter"] = counter_names.get(int(ticket["counter_id"]), "")
    if status in ("called", "serving"):
        view["called_at"] = ticket["called_at"]
        view["recall_count"] = int(ticket["recall_count"] or 0)
    if status == "done":
        view["rated"] = rated
    if status == "no_show" and ticket["no_show_at"] is not None:
        view["back_until"] = (
            int(ticket["no_show_at"]) + int(office["no_show_grace_minutes"]) * 60_000
        )
    return view


def poll_seconds(view: dict[str, Any]) -> int:
    """How soon the page asks again: quickly while the visitor is next or called."""
    followed = view.get("transferred_to") or view
    near = followed.get("status") == "called" or (
        followed.get("status") == "waiting" and int(followed.get("ahead", 9)) <= 1
    )
    return POLL_SECONDS_NEAR if near else POLL_SECONDS


def read_snapshot(
    conn: sqlite3.Connection,
    now: int,
    generation: int,
    codes: dict[str, str],
    newest: int | None,
) -> tuple[Snapshot, int]:
    """Read everything the pages show (inside one :meth:`Store.read`).

    ``codes`` is the index of every code known so far (code → service day), shared
    with the snapshots and updated here in place with the tickets issued since
    ``newest`` (the largest ticket id read before; None on the first read, which takes
    only today's: the history is read in the background, :meth:`SnapshotKeeper.tick`).
    Returns the snapshot and the new ``newest``.
    """
    office = settings.get_all(conn)
    tz = office["timezone"]
    day = service_day(now, tz)

    largest = conn.execute("SELECT COALESCE(MAX(id), 0) FROM tickets").fetchone()[0]
    if newest is not None and largest >= newest:
        for code, ticket_day in conn.execute(
            "SELECT code, service_day FROM tickets WHERE id > ?", (newest,)
        ):
            codes[code] = ticket_day

    services = {s["code"]: s for s in queries.services(conn)}
    counter_names = {int(c["id"]): str(c["name"]) for c in queries.all_counters(conn)}
    places: dict[int, dict[str, Any]] = {}
    for row in queries.queue_overview(conn, now):
        head = row["head_target"]
        for ahead, waiting in enumerate(row["waiting"]):
            place = {
                "ahead": ahead,
                "position": ahead + 1,
                "estimate_minutes": queries.estimate_minutes(
                    ahead, row["avg_service_minutes"], row["open_counters"]
                ),
                "open_counters": int(row["open_counters"]),
            }
            if ahead == 0 and head is not None and head.state == RUNNING and head.deadline_at:
                place["deadline_at"] = int(head.deadline_at)
            places[int(waiting["id"])] = place
    day_start, _end = day_bounds_ms(day, tz)
    rated = {
        r[0]
        for r in conn.execute("SELECT ticket_id FROM ratings WHERE created_at >= ?", (day_start,))
    }
    today = queries.day_tickets(conn, day)
    for ticket in today:
        codes[str(ticket["code"])] = day
    by_id = {int(t["id"]): t for t in today}
    views: dict[str, dict[str, Any]] = {}
    for ticket in today:
        service = services.get(ticket["service_code"]) or {
            "code": ticket["service_code"],
            "name_id": ticket["service_code"],
            "name_en": ticket["service_code"],
            "target_minutes": 10,
        }
        views[str(ticket["code"])] = ticket_view(
            ticket,
            service,
            counter_names,
            places.get(int(ticket["id"])),
            int(ticket["id"]) in rated,
            office,
        )
    # A transferred visitor follows the new number (a transfer may follow a transfer).
    for ticket in today:
        if ticket["status"] != "transferred":
            continue
        target = ticket
        for _hop in range(5):
            nxt = by_id.get(int(target["transferred_to_id"] or 0))
            if nxt is None:
                break
            target = nxt
            if nxt["status"] != "transferred":
                break
        if target is not ticket:
            views[str(ticket["code"])]["transferred_to"] = views[str(target["code"])]

    board = read_board(conn, now, after_event_id=None, language="id")
    names = {
        code: {"id": str(s["name_id"]), "en": str(s["name_en"] or s["name_id"])}
        for code, s in services.items()
    }
    public_office = {
        "name": str(office["office_name"]),
        "unit": str(office["office_unit"]),
        "wifi": str(office.get("status_page_wifi") or ""),
        "no_show_grace_minutes": int(office["no_show_grace_minutes"]),
    }
    snapshot = Snapshot(
        generation=generation,
        built_at=now,
        day=day,
        timezone=tz,
        office=public_office,
        tickets=views,
        days=codes,
        board=board,
        service_names=names,
    )
    return snapshot, largest


class SnapshotKeeper:
    """Keep the current :class:`Snapshot`: poll for changes on a thread, rebuild on change.

    ``reads`` counts the snapshots read from the database, ``changes`` the polls that
    found a new ``data_version`` (or the first look after an outage). ``available`` is
    False once the database has been unreadable for :data:`UNAVAILABLE_GRACE_S`; the
    pages then say so, and the keeper keeps trying until the file answers again.
    """

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        interval_ms: int = 250,
        grace_s: float = UNAVAILABLE_GRACE_S,
    ) -> None:
        if not store.read_only:
            raise ValueError("the status page reads through a read-only store")
        self.store = store
        self.clock = clock
        self.interval = interval_ms / 1000
        self.grace = grace_s
        self.poller = ChangePoller(store, busy_grace=grace_s)
        self.snapshot: Snapshot | None = None
        self.available = True
        self.problem = ""
        self.reads = 0
        self.changes = 0
        self.polls = 0
        self.failing_since: float | None = None
        # Every code → its service day. Today's come with each snapshot; the history
        # (years of tickets) in chunks while nothing else is to be read.
        self.codes: dict[str, str] = {}
        self._newest: int | None = None
        self._history_cursor = 0
        self._history_end = 0
        self.history_complete = False
        self.history_reads = 0
        self._file_id: tuple[int, int] | None = None
        self._ready = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="status-snapshot", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 2.0) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def wait_ready(self, timeout: float) -> bool:
        """Wait until the first snapshot was read or the database was found unavailable."""
        return self._ready.wait(timeout)

    def current(self) -> Snapshot | None:
        """The snapshot to serve, or None while the database cannot be read."""
        return self.snapshot if self.available else None

    def stats(self) -> dict[str, Any]:
        snapshot = self.snapshot
        return {
            "available": self.available,
            "snapshot_reads": self.reads,
            "changes_seen": self.changes,
            "polls": self.polls,
            "generation": snapshot.generation if snapshot else 0,
            "built_at": snapshot.built_at if snapshot else None,
            "tickets_today": len(snapshot.tickets) if snapshot else 0,
            "codes_known": len(self.codes),
            "history_complete": self.history_complete,
            "history_reads": self.history_reads,
        }

    def _check_file(self) -> None:
        # A connection keeps reading a file that was renamed or replaced (a restore,
        # a share remounted elsewhere): look at the path itself on every tick.
        try:
            found = os.stat(self.store.path)
        except FileNotFoundError:
            raise errors.StorageMissing(path=str(self.store.path)) from None
        except PermissionError as exc:
            raise errors.StorageReadOnly() from exc
        except OSError as exc:
            raise errors.StorageUnavailable() from exc
        identity = (found.st_dev, found.st_ino)
        if self._file_id is not None and identity != self._file_id:
            log.info("database file %s was replaced; reading it afresh", self.store.path)
            self.poller.close()
            self.store.drop_connection()
        self._file_id = identity

    def tick(self, *, wanted: bool = False) -> bool:
        """Poll once and rebuild if needed; return True when a snapshot was read.

        When nothing changed and the code index is not complete yet, reads its next
        chunk of history instead. Raises :class:`StorageError` while the database
        cannot be read.
        """
        self.polls += 1
        self._check_file()
        changed = self.poller.check()
        if changed:
            self.changes += 1
        now = self.clock.now_ms()
        stale_day = (
            self.snapshot is not None
            and service_day(now, self.snapshot.timezone) != self.snapshot.day
        )
        if not (changed or wanted or stale_day or self.snapshot is None):
            if not self.history_complete:
                self._read_history()
            return False
        generation = (self.snapshot.generation if self.snapshot else 0) + 1
        snapshot, largest = self.store.read(
            lambda conn: read_snapshot(conn, now, generation, self.codes, self._newest)
        )
        self.reads += 1
        if self._newest is None or largest < self._newest:
            # The first read, or a file whose ids went backwards (a restored backup):
            # the history is read again from the start.
            if self._newest is not None:
                self.codes.clear()
                snapshot.days.update({code: snapshot.day for code in snapshot.tickets})
            self._history_cursor, self._history_end = 0, largest
            self.history_complete = largest == 0
        self._newest = largest
        self.snapshot = snapshot
        return True

    def _read_history(self) -> None:
        cursor, end = self._history_cursor, self._history_end
        rows = self.store.read(
            lambda conn: conn.execute(
                "SELECT id, code, service_day FROM tickets WHERE id > ? AND id <= ?"
                " ORDER BY id LIMIT ?",
                (cursor, end, HISTORY_CHUNK),
            ).fetchall()
        )
        self.history_reads += 1
        for _id, code, day in rows:
            self.codes.setdefault(code, day)
        if len(rows) < HISTORY_CHUNK:
            self.history_complete = True
            log.info("code index complete: %d tickets", len(self.codes))
        else:
            self._history_cursor = rows[-1][0]

    def _run(self) -> None:
        wanted = True
        while not self._stopping.is_set():
            try:
                self.tick(wanted=wanted)
                wanted = False
                self.failing_since = None
                if not self.available:
                    log.info("database readable again")
                self.available = True
                self.problem = ""
                self._ready.set()
            except StorageBusy:
                # Another PC is writing: read on the next tick. A file that stays busy
                # longer than the grace is reported by the poller as trouble.
                wanted = True
            except StorageError as exc:
                wanted = True
                self.poller.close()
                now = time.monotonic()
                self.failing_since = self.failing_since or now
                if now - self.failing_since >= self.grace or self.snapshot is None:
                    if self.available:
                        log.warning("database cannot be read: %s", exc.message)
                    self.available = False
                    self.problem = exc.message
                    self._ready.set()
            except Exception:  # a bug: log it, keep serving the last snapshot, go on
                log.exception("reading the status snapshot failed")
                wanted = True
                self._stopping.wait(1.0)
            self._stopping.wait(self.interval)
        self.poller.close()
        self.store.close()


def open_store(
    path: str | Path, *, busy_timeout_ms: int = 3000, retry_seconds: float = 2.0
) -> Store:
    """The status page's store: read-only, never creating or upgrading the file."""
    return Store(
        path,
        busy_timeout_ms=busy_timeout_ms,
        retry_seconds=retry_seconds,
        read_only=True,
    )
