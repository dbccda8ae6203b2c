"""The database schema, as sqlite-utils migrations.

Migrations run inside the caller's ``BEGIN IMMEDIATE`` (sqlite-utils nests its own
transaction as a savepoint), so two programs starting at once cannot both apply one.
Timestamps are UTC integer milliseconds (``*_at``); days are local ``YYYY-MM-DD``.
"""

from __future__ import annotations

import sqlite3

import sqlite_utils
from sqlite_utils import Migrations

SCHEMA_VERSION = 4
TICKET_STATES = ("waiting", "called", "serving", "done", "no_show", "transferred", "unserved")
# The states the first schema's CHECK constraint allowed (m002 widens it).
_M001_STATES = TICKET_STATES[:-1]

MIGRATION_SET = "antrian-pst"
# PRAGMA application_id of an Antrian PST database ("APST"), for file-type tools.
APPLICATION_ID = 0x41505354

migrations = Migrations(MIGRATION_SET)


def _run(db: sqlite_utils.Database, script: str) -> None:
    # executescript() would COMMIT the caller's transaction; run statements one by one.
    for statement in script.split(";\n"):
        if statement.strip():
            db.execute(statement)


@migrations()
def m001_initial(db: sqlite_utils.Database) -> None:
    states = ", ".join(f"'{s}'" for s in _M001_STATES)
    _run(
        db,
        f"""
CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE services (
    code TEXT PRIMARY KEY CHECK (code GLOB '[A-Z]*' AND length(code) BETWEEN 1 AND 3),
    name_id TEXT NOT NULL,
    name_en TEXT NOT NULL,
    target_minutes INTEGER NOT NULL DEFAULT 10 CHECK (target_minutes BETWEEN 1 AND 240),
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    sort_order INTEGER NOT NULL DEFAULT 0,
    hours TEXT
);
CREATE TABLE officers (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('officer', 'supervisor', 'admin')),
    pin_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER
);
CREATE TABLE counters (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'closed' CHECK (status IN ('open', 'paused', 'closed')),
    pause_reason TEXT,
    officer_id INTEGER REFERENCES officers(id),
    machine TEXT,
    status_at INTEGER,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
);
CREATE TABLE counter_services (
    counter_id INTEGER NOT NULL REFERENCES counters(id),
    service_code TEXT NOT NULL REFERENCES services(code),
    PRIMARY KEY (counter_id, service_code)
);
CREATE TABLE visitors (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    email TEXT,
    phone TEXT,
    sex TEXT,
    birth_year INTEGER,
    education TEXT,
    occupation TEXT,
    institution_category TEXT,
    institution_name TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    anonymised_at INTEGER
);
CREATE INDEX visitors_email ON visitors(email);
CREATE INDEX visitors_phone ON visitors(phone);
CREATE TABLE visits (
    id INTEGER PRIMARY KEY,
    visitor_id INTEGER NOT NULL REFERENCES visitors(id),
    purpose TEXT,
    topic TEXT,
    consent_at INTEGER NOT NULL,
    consent_version TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    service_code TEXT NOT NULL REFERENCES services(code),
    service_day TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq > 0),
    number TEXT NOT NULL,
    priority_group TEXT,
    status TEXT NOT NULL DEFAULT 'waiting' CHECK (status IN ({states})),
    visit_id INTEGER REFERENCES visits(id),
    issued_at INTEGER NOT NULL,
    issued_machine TEXT,
    call_seq INTEGER,
    first_called_at INTEGER,
    called_at INTEGER,
    recall_count INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER,
    ended_at INTEGER,
    no_show_at INTEGER,
    counter_id INTEGER REFERENCES counters(id),
    officer_id INTEGER REFERENCES officers(id),
    ahead_ticket_id INTEGER REFERENCES tickets(id),
    clock_start_at INTEGER,
    deadline_at INTEGER,
    target_met INTEGER CHECK (target_met IN (0, 1)),
    notes TEXT NOT NULL DEFAULT '',
    transferred_from_id INTEGER REFERENCES tickets(id),
    transferred_to_id INTEGER REFERENCES tickets(id),
    UNIQUE (service_code, service_day, seq),
    UNIQUE (service_code, service_day, call_seq)
);
CREATE INDEX tickets_queue ON tickets(service_day, service_code, status);
CREATE UNIQUE INDEX tickets_one_active_per_counter ON tickets(counter_id)
    WHERE status IN ('called', 'serving');
CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL UNIQUE REFERENCES tickets(id),
    service_code TEXT NOT NULL,
    officer_id INTEGER REFERENCES officers(id),
    counter_id INTEGER REFERENCES counters(id),
    score INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    u1 INTEGER CHECK (u1 BETWEEN 1 AND 4), u2 INTEGER CHECK (u2 BETWEEN 1 AND 4),
    u3 INTEGER CHECK (u3 BETWEEN 1 AND 4), u4 INTEGER CHECK (u4 BETWEEN 1 AND 4),
    u5 INTEGER CHECK (u5 BETWEEN 1 AND 4), u6 INTEGER CHECK (u6 BETWEEN 1 AND 4),
    u7 INTEGER CHECK (u7 BETWEEN 1 AND 4), u8 INTEGER CHECK (u8 BETWEEN 1 AND 4),
    u9 INTEGER CHECK (u9 BETWEEN 1 AND 4),
    gratification INTEGER CHECK (gratification IN (0, 1)),
    extortion INTEGER CHECK (extortion IN (0, 1)),
    comment TEXT NOT NULL DEFAULT '',
    flagged INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id TEXT UNIQUE,
    at INTEGER NOT NULL,
    machine TEXT NOT NULL,
    program TEXT NOT NULL,
    officer_id INTEGER,
    kind TEXT NOT NULL,
    ticket_id INTEGER,
    counter_id INTEGER,
    service_code TEXT,
    from_state TEXT,
    to_state TEXT,
    data TEXT NOT NULL DEFAULT '{{}}',
    result TEXT
);
CREATE INDEX events_ticket ON events(ticket_id);
CREATE INDEX events_at ON events(at);
CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE heartbeats (
    machine TEXT NOT NULL,
    program TEXT NOT NULL,
    seq INTEGER NOT NULL,
    clock_at INTEGER NOT NULL,
    status TEXT NOT NULL DEFAULT '{{}}',
    skew TEXT NOT NULL DEFAULT '{{}}',
    version TEXT,
    PRIMARY KEY (machine, program)
)
""",
    )


