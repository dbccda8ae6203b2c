"""Build a database holding years of an office's history, faithfully and quickly.

Two steps:

1. **Template days.** Ten working days (two of each weekday) are run through the real
   :class:`~shared.queue.operations.Operations` with a :class:`~shared.clock.FakeClock`:
   visitors fill the guest book and take numbers over the day with a realistic service
   mix, three counters call, serve and finish them, some visitors do not show up, some
   are returned to the queue, some are transferred, most rate the service and many
   answer the nine IKM questions. Whatever rows the operations write (tickets, visits,
   visitors, events, ratings, and any table a later schema adds) is the template.
2. **Bulk copy.** Every working day of the wanted period (Indonesian holidays and joint
   leave days excluded) receives a copy of a template day of the same weekday. The copy
   is generic: every table that grew during the template days is copied with all its
   columns; integer primary keys get fresh ids in time order and every reference to
   them (declared foreign keys, or ``<table>_id`` columns) is remapped; ``*_at`` and
   ``at`` timestamps move by whole days, ``service_day`` becomes the new day; unique
   text columns get a value of their own (ticket codes stay 8 letters of the code
   alphabet); e-mail addresses get a per-copy tag so each day's visitors are new people.

The built file is cached under the system's temp folder, keyed by the schema's
migrations and this module's format version, so re-runs start in seconds.
"""

from __future__ import annotations

import hashlib
import heapq
import inspect
import json
import random
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from shared.clock import FakeClock, local_ms
from shared.errors import DomainError
from shared.office import servicehours, settings
from shared.queue.operations import Operations
from shared.queue.ticketcode import CODE_ALPHABET
from shared.storage.schema import migrations
from shared.storage.store import Store

FORMAT = 1
TZ = "Asia/Jakarta"
DAY_MS = 86_400_000
# Service mix of a provincial PST desk: most visitors come for a consultation.
SERVICE_MIX = {"KS": 0.45, "PS": 0.2, "PJ": 0.15, "RS": 0.05, "LA": 0.15}
SERVICE_MINUTES = {"KS": (4, 12), "PS": (3, 8), "PJ": (2, 6), "RS": (6, 14), "LA": (2, 6)}
COUNTERS = [
    ("Loket 1", ["KS", "PS"]),
    ("Loket 2", ["KS", "PJ", "RS", "LA"]),
    ("Loket 3", ["KS", "PS", "PJ", "LA"]),
    ("Loket 4", ["KS", "RS", "LA"]),
]
OFFICERS = [
    ("budi", "Budi Santoso", "officer"),
    ("dewi", "Dewi Lestari", "officer"),
    ("rudi", "Rudi Hartono", "officer"),
    ("nina", "Nina Oktaviani", "officer"),
    ("sari", "Sari Dewi", "supervisor"),
]
# Two weeks of January 2024 (no holiday among them): two template days of each weekday.
TEMPLATE_DAYS = [date(2024, 1, 8) + timedelta(days=i) for i in range(12) if i % 7 < 5]
VISITORS_PER_DAY = 102


def working_days(first: date, last: date, office: dict[str, Any] | None = None) -> list[date]:
    """Days from ``first`` to ``last`` on which the office serves (hours set, no holiday)."""
    office = office or settings.DEFAULTS
    out, day = [], first
    while day <= last:
        if servicehours.hours_on(day, office) and not servicehours.holiday_name(day, office):
            out.append(day)
        day += timedelta(days=1)
    return out


# -- step 1: template days through the real operations -----------------------------------


@dataclass
class _Desk:
    counter_id: int
    officer_id: int
    services: list[str]
    free_at: int = 0


def free_desk(ops: Operations, desk: _Desk) -> None:
    """Finish whatever visitor the desk has called or is serving, as its officer would."""
    active = ops.store.read(
        lambda c: c.execute(
            "SELECT id, status FROM tickets WHERE counter_id = ? AND status IN"
            " ('called', 'serving')",
            (desk.counter_id,),
        ).fetchone()
    )
    if active:
        if active[1] == "called":
            ops.start_service(active[0], desk.officer_id)
        ops.finish(active[0], desk.officer_id)


