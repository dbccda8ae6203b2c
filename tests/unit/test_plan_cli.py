"""``pst-admin plan``: the week's plan in four formats, one half hour by Erlang C."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date, timedelta

import openpyxl
import pytest

from shared.cli import main as admin
from shared.clock import FakeClock
from shared.queue.operations import Operations
from shared.storage.store import Store
from tests import bulk_history
from tests.conftest import WEDNESDAY_0900

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def history_db(tmp_path_factory):
    """Twelve weeks of a generated office history before 25 November 2026."""
    path = tmp_path_factory.mktemp("plan") / "history.db"
    store = Store(path, create=True)
    Operations(store, clock=FakeClock(WEDNESDAY_0900), machine="t", program="test").initialise()
    bulk_history.fill(store, TODAY - timedelta(weeks=12), TODAY - timedelta(days=1))
    store.close()
    return path


def run(capsys, *argv):
    code = admin.main(list(argv), clock=FakeClock(WEDNESDAY_0900))
    out, err = capsys.readouterr()
    return code, out, err


def test_erlang_for_one_half_hour_needs_no_database(capsys, tmp_path):
    code, out, err = run(
        capsys,
        "plan",
        "erlang",
        "--arrivals",
        "100",
        "--per-minutes",
        "30",
        "--service-minutes",
        "3",
        "--wait-minutes",
        "0.3333",
        "--level",
        "0.8",
        "--json",
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["counters"] == 14
    assert round(result["service_level"], 3) == 0.888
    assert round(result["waiting_probability"], 3) == 0.174
    assert result["occupancy"] == pytest.approx(10 / 14, abs=1e-4)
    assert not (tmp_path / "antrian-pst.db").exists()
    code, out, _err = run(capsys, "plan", "erlang", "--arrivals", "12", "--service-minutes", "8")
    assert code == 0 and "counters: " in out
    code, out, _err = run(
        capsys, "plan", "erlang", "--arrivals", "12", "--service-minutes", "0", "--json"
    )
    assert code == admin.KINDS["usage"]
    assert (
        json.loads(out)["error"]["message"] == "--service-minutes harus berupa angka di atas nol."
    )
    code, out, _err = run(
        capsys, "plan", "erlang", "--arrivals", "5", "--service-minutes", "3", "--level", "90"
    )
    assert code == admin.KINDS["usage"]


def test_the_week_as_json_text_and_csv(capsys, history_db):
    code, out, err = run(capsys, "--db", str(history_db), "plan", "--json")
    assert code == 0, err
    plan = json.loads(out)
    assert plan["enough"] and plan["weeks"] == 12 and plan["to"] == "2026-11-24"
    assert [w["name"] for w in plan["weekdays"]] == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
    monday = plan["weekdays"][0]
    assert len(monday["days"]) == 12 and monday["slots"][0]["start"] == "08:00"
    assert all(s["counters"] >= 1 for s in monday["slots"])
    assert plan["simulation"]["ran"] is True
    assert 0 < plan["weekdays"][2]["visitors"] < 80

    code, out, err = run(capsys, "--db", str(history_db), "--lang", "en", "plan")
    assert code == 0, err
    assert out.startswith("Counter plan\n")
    assert "Recommended counters" in out and "In time (simulated)" in out
    grid = out[out.index("Recommended counters") :].splitlines()
    assert grid[2].split() == ["Time", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]
    assert grid[4].split()[0] == "08:00"
    assert grid[4].split()[1:] == [str(w["slots"][0]["counters"]) for w in plan["weekdays"]]

    code, out, err = run(capsys, "--db", str(history_db), "plan", "--format", "csv")
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["Rencana loket"]
    start = rows.index(["Sepekan sekilas — Loket yang disarankan"])
    assert rows[start + 1] == ["Jam", "Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
    assert rows[start + 2][0] == "08:00"
    assert [int(v) for v in rows[start + 2][1:]] == [
        w["slots"][0]["counters"] for w in plan["weekdays"]
    ]


def test_the_week_as_a_workbook_and_one_service(capsys, history_db, tmp_path):
    target = tmp_path / "rencana.xlsx"
    code, out, err = run(
        capsys,
        "--db",
        str(history_db),
        "--json",
        "plan",
        "--service",
        "ks",
        "--format",
        "xlsx",
        "--output",
        str(target),
        "--no-simulation",
    )
    assert code == 0, err
    assert json.loads(out) == {"plan": str(target), "format": "xlsx", "enough": True}
    book = openpyxl.load_workbook(target)
    assert book.sheetnames[:3] == ["Ringkasan", "Sepekan sekilas", "Senin"]
    sheet = book["Sepekan sekilas"]
    assert sheet["A3"].value.startswith("Riwayat: 12 minggu")
    assert "KS · Konsultasi Statistik" in sheet["A3"].value
    header = [c.value for c in sheet[7]][:6]
    assert header == ["Jam", "Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
    assert sheet["A8"].value == "08:00" and isinstance(sheet["B8"].value, int)
    assert not any(p.name.endswith(".part") for p in tmp_path.iterdir())
    # A workbook needs a file; an unknown service is refused with a sentence.
    code, out, _err = run(capsys, "--db", str(history_db), "--json", "plan", "--format", "xlsx")
    assert code == admin.KINDS["usage"]
    code, out, _err = run(capsys, "--db", str(history_db), "--json", "plan", "--service", "ZZ")
    assert code == admin.KINDS["usage"]
    assert json.loads(out)["error"]["message"] == "Tidak ada layanan ZZ."


def test_thin_history_says_so_and_shows_the_counts(capsys, history_db):
    # Planned as if it were 2 September: only three weeks of the history lie before it.
    code, out, err = run(
        capsys, "--db", str(history_db), "plan", "--date", "2026-09-23", "--weeks", "12"
    )
    assert code == 0, err
    assert "Baru 3 minggu riwayat yang sebanding: rencana memerlukan sedikitnya 4." in out
    assert "Loket yang disarankan" not in out
    assert "Perkiraan pengunjung per setengah jam" in out
    # The counts of each day stand in each weekday's table.
    header = next(line for line in out.splitlines() if "2026-09-07" in line)
    assert header.split() == ["Jam", "2026-09-07", "2026-09-14", "2026-09-21", "Rata-rata"]


def test_plan_works_while_another_pc_holds_the_write_lock(capsys, history_db):
    frozen = sqlite3.connect(history_db, isolation_level=None)
    frozen.execute("BEGIN IMMEDIATE")  # another PC froze inside a write
    try:
        code, out, err = run(capsys, "--db", str(history_db), "plan", "--no-simulation", "--json")
    finally:
        frozen.execute("ROLLBACK")
        frozen.close()
    assert code == 0, err
    assert json.loads(out)["enough"] is True
