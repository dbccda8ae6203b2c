"""The heartbeat timer writes off the UI thread and never drops a beat asked for."""

from __future__ import annotations

import threading

from shared.qt import heartbeat as qt_heartbeat
from shared.qt.heartbeat import HeartbeatTimer


class _Ops:
    def close_due_days(self) -> None:
        pass


def test_a_beat_asked_for_while_one_is_written_follows_with_the_newer_status(qtbot, monkeypatch):
    written: list[dict] = []
    first_may_end = threading.Event()

    def slow_beat(ops, status, version):
        if not written:
            first_may_end.wait(5)  # the share is slow for the first beat
        written.append(status)

    monkeypatch.setattr(qt_heartbeat.heartbeat, "beat", slow_beat)
    state = {"screen_resets": 0}
    timer = HeartbeatTimer(_Ops(), seconds=3600, status=lambda: dict(state))
    timer.start()  # the first beat, held up
    state["screen_resets"] = 1
    timer.beat_now()
    state["screen_resets"] = 2
    timer.beat_now()  # both asked while the first is still being written
    assert not timer.idle()
    first_may_end.set()
    qtbot.waitUntil(timer.idle, timeout=3000)
    timer.stop()
    assert written[0] == {"screen_resets": 0}
    assert written[-1] == {"screen_resets": 2}
    assert len(written) == 2  # one follow-up beat, not one per request
