"""The supervisor page shows the core's numbers and opens and closes things."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from shared.queue import queries, supervision
from tests.gui.counter.conftest import log_in

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _day(ops, office, clock):
    c1, budi = office["counter1"]["id"], office["officer"]["id"]
    ops.set_counter_status(c1, "open", budi)
    first = ops.issue_ticket("KS")
    ops.issue_ticket("KS")
    ops.issue_ticket("PJ")
    ops.call_next(c1, budi)
    clock.advance(minutes=3)
    ops.start_service(first["id"], budi)
    ops.finish(first["id"], budi)
    clock.advance(minutes=12)  # KS-002 is now 2 min past its deadline
    second = ops.call_next(c1, budi)
    ops.issue_ticket("KS")
    ops.start_service(second["id"], budi)
    ops.finish(second["id"], budi)
    clock.advance(minutes=8)
    return c1


def test_supervisor_numbers_match_the_core(qtbot, make_console, ops, store, office, clock):
    c1 = _day(ops, office, clock)
    window = make_console()
    log_in(qtbot, window, "sari", "5678", None)
    view = window.supervisor_view
    qtbot.waitUntil(lambda: view.counters.rowCount() == 2, timeout=5000)

    now = clock.now_ms()
    core = store.read(lambda c: supervision.overview(c, now))
    called, met = store.read(
        lambda c: c.execute(
            "SELECT COUNT(*), SUM(target_met) FROM tickets WHERE first_called_at IS NOT NULL"
        ).fetchone()
    )
    assert (called, met) == (2, 1)
    assert view.compliance.text() == "50%"
    assert view.called.text() == "2"
    assert view.missed.text() == "1"
    overview = store.read(lambda c: queries.queue_overview(c, now))
    assert view.waiting.text() == str(sum(len(q["waiting"]) for q in overview)) == "2"
    for row, q in enumerate(core.queues):
        assert view.queues.item(row, 2).text() == str(q.length)
        assert view.queues.item(row, 4).text() == (q.head_number or "")
    ks_row = [q.service_code for q in core.queues].index("KS")
    # KS-003 waits since the visitor ahead finished 8 min ago: 2:00 left, amber.
    assert view.queues.item(ks_row, 5).text() == "sisa 2:00"
    assert view.queues.item(ks_row, 5).data(Qt.ItemDataRole.UserRole + 1) == "warning"
    assert view.counters.item(0, 0).text() == "Loket 1"
    assert view.counters.item(0, 2).text() == "Budi Santoso"
    assert view.counters.item(0, 4).text() == "8:00"  # idle since KS-002 finished
    assert core.forecast.breaches == ("PJ-001",)
    assert view.forecast.isVisible()
    assert "1 pengunjung akan menunggu lebih dari 10 menit" in view.forecast.text()

    # Close the PJ service and open Loket 2, from this page.
    pj_row = [q.service_code for q in core.queues].index("PJ")
    view.queues.selectRow(pj_row)
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        qtbot.mouseClick(view.close_service, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.saving)
    assert store.read(
        lambda c: c.execute("SELECT active FROM services WHERE code='PJ'").fetchone()
    ) == (0,)
    view.counters.selectRow(1)
    qtbot.waitUntil(view.open_counter.isEnabled)
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        qtbot.mouseClick(view.open_counter, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.saving)
    status = store.read(
        lambda c: c.execute(
            "SELECT status FROM counters WHERE id = ?", (office["counter2"]["id"],)
        ).fetchone()
    )
    assert status == ("open",)
    qtbot.waitUntil(lambda: view.counters.item(1, 1).text() == "buka")
    # Pausing a counter asks for the reason.
    view.counters.selectRow(0)
    qtbot.waitUntil(view.pause_counter.isEnabled)
    qtbot.mouseClick(view.pause_counter, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(window.dialog.reason_edit, "Rapat koordinasi")
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        window.dialog.accept()
    row = store.read(
        lambda c: c.execute(
            "SELECT status, pause_reason FROM counters WHERE id = ?", (c1,)
        ).fetchone()
    )
    assert row == ("paused", "Rapat koordinasi")


def test_flagged_rating_reaches_the_head_of_office_only(qtbot, make_console, ops, office, clock):
    c1, budi = office["counter1"]["id"], office["officer"]["id"]
    ops.set_counter_status(c1, "open", budi)
    ticket = ops.issue_ticket("KS")
    ops.call_next(c1, budi)
    ops.start_service(ticket["id"], budi)
    ops.finish(ticket["id"], budi)
    ops.record_rating(ticket["code"], 3, gratification=True, comment="Sari minta imbalan")
    ops.save_officer("kepala", full_name="Kepala BPS", pin="4321", role="admin")

    # A supervisor — who may be the one named — sees no integrity answers at all.
    window = make_console()
    log_in(qtbot, window, "sari", "5678", None)
    view = window.supervisor_view
    qtbot.waitUntil(lambda: view.counters.rowCount() == 2, timeout=5000)
    assert not view.flagged.isVisible() and not view.flagged_title.isVisible()
    shown = " ".join(
        w.text() for w in window.findChildren(QLabel) + window.findChildren(QPushButton)
    )
    assert "imbalan" not in shown and "gratifikasi" not in shown
    assert all("imbalan" not in view.flagged.item(i).text() for i in range(view.flagged.count()))
    window.close()

    window = make_console(machine="kepala-pc")
    log_in(qtbot, window, "kepala", "4321", None)
    flagged = window.supervisor_view.flagged
    qtbot.waitUntil(
        lambda: flagged.count() and "gratifikasi" in flagged.item(0).text(), timeout=5000
    )
    assert "KS-001" in flagged.item(0).text() and "Budi Santoso" in flagged.item(0).text()
    assert flagged.isVisible()


def test_clocks_of_other_pcs_that_differ_are_listed(qtbot, make_console, store, office, clock):
    from shared.clock import FakeClock
    from shared.queue import heartbeat
    from shared.queue.operations import Operations

    window = make_console()
    log_in(qtbot, window, "sari", "5678", None)
    warning = window.supervisor_view.clock_skew
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.supervisor_view)
    assert not warning.isVisible()
    kiosk_clock, display_clock = FakeClock(clock.now_ms()), FakeClock(clock.now_ms() - 45_000)
    kiosk = Operations(store, clock=kiosk_clock, machine="kiosk-1", program="kiosk")
    display = Operations(store, clock=display_clock, machine="tv-1", program="display")
    for _ in range(2):
        heartbeat.beat(kiosk)
        heartbeat.beat(display)
        kiosk_clock.advance(seconds=2)
        display_clock.advance(seconds=2)
    qtbot.waitUntil(warning.isVisible, timeout=5000)
    assert warning.text().startswith("Jam antar-PC berselisih: jam kiosk-1 4")
    assert "detik lebih cepat dari tv-1." in warning.text()
    assert not window.skew_banner.isVisible()  # this PC's own clock is fine


def test_a_counter_with_a_visitor_cannot_be_paused_or_closed_from_supervision(
    qtbot, make_console, ops, office
):
    c1 = office["counter1"]["id"]
    ops.set_counter_status(c1, "open", office["officer"]["id"])
    ops.issue_ticket("KS")
    ops.call_next(c1)
    window = make_console()
    log_in(qtbot, window, "sari", "5678", None)
    view = window.supervisor_view
    qtbot.waitUntil(lambda: view.counters.rowCount() == 2, timeout=5000)
    view.counters.selectRow(0)
    # The TV still sends KS-001 to Loket 1: the counter stays open until it is done.
    for button in (view.pause_counter, view.close_counter):
        assert not button.isEnabled()
        assert button.toolTip() == (
            "KS-001 sedang di loket ini: selesaikan atau kembalikan dahulu."
        )
