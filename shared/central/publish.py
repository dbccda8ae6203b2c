"""Publish an office's record to the province's central database.

``publish`` never disturbs the office: it opens the office's file read-only, reads
in short read transactions (one per batch, never held while waiting for the network),
and writes nothing there. The high-water mark — the last event id sent — is kept in
the central database, on the office's row.

A batch is the events after the mark (at most ``batch_events``) plus the current rows
of every service day those events touched (tickets, their calls, ratings and visits,
the visitors of those visits with every visit of theirs) and the small tables
(services, counters, officers, the office's name and lists), all written in ONE
PostgreSQL transaction that also moves the mark. Rows are keyed (office_code, local
id) and written with ``INSERT … ON CONFLICT``: a batch sent twice changes nothing, a
publish killed half-way loses nothing (its open transaction is rolled back by the
server) and the next run starts again from the mark. Only the columns listed in
:mod:`shared.central.outbound` leave the office.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from shared import __version__
from shared.central import schema
from shared.central.connection import CentralNotSetUp, check, classify, connect, describe
from shared.central.outbound import BY_TABLE, OUTBOUND
from shared.clock import from_ms
from shared.i18n import N_
from shared.office import settings
from shared.reporting.model import age_band
from shared.storage.store import Store

log = logging.getLogger(__name__)

BATCH_EVENTS = 20_000
# SQLite's default limit of host parameters is 999 on older builds: stay below it.
_CHUNK = 900
S = schema.SCHEMA

Progress = Callable[[dict[str, Any]], None]


@dataclass
class Batch:
    """What one batch sends: rows per published table and the last event id."""

    last_event_id: int
    rows: dict[str, list[tuple]] = field(default_factory=dict)
    office: dict[str, Any] = field(default_factory=dict)


def open_office(path: str | Path, *, busy_timeout_ms: int = 3000, retry_seconds: float = 8.0):
    """Open the office's database file read-only (a publish can never write it)."""
    return Store(
        path,
        busy_timeout_ms=busy_timeout_ms,
        retry_seconds=retry_seconds,
        create=False,
        writes=False,
        read_only=True,
    )


def _chunks(values: Iterable[Any]) -> Iterable[list[Any]]:
    items = sorted(v for v in set(values) if v is not None)
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _select(conn: sqlite3.Connection, table: str, where: str, values: Iterable[Any]) -> list:
    """Rows of ``table`` (the published columns, plus what is needed to derive) by key."""
    columns = _source_columns(table)
    rows: list = []
    for chunk in _chunks(values):
        marks = ", ".join("?" for _ in chunk)
        rows += conn.execute(
            f"SELECT {columns} FROM {table} WHERE {where} IN ({marks})", chunk
        ).fetchall()
    return rows


def _source_columns(table: str) -> str:
    # Visits are published with their visitor's categories (read separately); ratings
    # with their ticket's day: the columns read here are the local ones.
    if table == "visits":
        return "id, visitor_id, purpose, created_at"
    if table == "visitors":
        return "id, sex, education, occupation, institution_category, birth_year"
    if table == "ratings":
        return ", ".join(c for c in BY_TABLE[table].columns if c != "service_day")
    return ", ".join(BY_TABLE[table].columns)


