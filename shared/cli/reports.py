"""``pst-admin`` commands that report: report (also ``--central``), plan, publish.

None of them changes the office's database. ``report`` and ``plan`` print text, JSON or
CSV, or write a file with ``--output``; ``plan erlang`` is arithmetic and opens no
database; ``report --central`` and ``publish`` talk to the province's central PostgreSQL
database, whose driver is imported only when they run.
"""

from __future__ import annotations

import argparse
import re
from datetime import date
from typing import Any

from shared import errors, i18n
from shared.cli.common import (
    TEXT_RESULT,
    Command,
    UsageError,
    check_day,
    int_in,
    never,
    resolve_db,
)
from shared.clock import Clock, service_day
from shared.i18n import N_, _
from shared.install.config import Config
from shared.office import settings
from shared.queue.operations import Operations
from shared.reporting import KINDS as REPORT_PERIODS
from shared.reporting import Period, ReportFilter, build_report
from shared.reporting import export as report_export
from shared.storage import dbfile

MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def check_month(text: str) -> str:
    """Return ``text`` if it is a month ``YYYY-MM``."""
    found = MONTH_RE.match(text)
    if found and 1 <= int(found.group(2)) <= 12 and int(found.group(1)) >= 1:
        return text
    raise UsageError(N_("{month} is not a month; write it as YYYY-MM, e.g. 2026-11."), month=text)


def _output_format(args: argparse.Namespace, paper: tuple[str, ...]) -> str:
    """The format asked for (text, or json with --json); a ``paper`` format needs --output."""
    fmt = args.format or ("json" if args.json else "text")
    if fmt in paper and not args.output:
        raise UsageError(_("An {format} report needs --output FILE.", format=fmt.upper()))
    return fmt


def add_central_options(parser: argparse.ArgumentParser) -> None:
    """Add how to reach the central database: --password-file and --timeout."""
    parser.add_argument(
        "--password-file",
        help="file holding the central account's password (else PGPASSWORD or PGPASSFILE)",
    )
    parser.add_argument(
        "--timeout",
        type=int_in(1, 600),
        default=10,
        help="seconds to wait for the central server to answer (default 10)",
    )


def _central_password(args: argparse.Namespace) -> str | None:
    """The password from ``--password-file``; None lets libpq use PGPASSWORD/PGPASSFILE."""
    if getattr(args, "password_file", None):
        from shared.central.connection import read_password_file

        return read_password_file(args.password_file)
    return None


# -- report -------------------------------------------------------------------------------


def add_report_options(r: argparse.ArgumentParser) -> None:
    r.add_argument(
        "--period",
        choices=list(REPORT_PERIODS),
        help="kind of period (default: what --date names, else day)",
    )
    r.add_argument(
        "--date",
        help="the period or a day of it: YYYY-MM-DD, a month YYYY-MM, a quarter YYYY-Q1…Q4,"
        " a semester YYYY-S1/S2 or a year YYYY (default today); without --period its form"
        " decides the period",
    )
    r.add_argument("--from", dest="date_from", help="first day of a custom range, YYYY-MM-DD")
    r.add_argument("--to", dest="date_to", help="last day of a custom range, YYYY-MM-DD")
    r.add_argument("--service", help="only this service, e.g. KS")
    r.add_argument("--counter", help="only this counter (id or name)")
    r.add_argument("--officer", help="only this officer (id or user name)")
    r.add_argument(
        "--format",
        choices=list(report_export.FORMATS),
        help="text (default), json, csv, xlsx or pdf",
    )
    r.add_argument("--output", help="write to this file (needed for xlsx and pdf)")
    r.add_argument(
        "--integrity-list",
        action="store_true",
        help="list the ratings that answered yes to an integrity question (administrators)",
    )
    r.add_argument(
        "--central",
        metavar="URL",
        help="report over the province's central database (postgresql://user@server/db)"
        " instead of this office's file",
    )
    r.add_argument(
        "--office", help="with --central: office codes, e.g. 1671 or 1671,1601 (default: all)"
    )
    r.add_argument("--day", help=argparse.SUPPRESS)
    r.add_argument("--month", help=argparse.SUPPRESS)
    add_central_options(r)


