"""Which programs reset their screen after an unexpected error, per service day."""

from __future__ import annotations

from shared.queue import heartbeat, supervision
from shared.queue.operations import Operations


def test_screen_resets_are_read_from_the_heartbeats_of_the_day(store, ops, clock):
    lobby = Operations(store, clock=clock, machine="kiosk-lobby", program="kiosk")
    door = Operations(store, clock=clock, machine="kiosk-door", program="kiosk")
    tv = Operations(store, clock=clock, machine="tv", program="display")
    heartbeat.beat(lobby, {"screen_resets": 2, "screen_resets_day": "2026-11-25"})
    heartbeat.beat(door, {"screen_resets": 0, "screen_resets_day": "2026-11-25"})
    heartbeat.beat(tv, {"screen_resets": 1, "screen_resets_day": "2026-11-24"})
    heartbeat.beat(ops, {"printer": "ok"})  # a program that reports none
    today = store.read(lambda conn: supervision.screen_resets(conn, "2026-11-25"))
    assert today == [{"machine": "kiosk-lobby", "program": "kiosk", "count": 2}]
    assert store.read(lambda conn: supervision.screen_resets(conn, "2026-11-24")) == [
        {"machine": "tv", "program": "display", "count": 1}
    ]
    now = clock.now_ms()
    assert store.read(lambda conn: supervision.overview(conn, now)).screen_resets == today
