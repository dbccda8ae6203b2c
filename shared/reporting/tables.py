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
    made = made_on(report.get("generated_at"), report["office"]["timezone"], lang)
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


def columns(lang: str, *spec: str | tuple[str, str]) -> list[Column]:
    """Translate column titles: a msgid alone is a text column, ``(msgid, kind)`` a typed one."""
    return [
        Column(_t(c, lang)) if isinstance(c, str) else Column(_t(c[0], lang), c[1]) for c in spec
    ]


def made_on(at_ms: int | None, tz: str, lang: str) -> str:
    """Say when a report or a plan was made (empty when it has no time)."""
    if not at_ms:
        return ""
    return _t(
        N_("Made on {date} at {time}"),
        lang,
        date=long_date(date.fromisoformat(format_local(at_ms, tz, "%Y-%m-%d")), lang),
        time=format_local(at_ms, tz, "%H:%M"),
    )


def _promise_table(key: str, title: str, first: Column, rows, lang: str) -> Table:
    return Table(
        key,
        title,
        [
            first,
            *columns(
                lang,
                (N_("Tickets"), "int"),
                (N_("Met"), "int"),
                (N_("Missed"), "int"),
                (N_("Excluded"), "int"),
                (N_("Compliance"), "pct"),
            ),
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
        columns(
            lang,
            N_("Service"),
            (N_("Tickets"), "int"),
            (N_("Mean (min)"), "minutes"),
            (N_("Median (min)"), "minutes"),
            (N_("P90 (min)"), "minutes"),
            (N_("Longest (min)"), "minutes"),
        ),
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
    summary = Section(
        "summary",
        _t(N_("Summary"), lang),
        [
            Table(
                "summary",
                _t(N_("Summary"), lang),
                columns(lang, N_("Figure"), (N_("Value"), "text")),
                [[label, (value, kind)] for label, value, kind in summary_rows(report, lang)],
            )
        ],
    )
    parts = [
        summary,
        _visits(report, lang),
        _promise(report, lang),
        _times(report, lang),
        _visitors(report, lang),
        _satisfaction(report, lang),
    ]
    if report.get("offices"):
        parts.insert(1, _offices(report, lang))
    return parts


def _by_time(kind: str, lang: str) -> Column:
    """The first column of a series: by day or by month."""
    return Column(_t(N_("Day"), lang) if kind == "date" else _t(N_("Month"), lang), kind)


def _visits(report: dict[str, Any], lang: str) -> Section:
    v = report["visits"]
    series_kind, series = visits_series(report)
    by_status = [(STATUS_LABELS[k], "int") for k in STATUS_LABELS]
    return Section(
        "visits",
        _t(N_("Visits"), lang),
        [
            Table(
                "visits_by_day" if series_kind == "date" else "visits_by_month",
                _t(N_("Tickets per day"), lang)
                if series_kind == "date"
                else _t(N_("Tickets per month"), lang),
                [_by_time(series_kind, lang), *columns(lang, (N_("Tickets"), "int"))],
                [[key, n] for key, n in series],
            ),
            Table(
                "visits_by_service",
                _t(N_("Tickets by service and status"), lang),
                columns(lang, N_("Service"), (N_("Tickets"), "int"), *by_status),
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
                columns(lang, N_("Hour"), (N_("Tickets"), "int")),
                [[f"{r['hour']:02d}:00–{r['hour']:02d}:59", r["tickets"]] for r in v["by_hour"]],
            ),
            Table(
                "visits_priority",
                _t(N_("Priority visitors"), lang),
                columns(lang, N_("Priority group"), (N_("Tickets"), "int")),
                [
                    [_t(PRIORITY_LABELS.get(r["group"], r["group"]), lang), r["tickets"]]
                    for r in v["by_priority"]
                ],
            ),
        ],
    )


def _promise(report: dict[str, Any], lang: str) -> Section:
    p = report["promise"]
    none_label = _t(N_("(none)"), lang)
    promise_kind, promise_rows = promise_series(report)
    by_service = _promise_table(
        "promise_by_service",
        _t(N_("Compliance per service"), lang),
        Column(_t(N_("Service"), lang)),
        [(f"{r['key']} · {r['label']}", r) for r in p["by_service"]]
        + [(_t(N_("All services"), lang), p)],
        lang,
    )
    by_service.note = _t(
        N_(
            "Met: called at most the target minutes after the visitor ahead finished. Excluded:"
            " not called and the day closed before the deadline, or not decided yet."
            " Compliance = met / (met + missed)."
        ),
        lang,
    )
    by_desk = [
        _promise_table(
            f"promise_by_{who}",
            _t(title, lang),
            Column(_t(label, lang)),
            [(r["label"] or none_label, r) for r in p[f"by_{who}"]],
            lang,
        )
        for who, title, label in (
            ("counter", N_("Compliance per counter"), N_("Counter")),
            ("officer", N_("Compliance per officer"), N_("Officer")),
        )
    ]
    by_time = _promise_table(
        "promise_by_day" if promise_kind == "date" else "promise_by_month",
        _t(N_("Compliance per day"), lang)
        if promise_kind == "date"
        else _t(N_("Compliance per month"), lang),
        _by_time(promise_kind, lang),
        # Days without a ticket (weekends, holidays) have nothing to prove.
        [(r["key"], r) for r in promise_rows if r["tickets"]],
        lang,
    )
    outcome = {1: N_("met"), 0: N_("missed")}
    longest = Table(
        "longest_waits",
        _t(N_("Longest waits"), lang),
        columns(
            lang,
            (N_("Day"), "date"),
            N_("Number"),
            N_("Counter"),
            (N_("Wait (min)"), "minutes"),
            (N_("Past the target (min)"), "minutes"),
            N_("Target"),
        ),
        [
            [
                r["day"],
                r["number"],
                r["counter"] or none_label,
                r["wait_minutes"],
                r["late_minutes"],
                _t(outcome.get(r["target_met"], N_("not applicable")), lang),
            ]
            for r in p["longest_waits"]
        ],
    )
    return Section(
        "promise",
        _t(N_("The 10-minute promise"), lang),
        [by_service, *by_desk, by_time, longest],
    )


def _times(report: dict[str, Any], lang: str) -> Section:
    return Section(
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


def _visitors(report: dict[str, Any], lang: str) -> Section:
    people = report["visitors"]
    total = people["visits"]

    def share(n: int) -> float | None:
        return round(100 * n / total, 1) if total else None

    def shares(key: str, title: str, first: str, rows: list[tuple[str, int]]) -> Table:
        return Table(
            key,
            title,
            [Column(first), *columns(lang, (N_("Visits"), "int"), (N_("Share"), "pct"))],
            [[label, n, share(n)] for label, n in rows],
        )

    unknown = _t(N_("(not filled in)"), lang)
    tables = [
        shares(
            "visitors_returning",
            _t(N_("First-time and returning visitors"), lang),
            _t(N_("Visitors"), lang),
            [
                (_t(N_("First visit"), lang), people["first_time"]),
                (_t(N_("Returning"), lang), people["returning"]),
            ],
        )
    ]
    tables += [
        shares(
            f"visitors_{key}",
            _t(title, lang),
            _t(title, lang),
            [(r["value"] or unknown, r["count"]) for r in people[key]],
        )
        for key, title in VISITOR_TABLES
    ]
    return Section("visitors", _t(N_("Visitors (guest book)"), lang), tables)


def _ikm_note(ikm: dict[str, Any] | None, lang: str) -> str:
    note = _t(
        N_(
            "IKM per PermenPANRB 14/2017: NRR per element = sum of scores / respondents of the"
            " element; IKM = (Σ NRR × 1/9) × 25. Grades: A 88.31–100, B 76.61–88.30,"
            " C 65.00–76.60, D 25.00–64.99."
        ),
        lang,
    )
    if not ikm:
        return note
    figures = _t(
        N_("IKM {value} · grade {grade} · {respondents} respondents."),
        lang,
        value=fmt(ikm["ikm"], "decimal", lang),
        grade=_grade_text(ikm, lang),
        respondents=ikm["respondents"],
    )
    return figures + " " + note


def _satisfaction(report: dict[str, Any], lang: str) -> Section:
    s = report["satisfaction"]
    none_label = _t(N_("(none)"), lang)
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
    integrity = s["integrity"]
    tables = [
        Table(
            "stars",
            _t(N_("Stars"), lang),
            columns(lang, (N_("Stars"), "int"), (N_("Ratings"), "int")),
            [[r["stars"], r["count"]] for r in s["stars"]],
        ),
        Table(
            "ikm_elements",
            _t(N_("IKM per element"), lang),
            columns(
                lang,
                N_("No."),
                N_("Element"),
                (N_("Respondents"), "int"),
                (N_("Sum of scores"), "int"),
                (N_("NRR"), "nrr"),
                (N_("NRR × 1/9"), "nrr"),
            ),
            element_rows,
            _ikm_note(ikm, lang),
        ),
        Table(
            "ikm_by_service",
            _t(N_("IKM per service"), lang),
            columns(
                lang,
                N_("Service"),
                (N_("Ratings"), "int"),
                (N_("Mean stars"), "decimal"),
                (N_("Respondents"), "int"),
                (N_("IKM"), "decimal"),
                N_("Grade"),
            ),
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
            columns(
                lang,
                N_("Question"),
                (N_("Yes"), "int"),
                (N_("No"), "int"),
                (N_("Not answered"), "int"),
            ),
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
        answered = ((N_("gratification"), "gratification"), (N_("illegal charge"), "extortion"))
        tables.append(
            Table(
                "integrity_list",
                _t(N_("Integrity answers to follow up"), lang),
                columns(
                    lang,
                    (N_("Day"), "date"),
                    N_("Number"),
                    N_("Counter"),
                    N_("Officer"),
                    N_("Answered yes to"),
                    N_("Comment"),
                ),
                [
                    [
                        r["day"],
                        r["number"],
                        r["counter"] or none_label,
                        r["officer"] or none_label,
                        ", ".join(_t(word, lang) for word, key in answered if r[key]),
                        r["comment"],
                    ]
                    for r in s["integrity_list"]
                ],
            )
        )
    return Section("satisfaction", _t(N_("Satisfaction"), lang), tables)


def _offices(report: dict[str, Any], lang: str) -> Section:
    """Offices side by side (a central report over several offices), best compliance first."""
    table = Table(
        "offices",
        _t(N_("Offices side by side"), lang),
        columns(
            lang,
            N_("Office"),
            (N_("Tickets"), "int"),
            (N_("Met"), "int"),
            (N_("Missed"), "int"),
            (N_("Compliance"), "pct"),
            (N_("Median wait (min)"), "minutes"),
            (N_("IKM"), "decimal"),
            N_("Grade"),
            N_("Published"),
        ),
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
