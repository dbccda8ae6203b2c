"""The console's parts, each driven alone on a real database file: no window around them."""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from PySide6.QtWidgets import QWidget

from counter.drafts import DraftBook
from counter.notices import NoticeStrip
from counter.session import ConsoleSession
from counter.snapshot import read_snapshot
from counter.submissions import Submissions
from counter.widgets import DialogSlot
from counter.worker import DatabaseWorker
from shared.install.config import load_config
from shared.qt.app import context_from_args, parser
from tests.conftest import JAKARTA
from tests.gui.counter.conftest import write_config

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def worker(qtbot, ops):
    w = DatabaseWorker(lambda: None)
    yield w
    w.stop()


def test_the_worker_is_idle_only_when_no_read_or_action_is_queued_or_running(qtbot):
    release = threading.Event()
    worker = DatabaseWorker(lambda: release.wait(5))
    try:
        assert worker.idle()
        worker.refresh()  # blocks in the read until released
        worker.submit("finish", lambda: None)  # queued behind it
        assert not worker.idle()
        qtbot.wait(100)
        assert not worker.idle()  # still reading
        release.set()
        qtbot.waitUntil(worker.idle, timeout=3000)
        assert not worker.busy
    finally:
        release.set()
        worker.stop()


def test_a_retry_after_a_storage_failure_is_the_same_operation(qtbot, worker, tmp_path):
    drafts = DraftBook(tmp_path / "drafts")
    submissions = Submissions(worker, drafts)
    drafts.save("ABCD1234EFGH", "KS-001", "Minta data IPM")
    seen: list[str] = []

    def submit() -> None:
        with qtbot.waitSignal(worker.action_succeeded, timeout=3000):
            submissions.submit("finish", ("finish", 7), seen.append, draft_code="ABCD1234EFGH")

    submit()
    assert submissions.is_pending("finish")
    submissions.settle("finish", ok=False, storage=True)  # the share was gone
    submit()
    assert seen[0] == seen[1]  # the retry carries the first try's op_id
    submissions.settle("finish", ok=False)  # refused by the rules: a new try is new
    submit()
    assert seen[2] != seen[1]
    assert drafts.load("ABCD1234EFGH") == "Minta data IPM"  # kept until it is saved
    submissions.settle("finish", ok=True)
    assert not submissions.is_pending("finish")
    assert drafts.load("ABCD1234EFGH") is None


def test_the_notice_strip_warns_of_the_day_end_from_a_snapshot(qtbot, ops, office, clock):
    strip = NoticeStrip("loket-1-pc")
    qtbot.addWidget(strip.area)
    refreshes = []
    strip.refresh_wanted.connect(lambda: refreshes.append(1))
    clock.set(datetime(2026, 11, 27, 15, 50, tzinfo=JAKARTA))  # a Friday: closes at 16:00
    now = clock.now_ms()
    snapshot = ops.store.read(
        lambda conn: read_snapshot(
            conn, now, counter_id=office["counter1"]["id"], machine="loket-1-pc"
        )
    )
    strip.show_day_end(snapshot, now)
    assert set(strip.area.notices) == {"dayend:15"}
    assert "16:00" in strip.area.notices["dayend:15"].text.text()
    assert strip.day_state.full_text() == "Tutup pukul 16:00"
    assert not refreshes  # the snapshot was read after the warnings began
    # Nobody logged in: nothing to say.
    strip.show_day_end(None, now)
    assert not strip.area.notices and not strip.day_state.full_text()


def test_the_session_logs_in_takes_the_counter_and_remembers_it(
    qtbot, worker, ops, office, clock, db_path, tmp_path
):
    config = write_config(tmp_path / "loket-1-pc", db_path, "loket-1-pc")
    args = parser("pst-counter", "").parse_args(["--config", str(config), "--windowed"])
    ctx = context_from_args(args, "counter", clock=clock)
    parent = QWidget()
    qtbot.addWidget(parent)
    said: list[str] = []
    submissions = Submissions(worker, DraftBook(tmp_path / "drafts"))
    session = ConsoleSession(
        ctx, submissions, DialogSlot(), lambda text, **_kw: said.append(text), lambda: None, parent
    )
    qtbot.addWidget(session.login_view)
    # An officer without a counter is told to choose one; nothing is submitted.
    session.request_login("budi", "1234", 0)
    assert session.login_view.message.text() == "Pilih loket tempat Anda bertugas."
    assert not submissions.is_pending("login")

    counter_id = office["counter1"]["id"]
    with qtbot.waitSignal(worker.action_succeeded, timeout=3000) as done:
        session.request_login("budi", "1234", counter_id)
    name, [result] = done.args
    with qtbot.waitSignal(session.logged_in, timeout=1000):
        session.on_succeeded(name, result)
    assert (session.officer["username"], session.counter_id) == ("budi", counter_id)
    assert said == ["Selamat datang, Budi Santoso."]
    held = ops.store.read(
        lambda c: c.execute(
            "SELECT officer_id FROM counters WHERE id = ?", (counter_id,)
        ).fetchone()
    )
    assert held == (office["officer"]["id"],)
    remembered = load_config(config).counter
    assert (remembered.officer, remembered.counter_id) == ("budi", counter_id)
    ctx.store.close()
