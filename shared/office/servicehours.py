"""Working days and service hours: when the kiosk may issue numbers.

Holidays come from the ``holidays`` package (Indonesian public holidays and cuti
bersama), adjusted by the administrator's added and removed dates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

import holidays

from shared.clock import WEEKDAY_NAMES, from_ms, local_ms
from shared.errors import ValidationError
from shared.i18n import N_, Msg


@dataclass(frozen=True)
class OpenState:
    """Whether the office serves walk-in visitors at an instant, and why not."""

    is_open: bool
    reason: str = ""  # msgid, translated where shown
    opens_at: int | None = None
    closes_at: int | None = None
    holiday_name: str = ""


@lru_cache(maxsize=16)
def _holidays(country: str, year: int) -> dict[date, str]:
    supported = holidays.list_supported_countries()
    if country not in supported:
        return {}
    categories = tuple(
        c
        for c in ("public", "government")
        if c in getattr(holidays.country_holidays(country), "supported_categories", ("public",))
    )
    table = holidays.country_holidays(
        country, years=year, categories=categories or ("public",), language="id"
    )
    return dict(table.items())


def national_holidays(country: str, year: int) -> list[tuple[date, str]]:
    """The public holidays and joint leave days (cuti bersama) of a year, by date."""
    return sorted(_holidays(country, year).items())


def _time(text: Any) -> tuple[int, int] | None:
    parts = str(text).split(":")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 2 for p in parts):
        return None
    hour, minute = int(parts[0]), int(parts[1])
    return (hour, minute) if hour < 24 and minute < 60 else None


def check_hours(hours: Any, field: str = "hours") -> dict[str, list[str] | None]:
    """Return weekly hours (weekday ``"0"``…``"6"`` → ``[open, close]`` or None) or raise.

    Raises :class:`ValidationError` naming ``field`` for a malformed time or a closing
    time that does not come after the opening time.
    """
    if not isinstance(hours, dict) or not set(hours) <= {str(d) for d in range(7)}:
        raise ValidationError(field, N_("Opening hours are given per weekday, 0 = Monday."))
    out: dict[str, list[str] | None] = {}
    for day in sorted(hours):
        slot = hours[day]
        if not slot:
            out[day] = None
            continue
        times = (
            [_time(t) for t in slot] if isinstance(slot, list | tuple) and len(slot) == 2 else []
        )
        if len(times) != 2 or None in times:
            raise ValidationError(
                field,
                N_("Write the hours of {day} as HH:MM, e.g. 08:00."),
                day=Msg(WEEKDAY_NAMES[int(day)]),
            )
        if times[0] >= times[1]:
            raise ValidationError(
                field,
                N_("On {day} the closing time must come after the opening time."),
                day=Msg(WEEKDAY_NAMES[int(day)]),
            )
        out[day] = [str(slot[0]), str(slot[1])]
    return out


def holiday_name(day: date, settings: dict[str, Any]) -> str | None:
    """Return the holiday's name on ``day``, or None for a working day."""
    iso = day.isoformat()
    if iso in settings.get("holidays_removed", []):
        return None
    for added in settings.get("holidays_added", []):
        if isinstance(added, dict) and added.get("date") == iso:
            return str(added.get("name") or "Libur")
        if added == iso:
            return "Libur"
    return _holidays(settings.get("holiday_country", "ID"), day.year).get(day)


def hours_on(day: date, settings: dict[str, Any], service_hours: Any = None) -> tuple | None:
    """Return ``(open, close)`` strings for a day, or None when closed by schedule."""
    table = service_hours or settings["hours"]
    slot = table.get(str(day.weekday()))
    return tuple(slot) if slot else None


def open_state(now_ms: int, settings: dict[str, Any], service_hours: Any = None) -> OpenState:
    """Tell whether walk-in service is open at ``now_ms``."""
    tz = settings["timezone"]
    local = from_ms(now_ms, tz)
    day = local.date()
    name = holiday_name(day, settings)
    if name:
        return OpenState(False, N_("Closed for a holiday: {name}."), holiday_name=name)
    slot = hours_on(day, settings, service_hours)
    if slot is None:
        return OpenState(False, N_("The service is closed today."))
    opens, closes = local_ms(day, slot[0], tz), local_ms(day, slot[1], tz)
    if now_ms < opens:
        return OpenState(False, N_("The service opens at {opens}."), opens, closes)
    if now_ms >= closes:
        return OpenState(False, N_("The service closed at {closes}."), opens, closes)
    return OpenState(True, "", opens, closes)


def opening_ms(day: str, settings: dict[str, Any], service_hours: Any = None) -> int | None:
    """Return the opening instant of a service day (for the first ticket's target clock)."""
    slot = hours_on(date.fromisoformat(day), settings, service_hours)
    return None if slot is None else local_ms(day, slot[0], settings["timezone"])


def closing_ms(day: str, settings: dict[str, Any], service_hours: Any = None) -> int | None:
    """Return the closing instant of a service day, or None when closed by schedule."""
    slot = hours_on(date.fromisoformat(day), settings, service_hours)
    return None if slot is None else local_ms(day, slot[1], settings["timezone"])