@migrations()
def m002_calls(db: sqlite_utils.Database) -> None:
    """Record every call of a ticket, and let the day end with ``unserved`` tickets.

    ``calls`` keeps each call's start and end for good: a requeue or a second call adds
    a row and never rewrites when the visitor ahead finished (the 10-minute rule reads
    the visitor ahead from here). ``in_order`` is 0 for calls that are not the queue's
    fair next (a call out of order, or a ticket called again after a requeue): those
    calls never become the "visitor ahead" of a waiting ticket.
    """
    _run(
        db,
        """
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets(id),
    service_code TEXT NOT NULL,
    service_day TEXT NOT NULL,
    call_seq INTEGER NOT NULL,
    in_order INTEGER NOT NULL DEFAULT 1 CHECK (in_order IN (0, 1)),
    called_at INTEGER NOT NULL,
    counter_id INTEGER REFERENCES counters(id),
    officer_id INTEGER REFERENCES officers(id),
    ended_at INTEGER,
    end_kind TEXT,
    UNIQUE (service_code, service_day, call_seq)
);
CREATE INDEX calls_ticket ON calls(ticket_id);
CREATE INDEX calls_in_order ON calls(service_code, service_day, in_order, call_seq);
INSERT INTO calls(ticket_id, service_code, service_day, call_seq, in_order, called_at,
                  counter_id, officer_id, ended_at, end_kind)
SELECT id, service_code, service_day, call_seq, 1, COALESCE(first_called_at, called_at),
       counter_id, officer_id,
       CASE WHEN status IN ('called', 'serving') THEN NULL
            ELSE COALESCE(ended_at, called_at) END,
       CASE WHEN status IN ('called', 'serving') THEN NULL
            WHEN status = 'waiting' THEN 'requeue' ELSE status END
FROM tickets WHERE call_seq IS NOT NULL
ORDER BY service_code, service_day, call_seq;
CREATE INDEX tickets_open_status ON tickets(status, service_day)
    WHERE status IN ('waiting', 'called', 'serving')
""",
    )
    # Widen the status CHECK to allow 'unserved'. Adding a value to an IN list only
    # loosens a constraint and changes nothing stored, which SQLite documents as a safe
    # use of writable_schema (ALTER TABLE cannot change a CHECK).
    old = ", ".join(f"'{s}'" for s in _M001_STATES)
    new = ", ".join(f"'{s}'" for s in TICKET_STATES)
    version = db.execute("PRAGMA schema_version").fetchone()[0]
    db.execute("PRAGMA writable_schema = ON")
    try:
        db.execute(
            "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table'"
            " AND name = 'tickets'",
            (f"status IN ({old})", f"status IN ({new})"),
        )
        db.execute(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        db.execute("PRAGMA writable_schema = OFF")


# -- history indexes: every per-event read touches only today's rows or a bounded
# window of recent ones, however many years the file holds. The office's newest
# finished visits are read from the end of one index that carries the service-time
# columns: a page or two for every service at once, not a page per visit. The last call
# of each service today is read from a day-first index that carries what the target
# rule needs, so all services share today's few pages. ----------------------------------


@migrations()
def m003_history_indexes(db: sqlite_utils.Database) -> None:
    _run(
        db,
        """
CREATE INDEX tickets_finished ON tickets(ended_at, service_code, started_at, called_at, status)
    WHERE status = 'done';
CREATE INDEX tickets_day_calls
    ON tickets(service_day, service_code, call_seq, ended_at, status, called_at, started_at);
CREATE INDEX ratings_created ON ratings(created_at);
CREATE INDEX visits_visitor ON visits(visitor_id, id)
""",
    )


@migrations()
def m004_compact_results(db: sqlite_utils.Database) -> None:
    """From here on, events keep their results compact (:mod:`shared.storage.eventresult`).

    No table changes. The step exists so that a PC with an older program, which cannot
    read a compact result, finds the file newer than itself and refuses it (update this
    PC) instead of misreading the answer of a repeated operation. Results written before
    stay JSON text and are read as they are.
    """


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply pending migrations inside the caller's write transaction; return their names."""
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    pending = [m.name for m in migrations.pending(db)]
    if pending:
        migrations.apply(db)
        # user_version counts the migrations applied, so a PC that knows fewer of them
        # sees at once that the file is newer than its program.
        conn.execute(f"PRAGMA user_version = {len(applied(conn))}")
        conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    return pending


def known_migrations() -> list[str]:
    """The names of the migrations this program knows, in order."""
    return [m.name for m in migrations._migrations]


def applied(conn: sqlite3.Connection) -> list[str]:
    db = sqlite_utils.Database(conn, recursive_triggers=False, execute_plugins=False)
    return [m.name for m in migrations.applied(db)]
