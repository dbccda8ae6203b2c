"""Small things an officer or administrator notices at 1366×768: nothing cut mid-word,
no empty shapes, a save that says it saved (each time), a refusal that is not covered by
an old "Saved.", tabs that stay put, and a time field that takes what is typed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt

from counter import actions
from shared.office import settings
from tests.gui.counter.conftest import GUEST, log_in, log_in_officer, press
from tests.gui.textfit import clipped, cut_cells

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

PILLS = ("currentStatus", "currentPriority", "counterState", "dayState")


def blank_pills(window) -> list[str]:
    """Visible labels drawn as a coloured shape but holding no text."""
    return [
        label.objectName()
        for name in PILLS
        for label in window.findChildren(type(window.identity), name)
        if label.isVisible() and not label.text()
    ]


def test_queue_chips_and_target_column_fit_at_1366(qtbot, make_console, ops, office, clock):
    # Loket 2 serves four services; KS-001 is being served at Loket 1, so the head of KS
    # waits for "the visitor ahead", the longest countdown text there is.
    loket1 = office["counter1"]["id"]
    ops.set_counter_status(loket1, "open", office["supervisor"]["id"])
    for code in ("KS", "KS", "PJ", "RS", "LA"):
        ops.issue_ticket(code, GUEST)
    first = ops.call_next(loket1)
    ops.start_service(first["id"])
    window = make_console(size=(1366, 768))
    log_in_officer(qtbot, window, office, "counter2")
    queue = window.officer_view.queue
    qtbot.waitUntil(lambda: len(queue.head_chips) == 4, timeout=5000)
    clock.advance(minutes=3)
    qtbot.wait(300)
    assert not clipped(window), clipped(window)
    assert not cut_cells(queue.table), cut_cells(queue.table)
    # What cannot be shown whole is elided with "…" and said whole in the tooltip.
    for chip in queue.head_chips.values():
        assert chip.toolTip(), chip.objectName()


def test_no_empty_shapes_without_a_visitor(qtbot, make_console, ops, office):
    window = make_console(size=(1366, 768))
    log_in_officer(qtbot, window, office)
    qtbot.wait(200)
    assert window.officer_view.card.number.text() == "—"
    assert blank_pills(window) == []
    ops.issue_ticket("KS", GUEST)
    press(qtbot, window, actions.CALL_NEXT)
    assert window.officer_view.card.status.isVisible()
    press(qtbot, window, actions.REQUEUE)
    assert blank_pills(window) == []


def test_an_empty_queue_says_so_inside_the_table(qtbot, make_console, ops, office, artifacts):
    window = make_console(size=(1366, 768))
    log_in_officer(qtbot, window, office)
    queue = window.officer_view.queue
    note = queue.empty_note
    qtbot.waitUntil(note.isVisible, timeout=5000)
    assert note.text() == "Tidak ada pengunjung yang menunggu untuk layanan loket ini."
    # It lies inside the table's grid, whole, below the column headings.
    viewport = queue.table.viewport().rect()
    assert viewport.contains(note.geometry()) and note.height() > 0
    assert not clipped(window), clipped(window)
    assert window.grab().save(str(artifacts / "counter-empty-queue-1366x768.png"))
    ops.issue_ticket("KS", GUEST)
    qtbot.waitUntil(lambda: queue.table.rowCount() == 1, timeout=5000)
    assert not note.isVisible()
    press(qtbot, window, actions.CALL_NEXT)
    qtbot.waitUntil(note.isVisible, timeout=5000)
    # After a reset the queue is not known to be empty: no sentence until the next read.
    queue.clear()
    assert note.isHidden()
    window.worker.refresh()
    qtbot.waitUntil(note.isVisible, timeout=5000)


@pytest.fixture
def settings_page(qtbot, make_console, ops, office):
    ops.save_officer("admin", full_name="Admin PST", pin="0000", role="admin")
    window = make_console(size=(1366, 768))
    log_in(qtbot, window, "admin", "0000", None)
    qtbot.waitUntil(window.settings_page_button.isVisible, timeout=5000)
    qtbot.mouseClick(window.settings_page_button, Qt.MouseButton.LeftButton)
    view = window.settings_view
    qtbot.waitUntil(lambda: view.services_table.rowCount() == 5, timeout=5000)
    view.tabs.setCurrentIndex(3)
    return window, view


def save_hours(qtbot, window, view, ok: bool = True) -> None:
    button = view.findChild(type(view.saved_buttons["service"]), "hoursSave")
    if ok:
        with qtbot.waitSignal(window.action_finished, timeout=5000) as done:
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        assert done.args[1] is True, window.message.text()
        qtbot.waitUntil(lambda: not window.saving, timeout=5000)
    else:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_each_save_confirms_and_a_refusal_is_not_covered(qtbot, settings_page, store, clock):
    window, view = settings_page
    tabs_top = view.tabs.mapTo(window, QPoint(0, 0)).y()
    save_hours(qtbot, window, view)
    first = window.message.text()
    assert "Jam buka" in first and "09:00:00" in first, first
    assert view.tabs.mapTo(window, QPoint(0, 0)).y() == tabs_top, "the tabs moved"

    # The same save again, a little later: a new confirmation, with its own time.
    clock.advance(seconds=42)
    save_hours(qtbot, window, view)
    second = window.message.text()
    assert second != first and "09:00:42" in second, second
    assert view.status.text() == second

    # Closing before opening on Monday: refused beside the grid and in the status bar.
    monday_close = view.hours_rows[0][2]
    monday_close.setText("07:00")
    save_hours(qtbot, window, view, ok=False)
    refusal = "Pada hari Senin jam tutup harus setelah jam buka."
    assert view.errors["hours"].text() == refusal
    assert window.message.text() == refusal and window.message.property("error") is True
    assert "Tersimpan" not in view.status.text()
    assert view.tabs.mapTo(window, QPoint(0, 0)).y() == tabs_top, "the tabs moved"


def test_a_time_is_typed_as_people_type_it(qtbot, settings_page, store):
    window, view = settings_page
    friday_close = view.hours_rows[4][2]
    # Click on the minutes of "16:00"… or anywhere: what is typed replaces the time.
    for typed, where in (("15:45", 0.8), ("1530", 0.2), ("16.00", 0.5)):
        qtbot.mouseClick(
            friday_close,
            Qt.MouseButton.LeftButton,
            pos=QPoint(int(friday_close.width() * where), 8),
        )
        qtbot.keyClicks(friday_close, typed)
        qtbot.keyClick(friday_close, Qt.Key.Key_Tab)
        expected = typed.replace(".", ":") if len(typed) == 5 else f"{typed[:2]}:{typed[2:]}"
        assert friday_close.time().toString("HH:mm") == expected, (typed, friday_close.text())
    save_hours(qtbot, window, view)
    assert store.read(lambda c: settings.get(c, "hours"))["4"] == ["08:00", "16:00"]


# Found by the console monkey (tests/gui/counter/test_counter_monkey.py).


def test_an_administrator_at_a_counter_near_closing_fits_the_header(
    qtbot, make_console, ops, office, clock
):
    """Six page buttons, the counter's state and the day's end in one bar at 1366 px."""
    ops.save_officer("admin", full_name="Admin PST", pin="0000", role="admin")
    window = make_console(size=(1366, 768))
    log_in(qtbot, window, "admin", "0000", office["counter1"]["id"])
    qtbot.waitUntil(lambda: window.counter_state.isVisible(), timeout=5000)
    clock.advance(minutes=6 * 60 + 40)  # Wednesday 15:40: the queue closes at 16:00
    window.worker.refresh()
    qtbot.waitUntil(lambda: window.day_state.isVisible(), timeout=3000)
    qtbot.wait(200)
    assert not clipped(window), clipped(window)
    assert "16:00" in window.day_state.toolTip()


def test_service_names_follow_the_language(qtbot, make_console, ops, office):
    ops.issue_ticket("LA", GUEST)
    window = make_console(size=(1366, 768), lang="en")
    log_in_officer(qtbot, window, office, "counter2")
    press(qtbot, window, actions.CALL_NEXT)
    assert window.officer_view.card.service.text() == "Other Services"
