"""Report exports: text, CSV, JSON, XLSX read back with openpyxl, PDF read with pypdf and
rendered to PNG with pdftoppm; and ``pst-admin report`` writing them."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from shared.cli import main as admin
from shared.reporting import Period, build_report
from shared.reporting.export import to_csv, to_text, write
from shared.reporting.pdf import ReportFontMissing, register_fonts
from tests.report_day import work_the_day


@pytest.fixture
def worked_day(ops, office, clock):
    return work_the_day(ops, office, clock)


@pytest.fixture
def month(store, worked_day, clock):
    period = Period.containing("month", date(2026, 11, 25))
    return store.read(lambda c: build_report(c, period, integrity_list=True, now_ms=clock.now_ms()))


def test_text_is_aligned_tables_in_indonesian(month):
    text = to_text(month, "id")
    assert text.startswith("Laporan Pelayanan Statistik Terpadu\nBPS Provinsi Sumatera Selatan\n")
    assert "Periode: November 2026" in text
    assert "{" not in text and "'met'" not in text  # not a dictionary
    line = next(x for x in text.splitlines() if x.startswith("Kepatuhan target"))
    assert line.endswith("83,3%")  # the 24th adds one met call
    header = next(x for x in text.splitlines() if x.startswith("Layanan ") and "Tepat waktu" in x)
    row = next(
        x for x in text.splitlines() if x.startswith("KS · Konsultasi Statistik") and "%" in x
    )
    # Right-aligned numbers end in the same column as their header.
    assert len(row) == len(header.rstrip())
    assert "Tidak terlayani" in text and "Kunjungan kembali" in text
    english = to_text(month, "en")
    assert "Target compliance" in english and "83.3%" in english and "Not served" in english


def test_csv_has_every_table_with_real_numbers(month):
    rows = list(csv.reader(io.StringIO(to_csv(month, "id"))))
    assert rows[0] == ["Laporan Pelayanan Statistik Terpadu"]
    titles = [r[0] for r in rows if len(r) == 1 and " — " in r[0]]
    assert "Janji layanan 10 menit — Kepatuhan per layanan" in titles
    start = rows.index(["Janji layanan 10 menit — Kepatuhan per layanan"])
    assert rows[start + 1][:2] == ["Layanan", "Tiket"]
    assert rows[start + 2] == ["KS · Konsultasi Statistik", "4", "3", "0", "1", "100.0"]


def test_json_is_the_model(month, tmp_path):
    path = write(month, "json", tmp_path / "r.json", "id")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["promise"]["compliance"] == 83.3 and data["period"]["label"] == "November 2026"


def test_xlsx_has_a_sheet_per_section_real_numbers_dates_and_charts(month, tmp_path):
    steps = []
    path = write(month, "xlsx", tmp_path / "laporan.xlsx", "id", steps.append)
    assert steps[0] == 0.0 and steps[-1] == 1.0
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "Ringkasan",
        "Kunjungan",
        "Janji layanan 10 menit",
        "Waktu tunggu dan layanan",
        "Pengunjung (buku tamu)",
        "Kepuasan",
    ]
    visits = book["Kunjungan"]
    assert visits["A1"].value == "BPS Provinsi Sumatera Selatan"
    assert visits.freeze_panes == "A8"
    assert visits["A7"].value == "Hari" and visits["B7"].value == "Tiket"
    days = {visits.cell(r, 1).value: visits.cell(r, 2).value for r in range(8, 38)}
    assert days[datetime(2026, 11, 25)] == 6  # a real date and a real number
    assert visits.cell(8, 1).number_format == "dd/mm/yyyy"
    assert len(visits._charts) == 1
    promise = book["Janji layanan 10 menit"]
    assert len(promise._charts) == 1
    header = [c.value for c in promise[7]][:6]
    assert header == ["Layanan", "Tiket", "Tepat waktu", "Terlambat", "Dikecualikan", "Kepatuhan"]
    ks = [c.value for c in promise[8]][:6]
    assert ks[0] == "KS · Konsultasi Statistik" and ks[1:5] == [4, 3, 0, 1]
    assert ks[5] == 1.0 and promise.cell(8, 6).number_format == "0.0%"
    pj = [c.value for c in promise[10]][:6]
    assert pj[0] == "PJ · Penjualan Produk Statistik" and pj[5] == pytest.approx(0.5)
    satisfaction = book["Kepuasan"]
    assert len(satisfaction._charts) == 1
    found = {
        satisfaction.cell(r, c).value: satisfaction.cell(r, c + 4).value
        for r in range(8, 17)
        for c in range(1, 20)
        if satisfaction.cell(r, c).value == "U1"
    }
    assert found == {"U1": pytest.approx(3.333)}
    times = book["Waktu tunggu dan layanan"]
    # Waits 0 (the 24th), 0, 1, 12, 20, 21 minutes.
    assert isinstance(times["C8"].value, int | float) and times["C8"].value == 9.0


@pytest.fixture
def rendered(month, tmp_path, artifacts):
    path = write(month, "pdf", tmp_path / "laporan.pdf", "id")
    shutil.copy(path, artifacts / "report-month.pdf")
    return path


def test_pdf_text_pages_and_fonts(rendered, artifacts):
    reader = PdfReader(rendered)
    assert len(reader.pages) >= 3
    first = reader.pages[0].extract_text()
    for expected in (
        "Laporan Pelayanan Statistik Terpadu",
        "BPS Provinsi Sumatera Selatan",
        "Pelayanan Statistik Terpadu (PST)",
        "Periode: November 2026",
        "Kepatuhan target",
        "83,3%",
        "Tiket per hari",
        "Kepatuhan per layanan",
        f"Halaman 1 dari {len(reader.pages)}",
    ):
        assert expected in first, expected
    everything = "\n".join(p.extract_text() for p in reader.pages)
    for expected in (
        "IKM per unsur (NRR, 1–4)",
        "Penanganan pengaduan, saran, dan masukan",
        "Tidak terlayani",
        "Waktu tunggu terlama",
        "PJ-002",
        "Jawaban integritas yang harus ditindaklanjuti",
        "Pungutan liar (pungli)",
        "≤ SMA/sederajat",
    ):
        assert expected in everything, expected
    used = set()

    def seen(text, _cm, _tm, font, _size):
        if text.strip() and font is not None:
            used.add(str(font["/BaseFont"]))

    for page in reader.pages:
        page.extract_text(visitor_text=seen)
    # Every letter is set in DejaVu Sans (Helvetica cannot print "≤" or "Σ").
    assert used and all("DejaVuSans" in f for f in used), used


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
def test_pdf_pages_render_to_png(rendered, artifacts):
    prefix = artifacts / "report-month-page"
    for old in artifacts.glob("report-month-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "70", "-png", str(rendered), str(prefix)], check=True)
    pages = sorted(artifacts.glob("report-month-page-*.png"))
    assert len(pages) == len(PdfReader(rendered).pages)
    assert all(p.stat().st_size > 10_000 for p in pages)


def test_missing_font_is_a_clear_sentence(monkeypatch, tmp_path):
    from reportlab.pdfbase import pdfmetrics

    from shared.reporting import pdf

    monkeypatch.setattr(pdf, "font_folders", lambda: [tmp_path])
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [])
    with pytest.raises(ReportFontMissing) as missing:
        register_fonts()
    assert "DejaVuSans.ttf" in missing.value.message
    assert "fonts-dejavu-core" in missing.value.message


def run(capsys, *argv, clock=None):
    code = admin.main(list(argv), clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def test_pst_admin_report_formats(store, worked_day, clock, db_path, tmp_path, capsys):
    store.close()
    db = str(db_path)
    code, out, err = run(
        capsys, "--db", db, "report", "--period", "month", "--date", "2026-11-25", clock=clock
    )
    assert code == 0, err
    assert "Kepatuhan target" in out and "83,3%" in out
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "report",
        "--period",
        "week",
        "--date",
        "2026-11-25",
        "--format",
        "json",
        "--service",
        "ks",
        clock=clock,
    )
    data = json.loads(out)
    assert data["period"]["start"] == "2026-11-23" and data["filter"]["service"] == "KS"
    assert data["visits"]["tickets"] == 4 and data["satisfaction"]["integrity_list"] is None
    for fmt in ("xlsx", "pdf", "csv"):
        target = tmp_path / f"out.{fmt}"
        code, out, err = run(
            capsys,
            "--db",
            db,
            "report",
            "--period",
            "custom",
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-30",
            "--format",
            fmt,
            "--output",
            str(target),
            "--counter",
            "Loket 1",
            clock=clock,
        )
        assert code == 0, err
        assert target.exists() and str(target) in out
    code, out, _ = run(
        capsys,
        "--db",
        db,
        "--lang",
        "en",
        "report",
        "--period",
        "day",
        "--date",
        "2026-11-25",
        "--integrity-list",
        clock=clock,
    )
    assert "Integrity answers to follow up" in out and "KS-003" in out
    code, _, err = run(
        capsys, "--db", db, "report", "--period", "month", "--date", "11/2026", clock=clock
    )
    assert code == admin.EXIT_USAGE and "11/2026 bukan tanggal" in err
    code, _, err = run(capsys, "--db", db, "report", "--format", "pdf", clock=clock)
    assert code == admin.EXIT_USAGE and "--output" in err
    code, _, err = run(capsys, "--db", db, "report", "--counter", "Loket 9", clock=clock)
    assert code == admin.EXIT_USAGE and "Tidak ada loket Loket 9" in err


def test_pst_admin_report_takes_a_year_a_quarter_or_a_month_as_date(
    store, worked_day, clock, db_path, tmp_path, capsys
):
    store.close()
    db = str(db_path)
    target = tmp_path / "laporan-2026.xlsx"
    argv = ["--db", db, "report", "--period", "year", "--date", "2026", "--format", "xlsx"]
    code, out, err = run(capsys, *argv, "--output", str(target), clock=clock)
    assert code == 0, err
    assert target.stat().st_size > 0 and "Tahun 2026" in out
    for date_text, kind, start, end in (
        ("2026-Q4", "quarter", "2026-10-01", "2026-12-31"),
        ("2026-S2", "semester", "2026-07-01", "2026-12-31"),
        ("2026-11", "month", "2026-11-01", "2026-11-30"),
        ("2026", "year", "2026-01-01", "2026-12-31"),
    ):
        code, out, err = run(
            capsys, "--db", db, "--json", "report", "--date", date_text, clock=clock
        )
        assert code == 0, err
        period = json.loads(out)["period"]
        assert (period["kind"], period["start"], period["end"]) == (kind, start, end)
    code, out, _ = run(
        capsys, "--db", db, "--json", "report", "--period", "month", "--date", "2026", clock=clock
    )
    error = json.loads(out)["error"]
    assert code == admin.EXIT_USAGE and error["kind"] == "usage"
    assert error["message"].startswith("2026 lebih dari satu bulan")
    code, _, err = run(
        capsys, "--db", db, "--lang", "en", "report", "--date", "2026-Q5", clock=clock
    )
    assert code == admin.EXIT_USAGE
    assert "2026-Q5 is not a date. Write a day (2026-11-25), a month (2026-11)" in err
    assert "a quarter (2026-Q4), a semester (2026-S2) or a year (2026)" in err


@pytest.mark.parametrize(
    ("top", "axis"), [(0, (1, 1)), (6, (8, 2)), (14, (15, 5)), (1213, (1500, 500)), (87, (100, 20))]
)
def test_chart_axes_read_well(top, axis):
    from shared.reporting.pdf import nice_axis

    assert nice_axis(top) == axis


def test_a_failed_export_leaves_no_half_file(month, tmp_path, monkeypatch):
    from shared.reporting import pdf

    def broken(*_args, **_kwargs):
        raise ReportFontMissing("The PDF needs the font {font}.", font="DejaVuSans.ttf")

    monkeypatch.setattr(pdf, "write_pdf", broken)
    folder = tmp_path / "reports"
    folder.mkdir()
    with pytest.raises(ReportFontMissing):
        write(month, "pdf", folder / "laporan.pdf", "id")
    assert list(folder.iterdir()) == []


def test_a_windows_pc_without_dejavu_uses_arial(monkeypatch, tmp_path):
    from reportlab.pdfbase import pdfmetrics

    from shared.reporting import pdf

    # Stand-ins named as Windows names them (the DejaVu files themselves).
    dejavu = pdf.find_font("DejaVuSans.ttf").parent
    fonts = tmp_path / "Fonts"
    fonts.mkdir()
    shutil.copy(dejavu / "DejaVuSans.ttf", fonts / "arial.ttf")
    shutil.copy(dejavu / "DejaVuSans-Bold.ttf", fonts / "arialbd.ttf")
    registered = []
    monkeypatch.setattr(pdf, "font_folders", lambda: [fonts])
    monkeypatch.setattr(pdfmetrics, "getRegisteredFontNames", lambda: [])
    monkeypatch.setattr(pdfmetrics, "registerFont", lambda font: registered.append(font))
    monkeypatch.setattr(pdfmetrics, "registerFontFamily", lambda *a, **k: None)
    register_fonts()
    assert [Path(f.face.filename).name for f in registered] == ["arial.ttf", "arialbd.ttf"]
