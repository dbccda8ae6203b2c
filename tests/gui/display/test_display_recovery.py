"""An exception in a slot of the display: logged once, and within a second the wall shows
the database's board again, every new call announced once."""

from __future__ import annotations

import logging

import pytest

from shared.qt.recovery import Recovery

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def recovery(caplog):
    r = Recovery("pst-display").install()
    caplog.set_level(logging.INFO)
    yield r
    r.uninstall()


def test_a_failure_while_showing_a_board(
    qtbot, make_display, other_pc, busy_office, recovery, caplog, monkeypatch
):
    display = make_display()
    recovery.on_error(display.recover)
    queued = []
    display.announcer.announcement_queued.connect(queued.append)
    window = display.window
    original = window.counters.show_counters
    failed = []

    def half_then_fail(counters):
        if not failed:
            failed.append(1)
            window.now_calling.number.setText("???")  # half of the wall changed
            raise RuntimeError("injected failure while showing the counters")
        original(counters)

    monkeypatch.setattr(window.counters, "show_counters", half_then_fail)
    called = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: bool(failed), timeout=3000)
    qtbot.waitUntil(
        lambda: (
            window.now_calling.number.text() == called["number"]
            and window.counters.tiles[1].number.text() == called["number"]
        ),
        timeout=1000,
    )
    # The call that came with the failing board is announced, once.
    qtbot.waitUntil(lambda: len(queued) == 1, timeout=1000)
    assert queued[0].number == called["number"]
    [error] = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.exc_info[0] is RuntimeError
    assert not any("stopped" in r.getMessage() for r in caplog.records)
    # And the next call is shown and announced as usual.
    again = other_pc("recall", called["id"])
    qtbot.waitUntil(lambda: len(queued) == 2, timeout=3000)
    assert queued[1].number == again["number"] == called["number"]
    assert recovery.count == 1


def test_a_failure_in_the_announcer_does_not_silence_the_next_call(
    qtbot, make_display, other_pc, busy_office, recovery, monkeypatch
):
    display = make_display()
    recovery.on_error(display.recover)
    finished = []
    display.announcer.announcement_finished.connect(lambda a, how: finished.append(a.number))
    voice = display.announcer.voice
    original = voice.say
    failed = []

    def fail_once(text, language):
        if not failed:
            failed.append(1)
            raise RuntimeError("injected failure in the voice")
        original(text, language)

    monkeypatch.setattr(voice, "say", fail_once)
    first = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: bool(failed), timeout=5000)
    # The call caught in the failure ends; the announcer is free for the next one.
    qtbot.waitUntil(lambda: first["number"] in finished, timeout=3000)
    again = other_pc("recall", first["id"])
    qtbot.waitUntil(lambda: finished.count(again["number"]) == 2, timeout=15000)


def test_a_display_that_fails_again_and_again_ends_for_a_fresh_start(make_display, busy_office):
    display = make_display()
    for _ in range(5):
        display.recover()
    with pytest.raises(RuntimeError, match="again and again"):
        display.recover()


def test_the_display_heartbeat_tells_how_often_it_reset_its_screen(make_display, busy_office):
    display = make_display()
    assert "screen_resets" not in display.heartbeat_status()
    display.recover()
    display.recover()
    status = display.heartbeat_status()
    assert (status["screen_resets"], status["screen_resets_day"]) == (2, "2026-11-25")
