"""The 10-minute promise, computed the same way everywhere.

The office promises that a walk-in visitor is called at most ``target_minutes``
(default 10) after the visitor ahead of them finished. For a ticket T:

* the visitor *ahead* of T is the ticket called immediately before T in the same
  service queue on the same service day (call order, so priority calls count);
* T's clock starts at ``max(T.issued_at, ahead.ended_at)``; for the first ticket of
  the day at ``max(T.issued_at, opening time)``; ``ended_at`` is when the ticket
  ahead was finished, marked no-show or transferred away;
* deadline = clock start + target; T *met* the target if it was called at or before
  the deadline, or if the ticket ahead had not ended when T was called.
"""

from __future__ import annotations

from dataclasses import dataclass

WARNING_FRACTION = 0.7

# Live states of a ticket's target.
PENDING = "pending"  # the visitor ahead is still being served: no clock yet
RUNNING = "running"  # the clock runs: countdown to the deadline
MET = "met"
MISSED = "missed"


@dataclass(frozen=True)
class Target:
    """Where one ticket stands against the promise at a given instant."""

    state: str
    clock_start_at: int | None = None
    deadline_at: int | None = None
    remaining_ms: int | None = None
    fraction: float | None = None

    @property
    def level(self) -> str:
        """``ok``, ``warning`` (from 70 %) or ``breached``; ``none`` without a clock."""
        if self.state == MISSED:
            return "breached"
        if self.state == MET:
            return "ok"
        if self.state == PENDING or self.fraction is None:
            return "none"
        if self.fraction >= 1:
            return "breached"
        return "warning" if self.fraction >= WARNING_FRACTION else "ok"


def clock_start(
    issued_at: int, ahead_exists: bool, ahead_ended_at: int | None, opening_at: int | None
) -> int | None:
    """Return when T's clock starts, or None while the visitor ahead is still served."""
    if not ahead_exists:
        return max(issued_at, opening_at) if opening_at is not None else issued_at
    if ahead_ended_at is None:
        return None
    return max(issued_at, ahead_ended_at)


def at_call(
    called_at: int,
    issued_at: int,
    target_minutes: int,
    ahead_exists: bool,
    ahead_ended_at: int | None,
    opening_at: int | None,
) -> tuple[int | None, int | None, bool]:
    """Return ``(clock_start_at, deadline_at, met)`` fixed when T is first called."""
    start = clock_start(issued_at, ahead_exists, ahead_ended_at, opening_at)
    if start is None or (ahead_ended_at is not None and ahead_ended_at > called_at):
        return None, None, True
    deadline = start + target_minutes * 60_000
    return start, deadline, called_at <= deadline


def live(
    now: int,
    issued_at: int,
    target_minutes: int,
    ahead_exists: bool,
    ahead_ended_at: int | None,
    opening_at: int | None,
) -> Target:
    """Return the live target of a waiting ticket (used for the head of a queue)."""
    start = clock_start(issued_at, ahead_exists, ahead_ended_at, opening_at)
    if start is None:
        return Target(PENDING)
    deadline = start + target_minutes * 60_000
    elapsed = max(0, now - start)
    return Target(RUNNING, start, deadline, deadline - now, elapsed / (target_minutes * 60_000))


def recorded(ticket: dict) -> Target:
    """Return the fixed outcome of a ticket that has been called."""
    if ticket.get("target_met") is None:
        return Target(PENDING)
    return Target(
        MET if ticket["target_met"] else MISSED,
        ticket.get("clock_start_at"),
        ticket.get("deadline_at"),
    )