def _guest(rng: random.Random, n: int) -> dict[str, Any]:
    lists = settings.DEFAULTS["lists"]
    first = rng.choice(["Rina", "Ahmad", "Dewi", "Budi", "Siti", "Agus", "Nur", "Hendra"])
    last = rng.choice(["Marlina", "Fauzi", "Lestari", "Saputra", "Rahayu", "Wijaya"])
    return {
        "name": f"{first} {last}",
        "email": f"{first}.{last}.{n}@example.id".lower(),
        "phone": f"0812{rng.randrange(10**7, 10**8)}" if rng.random() < 0.7 else "",
        "sex": rng.choice(lists["sex"]),
        "birth_year": rng.randrange(1960, 2006),
        "education": rng.choice(lists["education"]),
        "occupation": rng.choice(lists["occupation"]),
        "institution_category": rng.choice(lists["institution_category"]),
        "institution_name": rng.choice(["Universitas Sriwijaya", "Bappeda", "PT Data", ""]),
        "purpose": rng.choice(lists["purpose"]),
        "topic": rng.choice(["Inflasi bulanan", "Kemiskinan 2023", "PDRB", "Penduduk"]),
        "consent": True,
    }


def setup_office(ops: Operations) -> list[_Desk]:
    """Create the template office: counters, officers (run once, before any day)."""
    ops.initialise()
    desks = []
    officer_ids = []
    for username, full_name, role in OFFICERS:
        officer_ids.append(ops.save_officer(username, full_name=full_name, role=role, pin="1234"))
    for (name, services), officer in zip(COUNTERS, officer_ids, strict=False):
        counter = ops.save_counter(name, services=services)
        desks.append(_Desk(counter["id"], officer["id"], services))
    return desks


def office_desks(ops: Operations) -> list[_Desk]:
    """The template office's desks in a database made by :func:`setup_office`."""

    def read(conn: sqlite3.Connection) -> list[_Desk]:
        desks = []
        for (name, services), (username, _n, _r) in zip(COUNTERS, OFFICERS, strict=False):
            counter = conn.execute("SELECT id FROM counters WHERE name = ?", (name,)).fetchone()
            officer = conn.execute(
                "SELECT id FROM officers WHERE username = ?", (username,)
            ).fetchone()
            desks.append(_Desk(counter[0], officer[0], services))
        return desks

    return ops.store.read(read)


