"""Time: UTC integer milliseconds in storage, office local time on screen.

Every timestamp in the database is an integer count of milliseconds since the Unix
epoch, UTC (`*_at` columns). The service day and opening hours are in the office's
time zone (default Asia/Jakarta).
"""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.i18n import N_

# Calendar names as shown to people (msgids, translated where shown); index 0 = Monday /
# January, as ``date.weekday()`` and ``date.month - 1`` count.
WEEKDAY_NAMES = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)
MONTH_NAMES = (
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)

DEFAULT_TIMEZONE = "Asia/Jakarta"


class Clock:
    """The real wall clock. Pass a :class:`FakeClock` in tests."""

    def now_ms(self) -> int:
        return time.time_ns() // 1_000_000


class FakeClock(Clock):
    """A clock that moves only when told to."""

    def __init__(self, start: datetime | int) -> None:
        self._ms = start if isinstance(start, int) else to_ms(start)

    def now_ms(self) -> int:
        return self._ms

    def advance(self, *, minutes: float = 0, seconds: float = 0, ms: int = 0) -> None:
        self._ms += int(minutes * 60_000 + seconds * 1000) + ms

    def set(self, when: datetime | int) -> None:
        self._ms = when if isinstance(when, int) else to_ms(when)


def to_ms(when: datetime) -> int:
    """Convert an aware datetime to UTC milliseconds."""
    if when.tzinfo is None:
        raise ValueError("naive datetime: give a time zone")
    return int(when.timestamp() * 1000)


def from_ms(ms: int, tz: str | ZoneInfo = "UTC") -> datetime:
    """Convert UTC milliseconds to an aware datetime in ``tz``."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return datetime.fromtimestamp(ms / 1000, UTC).astimezone(zone)


def service_day(ms: int, tz: str) -> str:
    """Return the local service day (``YYYY-MM-DD``) that contains instant ``ms``."""
    return from_ms(ms, tz).date().isoformat()


def local_ms(day: date | str, hhmm: str, tz: str) -> int:
    """Return the UTC milliseconds of local wall time ``hhmm`` on ``day``."""
    if isinstance(day, str):
        day = date.fromisoformat(day)
    hour, minute = (int(x) for x in hhmm.split(":"))
    return to_ms(datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(tz)))


def day_bounds_ms(day: str, tz: str) -> tuple[int, int]:
    """Return [start, end) of a local service day in UTC milliseconds."""
    start = date.fromisoformat(day)
    zone = ZoneInfo(tz)
    begin = datetime(start.year, start.month, start.day, tzinfo=zone)
    return to_ms(begin), to_ms(begin + timedelta(days=1))


def format_local(ms: int | None, tz: str, fmt: str = "%H:%M") -> str:
    """Format a stored timestamp in local time; empty for ``None``."""
    return "" if ms is None else from_ms(ms, tz).strftime(fmt)


def format_duration(ms: int | None) -> str:
    """Format a duration as ``m:ss`` (or ``h:mm:ss``); negative durations get a sign."""
    if ms is None:
        return ""
    sign = "-" if ms < 0 else ""
    total = abs(int(ms)) // 1000
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}"
    return f"{sign}{minutes}:{seconds:02d}"
