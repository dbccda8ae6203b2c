"""Words and numbers as the console shows them (no Qt)."""

from __future__ import annotations

from shared.clock import format_duration
from shared.i18n import N_, _, language
from shared.queue import target
from shared.queue.rules import STATE_LABELS

PRIORITY_LABELS = {
    "disability": N_("disability"),
    "elderly": N_("elderly"),
    "pregnant": N_("pregnant"),
    "with_children": N_("with small children"),
}
COUNTER_STATUS_LABELS = {
    "open": N_("open"),
    "paused": N_("paused"),
    "closed": N_("closed"),
}
ROLE_LABELS = {
    "officer": N_("officer"),
    "supervisor": N_("supervisor"),
    "admin": N_("administrator"),
}


def service_name(service: dict) -> str:
    """A service's name in the console's language (the office writes both)."""
    if language() == "en" and service.get("name_en"):
        return service["name_en"]
    return service.get("name_id") or service.get("code", "")


def priority(group: str | None) -> str:
    if not group:
        return ""
    return _(PRIORITY_LABELS.get(group, group))


def ticket_state(status: str) -> str:
    return _(STATE_LABELS.get(status, status))


def counter_status(status: str) -> str:
    return _(COUNTER_STATUS_LABELS.get(status, status))


def role(name: str) -> str:
    return _(ROLE_LABELS.get(name, name))


def minutes_seconds(ms: int | None) -> str:
    """Format a duration, never negative (waiting and service times)."""
    return format_duration(max(0, ms)) if ms is not None else ""


def live_target(value: target.Target | None) -> str:
    """Describe a waiting ticket's 10-minute target: a countdown, or why there is none."""
    if value is None:
        return ""
    if value.state == target.PENDING:
        return _(N_("visitor ahead still served"))
    if value.state == target.RUNNING and value.remaining_ms is not None:
        if value.remaining_ms >= 0:
            return _(N_("{time} left"), time=format_duration(value.remaining_ms))
        return _(N_("missed by {time}"), time=format_duration(-value.remaining_ms))
    return recorded_target(value)


def recorded_target(value: target.Target | None) -> str:
    """Describe the target outcome fixed when a ticket was called."""
    if value is None or value.state == target.PENDING:
        return _(N_("not applicable"))
    if value.state == target.MET:
        return _(N_("met"))
    return _(N_("missed"))
