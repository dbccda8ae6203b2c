"""A true record of the 10-minute promise over a whole office day (hand-worked timelines).

Wednesday 2026-11-25, Palembang: the office opens 08:00 and closes 15:30; the day is
closed automatically at 16:00 (30 minutes' grace). Target: 10 minutes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime

import pytest

from shared.errors import DomainError
from shared.office import settings
from shared.queue import queries
from shared.queue.supervision import overview
from shared.storage.rows import fetch_all, fetch_one
from tests.conftest import JAKARTA

DAY = "2026-11-25"


def at(hh: int, mm: int, ss: int = 0, *, day: int = 25) -> int:
    return int(datetime(2026, 11, day, hh, mm, ss, tzinfo=JAKARTA).timestamp() * 1000)


def ticket(store, ticket_id: int) -> dict:
    return store.read(lambda c: fetch_one(c, "SELECT * FROM tickets WHERE id = ?", (ticket_id,)))


def outcome(store, ticket_id: int) -> tuple:
    t = ticket(store, ticket_id)
    return t["status"], t["clock_start_at"], t["deadline_at"], t["target_met"]


def count_events(store, kind: str | None = None) -> int:
    sql = "SELECT COUNT(*) FROM events" + (" WHERE kind = ?" if kind else "")
    return store.read(lambda c: c.execute(sql, (kind,) if kind else ()).fetchone()[0])


@pytest.fixture
def desk(ops, office, clock):
    """Loket 1 open (KS and PS) at 08:00 with officer budi."""
    clock.set(at(8, 0))
    counter = office["counter1"]["id"]
    ops.set_counter_status(counter, "open", office["officer"]["id"])
    return counter


def test_requeue_does_not_erase_when_the_visitor_ahead_finished(ops, store, desk, clock):
    # A is called 08:02 and does not come: marked not present 08:05, back in the queue
    # 08:10. B waits; the counter is free since 08:05, so B's deadline is 08:15.
    clock.set(at(8, 0))
    a = ops.issue_ticket("KS")
    clock.set(at(8, 1))
    b = ops.issue_ticket("KS")
    clock.set(at(8, 2))
    assert ops.call_next(desk)["id"] == a["id"]
    clock.set(at(8, 5))
    ops.no_show(a["id"])
    clock.set(at(8, 10))
    ops.requeue(a["id"])
    clock.set(at(8, 30))
    called = ops.call_ticket(b["id"], desk, reason="A belum kembali")
    assert (called["clock_start_at"], called["deadline_at"], called["target_met"]) == (
        at(8, 5),
        at(8, 15),
        0,
    )
    # A's own outcome was fixed when it was first called (in time) and stays so.
    assert outcome(store, a["id"]) == ("waiting", at(8, 0), at(8, 10), 1)
    # The call of A at 08:02 still ends at 08:05 in the record.
    calls = store.read(
        lambda c: fetch_all(c, "SELECT * FROM calls WHERE ticket_id = ? ORDER BY id", (a["id"],))
    )
    assert [(x["called_at"], x["ended_at"], x["end_kind"]) for x in calls] == [
        (at(8, 2), at(8, 5), "no_show")
    ]


def test_a_returned_ticket_called_again_is_not_the_next_visitors_ahead(ops, store, desk, clock):
    clock.set(at(8, 0))
    a = ops.issue_ticket("KS")
    b = ops.issue_ticket("KS")
    clock.set(at(8, 1))
    ops.call_next(desk)
    clock.set(at(8, 3))
    ops.requeue(a["id"])  # the call ends 08:03; A is waiting again at the head
    clock.set(at(8, 20))
    again = ops.call_next(desk)
    assert again["id"] == a["id"] and again["target_met"] == 1  # outcome of its first call
    ops.start_service(a["id"])
    clock.set(at(8, 30))
    ops.finish(a["id"])
    clock.set(at(8, 31))
    second = ops.call_next(desk)
    # B's visitor ahead is A's first call, which ended 08:03: B was due at 08:13.
    assert second["id"] == b["id"]
    assert (second["clock_start_at"], second["deadline_at"], second["target_met"]) == (
        at(8, 3),
        at(8, 13),
        0,
    )
    seqs = store.read(
        lambda c: fetch_all(c, "SELECT ticket_id, call_seq, in_order FROM calls ORDER BY call_seq")
    )
    assert [(x["ticket_id"], x["call_seq"], x["in_order"]) for x in seqs] == [
        (a["id"], 1, 1),
        (a["id"], 2, 0),
        (b["id"], 3, 1),
    ]


def test_an_out_of_order_call_keeps_the_head_of_the_queue_red(ops, store, desk, clock):
    clock.set(at(8, 0))
    first = ops.issue_ticket("KS")
    clock.set(at(8, 1))
    head = ops.issue_ticket("KS")
    clock.set(at(8, 2))
    ops.call_next(desk)
    ops.start_service(first["id"])
    clock.set(at(8, 5))
    ops.finish(first["id"])  # head's clock starts 08:05, deadline 08:15
    clock.set(at(8, 6))
    other = ops.issue_ticket("KS")
    clock.set(at(8, 12))
    ops.call_ticket(other["id"], desk, reason="janji temu")

    def head_target(now):
        clock.set(now)
        office = store.read(settings.get_all)
        service = store.read(lambda c: fetch_one(c, "SELECT * FROM services WHERE code = 'KS'"))
        waiting = ticket(store, head["id"])
        return store.read(lambda c: queries.head_target(c, service, waiting, office, now))

    assert head_target(at(8, 13)).level == "warning"
    assert head_target(at(8, 16)).level == "breached"  # not "visitor ahead still served"
    ops.start_service(other["id"])
    clock.set(at(8, 20))
    ops.finish(other["id"])
    clock.set(at(8, 21))
    called = ops.call_next(desk)
    assert called["id"] == head["id"]
    assert (called["clock_start_at"], called["deadline_at"], called["target_met"]) == (
        at(8, 5),
        at(8, 15),
        0,
    )


def test_a_priority_call_by_the_fair_rule_is_the_next_visitors_ahead(ops, store, desk, clock):
    """The design's call order: a priority visitor served first restarts the clock."""
    clock.set(at(8, 0))
    regular = ops.issue_ticket("KS")
    clock.set(at(8, 1))
    ops.issue_ticket("KS", priority_group="elderly")
    clock.set(at(8, 2))
    priority_call = ops.call_next(desk)
    assert priority_call["priority_group"] == "elderly"
    ops.start_service(priority_call["id"])
    clock.set(at(8, 25))
    ops.finish(priority_call["id"])
    clock.set(at(8, 30))
    called = ops.call_next(desk)
    assert called["id"] == regular["id"]
    assert (called["clock_start_at"], called["target_met"]) == (at(8, 25), 1)