def _report_period(args: argparse.Namespace, today: str) -> Period:
    """The period of ``report``: --period with --date (a year, semester, quarter, month or
    day), the older --month/--day forms, or a custom --from/--to."""
    kind, anchor = args.period, args.date
    date_from = check_day(args.date_from) if args.date_from else None
    date_to = check_day(args.date_to) if args.date_to else None
    if args.month and args.day:
        raise UsageError(N_("Give --day or --month, not both."))
    if args.month and not args.period:  # the older --month form
        kind, anchor = "month", check_month(args.month)
    elif args.day and not args.period:
        kind, anchor = "day", check_day(args.day)
    if anchor is None:
        kind, anchor = kind or "day", today
    try:
        # Without --period the form of --date decides: 2026 is a year, 2026-Q3 a quarter.
        return Period.parse(kind, anchor, date_from, date_to)
    except errors.ValidationError as exc:
        if exc.field != "date":
            raise
        raise UsageError(exc.msgid, **exc.params) from None


def _counter_id(ops: Operations, text: str) -> int:
    rows = ops.store.read(lambda c: c.execute("SELECT id, name FROM counters").fetchall())
    for ident, name in rows:
        if text == str(ident) or text.strip().lower() == name.lower():
            return ident
    raise UsageError(_("There is no counter {name}.", name=text))


def _officer_id(ops: Operations, text: str) -> int:
    rows = ops.store.read(lambda c: c.execute("SELECT id, username FROM officers").fetchall())
    for ident, username in rows:
        if text == str(ident) or text.strip().lower() == username:
            return ident
    raise UsageError(_("There is no officer {name}.", name=text))


