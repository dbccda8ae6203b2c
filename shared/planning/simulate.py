"""A check of a day's plan by simulation (Ciw, a discrete-event queueing library).

Erlang C sizes each half hour on its own, as if visitors came at a steady rate, service
times were exponential and each half hour started with an empty queue. A morning is
none of these: visitors come in bursts (a class of students at opening time), service
times have their own shape, and a queue left at 09:00 is still there at 09:30.

The check replays the weekday's real days: every visitor arrives at the minute they
arrived that day, the counters open per half hour as the plan says, and each service
takes a time drawn from the counter times of visitors who arrived in the same half hour
in the window (all of them when a half hour has too few). One queue, first come first
served, every counter serving it; after closing time the last half hour's counters stay
until everyone is served. It counts, per half hour of arrival, the visitors called
within the wait target.

Ciw draws from Python's global random generator; a run seeds it and gives back the
state it found, under a lock, so runs are repeatable and the rest of the program is not
left with a seeded generator.
"""

from __future__ import annotations

import itertools
import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass

import ciw

_LOCK = threading.Lock()
# After closing, the simulated counters stay this long at most (every visitor is served).
AFTER_CLOSING_MINUTES = 24 * 60
_FOREVER = 10.0**7


@dataclass(frozen=True)
class SlotOutcome:
    """Simulated visitors who arrived in one half hour, and how many were called in time."""

    visitors: int
    within: int

    @property
    def share(self) -> float | None:
        return self.within / self.visitors if self.visitors else None


class _SlotService(ciw.dists.Distribution):
    """Service times drawn from the observed times of the half hour the service starts in."""

    def __init__(self, by_slot: Sequence[Sequence[float]], slot_minutes: float, rng) -> None:
        self.by_slot = [list(s) for s in by_slot]
        self.slot_minutes = slot_minutes
        self.rng = rng

    def __deepcopy__(self, memo):
        # Ciw copies each distribution per simulation; copying thousands of observed
        # times (and the generator's state, which would replay the same draws every
        # day) is neither needed nor wanted: they are only read.
        return self

    def sample(self, t=None, ind=None):
        slot = min(len(self.by_slot) - 1, int((t or 0.0) // self.slot_minutes))
        return float(self.rng.choice(self.by_slot[slot]))


def _shifts(counters: Sequence[int], slot_minutes: float) -> tuple[list[int], list[float]]:
    """Ciw's schedule: one shift per run of equal counts, then the last count for good."""
    numbers: list[int] = []
    ends: list[float] = []
    for i, n in enumerate(counters):
        if numbers and numbers[-1] == n:
            ends[-1] = (i + 1) * slot_minutes
        else:
            numbers.append(n)
            ends.append((i + 1) * slot_minutes)
    numbers.append(max(1, counters[-1]))
    ends.append(_FOREVER)
    return numbers, ends


def _run_day(
    trace: Sequence[float],
    counters: Sequence[int],
    service: _SlotService,
    slot_minutes: float,
) -> dict[int, tuple[float, float]]:
    """Simulate one day; return each visitor's (arrival, wait until first called)."""
    gaps = [trace[0]] + [b - a for a, b in itertools.pairwise(trace)] + [float("inf")]
    numbers, ends = _shifts(counters, slot_minutes)
    # At a change of shift Ciw replaces every counter. Without pre-emption a busy
    # counter would finish its visitor while its replacement already calls the next:
    # for a few minutes the office would have more counters than planned. With
    # "resume" the visitor's service goes on at a counter of the new shift, with the
    # time it still needs, so the counters are exactly as many as planned.
    schedule = ciw.Schedule(numbers_of_servers=numbers, shift_end_dates=ends, preemption="resume")
    network = ciw.create_network(
        arrival_distributions=[ciw.dists.Sequential(gaps)],
        service_distributions=[service],
        number_of_servers=[schedule],
    )
    sim = ciw.Simulation(network)
    sim.simulate_until_max_time(len(counters) * slot_minutes + AFTER_CLOSING_MINUTES)
    first: dict[int, tuple[float, float]] = {}
    for r in sim.get_all_records():
        if r.service_start_date is False or r.service_start_date is None:
            continue
        seen = first.get(r.id_number)
        if seen is None or r.service_start_date < seen[1]:
            first[r.id_number] = (r.arrival_date, r.service_start_date)
    return {k: (arrived, start - arrived) for k, (arrived, start) in first.items()}


def simulate_day(
    traces: Sequence[Sequence[float]],
    counters: Sequence[int],
    service_by_slot: Sequence[Sequence[float]],
    wait_minutes: float,
    *,
    slot_minutes: float = 30,
    seed: int = 1,
    repeats: int = 1,
) -> list[SlotOutcome]:
    """Replay each day of ``traces`` ``repeats`` times under ``counters`` per slot.

    ``traces`` are arrival minutes after the first slot's start, in order, one list per
    day; ``service_by_slot`` holds, per slot, the service minutes to draw from (each
    non-empty). Returns, per slot of arrival, the visitors and those called within
    ``wait_minutes`` over every run.
    """
    slots = len(counters)
    if slots == 0 or len(service_by_slot) != slots or not all(service_by_slot):
        raise ValueError("one non-empty list of service times per slot is needed")
    visitors = [0] * slots
    within = [0] * slots

    def slot_of(minute: float) -> int:
        return min(slots - 1, max(0, int(minute // slot_minutes)))

    with _LOCK:
        state = random.getstate()
        try:
            ciw.seed(seed)
            rng = random.Random(seed)
            service = _SlotService(service_by_slot, slot_minutes, rng)
            for trace in traces:
                if not trace:
                    continue
                for _ in range(repeats):
                    for minute in trace:
                        visitors[slot_of(minute)] += 1
                    for arrived, waited in _run_day(
                        trace, counters, service, slot_minutes
                    ).values():
                        if waited <= wait_minutes + 1e-9:
                            within[slot_of(arrived)] += 1
        finally:
            random.setstate(state)
    return [SlotOutcome(v, w) for v, w in zip(visitors, within, strict=True)]
