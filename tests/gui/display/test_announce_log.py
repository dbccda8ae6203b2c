"""The display's log says what the room heard for each call, never "done" for silence."""

from __future__ import annotations

import logging
import sys

from display.announcer import Announcement, Announcer, SilentVoice
from display.speech import VOICE_UNAVAILABLE, EngineProcessVoice

UNAVAILABLE = '{"event": "unavailable", "error": "no voice for id_ID"}'


def call_lines(caplog, number: str) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "display.controller"
        and number in r.getMessage()
        and not r.getMessage().startswith("now calling")
    ]


def test_a_call_the_voice_could_not_say_is_logged_as_not_spoken(
    qtbot, make_display, other_pc, busy_office, caplog
):
    caplog.set_level(logging.INFO, logger="display.controller")
    voice = EngineProcessVoice(command=[sys.executable, "-c", f"print({UNAVAILABLE!r})"])
    display = make_display(voice=voice)
    qtbot.waitUntil(lambda: voice.status == VOICE_UNAVAILABLE, timeout=10_000)
    called = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: bool(call_lines(caplog, called["number"])), timeout=10_000)
    [line] = call_lines(caplog, called["number"])
    assert "announced" not in line and "done" not in line, line
    assert "not spoken" in line and "unavailable" in line, line
    assert "no voice for id_ID" in line, line
    assert display.announcer.busy is False


def test_the_outcome_says_whether_anything_was_spoken(qtbot):
    announcer = Announcer(SilentVoice(), chime=None, timeout_seconds=2)
    done = []
    announcer.announcement_finished.connect(lambda a, how: done.append((a.number, how)))
    announcer.enqueue(Announcement.for_call("KS-009", "Loket 2"))
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done == [("KS-009", "silent")]
