"""Countdowns, non-modal alerts, and what happens when the shared database goes away."""

from __future__ import annotations

import sqlite3

import pytest
from PySide6.QtCore import Qt

from counter import actions
from shared.clock import FakeClock
from shared.queue import heartbeat
from shared.queue.operations import Operations
from tests.gui.counter.conftest import GUEST, log_in_officer, press, settle, ticket

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _head_level(window, code="KS"):
    chip = window.officer_view.queue.head_chips.get(code)
    return chip.property("level") if chip is not None else None


def _row_level(window, row=0):
    item = window.officer_view.queue.table.item(row, 5)
    return item.data(Qt.ItemDataRole.UserRole + 1) if item is not None else None


def test_countdown_turns_amber_and_red_at_the_right_moments(
    qtbot, make_console, ops, office, clock
):
    ahead = ops.issue_ticket("KS")
    head = ops.issue_ticket("KS")
    window = make_console()
    log_in_officer(qtbot, window, office)
    press(qtbot, window, actions.CALL_NEXT)
    press(qtbot, window, actions.START)
    # While the visitor ahead is served, the next one's clock has not started.
    qtbot.waitUntil(lambda: _head_level(window) == "none")
    assert "masih dilayani" in window.officer_view.queue.head_chips["KS"].text()

    clock.advance(minutes=2)  # 09:02 the visitor ahead is done: KS-002's clock starts
    press(qtbot, window, actions.FINISH)
    assert ticket(window.ctx.store, ahead["id"])["ended_at"] == clock.now_ms()
    qtbot.waitUntil(lambda: _head_level(window) == "ok")
    chip = window.officer_view.queue.head_chips["KS"]
    qtbot.waitUntil(lambda: "sisa 10:00" in chip.text())

    clock.advance(minutes=6, seconds=59)  # 69.8 % of the target
    qtbot.waitUntil(lambda: "sisa 3:01" in chip.text())
    assert _head_level(window) == "ok" and _row_level(window) == "ok"
    assert not any(k.startswith("miss:") for k in window.notices.notices)

    clock.advance(seconds=1)  # 09:09:00 — exactly 70 %
    qtbot.waitUntil(lambda: _head_level(window) == "warning")
    assert _row_level(window) == "warning"
    notice = window.notices.notices[f"miss:{head['id']}"]
    assert "KS-002" in notice.text.text() and "3:00" in notice.text.text()

    clock.advance(minutes=2, seconds=59)  # 09:11:59
    qtbot.waitUntil(lambda: "sisa 0:01" in chip.text())
    assert _head_level(window) == "warning"
    clock.advance(seconds=1)  # 09:12:00 — the deadline: red from here on
    qtbot.waitUntil(lambda: _head_level(window) == "breached")
    assert _row_level(window) == "breached"
    clock.advance(seconds=1)
    qtbot.waitUntil(lambda: "lewat 0:01" in chip.text())
    qtbot.waitUntil(
        lambda: window.notices.notices[f"miss:{head['id']}"].property("level") == "breached"
    )

    # Calling the visitor records the miss and clears the alert.
    qtbot.mouseClick(window.notices.notices[f"miss:{head['id']}"].action, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: ticket(window.ctx.store, head["id"])["status"] == "called")
    assert ticket(window.ctx.store, head["id"])["target_met"] == 0
    qtbot.waitUntil(lambda: window.officer_view.card.target.text() == "terlewati")
    assert window.officer_view.card.target.property("level") == "breached"
    qtbot.waitUntil(lambda: not any(k.startswith("miss:") for k in window.notices.notices))


def test_printer_problem_and_clock_skew_are_shown(qtbot, make_console, store, office, clock):
    window = make_console()
    log_in_officer(qtbot, window, office)
    # The beat that logging in asks for is written first: landing after the kiosk's, it
    # would leave this PC nothing to measure against on its next beat.
    settle(qtbot, window)
    kiosk = Operations(
        store, clock=FakeClock(clock.now_ms() + 90_000), machine="kiosk-1", program="kiosk"
    )
    heartbeat.beat(kiosk, {"printer": "paper_out"})
    qtbot.waitUntil(lambda: "printer:kiosk-1" in window.notices.notices, timeout=3000)
    text = window.notices.notices["printer:kiosk-1"].text.text()
    # A state without its sentence (another version of the kiosk): still a sentence.
    assert "kiosk-1" in text and "paper_out" not in text and "tidak berfungsi" in text

    # This PC beats again 5 s later by its own clock; the kiosk beat in between, 90 s ahead.
    clock.advance(seconds=5)
    window.heartbeat.beat_now()
    qtbot.waitUntil(window.skew_banner.isVisible, timeout=3000)
    assert "lebih lambat dari kiosk-1" in window.skew_banner.text()

    heartbeat.beat(kiosk, {"printer": "ok"})
    qtbot.waitUntil(lambda: "printer:kiosk-1" not in window.notices.notices, timeout=3000)


