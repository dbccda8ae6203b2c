"""Clock skew between PCs, detected from heartbeats alone."""

from __future__ import annotations

from shared.clock import FakeClock
from shared.queue import heartbeat
from shared.queue.operations import Operations


def pcs(store, clock, offsets):
    return [
        Operations(store, clock=FakeClock(clock.now_ms() + off), machine=f"pc{i}", program="p")
        for i, off in enumerate(offsets)
    ]


def advance(machines, seconds):
    for m in machines:
        m.clock.advance(seconds=seconds)


def run_beats(machines, rounds=3):
    for _ in range(rounds):
        for m in machines:
            heartbeat.beat(m, {"printer": "ok"})
            advance(machines, 2)


def test_clocks_in_step_are_not_reported(ops, store, clock):
    machines = pcs(store, clock, [0, 3_000, -4_000])
    run_beats(machines)
    assert store.read(heartbeat.skew_report) == []
    assert {m["machine"] for m in store.read(heartbeat.machines)} == {"pc0", "pc1", "pc2"}


def test_a_pc_two_minutes_fast_is_reported_with_the_offset(ops, store, clock):
    machines = pcs(store, clock, [0, 120_000])
    run_beats(machines)
    report = store.read(heartbeat.skew_report)
    assert report, "skew not detected"
    pair = {(r["machine"], r["other"]): r for r in report}
    fast = pair[("pc1", "pc0")]
    assert abs(fast["offset_ms"] - 120_000) <= fast["uncertainty_ms"] + 1
    assert pair[("pc0", "pc1")]["offset_ms"] < -100_000


def test_heartbeat_status_is_kept(ops, store):
    heartbeat.beat(ops, {"printer": "offline", "printer_message": "kertas habis"})
    row = store.read(heartbeat.machines)[0]
    assert row["status"]["printer"] == "offline"
