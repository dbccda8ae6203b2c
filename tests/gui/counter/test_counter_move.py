"""One officer, one counter, at the login card: moving is asked, serving keeps you there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from counter import actions
from shared.errors import DomainError
from tests.gui.counter.conftest import GUEST, log_in, press, ticket

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def counter(store, counter_id):
    return store.read(
        lambda c: dict(
            zip(
                ("status", "officer_id"),
                c.execute(
                    "SELECT status, officer_id FROM counters WHERE id = ?", (counter_id,)
                ).fetchone(),
                strict=True,
            )
        )
    )


@pytest.fixture
def sari_at_loket2(qtbot, make_console, ops, office):
    """Sari is logged in at Loket 2 and has called KS-001 there."""
    waiting = ops.issue_ticket("KS", GUEST)
    loket2 = make_console("loket-2-pc")
    log_in(qtbot, loket2, "sari", "5678", office["counter2"]["id"])
    qtbot.waitUntil(lambda: loket2.officer is not None, timeout=5000)
    press(qtbot, loket2, actions.CALL_NEXT)
    return loket2, waiting


def test_logging_in_at_a_second_counter_asks_to_move(
    qtbot, make_console, ops, store, office, sari_at_loket2
):
    loket2, waiting = sari_at_loket2
    loket1 = make_console("loket-1-pc")
    log_in(qtbot, loket1, "sari", "5678", office["counter1"]["id"])
    qtbot.waitUntil(lambda: loket1.dialog is not None, timeout=5000)
    dialog = loket1.dialog
    text = dialog.findChild(type(loket1.message), "confirmText").text()
    assert "Loket 2" in text and "KS-001" in text and "antrean" in text, text
    assert dialog.buttons.button(dialog.buttons.StandardButton.Ok).text() == "Pindah ke Loket 1"
    # Nothing has changed yet, and the officer is not in.
    assert loket1.officer is None
    assert counter(store, office["counter1"]["id"])["status"] == "closed"
    assert ticket(store, waiting["id"])["status"] == "called"

    # No: the officer stays where they were, and is told so.
    dialog.reject()
    qtbot.waitUntil(lambda: loket1.dialog is None, timeout=3000)
    assert loket1.officer is None
    assert "Loket 2" in loket1.login_view.message.text()
    assert loket1.login_view.login_button.isEnabled()

    # Yes: Loket 2 closes, KS-001 goes back to the queue, Sari is at Loket 1.
    log_in(qtbot, loket1, "sari", "5678", office["counter1"]["id"])
    qtbot.waitUntil(lambda: loket1.dialog is not None, timeout=5000)
    with qtbot.waitSignal(loket1.action_finished, timeout=5000):
        qtbot.mouseClick(
            loket1.dialog.buttons.button(loket1.dialog.buttons.StandardButton.Ok),
            Qt.MouseButton.LeftButton,
        )
    qtbot.waitUntil(lambda: loket1.officer is not None, timeout=5000)
    assert loket1.pages.currentWidget() is loket1.officer_view
    assert counter(store, office["counter1"]["id"]) == {
        "status": "open",
        "officer_id": office["supervisor"]["id"],
    }
    assert counter(store, office["counter2"]["id"]) == {"status": "closed", "officer_id": None}
    assert ticket(store, waiting["id"])["status"] == "waiting"
    assert "KS-001" in loket1.message.text() and "antrean" in loket1.message.text()
    qtbot.waitUntil(lambda: loket1.officer_view.queue.table.rowCount() == 1, timeout=3000)
    # The console left behind at Loket 2 sees its counter closed under it and says why.
    loket2.worker.refresh()
    qtbot.waitUntil(lambda: loket2.officer is None, timeout=5000)
    assert "Loket 1" in loket2.login_view.message.text()


def test_an_officer_serving_a_visitor_cannot_move(
    qtbot, make_console, ops, store, office, sari_at_loket2
):
    loket2, waiting = sari_at_loket2
    press(qtbot, loket2, actions.START)
    loket1 = make_console("loket-1-pc")
    log_in(qtbot, loket1, "sari", "5678", office["counter1"]["id"])
    view = loket1.login_view
    qtbot.waitUntil(lambda: "melayani" in view.message.text(), timeout=5000)
    assert "KS-001" in view.message.text() and "Loket 2" in view.message.text()
    assert loket1.officer is None and loket1.dialog is None
    assert counter(store, office["counter1"]["id"])["status"] == "closed"
    assert ticket(store, waiting["id"])["status"] == "serving"


def test_a_closed_counter_opened_by_another_officer_logs_this_console_out(
    qtbot, make_console, ops, store, office
):
    window = make_console("loket-1-pc")
    log_in(qtbot, window, "sari", "5678", office["counter1"]["id"])
    qtbot.waitUntil(lambda: window.officer is not None, timeout=5000)
    press(qtbot, window, actions.CLOSE)  # Sari closes Loket 1 and stays at the console
    # Budi opens Loket 1 on another PC (it was closed, so he may).
    ops.take_counter(office["counter1"]["id"], office["officer"]["id"])
    window.worker.refresh()
    qtbot.waitUntil(lambda: window.officer is None, timeout=3000)
    assert window.login_view.message.text() == (
        "Budi Santoso membuka Loket 1 dari PC lain: Anda dikeluarkan di sini."
    )
    # Sari cannot take it back while Budi is there.
    with pytest.raises(DomainError) as refused:
        ops.take_counter(office["counter1"]["id"], office["supervisor"]["id"])
    assert "sedang dipakai Budi Santoso" in refused.value.message
