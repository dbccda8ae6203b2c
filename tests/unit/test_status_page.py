"""The status page's snapshot and answers, in process: one read per change, no personal data.

The WSGI application is called directly (``wsgiref``'s request environment) over a real
migrated database; the real server process, the browser and the faults are in
``tests/integration/test_status_page.py``.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import datetime
from io import BytesIO
from wsgiref.util import setup_testing_defaults
from zoneinfo import ZoneInfo

import pytest

from shared import errors
from shared.clock import FakeClock
from shared.office import settings
from shared.queue import queries
from shared.queue.operations import Operations
from shared.storage.store import Store, classify
from status_page import texts
from status_page.server import MISS_BURST, MissLimiter, StatusApp
from status_page.snapshot import SnapshotKeeper, open_store

GUEST = {
    "name": "Kartika Wulandari Rahasia",
    "email": "kartika.rahasia@contoh.id",
    "phone": "081377700011",
    "institution_name": "Universitas Rahasiaku Palembang",
    "topic": "Inflasi kecamatan Seberang Ulu rahasia",
    "consent": True,
}
PERSONAL = [GUEST[k] for k in ("name", "email", "phone", "institution_name", "topic")]


class Client:
    """Call the WSGI application like a browser on the office Wi-Fi would."""

    def __init__(self, app: StatusApp) -> None:
        self.app = app

    def __call__(self, path: str, method: str = "GET", address: str = "192.168.1.77", **headers):
        environ: dict = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "REMOTE_ADDR": address,
            "wsgi.input": BytesIO(b""),
        }
        setup_testing_defaults(environ)
        environ.update({f"HTTP_{k.upper()}": v for k, v in headers.items()})
        got: dict = {}

        def start_response(status, response_headers):
            got["status"] = int(status.split()[0])
            got["headers"] = dict(response_headers)

        body = b"".join(self.app(environ, start_response))
        return got["status"], got["headers"], body

    def json(self, path: str, **kwargs):
        status, _headers, body = self(path, **kwargs)
        return status, json.loads(body) if body else None


@pytest.fixture
def web(ops, clock, db_path):
    """A keeper over a read-only store of the test database, and a client of the app."""
    keeper = SnapshotKeeper(open_store(db_path), clock, interval_ms=50)
    client = Client(StatusApp(keeper, clock))
    yield keeper, client
    keeper.stop()
    keeper.store.close()


def open_counter(ops, office, which="counter1"):
    ops.set_counter_status(office[which]["id"], "open", office["officer"]["id"])


def test_positions_follow_the_core_priority_rule(ops, office, web):
    keeper, client = web
    open_counter(ops, office)
    ops.save_setting("regular_per_priority", 1)
    issued = [
        ops.issue_ticket("KS", GUEST),
        ops.issue_ticket("KS", priority_group="elderly"),
        ops.issue_ticket("KS"),
        ops.issue_ticket("KS", priority_group="pregnant"),
        ops.issue_ticket("PS"),
    ]
    ops.call_next(office["counter1"]["id"], office["officer"]["id"])
    keeper.tick()

    def core_position(ticket):
        return ops.store.read(
            lambda c: queries.position(
                c, queries.ticket_by_code(c, ticket["code"]), settings.get_all(c)
            )
        )

    seen = {}
    for ticket in issued:
        status, answer = client.json(f"/api/t/{ticket['code']}")
        assert status == 200, answer
        view = answer["ticket"]
        seen[view["number"]] = view
        if view["status"] == "waiting":
            expected = core_position(ticket)
            assert (view["ahead"], view["estimate_minutes"]) == (
                expected["ahead"],
                expected["estimate_minutes"],
            )
            assert view["position"] == view["ahead"] + 1
    # The priority visitor was called first; the next regular one is now ahead of the
    # second priority visitor (one regular call between two priority calls).
    assert seen["KS-002"]["status"] == "called" and seen["KS-002"]["counter"] == "Loket 1"
    assert [seen[n]["ahead"] for n in ("KS-001", "KS-004", "KS-003")] == [0, 1, 2]
    assert seen["PS-001"]["ahead"] == 0 and seen["PS-001"]["service"]["code"] == "PS"


def test_no_guest_book_field_reaches_any_answer(ops, office, web):
    keeper, client = web
    open_counter(ops, office)
    served = ops.issue_ticket("KS", GUEST)
    waiting = ops.issue_ticket("KS", GUEST)
    called = ops.call_next(office["counter1"]["id"], office["officer"]["id"])
    ops.start_service(called["id"], office["officer"]["id"])
    ops.finish(served["id"], office["officer"]["id"], notes="Rahasia catatan petugas")
    keeper.tick()
    bodies = []
    for path in (
        f"/api/t/{served['code']}",
        f"/api/t/{waiting['code']}",
        f"/t/{served['code']}",
        f"/t/{served['code']}/rate",
        "/api/board",
        "/board",
        "/api/health",
    ):
        status, _headers, body = client(path)
        assert status == 200, path
        bodies.append(body.decode())
    text = "\n".join(bodies)
    for personal in [*PERSONAL, "Rahasia catatan petugas", "Budi Santoso"]:
        assert personal not in text
    done = json.loads(bodies[0])["ticket"]
    assert set(done) == {
        "number",
        "service",
        "day",
        "status",
        "priority",
        "issued_at",
        "counter",
        "rated",
    }
    assert done["status"] == "done" and done["rated"] is False


def test_one_database_read_per_change_however_many_requests(ops, office, web):
    keeper, client = web
    open_counter(ops, office)
    ticket = ops.issue_ticket("KS")
    keeper.tick()
    reads = keeper.reads
    for _ in range(200):
        assert client(f"/api/t/{ticket['code']}")[0] == 200
        assert client("/api/board")[0] == 200
    assert not keeper.tick()  # nothing changed: no read
    assert keeper.reads == reads
    for _ in range(3):
        ops.issue_ticket("PS")
        assert keeper.tick()
    assert keeper.reads == reads + 3 and keeper.changes >= 3
    # Several commits between two polls are one change and one read.
    ops.issue_ticket("PS")
    ops.issue_ticket("PS")
    keeper.tick()
    assert keeper.reads == reads + 4
    health = client.json("/api/health")[1]
    assert health["snapshot_reads"] == keeper.reads and health["requests"] >= 400


def test_ticket_answers_change_their_etag_only_with_the_snapshot(ops, office, web):
    keeper, client = web
    ticket = ops.issue_ticket("KS")
    keeper.tick()
    _status, headers, _body = client(f"/api/t/{ticket['code']}")
    etag = headers["ETag"]
    assert client(f"/api/t/{ticket['code']}", if_none_match=etag)[0] == 304
    ops.issue_ticket("KS")
    keeper.tick()
    assert client(f"/api/t/{ticket['code']}", if_none_match=etag)[0] == 200


def test_yesterdays_ticket_says_its_date(ops, store, db_path):
    clock = FakeClock(datetime(2026, 12, 3, 9, 30, tzinfo=ZoneInfo("Asia/Jakarta")))
    ops = Operations(store, clock=clock, machine="kiosk", program="test")
    ticket = ops.issue_ticket("KS", ignore_hours=True)
    clock.advance(minutes=24 * 60)
    keeper = SnapshotKeeper(open_store(db_path), clock)
    client = Client(StatusApp(keeper, clock))
    try:
        keeper.tick()
        # Just started: yesterday's tickets are still being read; not a miss.
        assert client.json(f"/api/t/{ticket['code']}")[0] == 503
        keeper.tick()  # nothing changed: the next chunk of the history is read
        assert keeper.history_complete and keeper.history_reads == 1
        status, answer = client.json(f"/api/t/{ticket['code']}")
        assert status == 200 and answer["state"] == "past" and answer["day"] == "2026-12-03"
        assert answer["day_text"] == {"id": "3 Desember 2026", "en": "3 December 2026"}
        assert "number" not in json.dumps(answer)
        indonesian = texts.page_texts("id")["past"].format(date=answer["day_text"]["id"])
        assert indonesian == "Tiket ini untuk tanggal 3 Desember 2026."
    finally:
        keeper.store.close()


def test_unknown_and_malformed_codes_get_the_same_404_and_guessers_are_slowed(ops, web):
    keeper, client = web
    ticket = ops.issue_ticket("KS")
    keeper.tick()
    keeper.tick()
    assert keeper.history_complete
    unknown = client("/t/ABCDEFGHJKMN", address="10.0.0.9")
    malformed = client("/t/not-a-code%00'<script>", address="10.0.0.9")
    assert unknown[0] == malformed[0] == 404
    assert unknown[2] == malformed[2]
    assert b"<script>" not in malformed[2]
    assert client.json("/api/t/ZZZZZZZZ", address="10.0.0.9") == (404, {"error": "not_found"})
    assert client.json("/api/t/x", address="10.0.0.9") == (404, {"error": "not_found"})
    for _ in range(MISS_BURST - 4):
        client("/api/t/QQQQQQQQQQQQ", address="10.0.0.9")
    # The allowance is spent: even the right code waits now, from that address only.
    status, headers, _body = client(f"/t/{ticket['code']}", address="10.0.0.9")
    assert status == 429 and int(headers["Retry-After"]) >= 1
    assert client(f"/api/t/{ticket['code']}", address="10.0.0.9")[0] == 429
    assert client(f"/api/t/{ticket['code']}", address="10.0.0.10")[0] == 200
    assert client("/api/board", address="10.0.0.9")[0] == 200


def test_the_miss_allowance_refills_with_time():
    now = [1000.0]
    limiter = MissLimiter(burst=3, refill_s=6, monotonic=lambda: now[0])
    for _ in range(3):
        assert limiter.retry_after("a") == 0
        limiter.miss("a")
    assert limiter.retry_after("a") == 6
    now[0] += 6
    assert limiter.retry_after("a") == 0
    limiter.miss("a")
    assert limiter.retry_after("a") > 0 and limiter.retry_after("b") == 0


def test_only_get_and_head_with_security_headers(ops, web):
    keeper, client = web
    ticket = ops.issue_ticket("KS")
    keeper.tick()
    for method in ("POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH"):
        status, headers, _body = client(f"/t/{ticket['code']}", method=method)
        assert status == 405 and headers["Allow"] == "GET, HEAD"
    got, head = client(f"/t/{ticket['code']}"), client(f"/t/{ticket['code']}", method="HEAD")
    assert head[0] == 200 and head[2] == b"" and head[1]["Content-Length"] == str(len(got[2]))
    for path in (f"/t/{ticket['code']}", "/t/nope", "/board", "/api/board", "/static/style.css"):
        headers = client(path)[1]
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "no-referrer"
        assert headers["X-Frame-Options"] == "DENY"
    assert client("/static/../snapshot.py")[0] == 404
    assert client("/" + "x" * 5000)[0] == 404


def test_a_transferred_visitor_follows_the_new_number(ops, office, web):
    keeper, client = web
    open_counter(ops, office)
    first = ops.issue_ticket("KS", GUEST)
    called = ops.call_next(office["counter1"]["id"], office["officer"]["id"])
    ops.start_service(called["id"], office["officer"]["id"])
    new = ops.transfer(first["id"], "PS", office["officer"]["id"])
    keeper.tick()
    view = client.json(f"/api/t/{first['code']}")[1]["ticket"]
    assert view["status"] == "transferred"
    assert view["transferred_to"]["number"] == new["number"] == "PS-001"
    assert view["transferred_to"]["status"] == "waiting"


def test_the_page_says_unavailable_while_the_file_is_gone_and_recovers(ops, web, db_path):
    keeper, client = web
    ticket = ops.issue_ticket("KS")
    keeper.tick()
    keeper.grace = 0
    away = db_path.with_name("away.db")
    os.rename(db_path, away)
    try:
        with pytest.raises(errors.StorageMissing):
            keeper.tick()
    finally:
        os.rename(away, db_path)
    keeper.available = False  # what the thread concludes after the grace
    assert client.json(f"/api/t/{ticket['code']}") == (503, {"state": "unavailable"})
    assert client(f"/t/{ticket['code']}")[0] == 200  # the page loads, says so, retries
    keeper.available = True
    assert keeper.tick(wanted=True)
    assert client.json(f"/api/t/{ticket['code']}")[0] == 200


def test_the_keeper_thread_reports_trouble_and_recovery(ops, clock, db_path):
    ticket = ops.issue_ticket("KS")
    keeper = SnapshotKeeper(open_store(db_path), clock, interval_ms=20, grace_s=0.1)
    client = Client(StatusApp(keeper, clock))
    keeper.start()
    try:
        assert keeper.wait_ready(5) and keeper.available
        away = db_path.with_name("away.db")
        os.rename(db_path, away)
        deadline = threading.Event()
        for _ in range(100):
            if not keeper.available:
                break
            deadline.wait(0.05)
        assert not keeper.available
        assert client.json(f"/api/t/{ticket['code']}")[0] == 503
        os.rename(away, db_path)
        for _ in range(100):
            if keeper.available:
                break
            deadline.wait(0.05)
        assert keeper.available
        assert client.json(f"/api/t/{ticket['code']}")[0] == 200
    finally:
        keeper.stop()


def test_the_status_page_never_writes_and_holds_no_lock(ops, clock, db_path):
    ticket = ops.issue_ticket("KS")
    ops.store.close()
    before = db_path.read_bytes()
    keeper = SnapshotKeeper(open_store(db_path), clock, interval_ms=20)
    with pytest.raises(RuntimeError):
        keeper.store.write(lambda c: None)
    keeper.start()
    try:
        assert keeper.wait_ready(5)
        writer = sqlite3.connect(db_path, timeout=0, isolation_level=None)
        for _ in range(20):
            # With busy_timeout 0 a lock held by the status page would fail at once.
            writer.execute("BEGIN IMMEDIATE")
            writer.execute("COMMIT")
        writer.close()
        assert db_path.read_bytes() == before
        client = Client(StatusApp(keeper, clock))
        assert client.json(f"/api/t/{ticket['code']}")[0] == 200
    finally:
        keeper.stop()
    assert db_path.read_bytes() == before


def test_a_hot_journal_is_busy_for_a_reader_that_cannot_roll_it_back(tmp_path):
    db = tmp_path / "hot.db"
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("CREATE TABLE t(x)")
    conn.execute("INSERT INTO t VALUES (randomblob(50000))")
    conn.execute("PRAGMA cache_size=1")
    conn.execute("BEGIN IMMEDIATE")
    conn.execute("UPDATE t SET x = randomblob(60000)")
    journal = db.with_name("hot.db-journal")
    assert journal.exists()
    # A writer that died inside its transaction: copy the file and its journal as it left them.
    crashed = tmp_path / "crashed.db"
    crashed.write_bytes(db.read_bytes())
    crashed.with_name("crashed.db-journal").write_bytes(journal.read_bytes())
    conn.execute("ROLLBACK")
    conn.close()
    reader = sqlite3.connect(f"file:{crashed}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as caught:
        reader.execute("SELECT COUNT(*) FROM t").fetchone()
    reader.close()
    assert caught.value.sqlite_errorcode == 776  # SQLITE_READONLY_ROLLBACK
    assert isinstance(classify(caught.value), errors.StorageBusy)


def test_a_read_only_store_opens_with_mode_ro(ops, db_path):
    store = Store(db_path, read_only=True)
    try:
        conn = store.open_connection()
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            conn.execute("CREATE TABLE nope(x)")
        conn.close()
    finally:
        store.close()
