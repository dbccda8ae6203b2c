"""The officer's whole workflow on the real window, checked in the database each step."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter import actions
from tests.gui.counter.conftest import GUEST, events, log_in_officer, press, press_key, ticket

# The offscreen platform says so whenever a dialog opens; it is not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _wait_saved(qtbot, window):
    qtbot.waitUntil(lambda: window.saving, timeout=1000) if window.worker.busy else None
    qtbot.waitUntil(lambda: not window.saving, timeout=5000)


def _key(qtbot, window, key, action):
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        press_key(qtbot, window, key, action, timeout=3000)
    _wait_saved(qtbot, window)


def test_whole_lifecycle_with_buttons(qtbot, make_console, ops, store, office, clock):
    first = ops.issue_ticket("KS", GUEST)
    window = make_console()
    log_in_officer(qtbot, window, office)
    card = window.officer_view.card

    press(qtbot, window, actions.CALL_NEXT)
    row = ticket(store, first["id"])
    assert row["status"] == "called"
    assert row["counter_id"] == office["counter1"]["id"]
    assert row["officer_id"] == office["officer"]["id"]
    assert card.number.text() == "KS-001"
    assert card.visitor_name.text() == "Ani Wijaya"
    assert "Universitas Sriwijaya" in card.visitor_institution.text()
    assert card.target.text() == "tercapai"

    press(qtbot, window, actions.RECALL)
    assert ticket(store, first["id"])["recall_count"] == 1

    clock.advance(minutes=1)
    press(qtbot, window, actions.START)
    assert ticket(store, first["id"])["status"] == "serving"
    clock.advance(minutes=4, seconds=5)
    qtbot.waitUntil(lambda: card.duration.text() == "4:05")

    qtbot.keyClicks(card.notes, "Perlu data IPM per kabupaten")
    press(qtbot, window, actions.FINISH)
    row = ticket(store, first["id"])
    assert row["status"] == "done"
    assert row["notes"] == "Perlu data IPM per kabupaten"
    assert card.number.text() == "—"
    assert window.drafts.load(first["code"]) is None
    assert [e["to_state"] for e in events(store, "finish")] == ["done"]


def test_whole_lifecycle_with_shortcuts(qtbot, make_console, ops, store, office, clock):
    first = ops.issue_ticket("KS", GUEST)
    second = ops.issue_ticket("PS")
    window = make_console()
    log_in_officer(qtbot, window, office)
    buttons = window.officer_view.buttons
    assert "[F2]" in buttons[actions.CALL_NEXT].text()
    assert "[F5]" in buttons[actions.FINISH].text()

    _key(qtbot, window, Qt.Key.Key_F2, actions.CALL_NEXT)
    assert ticket(store, first["id"])["status"] == "called"
    _key(qtbot, window, Qt.Key.Key_F3, actions.RECALL)
    assert ticket(store, first["id"])["recall_count"] == 1
    _key(qtbot, window, Qt.Key.Key_F4, actions.START)
    assert ticket(store, first["id"])["status"] == "serving"
    _key(qtbot, window, Qt.Key.Key_F5, actions.FINISH)
    assert ticket(store, first["id"])["status"] == "done"

    _key(qtbot, window, Qt.Key.Key_F2, actions.CALL_NEXT)
    assert ticket(store, second["id"])["status"] == "called"
    _key(qtbot, window, Qt.Key.Key_F7, actions.REQUEUE)
    assert ticket(store, second["id"])["status"] == "waiting"
    _key(qtbot, window, Qt.Key.Key_F2, actions.CALL_NEXT)
    # F6 asks first; Enter (or a second key press by habit) keeps the visitor.
    press_key(qtbot, window, Qt.Key.Key_F6, actions.NO_SHOW, timeout=3000)
    dialog = window.dialog
    assert dialog is not None and dialog.isVisible()
    assert "KS-001" not in dialog.windowTitle() and "PS-001" in dialog.windowTitle()
    qtbot.keyClick(dialog, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.dialog is None)
    assert ticket(store, second["id"])["status"] == "called"
    qtbot.keyClick(window, Qt.Key.Key_F6)
    dialog = window.dialog
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        qtbot.mouseClick(_confirm(dialog), Qt.MouseButton.LeftButton)
    _wait_saved(qtbot, window)
    assert ticket(store, second["id"])["status"] == "no_show"


def _confirm(dialog):
    from PySide6.QtWidgets import QPushButton

    return dialog.findChild(QPushButton, "confirmButton")


def test_not_present_is_away_from_finish(qtbot, make_console, office):
    window = make_console()
    log_in_officer(qtbot, window, office)
    buttons = window.officer_view.buttons
    finish = buttons[actions.FINISH].geometry()
    no_show = buttons[actions.NO_SHOW].geometry()
    # Not beside, not below: another row and the far column.
    assert no_show.top() > finish.bottom() and no_show.left() > finish.right()


def test_impossible_actions_are_disabled_with_a_reason(qtbot, make_console, ops, office):
    window = make_console()
    log_in_officer(qtbot, window, office)
    buttons = window.officer_view.buttons
    qtbot.waitUntil(
        lambda: (
            buttons[actions.CALL_NEXT].toolTip()
            == "Tidak ada pengunjung yang menunggu untuk loket ini."
        )
    )
    assert not buttons[actions.CALL_NEXT].isEnabled()
    assert not buttons[actions.FINISH].isEnabled()
    assert buttons[actions.FINISH].toolTip() == "Belum ada pengunjung yang dipanggil."
    ops.issue_ticket("KS")
    qtbot.waitUntil(buttons[actions.CALL_NEXT].isEnabled, timeout=3000)
    assert buttons[actions.CALL_NEXT].toolTip() == ""
    # A shortcut for a disabled action does nothing but say why.
    qtbot.waitUntil(lambda: not window.saving)
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.message.text() == "Belum ada pengunjung yang dipanggil."


def test_transfer_keeps_notes_and_visit(qtbot, make_console, ops, store, office):
    first = ops.issue_ticket("KS", GUEST, priority_group="elderly")
    window = make_console()
    log_in_officer(qtbot, window, office)
    press(qtbot, window, actions.CALL_NEXT)
    press(qtbot, window, actions.START)
    qtbot.keyClicks(window.officer_view.card.notes, "Butuh publikasi cetak")
    qtbot.mouseClick(window.officer_view.buttons[actions.TRANSFER], Qt.MouseButton.LeftButton)
    dialog = window.dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.notes == "Butuh publikasi cetak"
    dialog.service_combo.setCurrentIndex(dialog.service_combo.findData("PJ"))
    dialog.notes_edit.appendPlainText("Sudah dijelaskan harga.")
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: not window.saving)

    old = ticket(store, first["id"])
    assert old["status"] == "transferred"
    new = ticket(store, old["transferred_to_id"])
    assert new["service_code"] == "PJ" and new["status"] == "waiting"
    assert new["visit_id"] == first["visit_id"] is not None
    assert new["priority_group"] == "elderly"
    assert new["notes"] == "Butuh publikasi cetak\nSudah dijelaskan harga."
    assert old["notes"] == new["notes"]
    assert window.drafts.load(first["code"]) is None


def test_call_specific_ticket_asks_for_and_records_a_reason(
    qtbot, make_console, ops, store, office
):
    ops.issue_ticket("KS")
    later = ops.issue_ticket("KS")
    window = make_console()
    log_in_officer(qtbot, window, office)
    queue = window.officer_view.queue
    qtbot.waitUntil(lambda: queue.table.rowCount() == 2)
    button = window.officer_view.buttons[actions.CALL_SELECTED]
    assert not button.isEnabled()
    assert "Pilih" in button.toolTip()
    queue.table.selectRow(1)
    press_key(qtbot, window, Qt.Key.Key_F9, actions.CALL_SELECTED)
    dialog = window.dialog
    assert dialog is not None
    ok = dialog.buttons.buttons()[0]
    assert not ok.isEnabled()  # no reason, no call
    qtbot.keyClicks(dialog.reason_edit, "Pengunjung disabilitas, pendamping menunggu")
    assert ok.isEnabled()
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        qtbot.keyClick(dialog.reason_edit, Qt.Key.Key_Return)
    row = ticket(store, later["id"])
    assert row["status"] == "called"
    call = events(store, "call")[-1]
    assert call["ticket_id"] == later["id"]
    assert '"reason": "Pengunjung disabilitas, pendamping menunggu"' in call["data"]
    assert '"out_of_order": true' in call["data"]


def test_recall_limit_offers_no_show_and_grace_puts_back(
    qtbot, make_console, ops, store, office, clock
):
    first = ops.issue_ticket("KS")
    window = make_console()
    log_in_officer(qtbot, window, office)
    press(qtbot, window, actions.CALL_NEXT)
    for _ in range(3):  # recall_limit is 3
        press(qtbot, window, actions.RECALL)
    assert ticket(store, first["id"])["recall_count"] == 3
    recall = window.officer_view.buttons[actions.RECALL]
    qtbot.waitUntil(lambda: not recall.isEnabled())
    assert "3" in recall.toolTip()
    notice = window.notices.notices[f"recall:{first['id']}"]
    assert notice.action.isVisible()
    qtbot.mouseClick(notice.action, Qt.MouseButton.LeftButton)  # asks first, like F6
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        qtbot.mouseClick(_confirm(window.dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not window.saving)
    assert ticket(store, first["id"])["status"] == "no_show"

    # The visitor comes back 20 minutes later: inside the 30-minute grace window.
    clock.advance(minutes=20)
    queue = window.officer_view.queue
    qtbot.waitUntil(lambda: queue.returnable.count() == 1, timeout=3000)
    queue.returnable.setCurrentRow(0)
    queue.returnable.item(0).setSelected(True)
    press(qtbot, window, actions.PUT_BACK)
    row = ticket(store, first["id"])
    assert row["status"] == "waiting" and row["no_show_at"] is None
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1)


def test_pause_with_reason_resume_and_close(qtbot, make_console, store, office):
    window = make_console()
    log_in_officer(qtbot, window, office)
    counter_id = office["counter1"]["id"]

    def status():
        return store.read(
            lambda c: c.execute(
                "SELECT status, pause_reason FROM counters WHERE id = ?", (counter_id,)
            ).fetchone()
        )

    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = window.dialog
    qtbot.keyClicks(dialog.reason_edit, "Sholat Zuhur")
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        dialog.accept()
    qtbot.waitUntil(lambda: not window.saving)
    assert status() == ("paused", "Sholat Zuhur")
    assert window.officer_view.buttons[actions.PAUSE].text().startswith("Lanjutkan")
    assert "dijeda" in window.officer_view.buttons[actions.CALL_NEXT].toolTip()
    press(qtbot, window, actions.PAUSE)
    assert status() == ("open", None)
    press(qtbot, window, actions.CLOSE)
    assert status()[0] == "closed"
    press(qtbot, window, actions.CLOSE)  # now "open counter"
    assert status()[0] == "open"


def test_a_visitor_at_the_desk_blocks_call_next_and_pause_with_a_reason(
    qtbot, make_console, ops, office, clock
):
    library = ops.issue_ticket("PS")
    ops.issue_ticket("KS")
    ops.issue_ticket("KS")
    # Loket 2 serves the first consultation: the second one's 10-minute clock starts.
    counter2 = office["counter2"]["id"]
    ops.set_counter_status(counter2, "open")
    first = ops.call_next(counter2)
    ops.start_service(first["id"])
    ops.finish(first["id"])
    window = make_console()
    log_in_officer(qtbot, window, office)
    press(qtbot, window, actions.CALL_NEXT)
    assert window.snapshot.current["id"] == library["id"]

    clock.advance(minutes=8)
    qtbot.waitUntil(
        lambda: any(k.startswith("miss:") for k in window.notices.notices), timeout=3000
    )
    notice = next(n for k, n in window.notices.notices.items() if k.startswith("miss:"))
    # The notice's "Call next" would fail: it is disabled and the notice says why.
    assert not notice.action.isEnabled()
    assert notice.text.text().endswith("Selesaikan tiket PS-001 terlebih dahulu.")

    pause = window.officer_view.buttons[actions.PAUSE]
    assert not pause.isEnabled()
    assert pause.toolTip() == "Selesaikan atau kembalikan tiket PS-001 sebelum menjeda loket."
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.message.text() == pause.toolTip()
    assert window.dialog is None


def test_a_transfer_shows_the_new_number_and_prints_it_at_the_desk(
    qtbot, make_console, ops, store, office, db_path, tmp_path
):
    from tests.gui.counter.conftest import write_config

    slip = tmp_path / "desk-printer.bin"
    config = write_config(tmp_path / "loket-1-pc", db_path, "loket-1-pc")
    config.write_text(
        config.read_text() + f'[counter]\nprinter = "file:{slip}"\nprinter_profile = "TM-T20II"\n'
    )
    first = ops.issue_ticket("RS", GUEST)
    window = make_console()
    log_in_officer(qtbot, window, office, "counter2")
    press(qtbot, window, actions.CALL_NEXT)
    press(qtbot, window, actions.START)
    qtbot.mouseClick(window.officer_view.buttons[actions.TRANSFER], Qt.MouseButton.LeftButton)
    dialog = window.dialog
    dialog.service_combo.setCurrentIndex(dialog.service_combo.findData("PS"))
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        dialog.buttons.accepted.emit()
    new = ticket(store, ticket(store, first["id"])["transferred_to_id"])
    qtbot.waitUntil(lambda: type(window.dialog).__name__ == "TransferDoneDialog", timeout=3000)
    done = window.dialog
    # The new number is the biggest thing on the dialog, with the old one beside it.
    assert done.number.text() == new["number"] == "PS-001"
    assert done.number.fontInfo().pixelSize() >= 48
    assert any("RS-001" in label.text() for label in done.findChildren(type(done.number)))
    assert done.print_button.isVisible()
    with qtbot.waitSignal(window.action_finished, timeout=8000) as printed:
        qtbot.mouseClick(done.print_button, Qt.MouseButton.LeftButton)
    assert printed.args == ["reprint", True], window.message.text()
    assert done.outcome.text() == "PS-001 telah dicetak."
    data = slip.read_bytes()
    assert b"PS-001" in data and b"RS-001" not in data


def test_without_a_desk_printer_the_transfer_says_how_the_visitor_keeps_the_number(
    qtbot, make_console, ops, store, office
):
    ops.issue_ticket("RS")
    window = make_console()
    log_in_officer(qtbot, window, office, "counter2")
    press(qtbot, window, actions.CALL_NEXT)
    press(qtbot, window, actions.START)
    qtbot.mouseClick(window.officer_view.buttons[actions.TRANSFER], Qt.MouseButton.LeftButton)
    dialog = window.dialog
    dialog.service_combo.setCurrentIndex(dialog.service_combo.findData("PJ"))
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        dialog.buttons.accepted.emit()
    qtbot.waitUntil(lambda: type(window.dialog).__name__ == "TransferDoneDialog", timeout=3000)
    done = window.dialog
    assert done.number.text() == "PJ-001"
    assert not done.print_button.isVisible()
    assert done.hint.text().startswith("Meja ini tidak punya printer: tuliskan PJ-001")


def test_the_split_between_visitor_and_queue_does_not_move(qtbot, make_console, ops, office):
    long_guest = {
        **GUEST,
        "name": "Raden Ayu Kartika Sekarningrum Wulandari Puspitasari Handayani",
        "institution_name": "Dinas Komunikasi, Informatika, Statistik dan Persandian Kota Palembang",
    }
    ops.issue_ticket("KS", long_guest)
    ops.issue_ticket("PS", priority_group="disability")
    window = make_console()
    log_in_officer(qtbot, window, office)
    view = window.officer_view
    widths = [(view.left.width(), view.right.width())]
    press(qtbot, window, actions.CALL_NEXT)
    widths.append((view.left.width(), view.right.width()))
    press(qtbot, window, actions.START)
    press(qtbot, window, actions.FINISH)
    widths.append((view.left.width(), view.right.width()))
    assert len(set(widths)) == 1, widths
    # Eleven parts to nine, whatever the content.
    left, right = widths[0]
    assert abs(left / (left + right) - 11 / 20) < 0.02


def test_closing_the_day_logs_the_officer_out(qtbot, make_console, ops, store, office, clock):
    """The day is closed by another PC at 16:00: the console returns to its login card."""
    window = make_console()
    log_in_officer(qtbot, window, office)
    waiting = ops.issue_ticket("KS", GUEST)
    clock.set(clock.now_ms() + 7 * 3_600_000)  # Wednesday 16:00, 30 minutes after closing
    [summary] = ops.close_due_days()
    assert summary["unserved"] == [waiting["number"]] and summary["counters"] == ["Loket 1"]
    window.worker.refresh()
    qtbot.waitUntil(lambda: window.officer is None, timeout=5000)
    assert window.pages.currentWidget() is window.login_view
    message = window.login_view.message.text()
    # The service closed at 15:30 (a Wednesday); the day was closed after the grace.
    assert "Hari layanan ditutup pukul 15:30: 1 pengunjung tidak terlayani." in message
    assert "keluar" in message
    assert ticket(store, waiting["id"])["status"] == "unserved"