def read_batch(conn: sqlite3.Connection, mark: int, limit: int) -> Batch | None:
    """Read the batch after event ``mark`` inside the caller's read transaction."""
    events = conn.execute(
        f"SELECT {', '.join(BY_TABLE['events'].columns)}, data FROM events WHERE id > ?"
        " ORDER BY id LIMIT ?",
        (mark, limit),
    ).fetchall()
    if not events:
        return None
    office = settings.get_all(conn)
    tz = office["timezone"]
    kind_at = BY_TABLE["events"].columns.index("kind")
    ticket_at = BY_TABLE["events"].columns.index("ticket_id")
    days: set[str] = set()
    purged_at: set[int] = set()
    for event in events:
        kind = event[kind_at]
        if kind in ("day_close", "purge_pii"):
            data = _data(event[-1])
            if kind == "day_close" and isinstance(data.get("day"), str):
                days.add(data["day"])
            elif kind == "purge_pii":
                purged_at.add(event[1])
    for chunk in _chunks(e[ticket_at] for e in events):
        marks = ", ".join("?" for _ in chunk)
        days.update(
            r[0]
            for r in conn.execute(
                f"SELECT DISTINCT service_day FROM tickets WHERE id IN ({marks})", chunk
            )
        )
    tickets = _select(conn, "tickets", "service_day", days)
    columns = BY_TABLE["tickets"].columns
    ticket_ids = [t[0] for t in tickets]
    calls = _select(conn, "calls", "ticket_id", ticket_ids)
    ratings = _select(conn, "ratings", "ticket_id", ticket_ids)
    visit_at = columns.index("visit_id")
    visits = _select(conn, "visits", "id", (t[visit_at] for t in tickets))
    visitor_ids = {v[1] for v in visits}
    for at in purged_at:
        visitor_ids.update(
            r[0] for r in conn.execute("SELECT id FROM visitors WHERE anonymised_at = ?", (at,))
        )
    visitors = {p[0]: p for p in _select(conn, "visitors", "id", visitor_ids)}
    # Every visit of these visitors: their categories or year of birth may have changed
    # (a returning visitor's new answers, a purge), and so their older visits' rows.
    visits = list(
        {v[0]: v for v in visits + _select(conn, "visits", "visitor_id", visitor_ids)}.values()
    )
    first_visit: dict[int, int] = {}
    for v in visits:
        if v[1] not in first_visit or v[0] < first_visit[v[1]]:
            first_visit[v[1]] = v[0]
    local = _local_time(tz)
    # A rating leaves with its ticket's day, service, counter and officer (the report
    # counts ratings by their ticket's, as the office's own does).
    picked = [columns.index(c) for c in ("service_code", "service_day", "officer_id", "counter_id")]
    ticket_of = {t[0]: tuple(t[i] for i in picked) for t in tickets}
    rows = {
        "events": [tuple(e[:-1]) for e in events],
        "tickets": tickets,
        "calls": calls,
        "ratings": [(r[0], r[1], *ticket_of[r[1]], *r[5:]) for r in ratings],
        "visits": [
            _visit_row(v, visitors.get(v[1]), first_visit[v[1]] < v[0], local)
            for v in visits
            if v[1] in visitors
        ],
    }
    for table in ("services", "counters", "officers"):
        rows[table] = conn.execute(
            f"SELECT {', '.join(BY_TABLE[table].columns)} FROM {table}"
        ).fetchall()
    return Batch(events[-1][0], rows, office)


def _local_time(tz: str) -> Callable[[int], tuple[str, int]]:
    """``instant → (local day, local year)``, worked out once per quarter hour."""
    cache: dict[int, tuple[str, int]] = {}

    def local(ms: int) -> tuple[str, int]:
        quarter = ms // 900_000
        found = cache.get(quarter)
        if found is None:
            when = from_ms(quarter * 900_000, tz)
            found = cache[quarter] = (when.date().isoformat(), when.year)
        return found

    return local


def _visit_row(visit: tuple, visitor: tuple, returning: bool, local) -> tuple:
    """A visit as it leaves the office (the columns of ``OUTBOUND['visits']``)."""
    ident, visitor_id, purpose, created_at = visit
    _id, sex, education, occupation, category, born = visitor
    day, year = local(created_at)
    return (
        ident,
        visitor_id,
        day,
        purpose,
        sex,
        age_band(born, year),
        education,
        occupation,
        category,
        int(returning),
        created_at,
    )


def _data(text: str | None) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


# -- the central side ----------------------------------------------------------------------

# Children after parents is not needed (no foreign keys between office tables), but
# the small tables first keep the order a reader expects.
ORDER = [o.table for o in OUTBOUND]


def _prepare(pg: Any) -> None:
    """Make this session's staging tables (emptied at every commit)."""
    for o in OUTBOUND:
        pg.execute(
            f"CREATE TEMP TABLE IF NOT EXISTS stage_{o.table}"
            f" (LIKE {S}.{o.table}) ON COMMIT DELETE ROWS"
        )


def _upsert(pg: Any, code: str, table: str, rows: list[tuple]) -> int:
    """Stage ``rows`` with COPY and merge them; return how many rows changed."""
    if not rows:
        return 0
    o = BY_TABLE[table]
    columns = ("office_code", *o.columns)
    names = ", ".join(columns)
    with pg.cursor() as cur:
        with cur.copy(f"COPY stage_{table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((code, *row))
        if table == "events":
            # Events are history: once sent, never changed.
            cur.execute(
                f"INSERT INTO {S}.events ({names}) SELECT {names} FROM stage_events"
                " ON CONFLICT (office_code, id) DO NOTHING"
            )
        else:
            changing = [c for c in o.columns if c != o.key]
            sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in changing)
            old = ", ".join(f"{S}.{table}.{c}" for c in changing)
            new = ", ".join(f"EXCLUDED.{c}" for c in changing)
            cur.execute(
                f"INSERT INTO {S}.{table} ({names}) SELECT {names} FROM stage_{table}"
                f" ON CONFLICT (office_code, {o.key}) DO UPDATE SET {sets}"
                f" WHERE ({old}) IS DISTINCT FROM ({new})"
            )
        changed = cur.rowcount
        cur.execute(f"TRUNCATE stage_{table}")
    return max(0, changed)