def run_report(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    if args.office:
        raise UsageError(N_("--office needs --central URL (the province's central database)."))
    office = ops.store.read(settings.get_all)
    today = service_day(ops.clock.now_ms(), office["timezone"])
    period = _report_period(args, today)
    counter_id = _counter_id(ops, args.counter) if args.counter else None
    officer_id = _officer_id(ops, args.officer) if args.officer else None
    where = ReportFilter(
        service=args.service.upper() if args.service else None,
        counter_id=counter_id,
        officer_id=officer_id,
    )
    lang = i18n.language()
    fmt = _output_format(args, ("xlsx", "pdf"))
    report = ops.store.read(
        lambda c: build_report(
            c,
            period,
            where,
            lang=lang,
            integrity_list=args.integrity_list,
            now_ms=ops.clock.now_ms(),
        )
    )
    return _report_output(report, args, fmt, lang)


def _report_output(
    report: dict[str, Any], args: argparse.Namespace, fmt: str, lang: str
) -> dict[str, Any]:
    if args.output:
        path = report_export.write(report, fmt, args.output, lang)
        return {"report": str(path), "format": fmt, "period": report["period"]["label"]}
    if fmt == "json":
        return report if args.json else {TEXT_RESULT: report_export.to_json(report) + "\n"}
    if fmt == "csv":
        return {TEXT_RESULT: report_export.to_csv(report, lang)}
    return {TEXT_RESULT: report_export.to_text(report, lang)}


def _office_codes(text: str | None) -> list[str] | None:
    if not text or text.strip().lower() == "all":
        return None
    codes = [c.strip() for c in text.split(",") if c.strip()]
    for code in codes:
        problem = settings.problem("office_code", code)
        if problem or not code:
            raise UsageError(
                N_("{code} is not an office code: give four digits like 1671, or all."),
                code=code,
            )
    return codes


def run_central_report(
    args: argparse.Namespace, config: Config, clock: Clock | None
) -> tuple[dict[str, Any], str] | None:
    """``report --central URL``: the report over the central database (no office file)."""
    if not args.central:
        return None
    from shared.central.connection import check, classify, connect, describe
    from shared.central.report import build_central_report

    url = check(args.central)
    if args.counter or args.officer:
        raise UsageError(N_("The central report can be narrowed by --service and --office only."))
    codes = _office_codes(args.office)
    now = (clock or Clock()).now_ms()
    period = _report_period(args, service_day(now, settings.DEFAULTS["timezone"]))
    lang = i18n.language()
    fmt = _output_format(args, ("xlsx", "pdf"))
    password = _central_password(args)
    conn = connect(url, password=password, timeout=args.timeout, application="pst-admin report")
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    try:
        conn.autocommit = True
        report = build_central_report(
            conn,
            period,
            codes,
            ReportFilter(service=args.service.upper() if args.service else None),
            lang=lang,
            integrity_list=args.integrity_list,
            now_ms=now,
        )
    except psycopg.Error as exc:
        raise classify(exc, describe(conninfo_to_dict(url)), password) from None
    finally:
        conn.close()
    return _report_output(report, args, fmt, lang), settings.DEFAULTS["timezone"]


# -- plan ---------------------------------------------------------------------------------


def add_plan_options(pl: argparse.ArgumentParser) -> None:
    pl.add_argument(
        "what", nargs="?", choices=["week", "erlang"], default="week", help="what to plan"
    )
    pl.add_argument(
        "--weeks", type=int_in(1, 104), default=12, help="weeks of history to use (default 12)"
    )
    pl.add_argument("--service", help="only this service, e.g. KS (default: the whole office)")
    pl.add_argument(
        "--date", help="plan from the weeks before this day, YYYY-MM-DD (default today)"
    )
    pl.add_argument(
        "--format",
        choices=["text", "json", "csv", "xlsx"],
        help="text (default), json, csv or xlsx",
    )
    pl.add_argument("--output", help="write to this file (needed for xlsx)")
    pl.add_argument(
        "--no-simulation", action="store_true", help="Erlang C only, without the simulation check"
    )
    pl.add_argument("--arrivals", type=float, help="erlang: visitors arriving per --per-minutes")
    pl.add_argument("--per-minutes", type=float, default=30.0, help="erlang: minutes (default 30)")
    pl.add_argument("--service-minutes", type=float, help="erlang: mean service time in minutes")
    pl.add_argument(
        "--wait-minutes", type=float, help="erlang: wait target in minutes (default 10)"
    )
    pl.add_argument(
        "--level", type=float, help="erlang: share to call within the wait (default 0.9)"
    )
    pl.add_argument(
        "--occupancy",
        type=float,
        default=0.85,
        help="erlang: busiest a counter may be planned (default 0.85)",
    )


def _positive(value: float | None, option: str, *, zero: bool = False) -> float:
    if value is None:
        raise UsageError(N_("Give {option}."), option=option)
    if not (value > 0 or (zero and value == 0)) or value != value or value == float("inf"):
        raise UsageError(
            N_("{option} must be a number above zero.")
            if not zero
            else N_("{option} must be zero or a number above it."),
            option=option,
        )
    return value


def plan_erlang(
    args: argparse.Namespace, config: Config, clock: Clock | None
) -> tuple[dict[str, Any], str] | None:
    """One slot by Erlang C (``plan erlang``): arithmetic, so no database is opened."""
    if args.what != "erlang":
        return None
    from shared.planning import erlang

    arrivals = _positive(args.arrivals, "--arrivals", zero=True)
    per = _positive(args.per_minutes, "--per-minutes")
    service = _positive(args.service_minutes, "--service-minutes")
    wait = _positive(
        settings.DEFAULTS["plan_wait_minutes"] if args.wait_minutes is None else args.wait_minutes,
        "--wait-minutes",
        zero=True,
    )
    level = settings.DEFAULTS["plan_level"] if args.level is None else args.level
    if not 0 < level < 1:
        raise UsageError(N_("--level is a share between 0 and 1, e.g. 0.8 for 80 %."))
    if not 0 < args.occupancy <= 1:
        raise UsageError(N_("--occupancy is a share above 0 and at most 1, e.g. 0.85."))
    try:
        result = erlang.counters_needed(
            arrivals, per, service, wait, level, max_occupancy=args.occupancy
        )
    except ValueError:
        raise errors.DomainError(
            N_("More than {n} counters would be needed: check the figures."),
            n=erlang.MAX_COUNTERS,
        ) from None
    return {
        "counters": result.counters,
        "service_level": round(result.service_level, 4),
        "waiting_probability": round(result.waiting_probability, 4),
        "occupancy": round(result.occupancy, 4),
        "mean_wait_minutes": None
        if result.mean_wait_minutes is None
        else round(result.mean_wait_minutes, 4),
        "traffic": round(result.traffic, 4),
    }, settings.DEFAULTS["timezone"]


def run_plan(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    """The counter plan from the last ``--weeks`` of history (read only)."""
    from shared.planning import export as plan_export
    from shared.planning.forecast import read_history
    from shared.planning.plan import make_plan

    office = ops.store.read(settings.get_all)
    today = date.fromisoformat(
        check_day(args.date) if args.date else service_day(ops.clock.now_ms(), office["timezone"])
    )
    service = args.service.upper() if args.service else None
    if service is not None:
        known = ops.store.read(lambda c: [r[0] for r in c.execute("SELECT code FROM services")])
        if service not in known:
            raise UsageError(N_("There is no service {code}."), code=service)
    lang = i18n.language()
    fmt = _output_format(args, ("xlsx",))
    history = ops.store.read(lambda c: read_history(c, today, args.weeks, service))
    plan = make_plan(history, simulate=not args.no_simulation, now_ms=ops.clock.now_ms())
    data = plan.as_dict(lang)
    if args.output:
        path = plan_export.write(data, fmt, args.output, lang)
        return {"plan": str(path), "format": fmt, "enough": data["enough"]}
    if fmt == "json":
        return data if args.json else {TEXT_RESULT: plan_export.to_json(data) + "\n"}
    if fmt == "csv":
        return {TEXT_RESULT: plan_export.to_csv(data, lang)}
    return {TEXT_RESULT: plan_export.to_text(data, lang)}


# -- publish ------------------------------------------------------------------------------


def add_publish_options(pub: argparse.ArgumentParser) -> None:
    pub.add_argument(
        "--to", metavar="URL", help="central database (default: the setting central_url)"
    )
    pub.add_argument(
        "--batch-events",
        type=int_in(100, 1_000_000),
        default=20_000,
        help="events per central transaction (default 20000)",
    )
    add_central_options(pub)


def run_publish(
    args: argparse.Namespace, config: Config, clock: Clock | None
) -> tuple[dict[str, Any], str]:
    """``publish``: send this office's record to the central database (read-only here)."""
    from shared.central.connection import CentralNotSetUp
    from shared.central.publish import open_office, publish

    path = resolve_db(args, config)
    dbfile.check_file(path, may_create=False)
    db = config.database
    store = open_office(path, busy_timeout_ms=db.busy_timeout_ms, retry_seconds=db.retry_seconds)
    try:
        office = store.read(settings.get_all)
        url = args.to or office["central_url"]
        if not url:
            raise CentralNotSetUp(
                N_(
                    "Where to? Give --to postgresql://user@server/database or set central_url"
                    " (“pst-admin setting set central_url …”)."
                )
            )
        result = publish(
            path,
            url,
            password=_central_password(args),
            batch_events=args.batch_events,
            timeout=args.timeout,
            store=store,
        )
    finally:
        store.close()
    return result, office["timezone"]


REPORT = Command(
    "report",
    "the report of a period: visits, the 10-minute promise, waits, visitors, IKM",
    add_report_options,
    run_report,
    run_alone=run_central_report,
    writes=never,
)
PLAN = Command(
    "plan",
    "plan the counters from history: visitors per half hour and the counters they"
    " need (Erlang C, checked by simulation); “plan erlang” sizes one half hour",
    add_plan_options,
    run_plan,
    run_alone=plan_erlang,
    writes=never,
)
PUBLISH = Command(
    "publish",
    "send this office's record since the last publish to the province's central"
    " database (reads the office's file only)",
    add_publish_options,
    run_alone=run_publish,
    writes=never,
)
