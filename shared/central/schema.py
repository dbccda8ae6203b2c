"""The central database's schema, as versioned migrations (like the office's own).

Everything lives in one PostgreSQL schema, ``antrian_pst``; ``antrian_pst.migrations``
names the migrations applied. A program that finds a migration it does not know stops
before writing anything (the central database is newer than it). Every table of an
office's record is keyed by (office_code, local id): one central database holds every
office without their ids ever clashing.
"""

from __future__ import annotations

from typing import Any

from shared.central.connection import CentralSchemaNewer
from shared.central.outbound import RATING_ELEMENTS

SCHEMA = "antrian_pst"

_M001 = f"""
CREATE TABLE {SCHEMA}.offices (
    office_code text PRIMARY KEY CHECK (office_code ~ '^[0-9]{{4}}$'),
    office_name text NOT NULL,
    office_unit text NOT NULL DEFAULT '',
    timezone text NOT NULL,
    lists jsonb NOT NULL DEFAULT '{{}}',
    last_event_id bigint NOT NULL DEFAULT 0,
    published_at timestamptz,
    program_version text
);
CREATE TABLE {SCHEMA}.services (
    office_code text NOT NULL REFERENCES {SCHEMA}.offices,
    code text NOT NULL,
    name_id text NOT NULL,
    name_en text NOT NULL,
    target_minutes integer NOT NULL,
    active smallint NOT NULL,
    sort_order integer NOT NULL,
    PRIMARY KEY (office_code, code)
);
CREATE TABLE {SCHEMA}.counters (
    office_code text NOT NULL REFERENCES {SCHEMA}.offices,
    id bigint NOT NULL,
    name text NOT NULL,
    active smallint NOT NULL,
    PRIMARY KEY (office_code, id)
);
CREATE TABLE {SCHEMA}.officers (
    office_code text NOT NULL REFERENCES {SCHEMA}.offices,
    id bigint NOT NULL,
    role text NOT NULL,
    active smallint NOT NULL,
    PRIMARY KEY (office_code, id)
);
CREATE TABLE {SCHEMA}.visits (
    office_code text NOT NULL REFERENCES {SCHEMA}.offices,
    id bigint NOT NULL,
    visitor_id bigint NOT NULL,
    service_day date NOT NULL,
    purpose text,
    sex text,
    age_band text NOT NULL DEFAULT '',
    education text,
    occupation text,
    institution_category text,
    returning_visitor smallint NOT NULL,
    created_at bigint NOT NULL,
    PRIMARY KEY (office_code, id)
);
CREATE INDEX visits_day ON {SCHEMA}.visits (service_day, office_code);
CREATE TABLE {SCHEMA}.tickets (
    office_code text NOT NULL REFERENCES {SCHEMA}.offices,
    id bigint NOT NULL,
    number text NOT NULL,
    service_code text NOT NULL,
    service_day date NOT NULL,
    seq integer NOT NULL,
    status text NOT NULL,
    priority_group text,
    visit_id bigint,
    issued_at bigint NOT NULL,
    call_seq integer,
    first_called_at bigint,
    called_at bigint,
    recall_count integer NOT NULL DEFAULT 0,
    started_at bigint,
    ended_at bigint,
    no_show_at bigint,
    counter_id bigint,
    officer_id bigint,
    ahead_ticket_id bigint,
    clock_start_at bigint,
    deadline_at bigint,
    target_met smallint,
    transferred_from_id bigint,
    transferred_to_id bigint,
    PRIMARY KEY (office_code, id)
);
CREATE INDEX tickets_day ON {SCHEMA}.tickets (service_day, office_code);
CREATE TABLE {SCHEMA}.calls (
    office_code text NOT NULL REFERENCES {SCHEMA}.offices,
    id bigint NOT NULL,
    ticket_id bigint NOT NULL,
    service_code text NOT NULL,
    service_day date NOT NULL,
    call_seq integer NOT NULL,
    in_order smallint NOT NULL,
    called_at bigint NOT NULL,
    counter_id bigint,
    officer_id bigint,
    ended_at bigint,
    end_kind text,
    PRIMARY KEY (office_code, id)
);
CREATE TABLE {SCHEMA}.ratings (
    office_code text NOT NULL REFERENCES {SCHEMA}.offices,
    id bigint NOT NULL,
    ticket_id bigint NOT NULL,
    service_code text NOT NULL,
    service_day date NOT NULL,
    officer_id bigint,
    counter_id bigint,
    score smallint NOT NULL,
    {", ".join(f"{u} smallint" for u in RATING_ELEMENTS)},
    gratification smallint,
    extortion smallint,
    flagged smallint NOT NULL DEFAULT 0,
    created_at bigint NOT NULL,
    PRIMARY KEY (office_code, id)
);
CREATE INDEX ratings_day ON {SCHEMA}.ratings (service_day, office_code);
CREATE TABLE {SCHEMA}.events (
    office_code text NOT NULL REFERENCES {SCHEMA}.offices,
    id bigint NOT NULL,
    at bigint NOT NULL,
    machine text NOT NULL,
    program text NOT NULL,
    officer_id bigint,
    kind text NOT NULL,
    ticket_id bigint,
    counter_id bigint,
    service_code text,
    from_state text,
    to_state text,
    PRIMARY KEY (office_code, id)
)
"""