def test_pausing_or_closing_with_a_called_visitor_is_refused_until_the_call_ends(
    ops, store, desk, clock
):
    ops.issue_ticket("KS")
    called = ops.call_next(desk)
    before = count_events(store)
    with pytest.raises(DomainError, match="before pausing"):
        ops.set_counter_status(desk, "paused", reason="Istirahat")
    with pytest.raises(DomainError, match="before closing"):
        ops.set_counter_status(desk, "closed")
    assert count_events(store) == before
    ops.no_show(called["id"])
    ops.set_counter_status(desk, "paused", reason="Istirahat")
    assert count_events(store) == before + 2


def test_closing_the_day_counts_uncalled_tickets_by_their_deadline(ops, store, office, desk, clock):
    """Four KS visitors: one met, one missed when called, one never called after its
    deadline (missed), one issued just before closing (excluded); and a PJ visitor met.
    Before closing 2 met / 1 missed; after it 2 met / 2 missed = 50 %."""
    clock.set(at(14, 0))
    t1 = ops.issue_ticket("KS")
    t2 = ops.issue_ticket("KS")
    t3 = ops.issue_ticket("KS")
    clock.set(at(14, 1))
    ops.call_next(desk)  # t1: first of the day, clock from 14:00 → met
    ops.start_service(t1["id"])
    clock.set(at(14, 5))
    ops.finish(t1["id"])
    clock.set(at(14, 20))
    ops.call_next(desk)  # t2: due 14:15 → missed
    ops.start_service(t2["id"])
    clock.set(at(15, 0))
    ops.finish(t2["id"])  # t3's clock starts 15:00, due 15:10, never called
    clock.set(at(15, 25))
    t4 = ops.issue_ticket("KS")  # due 15:35, after closing 15:30
    # A second counter left open with a visitor being served stays with its officer.
    counter2 = office["counter2"]["id"]
    ops.set_counter_status(counter2, "open", office["supervisor"]["id"])
    pj = ops.issue_ticket("PJ")
    ops.call_ticket(pj["id"], counter2, reason="produk sudah disiapkan")
    ops.start_service(pj["id"])

    clock.set(at(15, 59))
    assert ops.close_due_days() == []  # not yet: 15:30 + 30 minutes' grace
    assert round(store.read(lambda c: overview(c, at(15, 59)).compliance.percent), 1) == 66.7

    clock.set(at(16, 0))
    [summary] = ops.close_due_days()
    assert summary["unserved"] == ["KS-003", "KS-004"]
    assert (summary["missed"], summary["excluded"]) == (1, 1)
    assert summary["counters"] == ["Loket 1"]
    assert outcome(store, t3["id"]) == ("unserved", at(15, 0), at(15, 10), 0)
    assert outcome(store, t4["id"]) == ("unserved", at(15, 25), at(15, 35), None)
    assert ticket(store, pj["id"])["status"] == "serving"
    counters = {c["name"]: c for c in store.read(queries.counters)}
    assert (counters["Loket 1"]["status"], counters["Loket 1"]["officer_id"]) == ("closed", None)
    assert counters["Loket 2"]["status"] == "open"
    assert count_events(store, "day_close") == 1
    compliance = store.read(lambda c: overview(c, at(16, 0)).compliance)
    assert (compliance.met, compliance.missed) == (2, 2)
    assert compliance.percent == 50.0

    # A second run, by another PC or by hand, finds nothing and writes nothing.
    before = count_events(store)
    assert ops.close_due_days() == []
    assert ops.close_day(DAY) is None
    assert count_events(store) == before