def run_day(
    ops: Operations,
    clock: FakeClock,
    desks: list[_Desk],
    day: date,
    seed: int,
    *,
    until: int | None = None,
    visitors: int = VISITORS_PER_DAY,
) -> int:
    """Run one office day through the operations; return the number of tickets issued.

    With ``until`` the day stops at that instant, mid-morning, counters still open.

    A small discrete-event simulation: arrivals and each desk's steps (call, start,
    finish or transfer, the visitor's rating) are scheduled at their instants and run
    in time order, so four desks really work side by side.
    """
    rng = random.Random(seed)
    office = settings.DEFAULTS
    opens, closes = servicehours.hours_on(day, office)
    start, end = local_ms(day, opens, TZ), local_ms(day, closes, TZ)
    # Arrivals: busier in the morning, none in the last half hour.
    count = max(visitors // 3, int(rng.gauss(visitors, visitors / 8)))
    span = end - start - 30 * 60_000
    codes, weights = zip(*SERVICE_MIX.items(), strict=True)
    agenda: list[tuple[int, int, str, Any]] = []
    order = iter(range(10**9))

    def at(instant: int, what: str, arg: Any = None) -> None:
        heapq.heappush(agenda, (instant, next(order), what, arg))

    for _ in range(count):
        at(start + int(span * rng.betavariate(1.6, 2.2)), "arrive")
    clock.set(start - 10 * 60_000)
    for desk, officer in zip(desks, OFFICERS, strict=False):
        ops.login(officer[0], "1234", counter_id=desk.counter_id)
        ops.set_counter_status(desk.counter_id, "open", desk.officer_id)
        at(start + rng.randrange(0, 120_000), "free", desk)
    lunch_desk = desks[rng.randrange(len(desks))]
    lunch_at = local_ms(day, "12:00", TZ)
    paused = False
    issued = 0
    while agenda:
        instant, _n, what, arg = heapq.heappop(agenda)
        if until is not None and instant > until:
            clock.set(max(clock.now_ms(), until))
            return issued
        clock.set(max(clock.now_ms(), instant))
        now = clock.now_ms()
        if what == "arrive":
            code = rng.choices(codes, weights)[0]
            priority = rng.choice(office["priority_groups"]) if rng.random() < 0.05 else None
            ops.issue_ticket(code, _guest(rng, seed * 1000 + issued), priority_group=priority)
            issued += 1
        elif what == "free":
            desk = arg
            if now >= end:
                continue
            if desk is lunch_desk and not paused and now >= lunch_at:
                paused = True
                ops.set_counter_status(
                    desk.counter_id, "paused", desk.officer_id, reason="Istirahat"
                )
                at(now + 30 * 60_000, "resume", desk)
                continue
            try:
                ticket = ops.call_next(desk.counter_id, desk.officer_id)
            except DomainError:  # nobody waiting for this desk: look again a bit later
                at(now + 60_000, "free", desk)
                continue
            roll = rng.random()
            if roll < 0.05:  # not present: called again, then marked not present
                at(now + 60_000, "recall", ticket)
                at(now + 120_000, "no_show", ticket)
                at(now + 120_000 + rng.randrange(10_000, 60_000), "free", desk)
            elif roll < 0.07:  # gone to the toilet: back in the queue for later
                at(now + 40_000, "requeue", ticket)
                at(now + 40_000 + rng.randrange(10_000, 60_000), "free", desk)
            else:
                began = now + rng.randrange(20_000, 90_000)
                low, high = SERVICE_MINUTES[ticket["service_code"]]
                ended = began + int(rng.uniform(low, high) * 60_000)
                at(began, "start", ticket)
                at(ended, "transfer" if roll < 0.10 else "finish", ticket)
                at(ended + rng.randrange(10_000, 60_000), "free", desk)
                if roll >= 0.10 and rng.random() < 0.6:
                    at(ended + rng.randrange(30_000, 300_000), "rate", ticket)
        elif what == "resume":
            ops.set_counter_status(arg.counter_id, "open", arg.officer_id)
            at(now, "free", arg)
        elif what == "recall":
            ops.recall(arg["id"], arg["officer_id"])
        elif what == "no_show":
            ops.no_show(arg["id"], arg["officer_id"])
        elif what == "requeue":
            ops.requeue(arg["id"], arg["officer_id"])
        elif what == "start":
            ops.start_service(arg["id"], arg["officer_id"])
        elif what == "finish":
            ops.finish(arg["id"], arg["officer_id"], notes="Data sudah diberikan")
        elif what == "transfer":
            other = rng.choice([c for c in codes if c != arg["service_code"]])
            ops.transfer(arg["id"], other, arg["officer_id"], notes="Perlu layanan lain")
        elif what == "rate":
            _rate(ops, rng, arg["code"])
    clock.set(max(clock.now_ms(), end + 5 * 60_000))
    close_day = getattr(ops, "close_day", None)
    if close_day is not None:  # a schema that knows how to close the day does so
        close_day(day.isoformat())
    for desk in desks:
        ops.set_counter_status(desk.counter_id, "closed", desk.officer_id)
        ops.logout(desk.officer_id, desk.counter_id)
    return issued


def _rate(ops: Operations, rng: random.Random, code: str) -> None:
    ikm = None
    if rng.random() < 0.6:
        ikm = {f"u{i}": rng.choices((1, 2, 3, 4), (1, 4, 30, 65))[0] for i in range(1, 10)}
    flagged = rng.random() < 0.01
    ops.record_rating(
        code,
        rng.choices((1, 2, 3, 4, 5), (1, 2, 8, 35, 54))[0],
        ikm=ikm,
        gratification=flagged if ikm else None,
        extortion=False if ikm else None,
        comment=rng.choice(["", "", "Pelayanan cepat", "Terima kasih"]),
    )


def build_template(path: Path, days: list[date] = TEMPLATE_DAYS) -> Path:
    """Run the template days through the operations into a fresh database at ``path``."""
    clock = FakeClock(local_ms(days[0] - timedelta(days=3), "07:00", TZ))
    ops = Operations(Store(path), clock=clock, machine="template", program="bench")
    desks = setup_office(ops)
    for i, day in enumerate(days):
        run_day(ops, clock, desks, day, seed=i + 1)
    ops.store.close()
    return path


# -- step 2: the generic bulk copy ---------------------------------------------------------


def _columns(conn: sqlite3.Connection, table: str) -> list[tuple[str, str, bool]]:
    """(name, declared type, is integer primary key) of each column of ``table``."""
    rows = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
    return [
        (r[1], (r[2] or "").upper(), bool(r[5]) and (r[2] or "").upper() == "INTEGER") for r in rows
    ]


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " ORDER BY rowid"
        )
    ]


