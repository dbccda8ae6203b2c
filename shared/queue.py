"""Pure queue rules: the ticket state table and the fair priority rule."""

from __future__ import annotations

from collections.abc import Sequence

from shared.i18n import N_

# (state, action) → new state. Every ticket transition in the product goes through it.
TRANSITIONS: dict[tuple[str, str], str] = {
    ("waiting", "call"): "called",
    ("called", "recall"): "called",
    ("called", "start"): "serving",
    ("called", "no_show"): "no_show",
    ("called", "requeue"): "waiting",
    ("no_show", "requeue"): "waiting",
    ("serving", "finish"): "done",
    ("serving", "transfer"): "transferred",
}
ACTIONS = sorted({action for _, action in TRANSITIONS})
TERMINAL_STATES = ("done", "no_show", "transferred")
ACTIVE_STATES = ("called", "serving")

STATE_LABELS = {
    "waiting": N_("waiting"),
    "called": N_("called"),
    "serving": N_("being served"),
    "done": N_("finished"),
    "no_show": N_("marked as not present"),
    "transferred": N_("transferred"),
}
ACTION_LABELS = {
    "call": N_("called"),
    "recall": N_("called again"),
    "start": N_("started"),
    "no_show": N_("marked as not present"),
    "requeue": N_("returned to the queue"),
    "finish": N_("finished"),
    "transfer": N_("transferred"),
}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def choose_next(
    waiting: Sequence[dict],
    history: Sequence[bool],
    regular_per_priority: int,
    priority_max_streak: int,
) -> dict | None:
    """Pick the next ticket to call.

    ``waiting`` is in arrival order; ``history`` tells, for the calls already made today
    in these queues (oldest first), whether each was a priority ticket. Priority visitors
    go first once ``regular_per_priority`` regular calls have been made since the last
    priority call (0: at once), but never more than ``priority_max_streak`` priority calls
    in a row while a regular visitor waits.
    """
    priority = [t for t in waiting if t.get("priority_group")]
    regular = [t for t in waiting if not t.get("priority_group")]
    if not priority or not regular:
        return (priority or regular or [None])[0]
    streak = 0
    for was_priority in reversed(history):
        if not was_priority:
            break
        streak += 1
    if priority_max_streak and streak >= priority_max_streak:
        return regular[0]
    regulars_since = 0
    for was_priority in reversed(history):
        if was_priority:
            break
        regulars_since += 1
    seen_priority = any(history)
    if regulars_since >= regular_per_priority or not seen_priority:
        return priority[0]
    return regular[0]


def predicted_order(
    waiting: Sequence[dict],
    history: Sequence[bool],
    regular_per_priority: int,
    priority_max_streak: int,
) -> list[dict]:
    """Return ``waiting`` in the order the priority rule will call it."""
    remaining = list(waiting)
    past = list(history)
    order: list[dict] = []
    while remaining:
        chosen = choose_next(remaining, past, regular_per_priority, priority_max_streak)
        assert chosen is not None
        order.append(chosen)
        remaining.remove(chosen)
        past.append(bool(chosen.get("priority_group")))
    return order
