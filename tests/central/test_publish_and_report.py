"""Publishing offices' records to a real PostgreSQL and reporting over them.

Three offices × three months of generated history are published; the central report of
each office and month equals that office's own report number for number (officers are
known centrally only by id and role, comments stay home); the province's figures equal
the hand sums of the offices' own; publishing again sends nothing new.
"""

from __future__ import annotations

import copy
import hashlib
import json
import sqlite3
import statistics
from pathlib import Path

import psycopg
import pytest

from shared.central.publish import publish
from shared.central.report import build_central_report
from shared.reporting import Period, build_report
from shared.reporting.ikm import ELEMENTS
from shared.reporting.model import durations
from tests.central.conftest import MONTHS, OFFICES

NOW = 1_764_547_200_000  # a fixed "made on" stamp for both sides


def comparable(report: dict) -> dict:
    """What must be equal between an office's own report and the central one."""
    r = copy.deepcopy(report)
    r.pop("central", None)
    # Officers are ids and roles centrally: compare their figures by id, not by name.
    r["promise"]["by_officer"] = sorted(
        ({k: v for k, v in o.items() if k != "label"} for o in r["promise"]["by_officer"]),
        key=lambda o: (o["key"] is None, o["key"] or 0),
    )
    for row in r["satisfaction"]["integrity_list"] or []:
        row.pop("officer")
        row.pop("comment")
    return r


def local_report(path: Path, period: Period, **kwargs) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return build_report(conn, period, integrity_list=True, now_ms=NOW, **kwargs)
    finally:
        conn.close()


@pytest.fixture(scope="module")
def published(pg_server, office_files) -> tuple[str, dict]:
    """The three offices published into one central database: (url, first results)."""
    url = pg_server.create_database("central_three")
    results = {code: publish(path, url, batch_events=8_000) for code, path in office_files.items()}
    return url, results


def test_each_office_month_in_the_central_report_equals_its_own(published, office_files):
    url, results = published
    assert {r["office_code"] for r in results.values()} == {c for c, _n, _s in OFFICES}
    with psycopg.connect(url, autocommit=True) as conn:
        for code, path in office_files.items():
            for month in MONTHS:
                period = Period.containing("month", month)
                own = local_report(path, period)
                central = build_central_report(
                    conn, period, [code], integrity_list=True, now_ms=NOW
                )
                assert own["visits"]["tickets"] > 1000  # a real month, not an empty one
                assert central["office"]["code"] == code
                assert comparable(central) == comparable(own), (code, month)
            # Filtered by service too.
            period = Period.containing("quarter", MONTHS[1])
            from shared.reporting import ReportFilter

            own = local_report(path, period, where=ReportFilter(service="KS"))
            central = build_central_report(
                conn, period, [code], ReportFilter(service="KS"), integrity_list=True, now_ms=NOW
            )
            assert comparable(central) == comparable(own)


def test_publishing_again_sends_nothing_new(published, office_files):
    url, results = published
    for code, path in office_files.items():
        again = publish(path, url)
        assert again["batches"] == 0
        assert again["last_event_id"] == results[code]["last_event_id"]
        assert set(again["sent"].values()) == {0}