def test_database_unavailable_banner_and_drafts_survive_restart(
    qtbot, make_console, ops, store, office, db_path
):
    first = ops.issue_ticket("KS", GUEST)
    ops.issue_ticket("KS")
    window = make_console()
    log_in_officer(qtbot, window, office)
    press(qtbot, window, actions.CALL_NEXT)
    press(qtbot, window, actions.START)
    notes = window.officer_view.card.notes
    qtbot.keyClicks(notes, "Minta tabel PDRB. ")

    # Another PC freezes inside a write transaction: nobody can read or write the file.
    frozen = sqlite3.connect(db_path, isolation_level=None)
    frozen.execute("BEGIN EXCLUSIVE")
    try:
        qtbot.waitUntil(window.banner.isVisible, timeout=5000)
        assert "Tindakan dinonaktifkan" in window.banner.text()
        for name in (actions.FINISH, actions.TRANSFER, actions.CALL_NEXT):
            button = window.officer_view.buttons[name]
            assert not button.isEnabled()
            assert "tunggu sampai tersambung kembali" in button.toolTip()
        # The officer keeps typing; every keystroke lands in the local draft.
        qtbot.keyClicks(notes, "Kirim lewat surel.")
        assert window.drafts.load(first["code"]) == "Minta tabel PDRB. Kirim lewat surel."
        assert "Draf tersimpan" in window.officer_view.card.draft_state.text()
        qtbot.keyClick(window, Qt.Key.Key_F5)  # nothing happens while the database is away
        window.close()
    finally:
        frozen.execute("ROLLBACK")
        frozen.close()
    assert ticket(store, first["id"])["notes"] == ""

    restarted = make_console()
    log_in_officer(qtbot, restarted, office)
    card = restarted.officer_view.card
    qtbot.waitUntil(lambda: card.number.text() == "KS-001")
    assert card.notes.toPlainText() == "Minta tabel PDRB. Kirim lewat surel."
    assert not restarted.banner.isVisible()
    press(qtbot, restarted, actions.FINISH)
    assert ticket(store, first["id"])["notes"] == "Minta tabel PDRB. Kirim lewat surel."
    assert restarted.drafts.load(first["code"]) is None


def test_banner_clears_when_the_database_is_back(qtbot, make_console, ops, office, db_path):
    window = make_console()
    log_in_officer(qtbot, window, office)
    frozen = sqlite3.connect(db_path, isolation_level=None)
    frozen.execute("BEGIN EXCLUSIVE")
    qtbot.waitUntil(window.banner.isVisible, timeout=5000)
    frozen.execute("ROLLBACK")
    frozen.close()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)
    ops.issue_ticket("KS")
    qtbot.waitUntil(window.officer_view.buttons[actions.CALL_NEXT].isEnabled, timeout=3000)


def test_banner_clears_after_a_lock_that_only_the_screen_read_ran_into(
    qtbot, make_console, office, db_path
):
    # A lock that only the console's own read ran into (the change poller, between two
    # looks, saw nothing). Once it ends nothing in the file has changed, yet the screen
    # must come back by itself, well before the 15 s safety refresh.
    window = make_console(heartbeat_seconds=3600)
    log_in_officer(qtbot, window, office)
    window.poller.stop()
    frozen = sqlite3.connect(db_path, isolation_level=None)
    frozen.execute("BEGIN EXCLUSIVE")
    try:
        window.worker.refresh()
        qtbot.waitUntil(window.banner.isVisible, timeout=8000)
    finally:
        frozen.execute("ROLLBACK")
        frozen.close()
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=5000)
    assert window.message.text() == "Basis data antrean sudah tersambung kembali."


def test_a_display_without_its_voice_is_reported(qtbot, make_console, store, office, clock):
    window = make_console()
    log_in_officer(qtbot, window, office)
    tv = Operations(store, clock=clock, machine="tv-ruang-tunggu", program="display")
    heartbeat.beat(tv, {"voice": "unavailable"})
    qtbot.waitUntil(lambda: "voice:tv-ruang-tunggu" in window.notices.notices, timeout=3000)
    text = window.notices.notices["voice:tv-ruang-tunggu"].text.text()
    assert text.startswith("Suara layar tunggu tv-ruang-tunggu tidak tersedia")

    heartbeat.beat(tv, {"voice": "ok"})
    qtbot.waitUntil(lambda: "voice:tv-ruang-tunggu" not in window.notices.notices, timeout=3000)
    # A display that stopped beating long ago is off, not mute: nothing to report.
    heartbeat.beat(tv, {"voice": "unavailable"})
    qtbot.waitUntil(lambda: "voice:tv-ruang-tunggu" in window.notices.notices, timeout=3000)
    clock.advance(seconds=300)
    window.heartbeat.beat_now()
    qtbot.waitUntil(lambda: "voice:tv-ruang-tunggu" not in window.notices.notices, timeout=3000)
