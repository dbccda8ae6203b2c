"""A repeated operation answers exactly as the first time, from a compact stored result.

Events keep each operation's result deflated against a preset dictionary
(:mod:`shared.storage.eventresult`); results written as JSON text by earlier versions are still
read. Whatever the form, a retry with the same ``op_id`` returns the first answer and
changes nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import sqlite3

import pytest
import sqlite_utils
from hypothesis import given
from hypothesis import strategies as st

from shared.cli import main as admin
from shared.office import settings
from shared.queue.operations import Operations
from shared.storage import eventresult
from shared.storage.schema import known_migrations, migrations
from shared.storage.store import Store

GUEST = {
    "name": "Rina Marlina",
    "email": "rina@example.id",
    "phone": "081234567801",
    "institution_name": "Universitas Sriwijaya",
    "topic": "Data kemiskinan kabupaten",
    "consent": True,
}


def normal(value):
    """What a value looks like after a trip through JSON (tuples become lists)."""
    return json.loads(json.dumps(value))


def counts(store: Store) -> tuple[int, int, int]:
    return store.read(
        lambda c: tuple(
            c.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            for table in ("events", "tickets", "ratings")
        )
    )


def a_day_of_operations(ops: Operations, office: dict, clock) -> list:
    """Every repeatable operation once, each with its own op_id; return (retry, first)."""
    counter, officer = office["counter1"]["id"], office["officer"]["id"]
    steps = []

    def do(name, fn, *args, **kwargs):
        op_id = f"op-{len(steps)}-{name}"
        first = fn(*args, op_id=op_id, **kwargs)
        steps.append((name, lambda: fn(*args, op_id=op_id, **kwargs), first))
        clock.advance(seconds=40)
        return first

    do("open", ops.set_counter_status, counter, "open", officer)
    ticket = do("issue", ops.issue_ticket, "KS", GUEST)
    other = do("issue-priority", ops.issue_ticket, "KS", priority_group="elderly")
    do("call_ticket", ops.call_ticket, other["id"], counter, officer, reason="Lansia")
    do("requeue", ops.requeue, other["id"], officer)
    do("call_next", ops.call_next, counter, officer)
    do("recall", ops.recall, other["id"], officer)
    do("no_show", ops.no_show, other["id"], officer)
    do("call_next-2", ops.call_next, counter, officer)
    do("start", ops.start_service, ticket["id"], officer)
    do("notes", ops.save_notes, ticket["id"], "Data kemiskinan 2020–2025 dikirim lewat surel")
    do("finish", ops.finish, ticket["id"], officer, notes="Selesai, data diberikan")
    do("rating", ops.record_rating, ticket["code"], 5, ikm={f"u{i}": 4 for i in range(1, 10)})
    third = do("issue-3", ops.issue_ticket, "KS", GUEST)
    do("call_next-3", ops.call_next, counter, officer)
    do("start-3", ops.start_service, third["id"], officer)
    do("transfer", ops.transfer, third["id"], "PS", officer, notes="Perlu perpustakaan")
    do("pause", ops.set_counter_status, counter, "paused", officer, reason="Istirahat")
    do("close", ops.set_counter_status, counter, "closed", officer)
    do("day_close", ops.close_day)
    return steps


def test_every_operation_repeated_answers_the_same_and_changes_nothing(ops, office, clock, store):
    steps = a_day_of_operations(ops, office, clock)
    before = counts(store)
    for name, retry, first in steps:
        assert retry() == normal(first), name
    assert counts(store) == before
    # The day-close summary has nothing more to do on a second run either way.
    assert steps[-1][2] is not None


def test_results_are_kept_compact_and_decode_to_the_answer(ops, office, clock, store):
    steps = a_day_of_operations(ops, office, clock)
    rows = store.read(
        lambda c: c.execute(
            "SELECT op_id, result FROM events WHERE op_id LIKE 'op-%' ORDER BY id"
        ).fetchall()
    )
    assert [op_id for op_id, _ in rows] == [
        f"op-{i}-{name}" for i, (name, _, _) in enumerate(steps)
    ]
    for (op_id, stored), (name, _, first) in zip(rows, steps, strict=True):
        assert isinstance(stored, bytes) and stored[0] == eventresult.FORMAT, op_id
        as_text = json.dumps(first, ensure_ascii=False).encode("utf-8")
        # A ticket row as JSON text is ~600 bytes: kept, a quarter of it at most; a small
        # result (a day's summary, a counter) half of it.
        share = 4 if len(as_text) > 400 else 2
        assert len(stored) <= len(as_text) / share, (name, len(stored), len(as_text))
        assert eventresult.decode(stored) == normal(first), name


def test_the_dictionary_of_format_1_never_changes():
    # Results stored in offices' files are deflated against it: a change would make
    # every one of them unreadable. A new dictionary is a new format number.
    assert hashlib.sha256(eventresult.DICTIONARY_1).hexdigest() == (
        "b6bb1341da75ac6a8aeac2a39cf73ce6d4e89e8d8df7b4a6915a722048cd35a1"
    )


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@given(json_values)
def test_any_json_value_comes_back_unchanged(value):
    stored = eventresult.encode(value)
    assert value is None or isinstance(stored, bytes)
    assert eventresult.decode(stored) == value


def test_an_unknown_format_is_a_bug_not_a_wrong_answer():
    with pytest.raises(ValueError, match="unknown result format"):
        eventresult.decode(b"\x07abc")


def test_a_file_of_the_previous_schema_keeps_its_answers_after_init(
    tmp_path, clock, monkeypatch, capsys
):
    """Results written as JSON text before the compact form are still the answers."""
    path = tmp_path / "office.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrations.apply(sqlite_utils.Database(conn), stop_before="m004_compact_results")
    conn.execute(f"PRAGMA user_version = {len(known_migrations()) - 1}")
    for order, (code, name_id, name_en, minutes) in enumerate(settings.DEFAULT_SERVICES):
        conn.execute(
            "INSERT INTO services(code, name_id, name_en, target_minutes, sort_order)"
            " VALUES (?, ?, ?, ?, ?)",
            (code, name_id, name_en, minutes, order),
        )
    conn.close()
    # What the previous version's operations wrote: the result as JSON text.
    monkeypatch.setattr(
        eventresult,
        "encode",
        lambda result: None if result is None else json.dumps(result, ensure_ascii=False),
    )
    store = Store(path)
    old = Operations(store, clock=clock, machine="kiosk-1", program="old")
    counter = old.save_counter("Loket 1", services=["KS"])["id"]
    old.set_counter_status(counter, "open")
    ticket = old.issue_ticket("KS", GUEST, op_id="kiosk-tap-1")
    called = old.call_next(counter, op_id="press-1")
    store.close()
    monkeypatch.undo()
    kinds = sqlite3.connect(path).execute(
        "SELECT DISTINCT typeof(result) FROM events WHERE op_id IS NOT NULL"
    )
    assert {k for (k,) in kinds} == {"text"}

    with contextlib.redirect_stdout(io.StringIO()):
        assert admin.main(["--db", str(path), "init"], clock=clock) == 0
    store = Store(path, create=False)
    ops = Operations(store, clock=clock, machine="kiosk-1", program="new")
    before = counts(store)
    assert ops.issue_ticket("KS", GUEST, op_id="kiosk-tap-1") == normal(ticket)
    assert ops.call_next(counter, op_id="press-1") == normal(called)
    assert counts(store) == before
    fresh = ops.issue_ticket("KS", op_id="kiosk-tap-2")
    assert ops.issue_ticket("KS", op_id="kiosk-tap-2") == normal(fresh)
    store.close()
    capsys.readouterr()
    # pst-admin's own retry answers with the number the kiosk printed the first time.
    argv = ["--db", str(path), "--json", "ticket", "issue", "--op-id", "kiosk-tap-1"]
    assert admin.main(argv, clock=clock) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["ticket"]["number"] == ticket["number"] == "KS-001"
    assert printed["ticket"]["code"] == ticket["code"]
