"""The Rencana loket tab and the supervisor's outlook for today, against the core's plan."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from counter.planning import outlook_text
from shared import i18n
from shared.planning.forecast import read_history
from shared.planning.plan import day_outlook, make_plan, what_if
from tests import bulk_history
from tests.gui.counter.conftest import log_in, write_config

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
TODAY = date(2026, 11, 25)  # the console's fake clock: Wednesday 09:00


@pytest.fixture
def history(store, office, tmp_path, db_path):
    """Twelve weeks of the office's history before today."""
    bulk_history.fill(store, TODAY - timedelta(weeks=12), TODAY - timedelta(days=1))
    for machine in ("loket-1-pc",):  # reading the history takes a moment on a busy machine
        write_config(tmp_path / machine, db_path, machine, busy_timeout_ms=3000)
    return store.read(lambda c: read_history(c, TODAY, 12))


def open_plan(qtbot, window):
    log_in(qtbot, window, "sari", "5678", None)
    qtbot.waitUntil(lambda: window.officer is not None, timeout=5000)
    qtbot.waitUntil(window.reports_page_button.isVisible, timeout=5000)
    qtbot.mouseClick(window.reports_page_button, Qt.MouseButton.LeftButton)
    reports = window.reports_view
    reports.tabs.setCurrentWidget(reports.plan_view)
    view = reports.plan_view
    try:
        qtbot.waitUntil(lambda: view.plan is not None, timeout=20_000)
    except qtbot.TimeoutError:
        pytest.fail(f"no plan; the tab says: {view.status.text()!r}")
    return view


def test_the_plan_tab_shows_the_cores_plan_and_answers_what_if(
    qtbot, make_console, history, artifacts
):
    window = make_console()
    view = open_plan(qtbot, window)
    core = make_plan(history)
    expected = core.as_dict()
    shown = view.plan
    assert [w["name"] for w in shown["weekdays"]] == ["Senin", "Selasa", "Rabu", "Kamis", "Jumat"]
    assert [[s["counters"] for s in w["slots"]] for w in shown["weekdays"]] == [
        [s["counters"] for s in w["slots"]] for w in expected["weekdays"]
    ]
    assert not view.status.isVisible()  # enough history: no warning
    assert "Riwayat: 12 minggu" in view.title.text()
    # Made on the planning worker's own connection, not the console's.
    assert window.plan_worker._store is not None
    assert window.plan_worker._store is not window.ctx.store
    # The heat map: a cell per weekday and half hour, its details on pointing.
    heat = view.heat_map
    assert heat.starts[0] == "08:00" and heat.starts[-1] == "15:30"
    tip = heat.tooltip_text(0, 0)
    monday_first = expected["weekdays"][0]["slots"][0]
    assert tip.startswith("Senin 08:00–08:30: sekitar ")
    assert f"{monday_first['counters']} loket" in tip

    # Clicking Tuesday 09:00 chooses it for the question.
    rect = heat.cell_rect(1, 2)
    qtbot.mouseClick(heat, Qt.MouseButton.LeftButton, pos=rect.center().toPoint())
    assert view.what_weekday.currentText() == "Selasa"
    assert view.what_from.currentText() == "09:00"
    # What if Monday 08:00–10:00 had a single counter?
    view.choose_what_if(0, "08:00", "10:00", 1)
    with qtbot.waitSignal(window.plan_worker.what_if_ready, timeout=10_000):
        qtbot.mouseClick(view.what_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.answer is not None, timeout=5000)
    answer = what_if(core, 0, 480, 600, 1)
    assert view.answer["erlang_level"] == round(answer.erlang_level, 4)
    assert view.answer["simulated_level"] == round(answer.simulated_level, 4)
    text = view.what_answer.text()
    assert text.startswith("Dengan 1 loket pada Senin 08:00–10:00: ")
    assert f"{100 * answer.erlang_level:.1f}%".replace(".", ",") in text
    assert heat.span == (0, 480, 600)
    _shoot(window, artifacts / "counter-plan-1366x768-id.png")

    # Another report leaves the plan tab where it was, last.
    reports = window.reports_view
    qtbot.waitUntil(lambda: reports.report is not None, timeout=20_000)
    first = reports.report
    reports.choose("day", anchor="2026-11-24")
    qtbot.mouseClick(reports.show_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: reports.report is not first, timeout=20_000)
    assert reports.tabs.tabText(reports.tabs.count() - 1) == "Rencana loket"
    assert reports.tabs.widget(reports.tabs.count() - 1) is view and view.plan is shown


