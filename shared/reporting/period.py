"""Report periods: a day, a Monday week, a month, a quarter, a semester, a year or a range.

A period is a span of local service days (``YYYY-MM-DD`` in the office's time zone), so
every query is bounded by ``tickets.service_day BETWEEN start AND end``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from shared.clock import MONTH_NAMES as MONTHS
from shared.clock import WEEKDAY_NAMES
from shared.errors import ValidationError
from shared.i18n import N_, translate

KINDS = ("day", "week", "month", "quarter", "semester", "year", "custom")
KIND_LABELS = {
    "day": N_("Day"),
    "week": N_("Week"),
    "month": N_("Month"),
    "quarter": N_("Quarter"),
    "semester": N_("Semester"),
    "year": N_("Year"),
    "custom": N_("Date range"),
}
WEEKDAYS = WEEKDAY_NAMES
ROMAN = ("I", "II", "III", "IV")
# The longest custom range a report accepts: ten years of history.
MAX_DAYS = 3700


def long_date(day: date, lang: str) -> str:
    """Write a date the way an office letter does: ``25 November 2026``."""
    return f"{day.day} {translate(MONTHS[day.month - 1], lang)} {day.year}"


@dataclass(frozen=True)
class Period:
    """An inclusive span of service days and the kind of period it is."""

    kind: str
    start: date
    end: date

    @classmethod
    def containing(cls, kind: str, anchor: date) -> Period:
        """Return the day, week (Monday first), month, quarter, semester or year of ``anchor``."""
        if kind == "day":
            return cls(kind, anchor, anchor)
        if kind == "week":
            start = anchor - timedelta(days=anchor.weekday())
            return cls(kind, start, start + timedelta(days=6))
        if kind == "year":
            return cls(kind, date(anchor.year, 1, 1), date(anchor.year, 12, 31))
        months = {"month": 1, "quarter": 3, "semester": 6}.get(kind)
        if months is None:
            raise ValidationError("period", N_("Unknown report period {kind}."), kind=kind)
        first = (anchor.month - 1) // months * months + 1
        start = date(anchor.year, first, 1)
        after = first + months
        end = (
            date(anchor.year + 1, 1, 1) if after > 12 else date(anchor.year, after, 1)
        ) - timedelta(days=1)
        return cls(kind, start, end)

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        """Return the range ``start``…``end`` (both included)."""
        if end < start:
            raise ValidationError("to", N_("The end of the range comes before its start."))
        if (end - start).days >= MAX_DAYS:
            raise ValidationError("to", N_("A report covers at most ten years."))
        return cls("custom", start, end)

    @classmethod
    def parse(
        cls,
        kind: str | None,
        anchor: str | None = None,
        start: str | None = None,
        end: str | None = None,
    ) -> Period:
        """Build a period from text such as the command line's.

        ``anchor`` names the period or a part of it: a day ``2026-11-25``, a month
        ``2026-11``, a quarter ``2026-Q4``, a semester ``2026-S2`` or a year ``2026``.
        It must fall inside one period of ``kind`` (a month for a quarter report, not a
        year); without ``kind`` the anchor's own form is the period. A custom range
        takes days ``YYYY-MM-DD``.
        """
        if kind == "custom":
            if not (start and end):
                raise ValidationError(
                    "from", N_("A date range needs both --from and --to (YYYY-MM-DD).")
                )
            return cls.custom(_date(start, "from"), _date(end, "to"))
        if kind is not None and kind not in KINDS:
            raise ValidationError("period", N_("Unknown report period {kind}."), kind=kind)
        if anchor is None:
            raise ValidationError("date", N_("Give the date the report is about (YYYY-MM-DD)."))
        form, first, last = anchor_span(anchor)
        kind = kind or form
        try:
            period = cls.containing(kind, first)
        except (ValueError, OverflowError):  # a period that would end after 9999
            raise ValidationError("date", BAD_ANCHOR, value=anchor.strip()) from None
        if last > period.end:
            raise ValidationError("date", TOO_LONG[kind], value=anchor.strip())
        return period

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def day_list(self) -> list[str]:
        """Every service day of the period, oldest first."""
        return [(self.start + timedelta(days=i)).isoformat() for i in range(self.days)]

    def label(self, lang: str) -> str:
        """Name the period in words: ``November 2026``, ``Triwulan IV 2026``…"""
        s = self.start
        if self.kind == "day":
            weekday = translate(WEEKDAYS[s.weekday()], lang)
            return f"{weekday}, {long_date(s, lang)}"
        if self.kind == "month":
            return f"{translate(MONTHS[s.month - 1], lang)} {s.year}"
        if self.kind == "quarter":
            return translate(
                N_("Quarter {roman} {year}"), lang, roman=ROMAN[(s.month - 1) // 3], year=s.year
            )
        if self.kind == "semester":
            return translate(
                N_("Semester {roman} {year}"), lang, roman=ROMAN[(s.month - 1) // 6], year=s.year
            )
        if self.kind == "year":
            return translate(N_("Year {year}"), lang, year=s.year)
        span = f"{long_date(self.start, lang)} – {long_date(self.end, lang)}"
        if self.kind == "week":
            return translate(N_("Week of {span}"), lang, span=span)
        return span

    def as_dict(self, lang: str) -> dict[str, object]:
        return {
            "kind": self.kind,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "days": self.days,
            "label": self.label(lang),
        }


def _date(text: str, field: str) -> date:
    text = text.strip()
    try:
        if DAY_RE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    raise ValidationError(field, N_("{value} is not a date; write it as YYYY-MM-DD."), value=text)


def anchor_span(text: str) -> tuple[str, date, date]:
    """Read a day, month, quarter, semester or year; return its form, first and last day.

    Raises :class:`ValidationError` with the sentence that names every accepted form.
    """
    text = text.strip()
    found = ANCHOR_RE.fullmatch(text)
    try:
        if found is None:
            raise ValueError(text)
        year = int(found["year"])
        if found["day"]:
            day = date(year, int(found["month"]), int(found["day"]))
            return "day", day, day
        if found["month"]:
            start = date(year, int(found["month"]), 1)
            return "month", start, Period.containing("month", start).end
        if found["part"]:
            kind, months = ("quarter", 3) if found["part"].upper() == "Q" else ("semester", 6)
            number = int(found["number"])
            if not 1 <= number <= 12 // months:
                raise ValueError(text)
            start = date(year, (number - 1) * months + 1, 1)
            return kind, start, Period.containing(kind, start).end
        return "year", date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        raise ValidationError("date", BAD_ANCHOR, value=text) from None


DAY_RE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
ANCHOR_RE = re.compile(
    r"(?P<year>\d{4})"
    r"(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?|-(?P<part>[QqSs])(?P<number>\d))?",
    re.ASCII,
)
BAD_ANCHOR = N_(
    "{value} is not a date. Write a day (2026-11-25), a month (2026-11), a quarter (2026-Q4),"
    " a semester (2026-S2) or a year (2026)."
)
# A report is about one period: an anchor longer than that period does not say which.
TOO_LONG = {
    "day": N_("{value} is more than one day: for a day report write the day, e.g. 2026-11-25."),
    "week": N_(
        "{value} is more than one week: for a week report write a day of the week, e.g. 2026-11-25."
    ),
    "month": N_(
        "{value} is more than one month: for a month report write the month (2026-11) or a"
        " day of it."
    ),
    "quarter": N_(
        "{value} is more than one quarter: for a quarter report write the quarter (2026-Q4),"
        " or a month or a day of it."
    ),
    "semester": N_(
        "{value} is more than one semester: for a semester report write the semester"
        " (2026-S2), or a quarter, a month or a day of it."
    ),
}
