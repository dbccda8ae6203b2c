"""An exception in any slot of the console: logged once, and within a second the screen is
what the database says again — the officer still logged in, the notes still there."""

from __future__ import annotations

import logging

import pytest
from PySide6.QtCore import Qt

from counter import actions
from counter.dialogs import ConfirmDialog
from shared.qt.recovery import Recovery
from tests.gui.counter.conftest import GUEST, log_in, log_in_officer, press

pytestmark = [pytest.mark.qt_no_exception_capture, pytest.mark.qt_log_ignore("propagateSizeHints")]


@pytest.fixture
def recovery(caplog):
    r = Recovery("pst-counter").install()
    caplog.set_level(logging.INFO)
    yield r
    r.uninstall()


def fail_once(monkeypatch, owner, name: str, before=None):
    """Make ``owner.name`` raise the first time it is called (after ``before`` ran)."""
    original = getattr(owner, name)
    calls = []

    def failing(*args, **kwargs):
        if not calls:
            calls.append(1)
            if before is not None:
                before(*args, **kwargs)
            raise RuntimeError(f"injected failure in {name}")
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, failing)
    return calls


def errors(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.ERROR]


def assert_logged_once(caplog, recovery) -> None:
    [error] = errors(caplog)
    assert error.exc_info[0] is RuntimeError and "goes on" in error.getMessage()
    assert not any("stopped" in r.getMessage() for r in caplog.records)
    assert recovery.count == 1


def consistent(window) -> bool:
    """The officer's page shows what the latest snapshot says, buttons included."""
    snapshot = window.snapshot
    queue = window.officer_view.queue
    numbers = [queue.table.item(r, 1).text() for r in range(queue.table.rowCount())]
    return (
        numbers == [e.ticket["number"] for e in snapshot.queue]
        and str(len(snapshot.queue)) in queue.title.text()
        # "Nobody is waiting" stands over an empty table only, never over visitors.
        and queue.empty_note.isHidden() == bool(snapshot.queue)
        and window.officer_view.card.number.text()
        == (snapshot.current["number"] if snapshot.current else "—")
        and all(
            window.officer_view.buttons[name].isEnabled() == window.available[name].enabled
            for name in actions.ORDER
        )
    )


def test_a_failure_while_showing_the_queue(
    qtbot, make_console, ops, office, clock, recovery, caplog, monkeypatch
):
    served = ops.issue_ticket("KS", GUEST)
    window = make_console()
    window.ctx.recovery = recovery
    recovery.on_error(window.recover)
    log_in_officer(qtbot, window, office)
    press(qtbot, window, actions.CALL_NEXT)
    press(qtbot, window, actions.START)
    qtbot.keyClicks(window.officer_view.card.notes, "Minta data IPM 2024")

    # Half done: the queue's title changes, then the slot fails before the table and the
    # buttons follow.
    queue = window.officer_view.queue
    half_done = []
    failed = fail_once(
        monkeypatch,
        queue,
        "show_snapshot",
        before=lambda snapshot: half_done.append(queue.title.setText("Antrean: 99 pengunjung")),
    )
    waiting = ops.issue_ticket("PS")
    # The recovery follows on the next turn of the event loop: the half state may be gone
    # before a poll could see it, so the test records that it happened.
    qtbot.waitUntil(lambda: bool(failed) and bool(half_done), timeout=3000)
    qtbot.waitUntil(lambda: window.snapshot is not None and consistent(window), timeout=1000)
    assert queue.title.text() != "Antrean: 99 pengunjung"
    assert [e.ticket["id"] for e in window.snapshot.queue] == [waiting["id"]]
    assert window.officer is not None and window.pages.currentWidget() is window.officer_view
    assert window.officer_view.card.number.text() == served["number"]
    assert window.officer_view.card.notes.toPlainText() == "Minta data IPM 2024"
    assert_logged_once(caplog, recovery)
    # The console goes on: the next action works.
    press(qtbot, window, actions.FINISH)
    assert ops.store.read(
        lambda c: c.execute("SELECT notes FROM tickets WHERE id = ?", (served["id"],)).fetchone()
    ) == ("Minta data IPM 2024",)


def test_a_failure_half_way_through_logging_in(
    qtbot, make_console, office, recovery, caplog, monkeypatch
):
    window = make_console()
    recovery.on_error(window.recover)
    fail_once(monkeypatch, window.session, "remember_choice")
    log_in(qtbot, window, "budi", "1234", office["counter1"]["id"])
    # The officer is in the database's eyes and in the window's; the screen follows.
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.officer_view, timeout=3000)
    qtbot.waitUntil(lambda: consistent(window), timeout=1000)
    assert window.officer["username"] == "budi"
    assert "Budi Santoso" in window.identity.full_text()
    assert window.counter_state.isVisible() and window.counter_state.text() == "buka"
    assert window.logout_button.isVisible()
    assert_logged_once(caplog, recovery)


def test_a_failure_in_an_action_leaves_no_half_open_dialog(
    qtbot, make_console, ops, office, recovery, caplog, monkeypatch
):
    ops.issue_ticket("KS", GUEST)
    window = make_console()
    recovery.on_error(window.recover)
    log_in_officer(qtbot, window, office)
    press(qtbot, window, actions.CALL_NEXT)
    fail_once(monkeypatch, window.dialogs, "open", before=lambda dialog, _accepted: dialog.show())
    qtbot.mouseClick(window.officer_view.buttons[actions.NO_SHOW], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: recovery.count == 1, timeout=1000)
    qtbot.waitUntil(
        lambda: not [d for d in window.findChildren(ConfirmDialog) if d.isVisible()], timeout=1000
    )
    qtbot.waitUntil(lambda: consistent(window), timeout=1000)
    assert_logged_once(caplog, recovery)
    # And "not present" works the next time.
    qtbot.mouseClick(window.officer_view.buttons[actions.NO_SHOW], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.dialog, ConfirmDialog), timeout=1000)
    window.dialog.reject()


def test_a_console_that_fails_again_and_again_ends_for_a_fresh_start(qtbot, make_console, office):
    """A fault that comes back at once cannot be recovered from: the handler says so, and
    the program ends with status 70 (see shared.qt.recovery) for a fresh start."""
    window = make_console()
    log_in_officer(qtbot, window, office)
    for _ in range(5):
        window.recover()
    with pytest.raises(RuntimeError, match="again and again"):
        window.recover()


def test_the_heartbeat_tells_how_often_the_screen_was_reset_today(
    qtbot, make_console, office, recovery, monkeypatch
):
    window = make_console()
    recovery.on_error(window.recover)
    log_in_officer(qtbot, window, office)
    assert "screen_resets" not in window._heartbeat_status()
    fail_once(monkeypatch, window.notice_strip, "show_alerts")
    window.worker.refresh()
    qtbot.waitUntil(lambda: recovery.count == 1, timeout=2000)
    qtbot.waitUntil(lambda: "screen_resets" in window._heartbeat_status(), timeout=1000)
    status = window._heartbeat_status()
    assert (status["screen_resets"], status["screen_resets_day"]) == (1, "2026-11-25")
