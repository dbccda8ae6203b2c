"""The Laporan page: the core's figures and charts, filters, exports, and who sees it."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from PySide6.QtCore import Qt

from shared.reporting import Period, ReportFilter, build_report
from tests.gui.counter.conftest import log_in, write_config
from tests.report_day import work_the_day

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def worked_day(ops, office, clock):
    return work_the_day(ops, office, clock)


@pytest.fixture(autouse=True)
def office_busy_timeout(tmp_path, db_path):
    # A year's report reads for a while on a busy test machine: these PCs wait for a
    # lock as long as an office PC does (3 s), not the 200 ms of the quick console tests.
    for machine in ("loket-1-pc", "head-pc"):
        write_config(tmp_path / machine, db_path, machine, busy_timeout_ms=3000)


def open_reports(qtbot, window, username, pin):
    log_in(qtbot, window, username, pin, None)
    qtbot.waitUntil(lambda: window.officer is not None, timeout=5000)
    qtbot.waitUntil(window.reports_page_button.isVisible, timeout=5000)
    qtbot.mouseClick(window.reports_page_button, Qt.MouseButton.LeftButton)
    view = window.reports_view
    try:
        qtbot.waitUntil(lambda: view.report is not None, timeout=10_000)
    except qtbot.TimeoutError:
        pytest.fail(f"no report; the page says: {view.status.text()!r}")
    return view


def test_supervisor_sees_the_months_figures_and_charts(
    qtbot,
    make_console,
    store,
    worked_day,
    clock,
):
    window = make_console()
    view = open_reports(qtbot, window, "sari", "5678")
    assert window.pages.currentWidget() is view
    core = store.read(lambda c: build_report(c, Period.containing("month", date(2026, 11, 25))))
    assert view.report["period"]["label"] == "November 2026"
    assert view.tickets_value.text() == str(core["visits"]["tickets"]) == "7"
    assert view.compliance_value.text() == "83,3%"
    assert view.ikm_value.text() == "86,57 (B)"
    assert view.integrity_value.text() == "1"
    assert "Periode: November 2026" in view.title.text()
    # Charts: tickets per day, compliance per service, NRR per element.
    visits = view.visits_chart.chart()
    assert visits.title() == "Tiket per hari"
    bars = visits.series()[0].barSets()[0]
    assert bars.count() == 30 and bars.at(24) == 6 and bars.at(23) == 1
    ikm = view.ikm_chart.chart().series()[0].barSets()[0]
    assert [round(ikm.at(i), 3) for i in range(9)] == [3.333, 3.333] + [3.5] * 7
    compliance = view.compliance_chart.chart().series()[0].barSets()[0]
    assert [compliance.at(i) for i in range(compliance.count())] == [100.0, 100.0, 50.0]
    # Every section's tables, with the unserved status labelled; no integrity list.
    tabs = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert tabs == [
        "Grafik",
        "Ringkasan",
        "Kunjungan",
        "Janji layanan 10 menit",
        "Waktu tunggu dan layanan",
        "Pengunjung (buku tamu)",
        "Kepuasan",
        "Rencana loket",
    ]
    table = view.section_tables["visits_by_service"]
    headers = [table.horizontalHeaderItem(i).text() for i in range(table.columnCount())]
    assert "Tidak terlayani" in headers
    assert "integrity_list" not in view.section_tables
    assert view.section_tables["integrity"].item(1, 1).text() == "1"
    # The report was read on the report worker's own connection.
    assert window.report_worker._store is not None
    assert window.report_worker._store is not window.ctx.store


def test_filter_and_custom_range(qtbot, make_console, worked_day, office):
    window = make_console()
    view = open_reports(qtbot, window, "sari", "5678")
    first = view.report
    view.choose("day", anchor="2026-11-25", counter_id=office["counter2"]["id"])
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.report is not first, timeout=10_000)
    assert view.report["filter"]["counter_name"] == "Loket 2"
    assert view.tickets_value.text() == "2" and view.compliance_value.text() == "50,0%"
    assert "Loket: Loket 2" in view.title.text()
    # A range that ends before it starts is refused beside the controls.
    second = view.report
    view.choose("custom", start="2026-11-30", end="2026-11-01")
    assert view.date_from.isVisible() and not view.anchor.isVisible()
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
    assert view.status.text() == "Akhir rentang tanggal lebih awal dari awalnya."
    assert view.report is second


@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_export_with_progress_and_the_saved_name(
    qtbot,
    make_console,
    worked_day,
    tmp_path,
    fmt,
):
    window = make_console()
    view = open_reports(qtbot, window, "sari", "5678")
    seen = []
    window.report_worker.export_progress.connect(seen.append)
    target = tmp_path / f"laporan.{fmt}"
    with qtbot.waitSignal(window.report_worker.export_done, timeout=20_000):
        view.export_to(fmt, str(target))
        assert view.progress.isVisible()
        assert not view.export_buttons[fmt].isEnabled()
    qtbot.waitUntil(lambda: view.saved_path == str(target))
    assert target.exists() and target.stat().st_size > 500
    assert view.status.text() == f"Laporan disimpan: {target}"
    assert not view.progress.isVisible() and view.export_buttons[fmt].isEnabled()
    assert seen[0] == 0 and seen[-1] == 100
    if fmt == "xlsx":
        book = openpyxl.load_workbook(target)
        assert book.sheetnames[0] == "Ringkasan"


def test_export_dialog_suggests_a_name(qtbot, make_console, worked_day):
    window = make_console()
    view = open_reports(qtbot, window, "sari", "5678")
    qtbot.mouseClick(view.export_buttons["pdf"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.dialog is not None)
    assert view.dialog.selectedFiles()[0].endswith("laporan-pst-2026-11-01_2026-11-30.pdf")
    view.dialog.reject()


def test_a_failed_export_says_why(qtbot, make_console, worked_day, tmp_path):
    window = make_console()
    view = open_reports(qtbot, window, "sari", "5678")
    target = tmp_path / "no-such-folder" / "laporan.xlsx"
    with qtbot.waitSignal(window.report_worker.export_failed, timeout=10_000):
        view.export_to("xlsx", str(target))
    assert "tidak dapat disimpan" in view.status.text() and str(target) in view.status.text()
    assert view.export_buttons["xlsx"].isEnabled()


def test_admin_sees_the_integrity_list(qtbot, make_console, ops, worked_day):
    ops.save_officer("admin", full_name="Admin PST", pin="0000", role="admin")
    window = make_console()
    view = open_reports(qtbot, window, "admin", "0000")
    listed = view.section_tables["integrity_list"]
    assert listed.rowCount() == 1 and listed.item(0, 1).text() == "KS-003"
    assert listed.item(0, 4).text() == "pungutan liar"


def test_officers_have_no_reports_and_logout_clears_them(
    qtbot,
    make_console,
    office,
    worked_day,
):
    window = make_console()
    view = open_reports(qtbot, window, "sari", "5678")
    assert view.report is not None
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        qtbot.mouseClick(window.logout_button, Qt.MouseButton.LeftButton)
    # Only the charts and the counter plan (emptied) stay.
    assert view.report is None and view.tabs.count() == 2
    assert view.plan_view.plan is None
    log_in(qtbot, window, "budi", "1234", office["counter1"]["id"])
    qtbot.waitUntil(lambda: window.officer is not None, timeout=5000)
    assert not window.reports_page_button.isVisible()
    window.show_reports_page()
    assert window.pages.currentWidget() is not view


def test_report_filter_of_core_and_page_agree(store, worked_day, office):
    # The page's filter objects are the core's: the same figures for Loket 1.
    period = Period.containing("day", date(2026, 11, 25))
    loket1 = store.read(
        lambda c: build_report(c, period, ReportFilter(counter_id=office["counter1"]["id"]))
    )
    assert loket1["promise"]["met"] == 3 and loket1["promise"]["missed"] == 0


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_reports_screenshots(qtbot, make_console, store, office, artifacts, size):
    from PySide6.QtWidgets import QApplication

    from tests.bulk_history import fill

    fill(store, date(2026, 11, 2), date(2026, 11, 25))
    window = make_console(machine="head-pc", size=size)
    view = open_reports(qtbot, window, "sari", "5678")
    assert view.report["visits"]["tickets"] > 500
    assert window.width() == size[0] and window.height() == size[1]
    for button in view.export_buttons.values():
        assert button.fontMetrics().horizontalAdvance(button.text()) <= button.width()
    QApplication.processEvents()
    label = f"{size[0]}x{size[1]}"
    window.grab().save(str(artifacts / f"counter-reports-{label}.png"))
    view.tabs.setCurrentIndex(3)
    QApplication.processEvents()
    window.grab().save(str(artifacts / f"counter-reports-promise-{label}.png"))


def test_a_year_on_five_years_of_history_keeps_the_window_responsive(
    qtbot, make_console, store, office, monkeypatch
):
    import threading

    from PySide6.QtCore import QTimer

    from counter import reports
    from tests.bulk_history import fill

    fill(store, date(2021, 1, 1), date(2025, 12, 31))
    threads = []
    real = reports.build_report
    # The GUI thread answers while the year is computed: the report waits (at most 10 s)
    # until a timer of the window's event loop has fired after the computation began.
    computing = threading.Event()
    answered = threading.Event()

    def recording(*args, **kwargs):
        threads.append(threading.current_thread().name)
        computing.set()
        answered.wait(10)
        return real(*args, **kwargs)

    window = make_console()
    view = open_reports(qtbot, window, "sari", "5678")
    monkeypatch.setattr(reports, "build_report", recording)
    view.choose("year", anchor="2025-06-01")
    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(lambda: computing.is_set() and answered.set())
    timer.start()
    first = view.report
    qtbot.mouseClick(view.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.report is not first, timeout=60_000)
    timer.stop()
    assert answered.is_set()  # the window's event loop ran while the report was computed
    assert view.report["visits"]["tickets"] > 12_000
    assert view.report["period"]["label"] == "Tahun 2025"
    assert set(threads) == {"counter-reports"}
    # Long periods chart by month.
    assert view.visits_chart.chart().series()[0].barSets()[0].count() == 12