def _references(conn: sqlite3.Connection, table: str, history: set[str]) -> dict[str, str]:
    """Column → history table it points at (declared foreign keys, else ``x_id`` → ``xs``)."""
    refs = {
        r[3]: r[2]
        for r in conn.execute(f'PRAGMA foreign_key_list("{table}")').fetchall()
        if r[2] in history and r[4] in (None, "id")
    }
    for name, _type, _pk in _columns(conn, table):
        if name not in refs and name.endswith("_id") and name[:-3] + "s" in history:
            refs[name] = name[:-3] + "s"
    return refs


def _unique_text(conn: sqlite3.Connection, table: str) -> set[str]:
    """Text columns that carry a unique index of their own."""
    types = {name: kind for name, kind, _pk in _columns(conn, table)}
    out = set()
    for index in conn.execute(f'PRAGMA index_list("{table}")').fetchall():
        if not index[2]:
            continue
        cols = [r[2] for r in conn.execute(f'PRAGMA index_info("{index[1]}")').fetchall()]
        if len(cols) == 1 and "TEXT" in types.get(cols[0], ""):
            out.add(cols[0])
    return out


def _row_day(row: dict[str, Any], day_of_ms: Callable[[int], str]) -> str | None:
    if row.get("service_day"):
        return row["service_day"]
    for key in ("created_at", "at", "issued_at"):
        if isinstance(row.get(key), int):
            return day_of_ms(row[key])
    return None


def _ticket_code(n: int) -> str:
    chars = []
    for _ in range(8):
        n, r = divmod(n, len(CODE_ALPHABET))
        chars.append(CODE_ALPHABET[r])
    return "".join(reversed(chars))


