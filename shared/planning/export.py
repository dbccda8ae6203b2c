"""The counter plan as translated tables: text, JSON, CSV and XLSX.

The tables are :mod:`shared.reporting.tables` sections, so the report's own text, CSV
and workbook writers lay them out (aligned text, one CSV, a sheet per section with
real numbers). Input is the plain data of :meth:`~shared.planning.plan.Plan.as_dict`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from shared.clock import WEEKDAY_NAMES
from shared.i18n import N_, translate
from shared.reporting import export as report_export
from shared.reporting.period import long_date
from shared.reporting.tables import Column, Section, Table, columns, made_on

FORMATS = ("text", "json", "csv", "xlsx")
REASONS = {
    "holiday": N_("holiday or joint leave day"),
    "closed": N_("the office is closed on this weekday"),
}


def _t(msgid: str, lang: str, **params: Any) -> str:
    return translate(msgid, lang, **params)


def _pct(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


def heading(plan: dict[str, Any], lang: str) -> dict[str, str]:
    """The title block: title, office, unit, the history used, the service, when made."""
    span = (
        f"{long_date(date.fromisoformat(plan['from']), lang)} – "
        f"{long_date(date.fromisoformat(plan['to']), lang)}"
    )
    made = made_on(plan.get("generated_at"), plan["office"]["timezone"], lang)
    return {
        "title": _t(N_("Counter plan"), lang),
        "office": plan["office"]["name"],
        "unit": plan["office"]["unit"],
        "period": _t(N_("History: {weeks} weeks, {span}"), lang, weeks=plan["weeks"], span=span),
        "filter": _t(
            N_("Service: {name}"), lang, name=f"{plan['service']} · {plan['service_name']}"
        )
        if plan["service"]
        else _t(N_("All services"), lang),
        "made": made,
    }


def thin_sentence(plan: dict[str, Any], lang: str) -> str:
    """Say that the history is too short for a plan (empty when it is not)."""
    if plan["enough"]:
        return ""
    if plan["comparable_weeks"] >= plan["minimum_weeks"]:
        return _t(N_("No visit in the history was served, so service times are unknown."), lang)
    return _t(
        N_(
            "Only {weeks} comparable weeks of history: a plan needs at least {minimum}."
            " These are the visitors counted so far, not a plan."
        ),
        lang,
        weeks=plan["comparable_weeks"],
        minimum=plan["minimum_weeks"],
    )


def _summary(plan: dict[str, Any], lang: str) -> Section:
    left = plan["left_out"]
    rows: list[list[Any]] = [
        [_t(N_("Weeks of history"), lang), (plan["weeks"], "int")],
        [
            _t(N_("Comparable weeks (most days of one weekday that count)"), lang),
            (plan["comparable_weeks"], "int"),
        ],
        [
            _t(N_("Holidays left out"), lang),
            (sum(1 for d in left if d["reason"] != "unused"), "int"),
        ],
        [
            _t(N_("Days without any ticket, left out"), lang),
            (sum(1 for d in left if d["reason"] == "unused"), "int"),
        ],
        [
            _t(N_("Target"), lang),
            (
                _t(
                    N_("{level} of visitors called within {minutes} minutes of arriving"),
                    lang,
                    level=f"{round(100 * plan['level'])} %",
                    minutes=f"{plan['wait_minutes']:g}",
                ),
                "text",
            ),
        ],
        [_t(N_("Busiest a counter may be planned"), lang), (100 * plan["max_occupancy"], "pct")],
        [_t(N_("Mean service time (min)"), lang), (plan["service_minutes"], "minutes")],
        [_t(N_("Visits served in the history"), lang), (plan["served_visits"], "int")],
        [
            _t(N_("Counters added after the simulation"), lang),
            (plan["simulation"]["added"], "int"),
        ],
    ]
    table = Table(
        "plan_summary",
        _t(N_("Summary"), lang),
        columns(lang, N_("Figure"), N_("Value")),
        rows,
    )
    table.note = thin_sentence(plan, lang) or _t(
        N_(
            "Counters per half hour: the fewest that call the target share of visitors in"
            " time by Erlang C (steady arrivals, exponential service times), then checked"
            " by replaying the weekday's last {days} days with the office's own service"
            " times; where the replay fell short, a counter was added."
        ),
        lang,
        days=plan["simulation"]["days_per_weekday"],
    )
    return Section("plan_summary", _t(N_("Summary"), lang), [table])


def _times(plan: dict[str, Any]) -> list[str]:
    starts = sorted({s["start"] for w in plan["weekdays"] for s in w["slots"]})
    return starts


def _grid(plan: dict[str, Any], lang: str, key: str, title: str, kind: str) -> Table:
    starts = _times(plan)
    titles = columns(lang, N_("Time")) + [Column(w["name"], kind) for w in plan["weekdays"]]
    rows = []
    for start in starts:
        row: list[Any] = [start]
        for w in plan["weekdays"]:
            slot = next((s for s in w["slots"] if s["start"] == start), None)
            if slot is None or (key == "counters" and not w["enough"]):
                row.append(None)
            else:
                row.append(slot[key])
        rows.append(row)
    return Table(f"plan_{key}", title, titles, rows)


def _grids(plan: dict[str, Any], lang: str) -> Section:
    tables = []
    if plan["enough"]:
        counters = _grid(plan, lang, "counters", _t(N_("Recommended counters"), lang), "int")
        if not all(w["enough"] for w in plan["weekdays"]):
            counters.note = _t(N_("—: not enough history for this weekday."), lang)
        tables.append(counters)
    arrivals = _grid(
        plan, lang, "arrivals", _t(N_("Visitors expected per half hour"), lang), "decimal"
    )
    arrivals.rows.append([_t(N_("Per day"), lang)] + [w["visitors"] for w in plan["weekdays"]])
    tables.append(arrivals)
    return Section("plan_week", _t(N_("The week at a glance"), lang), tables)


def _weekday(plan: dict[str, Any], w: dict[str, Any], lang: str) -> Section:
    if w["enough"]:
        titles = columns(
            lang,
            N_("Time"),
            (N_("Visitors expected"), "decimal"),
            (N_("Spread (sd)"), "decimal"),
            (N_("Fewest"), "int"),
            (N_("Most"), "int"),
            (N_("Service (min)"), "minutes"),
            (N_("Erlang C"), "int"),
            (N_("Added"), "int"),
            (N_("Counters"), "int"),
            (N_("In time (Erlang C)"), "pct"),
            (N_("In time (simulated)"), "pct"),
            (N_("Wait at all"), "pct"),
            (N_("Occupancy"), "pct"),
        )
        rows = [
            [
                f"{s['start']}–{s['end']}",
                s["arrivals"],
                s["sd"],
                s["low"],
                s["high"],
                s["service_minutes"],
                s["erlang_counters"],
                s["added"],
                s["counters"],
                _pct(s["service_level"]),
                _pct(s["simulated_level"]),
                _pct(s["waiting_probability"]),
                _pct(s["occupancy"]),
            ]
            for s in w["slots"]
        ]
        note = _t(
            N_(
                "{days} days count. Added: counters the simulation needed beyond Erlang C."
                " In time: share called within {minutes} minutes of arriving."
            ),
            lang,
            days=len(w["days"]),
            minutes=f"{plan['wait_minutes']:g}",
        )
    else:
        titles = columns(lang, N_("Time"))
        titles += [Column(day, "int") for day in w["days"]]
        titles += columns(lang, (N_("Mean"), "decimal"))
        rows = [[f"{s['start']}–{s['end']}", *s["counts"], s["arrivals"]] for s in w["slots"]]
        note = _t(
            N_("Only {days} days of this weekday count: a plan needs at least {minimum}."),
            lang,
            days=len(w["days"]),
            minimum=plan["minimum_weeks"],
        )
    table = Table(f"plan_weekday_{w['weekday']}", w["name"], titles, rows, note)
    return Section(f"plan_weekday_{w['weekday']}", w["name"], [table])


def _left_out(plan: dict[str, Any], lang: str) -> Section:
    table = Table(
        "plan_left_out",
        _t(N_("Days left out"), lang),
        columns(
            lang,
            (N_("Day"), "date"),
            N_("Weekday"),
            N_("Why"),
            N_("Holiday"),
            (N_("Tickets"), "int"),
        ),
        [
            [
                d["day"],
                _t(WEEKDAY_NAMES[date.fromisoformat(d["day"]).weekday()], lang),
                _t(REASONS[d["reason"]], lang),
                d["name"],
                d["tickets"],
            ]
            for d in plan["left_out"]
            # Days without a ticket are only counted: an office new to the queue has many.
            if d["reason"] != "unused"
        ],
    )
    return Section("plan_left_out", _t(N_("Days left out"), lang), [table])


def sections(plan: dict[str, Any], lang: str) -> list[Section]:
    """Every part of the plan as translated tables, in reading order."""
    parts = [_summary(plan, lang), _grids(plan, lang)]
    parts += [_weekday(plan, w, lang) for w in plan["weekdays"]]
    parts.append(_left_out(plan, lang))
    return parts


def laid_out(plan: dict[str, Any], lang: str) -> tuple[dict[str, str], list[Section]]:
    """The plan's title block and its sections of tables."""
    return heading(plan, lang), sections(plan, lang)


def to_text(plan: dict[str, Any], lang: str) -> str:
    return report_export.sections_text(*laid_out(plan, lang), lang)


def to_csv(plan: dict[str, Any], lang: str) -> str:
    return report_export.sections_csv(*laid_out(plan, lang))


def to_json(plan: dict[str, Any]) -> str:
    return report_export.to_json(plan)


def write(plan: dict[str, Any], fmt: str, path: str | Path, lang: str) -> Path:
    """Write the plan to ``path`` in ``fmt`` (text, json, csv or xlsx); return the path."""

    def render(tmp: Path) -> None:
        if fmt in report_export.PLAIN:
            report_export.write_plain(tmp, fmt, plan, lambda: laid_out(plan, lang), lang)
        else:
            from shared.reporting.xlsx import write_sections_xlsx

            head, parts = laid_out(plan, lang)
            write_sections_xlsx(head, parts, tmp, lang, f"{head['title']} — {head['period']}")

    return report_export.write_file(path, render)