def _office_row(pg: Any, code: str, office: dict[str, Any]) -> None:
    pg.execute(
        f"INSERT INTO {S}.offices (office_code, office_name, office_unit, timezone, lists,"
        " program_version) VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (office_code) DO UPDATE SET office_name = EXCLUDED.office_name,"
        " office_unit = EXCLUDED.office_unit, timezone = EXCLUDED.timezone,"
        " lists = EXCLUDED.lists, program_version = EXCLUDED.program_version"
        f" WHERE ({S}.offices.office_name, {S}.offices.office_unit, {S}.offices.timezone,"
        f" {S}.offices.lists, {S}.offices.program_version) IS DISTINCT FROM"
        " (EXCLUDED.office_name, EXCLUDED.office_unit, EXCLUDED.timezone, EXCLUDED.lists,"
        " EXCLUDED.program_version)",
        (
            code,
            office["office_name"],
            office["office_unit"],
            office["timezone"],
            json.dumps(office["lists"], ensure_ascii=False),
            __version__,
        ),
    )


def publish(
    path: str | Path,
    url: str,
    *,
    password: str | None = None,
    batch_events: int = BATCH_EVENTS,
    timeout: float = 10,
    progress: Progress | None = None,
    store: Store | None = None,
) -> dict[str, Any]:
    """Send the office's record since the last publish; return what was sent.

    ``store`` may be an already opened read-only store of the office's file (the
    console's worker); otherwise the file at ``path`` is opened read-only. Raises
    :class:`~shared.central.connection.CentralError` (one sentence) when the central
    database cannot be used, and the storage errors of the office's file as usual.
    """
    import psycopg

    url = check(url)
    own = store is None
    source = store if store is not None else open_office(path)
    started = time.monotonic()
    pg = None
    try:
        office = source.read(settings.get_all)
        code = office["office_code"]
        if not code:
            raise CentralNotSetUp(
                N_(
                    "This office has no office code yet: set it first, e.g."
                    " “pst-admin setting set office_code 1671”."
                )
            )
        pg = connect(url, password=password, timeout=timeout, application="pst-admin publish")
        from psycopg.conninfo import conninfo_to_dict

        where = describe(conninfo_to_dict(url.strip()))
        totals: Counter = Counter()
        batches = 0
        mark = first_mark = None
        try:
            pg.autocommit = True
            migrated = schema.migrate(pg)
            _prepare(pg)
            while True:
                with pg.transaction():
                    pg.execute(
                        f"INSERT INTO {S}.offices (office_code, office_name, timezone)"
                        " VALUES (%s, %s, %s) ON CONFLICT (office_code) DO NOTHING",
                        (code, office["office_name"], office["timezone"]),
                    )
                    # The office's row is the lock: two PCs publishing at once take turns.
                    mark = pg.execute(
                        f"SELECT last_event_id FROM {S}.offices WHERE office_code = %s FOR UPDATE",
                        (code,),
                    ).fetchone()[0]
                    if first_mark is None:
                        first_mark = mark
                    batch = source.read(lambda c, m=mark: read_batch(c, m, batch_events))
                    if batch is None:
                        break
                    _office_row(pg, code, batch.office)
                    for table in ORDER:
                        totals[table] += _upsert(pg, code, table, batch.rows.get(table, []))
                    pg.execute(
                        f"UPDATE {S}.offices SET last_event_id = %s, published_at = now()"
                        " WHERE office_code = %s",
                        (batch.last_event_id, code),
                    )
                    mark = batch.last_event_id
                batches += 1
                if progress is not None:
                    progress({"batch": batches, "last_event_id": mark, **totals})
        except psycopg.Error as exc:
            raise classify(exc, where, password) from None
        return {
            "office_code": code,
            "central": where,
            "migrated": migrated,
            "batches": batches,
            "from_event": first_mark,
            "last_event_id": mark,
            "sent": {t: totals[t] for t in ORDER},
            "seconds": round(time.monotonic() - started, 2),
        }
    finally:
        if pg is not None:
            pg.close()
        if own:
            source.close()
