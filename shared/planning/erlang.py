"""Erlang C: how many counters one half hour needs, from arrivals and service time.

The textbook queue M/M/n: visitors arrive at random (Poisson) at a steady rate, service
times are exponential, ``n`` counters serve one first-come-first-served queue and nobody
leaves. With traffic ``A = arrivals per minute × mean service minutes`` (in Erlangs):

* the probability that a visitor has to wait at all is Erlang C, ``C(n, A)``;
* the share called within ``t`` minutes is ``1 − C(n, A) · exp(−(n − A) · t / service)``;
* the mean wait is ``C(n, A) · service / (n − A)``; occupancy is ``A / n``.

``C`` is computed from the Erlang B recursion ``B(0) = 1``, ``B(k) = A·B(k−1) / (k +
A·B(k−1))`` and ``C = n·B / (n − A·(1 − B))``: every step stays between 0 and 1, so it
is exact to machine precision for any number of counters — no factorials, no powers.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

# The busiest a counter may be planned: above this officers have no breathing room.
MAX_OCCUPANCY = 0.85
# The most counters a search tries: far beyond any office, still instant.
MAX_COUNTERS = 200


def erlang_b(counters: int, traffic: float) -> float:
    """Return the Erlang B blocking probability of ``counters`` servers at ``traffic``."""
    if counters < 0 or traffic < 0:
        raise ValueError("counters and traffic cannot be negative")
    b = 1.0
    for k in range(1, counters + 1):
        b = traffic * b / (k + traffic * b)
    return b


def erlang_c(counters: int, traffic: float) -> float:
    """Return the probability that a visitor waits at all (1.0 when the queue never ends)."""
    if traffic <= 0:
        return 0.0
    if counters <= traffic:
        return 1.0
    b = erlang_b(counters, traffic)
    return counters * b / (counters - traffic * (1 - b))


@dataclass(frozen=True)
class Staffing:
    """What ``counters`` counters give one slot, by Erlang C."""

    counters: int
    service_level: float  # share of visitors called within the wait target, 0…1
    waiting_probability: float  # share who wait at all
    occupancy: float  # share of the counters' time spent serving (1.0: overloaded)
    mean_wait_minutes: float | None  # None when the queue grows without end
    traffic: float  # Erlangs: the counters' worth of work arriving

    def as_dict(self, digits: int = 4) -> dict:
        return {k: round(v, digits) if isinstance(v, float) else v for k, v in asdict(self).items()}


def staffing(
    counters: int, arrivals: float, per_minutes: float, service_minutes: float, wait_minutes: float
) -> Staffing:
    """Return the Erlang C figures of ``counters`` counters for one slot.

    ``arrivals`` visitors come in ``per_minutes`` minutes and each takes ``service_minutes``
    of a counter on average; the service level counts visitors called within
    ``wait_minutes`` of arriving.
    """
    if per_minutes <= 0 or service_minutes <= 0:
        raise ValueError("the slot and the service time must be longer than zero")
    if arrivals < 0 or wait_minutes < 0 or counters < 0:
        raise ValueError("arrivals, waits and counters cannot be negative")
    traffic = arrivals / per_minutes * service_minutes
    if traffic == 0:
        return Staffing(counters, 1.0, 0.0, 0.0, 0.0, 0.0)
    if counters <= traffic:
        return Staffing(counters, 0.0, 1.0, 1.0, None, traffic)
    c = erlang_c(counters, traffic)
    level = 1.0 - c * math.exp(-(counters - traffic) * wait_minutes / service_minutes)
    return Staffing(
        counters=counters,
        service_level=min(1.0, max(0.0, level)),
        waiting_probability=c,
        occupancy=traffic / counters,
        mean_wait_minutes=c * service_minutes / (counters - traffic),
        traffic=traffic,
    )


def counters_needed(
    arrivals: float,
    per_minutes: float,
    service_minutes: float,
    wait_minutes: float,
    level: float,
    *,
    max_occupancy: float = MAX_OCCUPANCY,
    minimum: int = 0,
) -> Staffing:
    """Return the fewest counters (at least ``minimum``) that call ``level`` of visitors
    within ``wait_minutes`` and stay at or below ``max_occupancy``.

    With no arrivals that is ``minimum``. Raises ValueError for a level outside (0, 1)
    or when even :data:`MAX_COUNTERS` would not do.
    """
    if not 0 < level < 1:
        raise ValueError("the service level must lie between 0 and 1")
    if not 0 < max_occupancy <= 1:
        raise ValueError("the occupancy limit must lie between 0 and 1")
    traffic = arrivals / per_minutes * service_minutes if per_minutes > 0 else 0.0
    # Below A / max_occupancy the counters are too busy whatever the level says.
    start = max(minimum, math.floor(traffic / max_occupancy) if traffic else 0)
    for n in range(start, MAX_COUNTERS + 1):
        result = staffing(n, arrivals, per_minutes, service_minutes, wait_minutes)
        if result.occupancy <= max_occupancy + 1e-12 and (
            result.service_level >= level or traffic == 0
        ):
            return result
    raise ValueError(f"more than {MAX_COUNTERS} counters would be needed")
