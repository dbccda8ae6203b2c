"""Every per-event read and write costs the same after months of history as on day one.

A template office day runs through the real operations; the benchmark's generic copier
(``bench/history.py``) fills a month, and seven months, of working days with copies of it. The same
morning then runs on that file and on one without history, and the hot paths are
compared two ways that do not depend on the machine's speed:

* SQLite's own count of virtual-machine steps for each operation and screen read;
* ``EXPLAIN QUERY PLAN`` of every statement they run: no history table is scanned, and
  no search of one is bounded only by something that spans every day (a service code).
"""

from __future__ import annotations

import re
import shutil
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from bench import history
from counter.snapshot import read_snapshot
from display.board import read_board
from kiosk.backend import read_overview
from shared.clock import FakeClock, local_ms
from shared.queue import heartbeat, supervision
from shared.queue.operations import Operations
from shared.storage.poller import ChangePoller
from shared.storage.store import Store

TZ = "Asia/Jakarta"
TEMPLATE_DAY = date(2026, 11, 18)  # a Wednesday
TODAY = date(2026, 11, 25)  # the Wednesday after
HISTORY_TABLES = {"tickets", "events", "ratings", "visits", "visitors", "calls"}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    """Files with no history, a month of it and seven months, the same office in each."""
    folder = tmp_path_factory.mktemp("history")
    template = folder / "template.db"
    clock = FakeClock(local_ms(TEMPLATE_DAY, "06:00", TZ))
    ops = Operations(Store(template), clock=clock, machine="template", program="test")
    desks = history.setup_office(ops)
    ops.store.close()
    before = history.counts(template)
    ops = Operations(Store(template), clock=clock, machine="template", program="test")
    history.run_day(ops, clock, desks, TEMPLATE_DAY, seed=3, visitors=24)
    ops.store.close()
    grown = history.grown_tables(before, history.counts(template))
    days = history.working_days(date(2026, 5, 1), date(2026, 11, 24))
    out = {"template": template, "grown": grown, "days": days}
    # A month of history already fills every bounded window (the last finished visits,
    # the recent calls); six months more must add no work at all.
    for name, wanted in (("empty", []), ("month", days[-30:]), ("history", days)):
        out[name] = folder / f"{name}.db"
        out[f"{name}_rows"] = history.copy_history(
            template, out[name], wanted, grown=grown, template_days=[TEMPLATE_DAY]
        )
    return out


def test_the_copier_writes_a_faithful_history(files):
    rows, day_rows = files["history_rows"], history.counts(files["template"])
    empty = files["empty_rows"]
    assert {"tickets", "events", "ratings", "visits", "visitors"} <= files["grown"]
    assert "officers" not in files["grown"] and "counters" not in files["grown"]
    n = len(files["days"])
    for table in files["grown"]:
        per_day = day_rows[table] - empty[table]
        assert per_day > 0
        assert rows[table] == empty[table] + n * per_day, table
    conn = sqlite3.connect(files["history"])
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        # Ids grow with time, as in a file that lived through those days.
        days = [r[0] for r in conn.execute("SELECT service_day FROM tickets ORDER BY id")]
        assert days == sorted(days) and days[0] == files["days"][0].isoformat()
        stamps = [r[0] for r in conn.execute("SELECT at FROM events WHERE kind = 'issue'")]
        assert stamps == sorted(stamps)
        # Every ticket's events and guest-book record are its own copy's.
        assert (
            conn.execute(
                "SELECT COUNT(*) FROM events e JOIN tickets t ON t.id = e.ticket_id"
                " WHERE e.kind = 'issue' AND e.at != t.issued_at"
            ).fetchone()[0]
            == 0
        )
        assert (
            conn.execute(
                "SELECT COUNT(*) FROM tickets t JOIN visits v ON v.id = t.visit_id"
                " WHERE v.created_at > t.issued_at OR v.created_at < t.issued_at - 86400000"
            ).fetchone()[0]
            == 0
        )
        codes = conn.execute("SELECT COUNT(DISTINCT code), COUNT(*) FROM tickets").fetchone()
        assert codes[0] == codes[1]
        # Append-only events stay append-only in the copy.
        with pytest.raises(sqlite3.IntegrityError):
            conn.execute("DELETE FROM events WHERE id = 1")
    finally:
        conn.close()


