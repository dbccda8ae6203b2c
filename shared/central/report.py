"""The report over the central database: one office, several, or the whole province.

The same report model as an office's own (:func:`shared.reporting.model.compute_report`
gives its shape and definitions; the same tables, exports and formats present it), with
the figures computed **in PostgreSQL**. A province's year is hundreds of thousands of
tickets: only turning that many rows into Python objects takes longer than the whole
report may, while PostgreSQL counts, groups and takes exact medians and nearest-rank
p90s (``percentile_cont(0.5)``, ``percentile_disc(0.9)``) over the raw rows in a fraction
of it. Every figure follows the model's definition to the last digit — a test compares
the central report of each office with that office's own report, number for number —
and the small helpers that turn counts into figures (the promise, the IKM from its
tallies, the order of guest-book answers) are the model's own. Visits and ratings are
read by their own day (worked out when publishing), never by joining all of history,
and each kind of row is read in one grouped pass.

With more than one office the report adds ``offices``: per office its tickets,
compliance, median wait and IKM, side by side, best compliance first. Counters and
officers are then named with their office's code (``1671 · Loket 1``); officers are
known centrally only by id and role.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from shared.central import schema
from shared.central.connection import CentralError
from shared.i18n import N_, translate
from shared.reporting.ikm import ELEMENTS, add_tallies
from shared.reporting.ikm import from_tally as ikm_from_tally
from shared.reporting.model import (
    AGE_BANDS,
    LONGEST_WAITS,
    ReportFilter,
    _minutes,
    ordered_counts,
    promise_of,
    service_list,
    visits_section,
)
from shared.reporting.period import Period

S = schema.SCHEMA
ROLE_LABELS = {
    "officer": N_("officer"),
    "supervisor": N_("supervisor"),
    "admin": N_("administrator"),
}


class UnknownOffice(CentralError):
    """An office code that has never published to the central database."""

    kind = "refused"


def _rows(conn: Any, sql: str, params: tuple = ()) -> list[tuple]:
    return conn.execute(sql, params).fetchall()


def _durations(n: int, total: Any, median: Any, p90: Any, longest: Any) -> dict[str, Any]:
    """The model's durations figures from PostgreSQL's aggregates (exact ms sums)."""
    if not n:
        return {"count": 0, "mean": None, "median": None, "p90": None, "max": None}
    return {
        "count": n,
        "mean": _minutes(int(total) / n),
        "median": _minutes(float(median)),
        "p90": _minutes(int(p90)),
        "max": _minutes(int(longest)),
    }


_WAIT_STATS = (
    "count(wait), sum(wait), percentile_cont(0.5) WITHIN GROUP (ORDER BY wait),"
    " percentile_disc(0.9) WITHIN GROUP (ORDER BY wait), max(wait)"
)
_SERVICE_STATS = _WAIT_STATS.replace("wait", "spent")
_IKM_TALLY = (
    "count(*) FILTER (WHERE {any}), count(*) FILTER (WHERE {all}), {sums}, {counts}".format(
        any=" OR ".join(f"{u} IS NOT NULL" for u in ELEMENTS),
        all=" AND ".join(f"{u} IS NOT NULL" for u in ELEMENTS),
        sums=", ".join(f"coalesce(sum({u}), 0)" for u in ELEMENTS),
        counts=", ".join(f"count({u})" for u in ELEMENTS),
    )
)


def _tally(row: tuple) -> list[Any]:
    """An IKM tally (see :func:`shared.reporting.ikm.tally`) from ``_IKM_TALLY``'s columns."""
    n = len(ELEMENTS)
    return [row[0], row[1], [int(v) for v in row[2 : 2 + n]], list(row[2 + n : 2 + 2 * n])]


def build_central_report(
    conn: Any,
    period: Period,
    codes: list[str] | None = None,
    where: ReportFilter | None = None,
    *,
    lang: str = "id",
    integrity_list: bool = False,
    now_ms: int | None = None,
) -> dict[str, Any]:
    """Compute the report of ``period`` for the offices ``codes`` (None: every office).

    Runs in one repeatable-read transaction of ``conn`` (a psycopg connection in
    autocommit mode), so every figure comes from the same moment of the central
    database even while offices publish.
    """
    where = where or ReportFilter()
    with conn.transaction():
        conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # Hash joins and the medians' sorts of a province's year stay in memory.
        conn.execute("SET LOCAL work_mem = '128MB'")
        schema.check_current(conn)
        return _build(conn, period, codes, where, lang, integrity_list, now_ms)


