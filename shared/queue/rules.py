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
    # Closing the service day: whoever is still waiting or called was not served.
    ("waiting", "close_day"): "unserved",
    ("called", "close_day"): "unserved",
}
# What an officer can do to one ticket; closing the day acts on the whole day instead.
DAY_ACTIONS = ("close_day",)
ACTIONS = sorted({action for _, action in TRANSITIONS} - set(DAY_ACTIONS))
TERMINAL_STATES = ("done", "no_show", "transferred", "unserved")
ACTIVE_STATES = ("called", "serving")

STATE_LABELS = {
    "waiting": N_("waiting"),
    "called": N_("being called"),
    "serving": N_("being served"),
    "done": N_("already finished"),
    "no_show": N_("marked as not present"),
    "transferred": N_("already transferred"),
    "unserved": N_("not served (the day was closed)"),
}
ACTION_LABELS = {
    "call": N_("called"),
    "recall": N_("called again"),
    "start": N_("started"),
    "no_show": N_("marked as not present"),
    "requeue": N_("returned to the queue"),
    "finish": N_("finished"),
    "transfer": N_("transferred"),
    "close_day": N_("closed with the day"),
}


def next_state(state: str, action: str) -> str | None:
    return TRANSITIONS.get((state, action))


def _priority_due(
    streak: int, regulars_since: int, seen_priority: bool, every: int, max_streak: int
) -> bool:
    """Tell whether a waiting priority visitor goes before a waiting regular one."""
    if max_streak and streak >= max_streak:
        return False
    return regulars_since >= every or not seen_priority


def _tail(history: Sequence[bool]) -> tuple[int, int, bool]:
    """Return (priority streak, regular calls since the last priority, any priority)."""
    streak = regulars_since = 0
    for was_priority in reversed(history):
        if not was_priority:
            break
        streak += 1
    for was_priority in reversed(history):
        if was_priority:
            break
        regulars_since += 1
    return streak, regulars_since, any(history)


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
    order = predicted_order(waiting, history, regular_per_priority, priority_max_streak, 1)
    return order[0] if order else None


def predicted_order(
    waiting: Sequence[dict],
    history: Sequence[bool],
    regular_per_priority: int,
    priority_max_streak: int,
    limit: int | None = None,
) -> list[dict]:
    """Return ``waiting`` in the order the priority rule will call it (first ``limit``)."""
    priority = [t for t in waiting if t.get("priority_group")]
    regular = [t for t in waiting if not t.get("priority_group")]
    streak, regulars_since, seen = _tail(history)
    order: list[dict] = []
    p = r = 0
    wanted = len(waiting) if limit is None else min(limit, len(waiting))
    while len(order) < wanted:
        take_priority = p < len(priority) and (
            r >= len(regular)
            or _priority_due(
                streak, regulars_since, seen, regular_per_priority, priority_max_streak
            )
        )
        if take_priority:
            order.append(priority[p])
            p += 1
            streak, regulars_since, seen = streak + 1, 0, True
        else:
            order.append(regular[r])
            r += 1
            streak, regulars_since = 0, regulars_since + 1
    return order