def test_the_next_morning_starts_clean_after_a_night_with_every_pc_off(ops, store, desk, clock):
    clock.set(at(15, 0))
    waiting = ops.issue_ticket("KS")
    called = ops.issue_ticket("KS")
    ops.call_ticket(called["id"], desk, reason="uji")
    # Nobody ran anything after 15:00; the first PC starts at 07:30 on Thursday.
    clock.set(at(7, 30, day=26))
    [summary] = ops.close_due_days()
    assert summary["day"] == DAY
    # The rule uses Wednesday's closing time, not Thursday morning's clock: the waiting
    # ticket was due 15:10 (before 15:30) → missed.
    assert outcome(store, waiting["id"])[0::3] == ("unserved", 0)
    assert ticket(store, called["id"])["status"] == "unserved"
    assert ticket(store, called["id"])["target_met"] == 1  # called in time at 15:00
    assert (
        store.read(lambda c: fetch_one(c, "SELECT * FROM counters WHERE id = ?", (desk,)))["status"]
        == "closed"
    )
    assert store.read(
        lambda c: c.execute(
            "SELECT ended_at FROM calls WHERE ticket_id = ?", (called["id"],)
        ).fetchone()[0]
    ) == at(7, 30, day=26)
    # Thursday starts at KS-001 with an empty queue.
    clock.set(at(8, 0, day=26))
    ops.set_counter_status(desk, "open")
    assert ops.issue_ticket("KS")["number"] == "KS-001"
    assert [
        t["number"] for t in store.read(lambda c: queries.waiting_tickets(c, ["KS"], "2026-11-26"))
    ] == ["KS-001"]


def test_closing_today_by_hand_before_the_cutoff_closes_it_now(ops, store, desk, clock):
    clock.set(at(11, 0))
    t = ops.issue_ticket("KS")  # nobody called since opening: clock 11:00, due 11:10
    clock.set(at(11, 5))
    summary = ops.close_day()
    assert summary["unserved"] == ["KS-001"] and summary["excluded"] == 1
    assert outcome(store, t["id"]) == ("unserved", at(11, 0), at(11, 10), None)
    with pytest.raises(DomainError, match="not begun"):
        ops.close_day("2026-11-26")