def _build(conn, period, codes, where, lang, integrity_list, now_ms) -> dict[str, Any]:
    rows = _rows(
        conn,
        f"SELECT office_code, office_name, office_unit, timezone, lists, last_event_id,"
        f" published_at FROM {S}.offices ORDER BY office_code",
    )
    known = {r[0]: r for r in rows}
    if codes:
        missing = [c for c in codes if c not in known]
        if missing:
            raise UnknownOffice(
                N_("No office {codes} has published to the central database yet."),
                codes=", ".join(missing),
            )
        chosen = [known[c] for c in sorted(set(codes))]
    else:
        chosen = rows
    if not chosen:
        raise UnknownOffice(N_("No office has published to the central database yet."))
    chosen_codes = [r[0] for r in chosen]
    many = len(chosen) > 1

    params: list[Any] = [period.start, period.end, chosen_codes]
    service_filter = ""
    if where.service:
        service_filter = " AND t.service_code = %s"
        params.append(where.service)
    offset = _fixed_offset({r[3] for r in chosen}, period)
    if offset is not None:
        # One UTC offset for the whole period (Indonesia has no summer time): the local
        # hour is arithmetic.
        hour, join = f"((t.issued_at / 1000 + {offset}) / 3600) %% 24", ""
    else:
        hour = "extract(hour FROM to_timestamp(t.issued_at / 1000.0) AT TIME ZONE o.timezone)::int"
        join = f" JOIN {S}.offices o ON o.office_code = t.office_code"

    conn.execute(
        "CREATE TEMP TABLE pt ON COMMIT DROP AS SELECT t.office_code, t.id, t.number,"
        " t.service_code, t.service_day, t.status, t.priority_group,"
        " t.visit_id, t.first_called_at, t.deadline_at, t.counter_id, t.officer_id,"
        " t.target_met, t.transferred_from_id,"
        " CASE WHEN t.first_called_at IS NOT NULL"
        "  THEN greatest(0, t.first_called_at - t.issued_at) END AS wait,"
        " CASE WHEN t.status = 'done' AND t.ended_at IS NOT NULL"
        "  AND coalesce(nullif(t.started_at, 0), t.called_at) IS NOT NULL"
        "  THEN greatest(0, t.ended_at - coalesce(nullif(t.started_at, 0), t.called_at))"
        f"  END AS spent, {hour} AS hour"
        f" FROM {S}.tickets t{join}"
        " WHERE t.service_day BETWEEN %s AND %s AND t.office_code = ANY(%s)" + service_filter,
        tuple(params),
    )

    # -- names ---------------------------------------------------------------------------
    services = {
        r[0]: {
            "code": r[0],
            "name_id": r[1],
            "name_en": r[2],
            "target_minutes": r[3],
            "sort_order": r[4],
        }
        for r in _rows(
            conn,
            f"SELECT DISTINCT ON (code) code, name_id, name_en, target_minutes, sort_order"
            f" FROM {S}.services WHERE office_code = ANY(%s) ORDER BY code, office_code",
            (chosen_codes,),
        )
    }
    counters: dict[Any, str] = {}
    for code, ident, name in _rows(
        conn,
        f"SELECT office_code, id, name FROM {S}.counters WHERE office_code = ANY(%s)",
        (chosen_codes,),
    ):
        counters[f"{code}/{ident}" if many else ident] = f"{code} · {name}" if many else name
    officers: dict[Any, str] = {}
    for code, ident, role in _rows(
        conn,
        f"SELECT office_code, id, role FROM {S}.officers WHERE office_code = ANY(%s)",
        (chosen_codes,),
    ):
        label = translate(
            N_("Officer {id} ({role})"),
            lang,
            id=ident,
            role=translate(ROLE_LABELS.get(role, role), lang),
        )
        officers[f"{code}/{ident}" if many else ident] = f"{code} · {label}" if many else label

    def service_name(code: str) -> str:
        s = services.get(code)
        if s is None:
            return code
        return s["name_en"] if lang == "en" else s["name_id"]

    grouped = _grouped(conn, many)
    codes_seen = {code for code, _status in grouped["service_status"]}
    service_order = sorted(
        codes_seen, key=lambda c: (services.get(c, {}).get("sort_order", 999), c)
    )
    report: dict[str, Any] = {
        "office": _office_heading(chosen, lang),
        "period": period.as_dict(lang),
        "filter": {
            "service": where.service,
            "service_name": service_name(where.service) if where.service else None,
            "counter_id": None,
            "counter_name": None,
            "officer_id": None,
            "officer_name": None,
        },
        "generated_at": now_ms,
        "language": lang,
        "services": service_list(service_order, service_name, services),
    }
    report["visits"] = _visits(grouped, period, service_order, service_name)
    report["promise"] = _promise(
        conn, grouped, period, service_order, service_name, counters, officers, many
    )
    report["times"], medians = _times(conn, service_order, service_name, many)
    report["visitors"] = _visitors(conn, chosen, period, where.service)
    report["satisfaction"], per_office = _satisfaction(
        conn,
        period,
        chosen_codes,
        where.service,
        service_order,
        service_name,
        counters,
        officers,
        many,
        integrity_list,
    )
    report["central"] = {
        "offices": [
            {
                "code": r[0],
                "name": r[1],
                "last_event_id": r[5],
                "published_at": r[6].isoformat() if r[6] else None,
            }
            for r in chosen
        ]
    }
    if many:
        report["offices"] = _side_by_side(chosen, grouped, medians, per_office)
    return report