# (name, SQL) in order; a name once released is never changed, only new ones appended.
MIGRATIONS: list[tuple[str, str]] = [("m001_office_records", _M001)]


def known() -> list[str]:
    """The names of the migrations this program knows, in order."""
    return [name for name, _sql in MIGRATIONS]


def applied(conn: Any) -> list[str] | None:
    """The migrations applied in the central database (None: no central schema yet)."""
    exists = conn.execute(
        "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = %s AND tablename = 'migrations'",
        (SCHEMA,),
    ).fetchone()
    if not exists:
        return None
    return [r[0] for r in conn.execute(f"SELECT name FROM {SCHEMA}.migrations ORDER BY id")]


def check_not_newer(names: list[str] | None) -> None:
    """Refuse a central schema with a migration this program does not know."""
    unknown = [n for n in names or [] if n not in known()]
    if unknown:
        raise CentralSchemaNewer(names=", ".join(unknown))


def migrate(conn: Any) -> list[str]:
    """Create or upgrade the central schema; return the migrations applied now.

    Runs in one transaction of its own, under an advisory lock, so two offices
    publishing for the first time at once apply each migration once. A newer central
    schema is refused before anything is written.
    """
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext('antrian_pst.migrate'))")
        names = applied(conn)
        check_not_newer(names)
        if names is None:
            # A schema the server's administrator made for the account (the province
            # guide's way) is used as it is: creating one needs rights on the database.
            if not conn.execute(
                "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = %s", (SCHEMA,)
            ).fetchone():
                conn.execute(f"CREATE SCHEMA {SCHEMA}")
            conn.execute(
                f"CREATE TABLE {SCHEMA}.migrations (id integer PRIMARY KEY, name text NOT NULL"
                " UNIQUE, applied_at timestamptz NOT NULL DEFAULT now())"
            )
            names = []
        done = []
        for number, (name, sql) in enumerate(MIGRATIONS, 1):
            if name in names:
                continue
            for statement in sql.split(";\n"):
                if statement.strip():
                    conn.execute(statement)
            conn.execute(
                f"INSERT INTO {SCHEMA}.migrations (id, name) VALUES (%s, %s)", (number, name)
            )
            done.append(name)
    return done


def check_current(conn: Any) -> None:
    """For readers: refuse a newer schema, and say so when there is none yet."""
    from shared.central.connection import CentralNotSetUp
    from shared.i18n import N_

    names = applied(conn)
    check_not_newer(names)
    if not names or set(known()) - set(names):
        raise CentralNotSetUp(
            N_(
                "The central database has no office records of this version yet: run"
                " “pst-admin publish” from an office first."
            )
        )