class Steps:
    """Count SQLite virtual-machine steps on a connection (the work a statement does)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.count = 0
        conn.set_progress_handler(self._tick, 1)

    def _tick(self) -> int:
        self.count += 1
        return 0


def _today(path: Path, tmp_path: Path, name: str) -> tuple[Operations, FakeClock, list]:
    work = tmp_path / f"{name}.db"
    shutil.copy(path, work)
    clock = FakeClock(local_ms(TODAY, "07:00", TZ))
    ops = Operations(Store(work), clock=clock, machine="kiosk-1", program="test")
    ops.initialise()
    desks = history.office_desks(ops)
    history.run_day(
        ops, clock, desks, TODAY, seed=11, until=local_ms(TODAY, "10:00", TZ), visitors=24
    )
    return ops, clock, desks


def _hot_paths(ops: Operations, clock: FakeClock, desks: list) -> dict:
    """Run each per-event path once; return a name → callable map, in order."""
    desk = desks[0]
    guest = history._guest(__import__("random").Random(5), 777)
    poller = ChangePoller(ops.store)
    state: dict = {}

    def free_desk() -> None:
        history.free_desk(ops, desk)

    def call_next():
        state["ticket"] = ops.call_next(desk.counter_id, desk.officer_id)

    now = clock.now_ms
    return {
        "issue": lambda: ops.issue_ticket("KS", guest),
        "_free": free_desk,
        "call_next": call_next,
        "recall": lambda: ops.recall(state["ticket"]["id"], desk.officer_id),
        "start": lambda: ops.start_service(state["ticket"]["id"], desk.officer_id),
        "finish": lambda: ops.finish(state["ticket"]["id"], desk.officer_id, notes="ok"),
        "rating": lambda: ops.record_rating(state["ticket"]["code"], 5, ikm={"u1": 4}),
        "_issue": lambda: ops.issue_ticket("KS"),
        "call_next_again": lambda: state.update(
            second=ops.call_next(desk.counter_id, desk.officer_id)
        ),
        "no_show": lambda: ops.no_show(state["second"]["id"], desk.officer_id),
        "requeue": lambda: ops.requeue(state["second"]["id"], desk.officer_id),
        "call_out_of_order": lambda: ops.call_ticket(
            state["second"]["id"], desk.counter_id, desk.officer_id, reason="Kembali"
        ),
        "start_again": lambda: ops.start_service(state["second"]["id"], desk.officer_id),
        "transfer": lambda: ops.transfer(state["second"]["id"], "PS", desk.officer_id),
        "pause": lambda: ops.set_counter_status(
            desk.counter_id, "paused", desk.officer_id, reason="Istirahat"
        ),
        "reopen": lambda: ops.set_counter_status(desk.counter_id, "open", desk.officer_id),
        "heartbeat": lambda: heartbeat.beat(ops, {"printer": "ok"}),
        "poll": poller.check,
        "board": lambda: ops.store.read(lambda c: read_board(c, now(), after_event_id=0)),
        "console": lambda: ops.store.read(
            lambda c: read_snapshot(
                c, now(), counter_id=desk.counter_id, machine="pc", with_supervision=True
            )
        ),
        "supervisor": lambda: ops.store.read(lambda c: supervision.overview(c, now())),
        "kiosk": lambda: ops.store.read(lambda c: read_overview(c, now())),
    }


def _steps(path: Path, tmp_path: Path, name: str) -> dict[str, int]:
    ops, clock, desks = _today(path, tmp_path, name)
    steps = Steps(ops.store._connection())
    out = {}
    for label, run in _hot_paths(ops, clock, desks).items():
        clock.advance(seconds=20)
        before = steps.count
        run()
        out[label] = steps.count - before
    ops.store.close()
    return out


def test_each_operation_and_screen_does_the_same_work_with_months_of_history(files, tmp_path):
    month = _steps(files["month"], tmp_path, "month")
    full = _steps(files["history"], tmp_path, "history")
    grew = {
        label: (month[label], full[label])
        for label in month
        if not label.startswith("_") and full[label] > month[label] * 1.05 + 50
    }
    assert grew == {}, f"work grew with history (steps with one month, with seven): {grew}"


PLAN_SCAN = re.compile(r"^SCAN (\w+)")
PLAN_SEARCH = re.compile(
    r"^SEARCH (\w+) USING (?:COVERING )?(?:INDEX (\w+)|INTEGER PRIMARY KEY) \((.*)\)"
)
# Constraints that reach only today's rows, one row, or the newest rows first.
BOUNDED = re.compile(
    r"service_day[=<>]|rowid=\?|rowid>\?|\bid=\?|\bcode=\?|op_id=\?|ticket_id=\?|visitor_id=\?"
    r"|email=\?|phone=\?|created_at>\?|\bat>\?|ended_at>\?|counter_id"
)


def _unbounded(plan: list[str], aliases: dict[str, str]) -> list[str]:
    bad = []
    sorts = any("USE TEMP B-TREE" in line for line in plan)
    for line in plan:
        scan = PLAN_SCAN.match(line)
        if scan and aliases.get(scan.group(1), scan.group(1)) in HISTORY_TABLES:
            bad.append(line)
        search = PLAN_SEARCH.match(line)
        if search and aliases.get(search.group(1), search.group(1)) in HISTORY_TABLES:
            constraint = search.group(3)
            if not BOUNDED.search(constraint):
                bad.append(line)
            elif "service_day" not in constraint and "ended_at>" in constraint and sorts:
                bad.append(line + " (then sorted)")
    return bad


def _aliases(sql: str) -> dict[str, str]:
    return {
        alias: table
        for table, alias in re.findall(r"(?:FROM|JOIN)\s+(\w+)\s+(?:AS\s+)?(\w+)", sql, re.I)
        if alias.upper() not in {"WHERE", "JOIN", "ON", "LEFT", "ORDER", "GROUP", "LIMIT"}
    }


def test_no_hot_statement_scans_history(files, tmp_path):
    ops, clock, desks = _today(files["history"], tmp_path, "plans")
    conn = ops.store._connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    for run in _hot_paths(ops, clock, desks).values():
        clock.advance(seconds=20)
        run()
    conn.set_trace_callback(None)
    checked, bad = 0, {}
    for sql in dict.fromkeys(statements):
        if not sql.lstrip().upper().startswith(("SELECT", "UPDATE", "DELETE", "INSERT")):
            continue
        plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
        checked += 1
        problems = _unbounded(plan, _aliases(sql))
        if problems:
            bad[sql[:160]] = problems
    ops.store.close()
    assert checked > 40
    assert bad == {}, bad


def test_the_plan_check_catches_a_whole_history_sort(files, tmp_path):
    """The check above would fail on a query that reads every finished ticket of a service."""
    conn = sqlite3.connect(files["history"])
    try:
        sql = (
            "SELECT ended_at FROM tickets WHERE service_code = 'KS' AND status = 'done'"
            " ORDER BY COALESCE(started_at, called_at) DESC LIMIT 20"
        )
        plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
        assert _unbounded(plan, {}) != []
        sql = "SELECT COUNT(*) FROM ratings WHERE flagged = 1"
        plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
        assert _unbounded(plan, {}) != []
    finally:
        conn.close()


def test_the_counter_plan_reads_only_its_weeks(files):
    """The plan reads its weeks of tickets by day: a query bounded by ``service_day``,
    and four weeks cost the same work with one month of history as with seven."""
    from shared.planning.forecast import read_history

    work = {}
    for name in ("month", "history"):
        conn = sqlite3.connect(files[name])
        try:
            statements: list[str] = []
            conn.set_trace_callback(statements.append)
            steps = Steps(conn)
            history = read_history(conn, TODAY, 4)
            work[name] = steps.count
            conn.set_trace_callback(None)
            days = sorted({r[2] for r in history.rows})
            assert len(days) == 20 and days[0] >= "2026-10-28" and days[-1] == "2026-11-24"
            for sql in statements:
                if "tickets" not in sql:
                    continue
                plan = [row[-1] for row in conn.execute("EXPLAIN QUERY PLAN " + sql).fetchall()]
                assert _unbounded(plan, _aliases(sql)) == [], plan
                assert any("service_day>" in line for line in plan), plan
        finally:
            conn.close()
    assert work["history"] <= work["month"] * 1.05 + 50, work