def _office_heading(chosen: list[tuple], lang: str) -> dict[str, Any]:
    if len(chosen) == 1:
        r = chosen[0]
        return {"name": r[1], "unit": r[2], "timezone": r[3], "code": r[0]}
    codes = ", ".join(r[0] for r in chosen)
    province = next((r for r in chosen if r[0].endswith("00")), None)
    unit = translate(N_("{count} offices: {codes}"), lang, count=len(chosen), codes=codes)
    return {
        "name": province[1]
        if province
        else translate(N_("Central database of the province"), lang),
        "unit": unit,
        "timezone": (province or chosen[0])[3],
        "code": None,
    }


def _fixed_offset(zones: set[str], period: Period) -> int | None:
    """The one UTC offset (seconds) of every zone over the whole period, or None."""
    offsets = set()
    for zone in zones:
        tz = ZoneInfo(zone)
        for day in (period.start + timedelta(days=i) for i in range(-1, period.days + 1)):
            for hour in (0, 12):
                offset = datetime(day.year, day.month, day.day, hour, tzinfo=tz).utcoffset()
                offsets.add(int(offset.total_seconds()) if offset is not None else None)
    if len(offsets) == 1 and None not in offsets:
        return offsets.pop()
    return None


# One pass over the period's tickets gives every count the visits and the promise need.
def _grouped(conn, many: bool) -> dict[str, dict[Any, list[int]]]:
    """Per grouping: key → [tickets, met, missed, visits, first id].

    Counters and officers are an office's own: with several offices they are grouped
    with their office and keyed ``"1671/3"``.
    """
    own = ("office_code",) if many else ()
    sets = {
        "service_status": ("service_code", "status"),
        "service_day": ("service_day",),
        "counter": (*own, "counter_id"),
        "officer": (*own, "officer_id"),
        "priority_group": ("priority_group",),
        "hour": ("hour",),
        **({"office_code": ("office_code",)} if many else {}),
        "": (),
    }
    columns = list(dict.fromkeys(c for cols in sets.values() for c in cols))
    by_columns = {frozenset(cols): name for name, cols in sets.items()}
    flags = ", ".join(f"grouping({c})" for c in columns)
    sql_sets = ", ".join(f"({', '.join(cols)})" for cols in sets.values())
    out: dict[str, dict[Any, list[int]]] = {name: {} for name in sets}
    n = len(columns)
    for r in _rows(
        conn,
        f"SELECT {flags}, {', '.join(columns)}, count(*),"
        " count(*) FILTER (WHERE target_met = 1), count(*) FILTER (WHERE target_met = 0),"
        " count(*) FILTER (WHERE transferred_from_id IS NULL), min(id)"
        f" FROM pt GROUP BY GROUPING SETS ({sql_sets}) ORDER BY min(id)",
    ):
        values = dict(zip(columns, r[n : 2 * n], strict=True))
        name = by_columns[frozenset(c for c, flag in zip(columns, r[:n], strict=True) if not flag)]
        figures = list(r[2 * n :])
        if name == "service_status":
            key: Any = (values["service_code"], values["status"])
        elif name in ("counter", "officer"):
            ident = values[f"{name}_id"]
            key = None if ident is None else f"{values['office_code']}/{ident}" if many else ident
        elif name == "service_day":
            key = values["service_day"].isoformat()
        elif name:
            key = values[name]
        else:
            key = None
        out[name][key] = figures
    return out