def copy_history(
    template: Path,
    target: Path,
    days: list[date],
    *,
    grown: set[str],
    template_days: list[date] = TEMPLATE_DAYS,
) -> dict:
    """Write ``target``: the template's schema and fixed rows, then ``days`` of copies.

    ``grown`` names the tables whose rows the template days wrote (the history tables).
    Each day gets a template day of its weekday (any template day when none matches).
    Returns row counts per table.
    """
    src = sqlite3.connect(template)
    src.row_factory = sqlite3.Row
    if target.exists():
        target.unlink()
    dst = sqlite3.connect(target, isolation_level=None)
    dst.execute("PRAGMA journal_mode=DELETE")
    dst.execute("PRAGMA synchronous=OFF")
    dst.execute("BEGIN")
    schema = src.execute(
        "SELECT type, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        " ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, rowid"
    ).fetchall()
    for kind, sql in schema:
        if kind == "table":
            dst.execute(sql)

    template_days = {d.isoformat(): d for d in template_days}
    by_weekday: dict[int, list[str]] = {}
    for iso, d in template_days.items():
        by_weekday.setdefault(d.weekday(), []).append(iso)

    tables = _tables(src)
    # Parents before children, so a copy's references are mapped before they are used.
    order: list[str] = []
    deps = {t: set(_references(src, t, grown).values()) - {t} for t in tables if t in grown}
    while len(order) < len(deps):
        for t, needs in deps.items():
            if t not in order and needs <= set(order):
                order.append(t)
                break
        else:
            order.extend(t for t in deps if t not in order)
    plan = {}
    per_day: dict[str, dict[str, list[dict]]] = {}
    for table in tables:
        columns = _columns(src, table)
        names = [c[0] for c in columns]
        rows = [dict(r) for r in src.execute(f'SELECT * FROM "{table}" ORDER BY rowid')]
        if table not in grown:
            _insert(dst, table, names, [[r[n] for n in names] for r in rows])
            continue
        pk = next((c[0] for c in columns if c[2]), None)
        plan[table] = {
            "names": names,
            "pk": pk,
            "refs": _references(src, table, grown),
            "unique": _unique_text(src, table) - {pk},
            "stamps": [n for n, kind, _ in columns if n == "at" or n.endswith("_at")],
        }
        fixed = []
        for row in rows:
            iso = _row_day(row, _local_day)
            if iso in template_days:
                per_day.setdefault(iso, {}).setdefault(table, []).append(row)
            else:
                fixed.append(row)  # written at set-up, before any day: kept as is
        _insert(dst, table, names, [[r[n] for n in names] for r in fixed])
    next_id = {
        t: (dst.execute(f'SELECT COALESCE(MAX("{p["pk"]}"), 0) FROM "{t}"').fetchone()[0] + 1)
        for t, p in plan.items()
        if p["pk"]
    }
    codes_taken = {r[0] for r in src.execute("SELECT code FROM tickets")}
    code_counter = 0
    for k, target_day in enumerate(days, start=1):
        choices = by_weekday.get(target_day.weekday()) or sorted(template_days)
        source_iso = choices[k % len(choices)]
        shift = (target_day - template_days[source_iso]).days * DAY_MS
        new_iso = target_day.isoformat()
        maps: dict[str, dict[int, int]] = {}
        source = per_day.get(source_iso, {})
        for table in order:
            rows = source.get(table, [])
            p = plan[table]
            if p["pk"]:
                ids = {}
                for row in rows:
                    ids[row[p["pk"]]] = next_id[table]
                    next_id[table] += 1
                maps[table] = ids
        for table in order:
            rows = source.get(table, [])
            if not rows:
                continue
            p = plan[table]
            out = []
            for row in rows:
                new = dict(row)
                if p["pk"]:
                    new[p["pk"]] = maps[table][row[p["pk"]]]
                for column, parent in p["refs"].items():
                    old = row[column]
                    if old is not None:
                        new[column] = maps.get(parent, {}).get(old, old)
                for column in p["stamps"]:
                    if isinstance(row[column], int):
                        new[column] = row[column] + shift
                if new.get("service_day"):
                    new["service_day"] = new_iso
                for column in p["unique"]:
                    if row[column] is None:
                        continue
                    if column == "code":
                        while True:
                            code_counter += 1
                            code = _ticket_code(code_counter * 7919 + 104729)
                            if code not in codes_taken:
                                break
                        new[column] = code
                    else:
                        new[column] = f"{k:05d}-{row[column]}"
                if new.get("email"):
                    local, _, domain = new["email"].partition("@")
                    new["email"] = f"{local}+{k}@{domain}"
                out.append([new[n] for n in p["names"]])
            _insert(dst, table, p["names"], out)
    # Indexes and triggers after the rows: building an index once is faster.
    for kind, sql in schema:
        if kind != "table":
            dst.execute(sql)
    dst.execute("COMMIT")
    problems = dst.execute("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise RuntimeError(f"the copy broke references: {problems[:5]}")
    rows = {t: dst.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables}
    dst.close()
    src.close()
    return rows


def _insert(conn: sqlite3.Connection, table: str, names: list[str], rows: list[list]) -> None:
    if rows:
        cols = ", ".join(f'"{n}"' for n in names)
        marks = ", ".join("?" for _ in names)
        conn.executemany(f'INSERT INTO "{table}" ({cols}) VALUES ({marks})', rows)


def _local_day(ms: int) -> str:
    from shared.clock import service_day

    return service_day(ms, TZ)


def grown_tables(before: dict[str, int], after: dict[str, int]) -> set[str]:
    """The tables whose row counts grew between two :func:`counts`: the history tables."""
    return {t for t in after if after[t] > before.get(t, 0)}


def counts(path: Path) -> dict[str, int]:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in _tables(conn)}
    finally:
        conn.close()