def test_the_province_figures_are_the_sums_of_the_offices(published, office_files):
    url, _results = published
    period = Period.containing("month", MONTHS[1])
    own = {code: local_report(path, period) for code, path in office_files.items()}
    with psycopg.connect(url, autocommit=True) as conn:
        province = build_central_report(conn, period, None, integrity_list=True, now_ms=NOW)

    def total(path: tuple[str, ...]) -> int:
        out = 0
        for report in own.values():
            value = report
            for step in path:
                value = value[step]
            out += value
        return out

    for path in [
        ("visits", "tickets"),
        ("visits", "visits"),
        ("visits", "transfers"),
        ("visits", "no_shows"),
        ("visits", "priority"),
        ("promise", "met"),
        ("promise", "missed"),
        ("promise", "excluded"),
        ("visitors", "visits"),
        ("visitors", "returning"),
        ("satisfaction", "ratings"),
        ("satisfaction", "integrity", "flagged"),
    ]:
        value = province
        for step in path:
            value = value[step]
        assert value == total(path), path
    for status in province["visits"]["by_status"]:
        assert province["visits"]["by_status"][status] == total(("visits", "by_status", status))
    met, missed = province["promise"]["met"], province["promise"]["missed"]
    assert province["promise"]["compliance"] == round(100 * met / (met + missed), 1)
    # The IKM of the province: the element sums and answers of all offices together.
    ikm = province["satisfaction"]["ikm"]
    for element in ELEMENTS:
        assert ikm["elements"][element]["sum"] == total(
            ("satisfaction", "ikm", "elements", element, "sum")
        )
        assert ikm["elements"][element]["answers"] == total(
            ("satisfaction", "ikm", "elements", element, "answers")
        )
    # Medians and p90 need every office's raw waits together.
    waits = []
    for path in office_files.values():
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        waits += [
            max(0, called - issued)
            for called, issued in conn.execute(
                "SELECT first_called_at, issued_at FROM tickets WHERE service_day BETWEEN ? AND"
                " ? AND first_called_at IS NOT NULL",
                (period.start.isoformat(), period.end.isoformat()),
            )
        ]
        conn.close()
    assert province["times"]["wait"] == durations(waits)
    assert statistics.median(waits) / 60_000 == pytest.approx(
        province["times"]["wait"]["median"], abs=0.005
    )
    # Side by side: every office once, its own figures, best compliance first.
    side = province["offices"]
    assert [o["code"] for o in side] == sorted(
        own, key=lambda c: (-own[c]["promise"]["compliance"], c)
    )
    for row in side:
        mine = own[row["code"]]
        assert row["tickets"] == mine["visits"]["tickets"]
        assert row["compliance"] == mine["promise"]["compliance"]
        assert row["median_wait"] == mine["times"]["wait"]["median"]
        assert row["ikm"] == mine["satisfaction"]["ikm"]["ikm"]
    # Counters are told apart by their office.
    labels = [c["label"] for c in province["promise"]["by_counter"] if c["label"]]
    assert "1671 · Loket 1" in labels and "1600 · Loket 1" in labels


def test_the_central_database_holds_no_names_contacts_or_institutions(published, office_files):
    url, _results = published
    secret: set[str] = set()
    for path in office_files.values():
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        for row in conn.execute(
            "SELECT name, email, phone, institution_name FROM visitors"
        ).fetchall():
            secret.update(v for v in row if v and len(v) >= 4)
        for row in conn.execute("SELECT username, full_name FROM officers").fetchall():
            secret.update(v for v in row if v and len(v) >= 4)
        secret.update(r[0] for r in conn.execute("SELECT code FROM tickets"))
        secret.update(r[0] for r in conn.execute("SELECT comment FROM ratings WHERE comment != ''"))
        conn.close()
    assert len(secret) > 1000
    found = []
    with psycopg.connect(url, autocommit=True) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema ="
            " 'antrian_pst' AND data_type IN ('text', 'jsonb', 'character varying')"
        ).fetchall()
        assert ("visits", "sex") in columns
        for table, column in columns:
            values = conn.execute(
                f'SELECT DISTINCT "{column}"::text FROM antrian_pst."{table}"'
            ).fetchall()
            for (value,) in values:
                if value and any(s in value for s in secret if len(s) <= len(value)):
                    found.append((table, column, value))
        names = {c for _t, c in columns}
        assert not names & {"name_full", "full_name", "email", "phone", "institution_name"}
    assert found == []


def test_publishing_never_writes_the_office_file(pg_server, office_files, tmp_path):
    url = pg_server.create_database("central_readonly")
    path = tmp_path / "office.db"
    path.write_bytes(office_files["1601"].read_bytes())
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    path.chmod(0o444)
    result = publish(path, url, batch_events=50_000)
    assert result["sent"]["tickets"] > 0
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert not (tmp_path / "office.db-journal").exists()
    with psycopg.connect(url) as conn:
        mark = conn.execute(
            "SELECT last_event_id FROM antrian_pst.offices WHERE office_code = '1601'"
        ).fetchone()[0]
    local = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    assert mark == local.execute("SELECT MAX(id) FROM events").fetchone()[0]
    local.close()
    assert json.dumps(result)  # plain data for --json