def _visits(grouped, period: Period, service_order, service_name) -> dict[str, Any]:
    per_service: dict[str, Counter] = {}
    for (code, status), figures in grouped["service_status"].items():
        per_service.setdefault(code, Counter())[status] = figures[0]
    everything = grouped[""].get(None) or [0, 0, 0, 0, None]
    return visits_section(
        period,
        per_service,
        {day: f[0] for day, f in grouped["service_day"].items()},
        {hour: f[0] for hour, f in grouped["hour"].items()},
        {g: f[0] for g, f in grouped["priority_group"].items() if g},
        tickets=everything[0],
        visits=everything[3],
        service_order=service_order,
        service_name=service_name,
    )


def _promise(conn, grouped, period, service_order, service_name, counters, officers, many):
    services: dict[str, list[int]] = {}
    for (code, _status), figures in grouped["service_status"].items():
        tally = services.setdefault(code, [0, 0, 0])
        for i in range(3):
            tally[i] += figures[i]
    overall = [sum(t[i] for t in services.values()) for i in range(3)]

    def named(column: str, names: dict[Any, str]) -> list[dict[str, Any]]:
        return [
            {
                "key": ident,
                "label": names.get(ident, "") if ident is not None else None,
                **promise_of(figures[:3]),
            }
            for ident, figures in sorted(
                grouped[column].items(),
                key=lambda kv: (kv[0] is None, names.get(kv[0], "")),
            )
        ]

    days = grouped["service_day"]
    longest = []
    for r in _rows(
        conn,
        "SELECT service_day, number, service_code, office_code, counter_id, wait,"
        " first_called_at, deadline_at, target_met FROM pt WHERE wait IS NOT NULL"
        ' ORDER BY wait DESC, service_day, number COLLATE "C", office_code LIMIT %s',
        (LONGEST_WAITS,),
    ):
        day, number, code, office, counter, wait, called, deadline, met = r
        day = day.isoformat()
        counter_key = (f"{office}/{counter}" if many else counter) if counter else None
        longest.append(
            {
                "day": day,
                "number": f"{office} {number}" if many else number,
                "service": code,
                "counter": counters.get(counter_key) if counter_key else None,
                "wait_minutes": _minutes(wait),
                "late_minutes": (
                    _minutes(called - deadline)
                    if deadline is not None and called > deadline
                    else 0.0
                ),
                "target_met": met,
            }
        )
    return {
        **promise_of(overall),
        "by_service": [
            {"key": code, "label": service_name(code), **promise_of(services[code])}
            for code in service_order
            if code in services
        ],
        "by_counter": named("counter", counters),
        "by_officer": named("officer", officers),
        "by_day": [
            {"key": day, **promise_of(days.get(day, [0, 0, 0])[:3])} for day in period.day_list()
        ],
        "longest_waits": longest,
    }