def test_the_plan_tab_in_english_and_with_too_little_history(
    qtbot, make_console, store, office, artifacts, tmp_path, db_path, history
):
    window = make_console(lang="en")
    view = open_plan(qtbot, window)
    assert view.heat_map.tooltip_text(0, 0).startswith("Monday 08:00–08:30: about ")
    view.choose_what_if(2, "08:00", "09:00", 2)
    qtbot.mouseClick(view.what_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.answer is not None, timeout=10_000)
    assert view.what_answer.text().startswith("With 2 counters on Wednesday 08:00–09:00: ")
    _shoot(window, artifacts / "counter-plan-1366x768-en.png")
    # Three weeks of history: the counts, grey, and a sentence instead of a plan.
    view.weeks.setValue(3)
    previous = view.plan
    qtbot.mouseClick(view.make_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.plan is not previous, timeout=20_000)
    assert not view.plan["enough"]
    assert view.status.isVisible()
    assert view.status.text().startswith("Only 3 comparable weeks of history")
    assert not view.what_button.isEnabled() and not view.ask_row.isVisible()
    assert view.heat_map.tooltip_text(0, 0).count("\n") == 0  # counts only, no counters
    _shoot(window, artifacts / "counter-plan-thin-1366x768-en.png")


def test_the_supervisors_outlook_for_today(qtbot, make_console, history, artifacts):
    window = make_console()
    log_in(qtbot, window, "sari", "5678", None)
    banner = window.supervisor_view.outlook
    qtbot.waitUntil(banner.isVisible, timeout=20_000)
    plan = make_plan(history, weekdays=(2,))
    outlook = day_outlook(plan, TODAY)
    assert banner.text() == outlook_text(outlook)
    assert banner.text().startswith(f"Hari ini diperkirakan {outlook.visitors} pengunjung; buka ")
    assert f"{outlook.peak_counters} loket" in banner.text()
    _shoot(window, artifacts / "counter-supervisor-outlook-1366x768-id.png")


def test_outlook_sentences_in_both_languages():
    from shared.planning.plan import DayOutlook

    busy = DayOutlook("2026-11-25", 2, True, 12, 46, 3, "08:00", "10:00")
    calm = DayOutlook("2026-11-25", 2, True, 12, 1, 1, "08:00", "15:30", True)
    thin = DayOutlook("2026-11-25", 2, False, 2)
    assert (
        outlook_text(busy) == "Hari ini diperkirakan 46 pengunjung; buka 3 loket pukul 08:00–10:00."
    )
    assert outlook_text(None) == ""
    i18n.set_language("en")
    assert outlook_text(busy) == (
        "Today about 46 visitors are expected; open 3 counters from 08:00 to 10:00."
    )
    assert outlook_text(calm) == "Today about 1 visitor is expected; one counter is enough all day."
    assert outlook_text(thin) == (
        "No forecast for today yet: only 2 comparable days of history (4 needed)."
    )


def _shoot(window, path) -> None:
    QApplication.processEvents()
    QApplication.processEvents()
    window.grab().save(str(path))


def test_a_new_office_gets_no_outlook_and_a_thin_history_a_quiet_one(
    qtbot, make_console, store, office
):
    window = make_console()
    answers = []
    window.plan_worker.outlook_ready.connect(answers.append)
    log_in(qtbot, window, "sari", "5678", None)
    view = window.supervisor_view
    qtbot.waitUntil(lambda: bool(answers), timeout=20_000)
    assert answers[0][0].comparable_days == 0
    assert not view.outlook.isVisible()  # no history at all: nothing to say yet
    # The share was gone when it was asked: the next snapshot asks again.
    window.plan_worker.outlook_failed.emit("unreachable")
    qtbot.waitUntil(lambda: window.console_pages.outlook_day is None, timeout=5000)
    window.worker.refresh()
    qtbot.waitUntil(lambda: len(answers) == 2, timeout=20_000)
    from shared.planning.plan import DayOutlook

    view.show_outlook(DayOutlook("2026-11-25", 2, False, 2))
    assert view.outlook.isVisible() and view.outlook.property("thin") is True
    assert view.outlook.text() == (
        "Belum ada perkiraan untuk hari ini: baru 2 hari riwayat yang sebanding (perlu 4)."
    )