def test_pst_admin_day_close_in_a_real_process(ops, store, desk, clock, db_path):
    clock.set(at(14, 0))
    ops.issue_ticket("KS")
    clock.set(at(15, 29))
    ops.issue_ticket("KS")
    store.close()
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    run = [sys.executable, "-m", "shared.cli.main", "--db", str(db_path), "--json"]
    first = subprocess.run(
        [*run, "day", "close", "--day", DAY], capture_output=True, text=True, env=env, timeout=60
    )
    assert first.returncode == 0, first.stderr
    result = json.loads(first.stdout)
    assert (result["closed"], result["unserved"], result["missed"], result["excluded"]) == (
        True,
        ["KS-001", "KS-002"],
        1,
        1,
    )
    again = subprocess.run(
        [*run, "day", "close", "--day", DAY], capture_output=True, text=True, env=env, timeout=60
    )
    assert again.returncode == 0 and json.loads(again.stdout)["closed"] is False
    listed = subprocess.run(
        [*run, "ticket", "list", "--day", DAY], capture_output=True, text=True, env=env, timeout=60
    )
    assert {t["status"] for t in json.loads(listed.stdout)["tickets"]} == {"unserved"}
    bad = subprocess.run(
        [*run, "day", "close", "--day", "2026-13-45"], capture_output=True, text=True, env=env
    )
    assert bad.returncode == 2
    assert json.loads(bad.stdout)["error"]["kind"] == "usage" and "YYYY-MM-DD" in bad.stdout


def test_an_office_database_from_the_first_schema_migrates_with_its_calls(tmp_path, clock):
    """A database made before calls were recorded: its calls are rebuilt from tickets."""
    import sqlite3

    import sqlite_utils

    from shared.queue.operations import Operations
    from shared.storage.schema import migrate, migrations
    from shared.storage.store import Store

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(sqlite_utils.Database(conn), stop_before="m002_calls")
    conn.close()
    store = Store(path)
    old = Operations(store, clock=clock, machine="old-pc", program="test")
    store.write(
        lambda c: c.execute(
            "INSERT INTO services(code, name_id, name_en) VALUES ('KS', 'Konsultasi', 'Consult')"
        )
    )
    cid = store.write(lambda c: c.execute("INSERT INTO counters(name) VALUES ('L1')").lastrowid)
    clock.set(at(8, 0))
    old.set_counter_status(cid, "open")
    # Rows as the first schema's operations left them: a finished call, a waiting one.
    store.write(
        lambda c: c.executemany(
            "INSERT INTO tickets(code, service_code, service_day, seq, number, status,"
            " issued_at, call_seq, first_called_at, called_at, ended_at, counter_id)"
            " VALUES (?, 'KS', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (
                    "AAAA2222",
                    DAY,
                    1,
                    "KS-001",
                    "done",
                    at(8, 0),
                    1,
                    at(8, 1),
                    at(8, 1),
                    at(8, 9),
                    cid,
                ),
                ("BBBB2222", DAY, 2, "KS-002", "waiting", at(8, 2), None, None, None, None, None),
            ],
        )
    )
    assert store.write(migrate)[0] == "m002_calls"
    calls = store.read(lambda c: fetch_all(c, "SELECT * FROM calls"))
    assert [(x["call_seq"], x["ended_at"], x["end_kind"]) for x in calls] == [(1, at(8, 9), "done")]
    assert store.integrity_check() == []
    clock.set(at(8, 30))
    assert old.close_day()["unserved"] == ["KS-002"]
    assert outcome(store, 2) == ("unserved", at(8, 9), at(8, 19), 0)


def test_a_counter_opened_after_closing_stays_open_until_the_next_morning(
    ops, store, office, clock
):
    counter = office["counter1"]["id"]
    clock.set(at(17, 0))
    ops.set_counter_status(counter, "open", office["officer"]["id"])  # working late
    clock.set(at(17, 5))
    assert ops.close_due_days() == []
    clock.set(at(7, 45, day=26))
    [summary] = ops.close_due_days()
    assert (summary["day"], summary["counters"], summary["unserved"]) == (DAY, ["Loket 1"], [])
    # Thursday's counters opened after that are not touched by Wednesday's closing.
    clock.set(at(8, 0, day=26))
    ops.set_counter_status(counter, "open", office["officer"]["id"])
    assert ops.close_day(DAY) is None
