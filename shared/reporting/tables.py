"""The report as labelled tables: what every export and the Laporan tab present.

:func:`sections` turns the model of :mod:`shared.reporting.model` into sections of
translated tables whose cells keep their real values (numbers, ISO dates) and a column
kind, so the text and PDF exports format them, the XLSX export writes real numbers and
dates, and the console shows them — the same titles and figures everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from shared.clock import format_local
from shared.i18n import N_, translate
from shared.reporting.ikm import ELEMENT_NAMES, ELEMENTS, QUALITY_LABELS
from shared.reporting.period import MONTHS, long_date

# Above this many days, series by day become series by month (charts and the PDF).
DAILY_LIMIT = 62

STATUS_LABELS = {
    "waiting": N_("Waiting"),
    "called": N_("Called"),
    "serving": N_("Being served"),
    "done": N_("Served"),
    "no_show": N_("Not present"),
    "transferred": N_("Transferred"),
    "unserved": N_("Not served"),
}
PRIORITY_LABELS = {
    "disability": N_("disability"),
    "elderly": N_("elderly"),
    "pregnant": N_("pregnant"),
    "with_children": N_("with small children"),
}
VISITOR_TABLES = (
    ("sex", N_("Sex")),
    ("age", N_("Age")),
    ("education", N_("Education")),
    ("occupation", N_("Occupation")),
    ("institution_category", N_("Institution category")),
    ("purpose", N_("Purpose of use")),
)


@dataclass
class Column:
    """A column title and the kind of its values.

    Kinds: ``text``, ``int``, ``pct`` (percent, 0–100), ``minutes``, ``decimal``, ``nrr``,
    ``date`` (ISO day), ``month`` (``YYYY-MM``).
    """

    title: str
    kind: str = "text"


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""


@dataclass
class Section:
    key: str
    title: str
    tables: list[Table]


def fmt(value: Any, kind: str, lang: str) -> str:
    """Format one cell for reading (text, PDF, screen): decimal comma in Indonesian."""
    if value is None or value == "":
        return "—" if kind != "text" else ""
    if kind == "int":
        text = f"{int(value):,}"
        return text.replace(",", ".") if lang == "id" else text
    if kind in ("pct", "minutes", "decimal", "nrr"):
        digits = {"decimal": 2, "nrr": 3}.get(kind, 1)
        text = f"{float(value):,.{digits}f}"
        if lang == "id":
            text = text.replace(",", "_").replace(".", ",").replace("_", ".")
        return text + ("%" if kind == "pct" else "")
    if kind == "date":
        return long_date(date.fromisoformat(value), lang)
    if kind == "month":
        year, month = value.split("-")
        return f"{translate(MONTHS[int(month) - 1], lang)} {year}"
    return str(value)


def heading(report: dict[str, Any], lang: str) -> dict[str, str]:
    """The title block: report title, office, unit, period, filter and when it was made."""
    f = report["filter"]
    parts = []
    if f["service"]:
        parts.append(translate(N_("Service: {name}"), lang, name=f["service_name"]))
    if f["counter_id"] is not None:
        parts.append(
            translate(N_("Counter: {name}"), lang, name=f["counter_name"] or f["counter_id"])
        )
    if f["officer_id"] is not None:
        parts.append(
            translate(N_("Officer: {name}"), lang, name=f["officer_name"] or f["officer_id"])
        )
    made = ""
    if report.get("generated_at"):
        made = translate(
            N_("Made on {date} at {time}"),
            lang,
            date=long_date(
                date.fromisoformat(
                    format_local(report["generated_at"], report["office"]["timezone"], "%Y-%m-%d")
                ),
                lang,
            ),
            time=format_local(report["generated_at"], report["office"]["timezone"], "%H:%M"),
        )
    return {
        "title": translate(N_("Integrated Statistical Service report"), lang),
        # BPS's area code beside the name, once the office has one: "BPS Kota Palembang (1671)".
        "office": (
            f"{report['office']['name']} ({report['office']['code']})"
            if report["office"].get("code")
            else report["office"]["name"]
        ),
        "unit": report["office"]["unit"],
        "period": translate(N_("Period: {period}"), lang, period=report["period"]["label"]),
        "filter": " · ".join(parts)
        if parts
        else translate(N_("All services, counters and officers"), lang),
        "made": made,
    }


def daily(report: dict[str, Any]) -> bool:
    """Tell whether series go by day (short periods) or by month."""
    return report["period"]["days"] <= DAILY_LIMIT


def visits_series(report: dict[str, Any]) -> tuple[str, list[tuple[str, int]]]:
    """Tickets per day (or per month for long periods): ``(kind, [(day, count)])``."""
    rows = report["visits"]["by_day"]
    if daily(report):
        return "date", [(r["day"], r["tickets"]) for r in rows]
    months: dict[str, int] = {}
    for r in rows:
        months[r["day"][:7]] = months.get(r["day"][:7], 0) + r["tickets"]
    return "month", list(months.items())


def promise_series(report: dict[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """The promise per day (or per month): rows with key, met, missed, excluded, compliance."""
    rows = report["promise"]["by_day"]
    if daily(report):
        return "date", rows
    months: dict[str, dict[str, Any]] = {}
    for r in rows:
        m = months.setdefault(
            r["key"][:7], {"key": r["key"][:7], "tickets": 0, "met": 0, "missed": 0, "excluded": 0}
        )
        for k in ("tickets", "met", "missed", "excluded"):
            m[k] += r[k]
    for m in months.values():
        decided = m["met"] + m["missed"]
        m["compliance"] = round(100 * m["met"] / decided, 1) if decided else None
    return "month", list(months.values())


def _t(msgid: str, lang: str, **params: Any) -> str:
    return translate(msgid, lang, **params)


def _promise_table(key: str, title: str, first: Column, rows, lang: str) -> Table:
    return Table(
        key,
        title,
        [
            first,
            Column(_t(N_("Tickets"), lang), "int"),
            Column(_t(N_("Met"), lang), "int"),
            Column(_t(N_("Missed"), lang), "int"),
            Column(_t(N_("Excluded"), lang), "int"),
            Column(_t(N_("Compliance"), lang), "pct"),
        ],
        [
            [label, r["tickets"], r["met"], r["missed"], r["excluded"], r["compliance"]]
            for label, r in rows
        ],
    )


def _durations_table(key: str, title: str, which: str, report: dict[str, Any], lang: str) -> Table:
    times = report["times"]
    rows = [(_t(N_("All services"), lang), times[which])]
    rows += [(f"{s['key']} · {s['label']}", s[which]) for s in times["by_service"]]
    return Table(
        key,
        title,
        [
            Column(_t(N_("Service"), lang)),
            Column(_t(N_("Tickets"), lang), "int"),
            Column(_t(N_("Mean (min)"), lang), "minutes"),
            Column(_t(N_("Median (min)"), lang), "minutes"),
            Column(_t(N_("P90 (min)"), lang), "minutes"),
            Column(_t(N_("Longest (min)"), lang), "minutes"),
        ],
        [[label, d["count"], d["mean"], d["median"], d["p90"], d["max"]] for label, d in rows],
    )


def summary_rows(report: dict[str, Any], lang: str) -> list[tuple[str, Any, str]]:
    """The headline figures: ``(label, value, kind)``."""
    v, p, t, s = report["visits"], report["promise"], report["times"], report["satisfaction"]
    ikm = s["ikm"]
    return [
        (_t(N_("Tickets issued"), lang), v["tickets"], "int"),
        (_t(N_("Visits (a transfer counts once)"), lang), v["visits"], "int"),
        (_t(N_("Served"), lang), v["by_status"]["done"], "int"),
        (_t(N_("Not present"), lang), v["no_shows"], "int"),
        (_t(N_("Not served"), lang), v["unserved"], "int"),
        (_t(N_("Transferred"), lang), v["transfers"], "int"),
        (_t(N_("Priority visitors"), lang), v["priority"], "int"),
        (_t(N_("Called within the target"), lang), p["met"], "int"),
        (_t(N_("Past the target"), lang), p["missed"], "int"),
        (_t(N_("Excluded from the target"), lang), p["excluded"], "int"),
        (_t(N_("Target compliance"), lang), p["compliance"], "pct"),
        (_t(N_("Mean wait from arrival (min)"), lang), t["wait"]["mean"], "minutes"),
        (_t(N_("Median wait from arrival (min)"), lang), t["wait"]["median"], "minutes"),
        (_t(N_("P90 wait from arrival (min)"), lang), t["wait"]["p90"], "minutes"),
        (_t(N_("Mean service time (min)"), lang), t["service"]["mean"], "minutes"),
        (_t(N_("Ratings"), lang), s["ratings"], "int"),
        (_t(N_("Mean stars (1–5)"), lang), s["mean_stars"], "decimal"),
        (_t(N_("IKM"), lang), ikm["ikm"] if ikm else None, "decimal"),
        (_t(N_("IKM grade"), lang), _grade_text(ikm, lang) if ikm else None, "text"),
        (_t(N_("Integrity answers “yes”"), lang), s["integrity"]["flagged"], "int"),
    ]


def _grade_text(ikm: dict[str, Any], lang: str) -> str:
    return f"{ikm['grade']} ({_t(QUALITY_LABELS[ikm['grade']], lang)})"


def sections(report: dict[str, Any], lang: str) -> list[Section]:
    """Every section of the report as translated tables, in reading order."""
    v, p, s = report["visits"], report["promise"], report["satisfaction"]
    none_label = _t(N_("(none)"), lang)
    summary = Section(
        "summary",
        _t(N_("Summary"), lang),
        [
            Table(
                "summary",
                _t(N_("Summary"), lang),
                [Column(_t(N_("Figure"), lang)), Column(_t(N_("Value"), lang), "text")],
                [[label, (value, kind)] for label, value, kind in summary_rows(report, lang)],
            )
        ],
    )

    series_kind, series = visits_series(report)
    by_time = _t(N_("Day"), lang) if series_kind == "date" else _t(N_("Month"), lang)
    status_cols = [Column(_t(STATUS_LABELS[k], lang), "int") for k in STATUS_LABELS]
    visits = Section(
        "visits",
        _t(N_("Visits"), lang),
        [
            Table(
                "visits_by_day" if series_kind == "date" else "visits_by_month",
                _t(N_("Tickets per day"), lang)
                if series_kind == "date"
                else _t(N_("Tickets per month"), lang),
                [Column(by_time, series_kind), Column(_t(N_("Tickets"), lang), "int")],
                [[key, n] for key, n in series],
            ),
            Table(
                "visits_by_service",
                _t(N_("Tickets by service and status"), lang),
                [
                    Column(_t(N_("Service"), lang)),
                    Column(_t(N_("Tickets"), lang), "int"),
                    *status_cols,
                ],
                [
                    [
                        f"{r['service']} · {r['name']}",
                        r["tickets"],
                        *(r["by_status"][k] for k in STATUS_LABELS),
                    ]
                    for r in v["by_service"]
                ]
                + [
                    [
                        _t(N_("All services"), lang),
                        v["tickets"],
                        *(v["by_status"][k] for k in STATUS_LABELS),
                    ]
                ],
            ),
            Table(
                "visits_by_hour",
                _t(N_("Tickets by hour of arrival"), lang),
                [Column(_t(N_("Hour"), lang)), Column(_t(N_("Tickets"), lang), "int")],
                [[f"{r['hour']:02d}:00–{r['hour']:02d}:59", r["tickets"]] for r in v["by_hour"]],
            ),
            Table(
                "visits_priority",
                _t(N_("Priority visitors"), lang),
                [Column(_t(N_("Priority group"), lang)), Column(_t(N_("Tickets"), lang), "int")],
                [
                    [_t(PRIORITY_LABELS.get(r["group"], r["group"]), lang), r["tickets"]]
                    for r in v["by_priority"]
                ],
            ),
        ],
    )

    promise_kind, promise_rows = promise_series(report)
    promise = Section(
        "promise",
        _t(N_("The 10-minute promise"), lang),
        [
            _promise_table(
                "promise_by_service",
                _t(N_("Compliance per service"), lang),
                Column(_t(N_("Service"), lang)),
                [(f"{r['key']} · {r['label']}", r) for r in p["by_service"]]
                + [(_t(N_("All services"), lang), p)],
                lang,
            ),
            _promise_table(
                "promise_by_counter",
                _t(N_("Compliance per counter"), lang),
                Column(_t(N_("Counter"), lang)),
                [(r["label"] or none_label, r) for r in p["by_counter"]],
                lang,
            ),
            _promise_table(
                "promise_by_officer",
                _t(N_("Compliance per officer"), lang),
                Column(_t(N_("Officer"), lang)),
                [(r["label"] or none_label, r) for r in p["by_officer"]],
                lang,
            ),
            _promise_table(
                "promise_by_day" if promise_kind == "date" else "promise_by_month",
                _t(N_("Compliance per day"), lang)
                if promise_kind == "date"
                else _t(N_("Compliance per month"), lang),
                Column(by_time, promise_kind),
                # Days without a ticket (weekends, holidays) have nothing to prove.
                [(r["key"], r) for r in promise_rows if r["tickets"]],
                lang,
            ),
            Table(
                "longest_waits",
                _t(N_("Longest waits"), lang),
                [
                    Column(_t(N_("Day"), lang), "date"),
                    Column(_t(N_("Number"), lang)),
                    Column(_t(N_("Counter"), lang)),
                    Column(_t(N_("Wait (min)"), lang), "minutes"),
                    Column(_t(N_("Past the target (min)"), lang), "minutes"),
                    Column(_t(N_("Target"), lang)),
                ],
                [
                    [
                        r["day"],
                        r["number"],
                        r["counter"] or none_label,
                        r["wait_minutes"],
                        r["late_minutes"],
                        _t(
                            {1: N_("met"), 0: N_("missed")}.get(
                                r["target_met"], N_("not applicable")
                            ),
                            lang,
                        ),
                    ]
                    for r in p["longest_waits"]
                ],
            ),
        ],
    )
    promise.tables[0].note = _t(
        N_(
            "Met: called at most the target minutes after the visitor ahead finished. Excluded:"
            " not called and the day closed before the deadline, or not decided yet."
            " Compliance = met / (met + missed)."
        ),
        lang,
    )

    times = Section(
        "times",
        _t(N_("Waiting and service times"), lang),
        [
            _durations_table(
                "wait_times", _t(N_("Wait from arrival to first call"), lang), "wait", report, lang
            ),
            _durations_table(
                "service_times", _t(N_("Service time"), lang), "service", report, lang
            ),
        ],
    )

    people = report["visitors"]
    total = people["visits"]

    def share(n: int) -> float | None:
        return round(100 * n / total, 1) if total else None

    unknown = _t(N_("(not filled in)"), lang)
    visitor_tables = [
        Table(
            "visitors_returning",
            _t(N_("First-time and returning visitors"), lang),
            [
                Column(_t(N_("Visitors"), lang)),
                Column(_t(N_("Visits"), lang), "int"),
                Column(_t(N_("Share"), lang), "pct"),
            ],
            [
                [_t(N_("First visit"), lang), people["first_time"], share(people["first_time"])],
                [_t(N_("Returning"), lang), people["returning"], share(people["returning"])],
            ],
        )
    ]
    for key, title in VISITOR_TABLES:
        visitor_tables.append(
            Table(
                f"visitors_{key}",
                _t(title, lang),
                [
                    Column(_t(title, lang)),
                    Column(_t(N_("Visits"), lang), "int"),
                    Column(_t(N_("Share"), lang), "pct"),
                ],
                [[r["value"] or unknown, r["count"], share(r["count"])] for r in people[key]],
            )
        )
    visitors = Section("visitors", _t(N_("Visitors (guest book)"), lang), visitor_tables)

    ikm = s["ikm"]
    element_rows = []
    for i, key in enumerate(ELEMENTS, 1):
        e = ikm["elements"][key] if ikm else None
        element_rows.append(
            [
                f"U{i}",
                _t(ELEMENT_NAMES[key], lang),
                e and e["answers"],
                e and e["sum"],
                e and e["nrr"],
                e and e["weighted"],
            ]
        )
    ikm_note = _t(
        N_(
            "IKM per PermenPANRB 14/2017: NRR per element = sum of scores / respondents of the"
            " element; IKM = (Σ NRR × 1/9) × 25. Grades: A 88.31–100, B 76.61–88.30,"
            " C 65.00–76.60, D 25.00–64.99."
        ),
        lang,
    )
    if ikm:
        ikm_note = (
            _t(
                N_("IKM {value} · grade {grade} · {respondents} respondents."),
                lang,
                value=fmt(ikm["ikm"], "decimal", lang),
                grade=_grade_text(ikm, lang),
                respondents=ikm["respondents"],
            )
            + " "
            + ikm_note
        )
    integrity = s["integrity"]
    satisfaction_tables = [
        Table(
            "stars",
            _t(N_("Stars"), lang),
            [Column(_t(N_("Stars"), lang), "int"), Column(_t(N_("Ratings"), lang), "int")],
            [[r["stars"], r["count"]] for r in s["stars"]],
        ),
        Table(
            "ikm_elements",
            _t(N_("IKM per element"), lang),
            [
                Column(_t(N_("No."), lang)),
                Column(_t(N_("Element"), lang)),
                Column(_t(N_("Respondents"), lang), "int"),
                Column(_t(N_("Sum of scores"), lang), "int"),
                Column(_t(N_("NRR"), lang), "nrr"),
                Column(_t(N_("NRR × 1/9"), lang), "nrr"),
            ],
            element_rows,
            ikm_note,
        ),
        Table(
            "ikm_by_service",
            _t(N_("IKM per service"), lang),
            [
                Column(_t(N_("Service"), lang)),
                Column(_t(N_("Ratings"), lang), "int"),
                Column(_t(N_("Mean stars"), lang), "decimal"),
                Column(_t(N_("Respondents"), lang), "int"),
                Column(_t(N_("IKM"), lang), "decimal"),
                Column(_t(N_("Grade"), lang)),
            ],
            [
                [
                    f"{r['key']} · {r['label']}",
                    r["ratings"],
                    r["mean_stars"],
                    r["ikm"]["respondents"] if r["ikm"] else None,
                    r["ikm"]["ikm"] if r["ikm"] else None,
                    _grade_text(r["ikm"], lang) if r["ikm"] else "",
                ]
                for r in s["by_service"]
            ],
        ),
        Table(
            "integrity",
            _t(N_("Integrity answers"), lang),
            [
                Column(_t(N_("Question"), lang)),
                Column(_t(N_("Yes"), lang), "int"),
                Column(_t(N_("No"), lang), "int"),
                Column(_t(N_("Not answered"), lang), "int"),
            ],
            [
                [
                    _t(N_("Gratification (money, goods or favours to an officer)"), lang),
                    *integrity["gratification"].values(),
                ],
                [_t(N_("Illegal charge (pungli)"), lang), *integrity["extortion"].values()],
            ],
            _t(N_("The service is free of charge: every “yes” is a complaint to follow up."), lang),
        ),
    ]
    if s["integrity_list"] is not None:
        satisfaction_tables.append(
            Table(
                "integrity_list",
                _t(N_("Integrity answers to follow up"), lang),
                [
                    Column(_t(N_("Day"), lang), "date"),
                    Column(_t(N_("Number"), lang)),
                    Column(_t(N_("Counter"), lang)),
                    Column(_t(N_("Officer"), lang)),
                    Column(_t(N_("Answered yes to"), lang)),
                    Column(_t(N_("Comment"), lang)),
                ],
                [
                    [
                        r["day"],
                        r["number"],
                        r["counter"] or none_label,
                        r["officer"] or none_label,
                        ", ".join(
                            w
                            for w, yes in (
                                (_t(N_("gratification"), lang), r["gratification"]),
                                (_t(N_("illegal charge"), lang), r["extortion"]),
                            )
                            if yes
                        ),
                        r["comment"],
                    ]
                    for r in s["integrity_list"]
                ],
            )
        )
    satisfaction = Section("satisfaction", _t(N_("Satisfaction"), lang), satisfaction_tables)
    if report.get("offices"):
        return [summary, _offices(report, lang), visits, promise, times, visitors, satisfaction]
    return [summary, visits, promise, times, visitors, satisfaction]


def _offices(report: dict[str, Any], lang: str) -> Section:
    """Offices side by side (a central report over several offices), best compliance first."""
    table = Table(
        "offices",
        _t(N_("Offices side by side"), lang),
        [
            Column(_t(N_("Office"), lang)),
            Column(_t(N_("Tickets"), lang), "int"),
            Column(_t(N_("Met"), lang), "int"),
            Column(_t(N_("Missed"), lang), "int"),
            Column(_t(N_("Compliance"), lang), "pct"),
            Column(_t(N_("Median wait (min)"), lang), "minutes"),
            Column(_t(N_("IKM"), lang), "decimal"),
            Column(_t(N_("Grade"), lang)),
            Column(_t(N_("Published"), lang)),
        ],
        [
            [
                f"{o['code']} · {o['name']}",
                o["tickets"],
                o["met"],
                o["missed"],
                o["compliance"],
                o["median_wait"],
                o["ikm"],
                o["grade"] or "",
                o["published_at"][:10] if o["published_at"] else "",
            ]
            for o in report["offices"]
        ],
        _t(
            N_(
                "Sorted by compliance, best first. Published: the day each office last sent"
                " its record; what happened there since is not counted yet."
            ),
            lang,
        ),
    )
    return Section("offices", _t(N_("Offices"), lang), [table])


def cell(value: Any, kind: str) -> tuple[Any, str]:
    """Split a summary cell ``(value, kind)`` from an ordinary one."""
    if isinstance(value, tuple):
        return value
    return value, kind