def _times(conn, service_order, service_name, many: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """The waits and service times, and each office's median wait (for the side by side)."""
    figures: dict[Any, dict[str, Any]] = {}
    medians: dict[str, Any] = {}
    if many:
        office, sets = "office_code, grouping(office_code)", "(service_code), (office_code), ()"
    else:
        office, sets = "NULL, 1", "(service_code), ()"
    for r in _rows(
        conn,
        f"SELECT service_code, {office}, grouping(service_code), {_WAIT_STATS},"
        f" {_SERVICE_STATS} FROM pt GROUP BY GROUPING SETS ({sets})",
    ):
        if not r[2]:
            medians[r[1]] = r[6]
            continue
        figures[None if r[3] else r[0]] = {
            "wait": _durations(*r[4:9]),
            "service": _durations(*r[9:14]),
        }
    empty = _durations(0, None, None, None, None)
    times = {
        **figures.get(None, {"wait": empty, "service": empty}),
        "by_service": [
            {"key": code, "label": service_name(code), **figures[code]}
            for code in service_order
            if code in figures
        ],
    }
    return times, medians


def _merged_lists(chosen: list[tuple]) -> dict[str, list[str]]:
    lists: dict[str, list[str]] = {}
    for r in chosen:
        for name, values in (r[4] or {}).items():
            merged = lists.setdefault(name, [])
            merged += [v for v in values if v not in merged]
    return lists


CATEGORIES = ("sex", "age_band", "education", "occupation", "institution_category", "purpose")


def _visitors(conn, chosen: list[tuple], period: Period, service: str | None) -> dict[str, Any]:
    codes = [r[0] for r in chosen]
    # Each visit once. A visit's day is its first ticket's, so the period's visits are
    # those of its days; narrowed to a service, those with a ticket of that service
    # (never a transfer's second ticket: it keeps the first ticket's visit).
    narrowed = ""
    if service:
        narrowed = (
            " AND EXISTS (SELECT 1 FROM pt t WHERE t.office_code = v.office_code"
            " AND t.visit_id = v.id AND t.transferred_from_id IS NULL)"
        )
    counts: dict[str, Counter] = {c: Counter() for c in CATEGORIES}
    values = ", ".join(f"coalesce(v.{c}, '') AS {c}" for c in CATEGORIES)
    groups = ", ".join(f"({c})" for c in CATEGORIES)
    which = ", ".join(f"grouping({c})" for c in CATEGORIES)
    visits = returning = 0
    n = len(CATEGORIES)
    for r in _rows(
        conn,
        f"SELECT {', '.join(CATEGORIES)}, {which}, count(*), sum(returning_visitor)"
        f" FROM (SELECT {values}, v.returning_visitor FROM {S}.visits v"
        " WHERE v.service_day BETWEEN %s AND %s AND v.office_code = ANY(%s)"
        f"{narrowed}) pv GROUP BY GROUPING SETS ({groups}, ())",
        (period.start, period.end, codes),
    ):
        flags = r[n : 2 * n]
        if all(flags):  # the grand total
            visits, returning = r[-2], int(r[-1] or 0)
            continue
        for i, category in enumerate(CATEGORIES):
            if not flags[i]:  # grouping() is 0 for the set's own column
                counts[category][r[i]] = r[-2]
    lists = _merged_lists(chosen)
    return {
        "visits": visits,
        "first_time": visits - int(returning),
        "returning": int(returning),
        "sex": ordered_counts(counts["sex"], lists.get("sex", [])),
        "age": ordered_counts(counts["age_band"], list(AGE_BANDS)),
        "education": ordered_counts(counts["education"], lists.get("education", [])),
        "occupation": ordered_counts(counts["occupation"], lists.get("occupation", [])),
        "institution_category": ordered_counts(
            counts["institution_category"], lists.get("institution_category", [])
        ),
        "purpose": ordered_counts(counts["purpose"], lists.get("purpose", [])),
    }


def _satisfaction(
    conn,
    period,
    codes,
    service,
    service_order,
    service_name,
    counters,
    officers,
    many,
    integrity_list,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The satisfaction section, and each office's ratings and IKM tally."""
    # A rating carries its ticket's day, service, counter and officer: the period's
    # ratings are read without going back to the tickets.
    service_filter, params = "", [period.start, period.end, codes]
    if service:
        service_filter, params = " AND r.service_code = %s", [*params, service]
    where = (
        f"FROM {S}.ratings r WHERE r.service_day BETWEEN %s AND %s AND r.office_code = ANY(%s)"
        + service_filter
    )
    own = ", (office_code)" if many else ""
    integrity = (
        "count(*) FILTER (WHERE gratification = 1), count(*) FILTER (WHERE gratification = 0),"
        " count(*) FILTER (WHERE gratification IS NULL), count(*) FILTER (WHERE extortion = 1),"
        " count(*) FILTER (WHERE extortion = 0), count(*) FILTER (WHERE extortion IS NULL),"
        " count(*) FILTER (WHERE gratification = 1 OR extortion = 1)"
    )
    per_service, per_office, stars = {}, {}, {}
    answers = [0] * 7  # gratification yes/no/none, extortion yes/no/none, flagged
    for r in _rows(
        conn,
        f"SELECT service_code, {'office_code' if many else 'NULL'}, score,"
        " grouping(service_code), grouping(score),"
        f" count(*), coalesce(sum(score), 0), {integrity}, {_IKM_TALLY} {where}"
        f" GROUP BY GROUPING SETS ((service_code), (score){own})",
        tuple(params),
    ):
        n, total, counted = r[5], int(r[6]), _tally(r[14:])
        if not r[3]:
            per_service[r[0]] = (n, total, counted)
            answers = [a + b for a, b in zip(answers, r[7:14], strict=True)]
        elif not r[4]:
            stars[r[2]] = n
        else:
            per_office[r[1]] = (n, counted)
    by_service = []
    tallies = []
    for code in service_order:
        if code not in per_service:
            continue
        n, total, counted = per_service[code]
        tallies.append(counted)
        by_service.append(
            {
                "key": code,
                "label": service_name(code),
                "ratings": n,
                "mean_stars": round(total / n, 2),
                "ikm": ikm_from_tally(counted),
            }
        )
    n = sum(v[0] for v in per_service.values())
    total = sum(v[1] for v in per_service.values())
    g_yes, g_no, g_none, e_yes, e_no, e_none, flagged = answers
    section: dict[str, Any] = {
        "ratings": n,
        "mean_stars": round(int(total) / n, 2) if n else None,
        "stars": [{"stars": s, "count": stars.get(s, 0)} for s in (5, 4, 3, 2, 1)],
        "ikm": ikm_from_tally(add_tallies(tallies)),
        "by_service": by_service,
        "integrity": {
            "gratification": {"yes": g_yes, "no": g_no, "unanswered": g_none},
            "extortion": {"yes": e_yes, "no": e_no, "unanswered": e_none},
            "flagged": flagged,
        },
        "integrity_list": None,
    }
    if integrity_list:
        section["integrity_list"] = [
            {
                "day": r[0].isoformat(),
                "number": f"{r[6]} {r[1]}" if many else r[1],
                "service": r[2],
                "counter": counters.get(f"{r[6]}/{r[3]}" if many else r[3])
                if r[3] is not None
                else None,
                "officer": officers.get(f"{r[6]}/{r[4]}" if many else r[4])
                if r[4] is not None
                else None,
                "gratification": r[5] == 1,
                "extortion": r[7] == 1,
                # Visitors' comments stay in the office (they may name people).
                "comment": "",
            }
            for r in _rows(
                conn,
                "SELECT r.service_day, t.number, r.service_code, r.counter_id, r.officer_id,"
                " r.gratification, r.office_code, r.extortion"
                f" FROM {S}.ratings r JOIN {S}.tickets t ON t.office_code = r.office_code"
                " AND t.id = r.ticket_id WHERE r.service_day BETWEEN %s AND %s"
                " AND r.office_code = ANY(%s)"
                + service_filter
                + " AND (r.gratification = 1 OR r.extortion = 1)"
                ' ORDER BY r.service_day, t.number COLLATE "C", r.office_code',
                tuple(params),
            )
        ]
    return section, per_office


def _side_by_side(chosen: list[tuple], grouped, medians, per_office) -> list[dict[str, Any]]:
    figures = {
        code: (f[0], f[3], f[1], f[2], medians.get(code))
        for code, f in grouped["office_code"].items()
    }
    ratings = per_office
    out = []
    for r in chosen:
        code = r[0]
        tickets, visits, met, missed, median = figures.get(code, (0, 0, 0, 0, None))
        n, counted = ratings.get(code, (0, None))
        score = ikm_from_tally(counted) if counted else None
        promise = promise_of([tickets, met, missed])
        out.append(
            {
                "code": code,
                "name": r[1],
                "tickets": tickets,
                "visits": visits,
                "met": met,
                "missed": missed,
                "excluded": promise["excluded"],
                "compliance": promise["compliance"],
                "median_wait": _minutes(float(median)) if median is not None else None,
                "ratings": n,
                "ikm": score["ikm"] if score else None,
                "grade": score["grade"] if score else None,
                "published_at": r[6].isoformat() if r[6] else None,
            }
        )
    out.sort(key=lambda o: (o["compliance"] is None, -(o["compliance"] or 0), o["code"]))
    return out