def schema_key() -> str:
    """What the cached files depend on: the migrations (names and code) and this format."""
    parts = [str(FORMAT)]
    for migration in migrations._migrations:
        parts += [migration.name, inspect.getsource(migration.fn)]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def cache_folder() -> Path:
    """The cache, holding only files of the current schema (older ones are removed)."""
    folder = Path(tempfile.gettempdir()) / "antrian-pst-bench"
    folder.mkdir(exist_ok=True)
    key = schema_key()
    for stale in folder.glob("*"):
        if stale.name.startswith(("history-", "template-")) and key not in stale.name:
            stale.unlink(missing_ok=True)
    return folder


def template_database(*, rebuild: bool = False) -> tuple[Path, set[str]]:
    """Return the cached template (built once per schema) and its history tables."""
    folder = cache_folder()
    template = folder / f"template-{schema_key()}.db"
    meta = folder / f"template-{schema_key()}.json"
    if rebuild or not (template.exists() and meta.exists()):
        for stale in (template, meta):
            stale.unlink(missing_ok=True)
        fresh = folder / "template-setup.db"
        fresh.unlink(missing_ok=True)
        # The tables that grow during the days are the history; set-up rows are fixed.
        clock = FakeClock(local_ms(TEMPLATE_DAYS[0] - timedelta(days=3), "07:00", TZ))
        ops = Operations(Store(fresh), clock=clock, machine="template", program="bench")
        setup_office(ops)
        ops.store.close()
        before = counts(fresh)
        fresh.unlink()
        build_template(template)
        meta.write_text(json.dumps({"grown": sorted(grown_tables(before, counts(template)))}))
    return template, set(json.loads(meta.read_text())["grown"])


def history_database(years: int, last_day: date, *, rebuild: bool = False) -> tuple[Path, dict]:
    """Return a cached database with ``years`` of working days ending at ``last_day``.

    ``years`` 0 gives the same office with no history at all. Returns the path and its
    row counts. Built once per schema; copy the file before writing to it.
    """
    folder = cache_folder()
    key = f"{schema_key()}-{years}y-{last_day.isoformat()}"
    path = folder / f"history-{key}.db"
    meta = folder / f"history-{key}.json"
    if path.exists() and meta.exists() and not rebuild:
        return path, json.loads(meta.read_text())
    template, grown = template_database(rebuild=rebuild)
    days = []
    if years:
        first = date(last_day.year - years, last_day.month, last_day.day) + timedelta(days=1)
        days = working_days(first, last_day)
    part = path.with_suffix(".part")
    rows = copy_history(template, part, days, grown=grown)
    rows["working_days"] = len(days)
    shutil.move(part, path)
    meta.write_text(json.dumps(rows))
    return path, rows
