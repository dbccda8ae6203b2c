"""Every console screen at office sizes, in both languages: nothing cut, screenshots saved.

The screenshots land in the artifacts folder for a person to open and judge; the test
asserts what a machine can: each label's and button's text fits its rectangle.
"""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counter import actions
from shared.queue import heartbeat
from shared.queue.operations import Operations
from tests.gui.counter.conftest import GUEST, log_in, log_in_officer, press, press_key
from tests.gui.textfit import clipped

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SIZES = [(1366, 768), (1920, 1080)]
LONG_GUEST = {
    **GUEST,
    "name": "Raden Ayu Kartika Sekarningrum Wulandari",
    "institution_name": "Dinas Komunikasi, Informatika, Statistik dan Persandian Kota Palembang",
    "topic": "Indeks Pembangunan Manusia, kemiskinan dan ketimpangan kabupaten 2015-2025",
}


def _settle(window) -> None:
    for _ in range(3):
        QApplication.processEvents()


def _shoot(window, path) -> None:
    _settle(window)
    assert window.grab().save(str(path))


def _assert_fits(window, what: str) -> None:
    # Layouts settle over a few event-loop turns after a change: judge the settled screen.
    deadline = time.monotonic() + 2
    while (problems := clipped(window)) and time.monotonic() < deadline:
        QTest.qWait(50)
    assert not problems, f"{what}: " + "; ".join(problems)


def _busy_office(ops, store, office, clock):
    """Every service waiting, a ticket over its 10 minutes, a kiosk and a TV in trouble."""
    counter1 = office["counter1"]["id"]
    ops.set_counter_status(counter1, "open")
    for code in ("KS", "PJ", "RS", "LA", "KS", "PJ"):
        ops.issue_ticket(code, LONG_GUEST, priority_group="elderly" if code == "RS" else None)
        clock.advance(minutes=1)
    first = ops.call_next(counter1)  # KS-001 at Loket 1, finished: KS-002's clock runs
    ops.start_service(first["id"])
    ops.finish(first["id"])
    kiosk = Operations(store, clock=clock, machine="kiosk-lobby", program="kiosk")
    heartbeat.beat(kiosk, {"printer": "paper_out"})
    tv = Operations(store, clock=clock, machine="tv-ruang-tunggu", program="display")
    heartbeat.beat(tv, {"voice": "unavailable"})


@pytest.mark.parametrize("lang", ["id", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_console_screen_fits(
    qtbot, make_console, ops, store, office, clock, artifacts, size, lang
):
    _busy_office(ops, store, office, clock)
    label = f"{size[0]}x{size[1]}-{lang}"
    window = make_console(size=size, lang=lang)
    qtbot.waitUntil(lambda: window.login_view.officer_combo.count() == 2)
    _assert_fits(window, "login")
    _shoot(window, artifacts / f"counter-login-{label}.png")

    # Loket 2 serves four services: four countdown chips, a long guest-book record.
    log_in_officer(qtbot, window, office, "counter2")
    press(qtbot, window, actions.CALL_NEXT)
    clock.advance(minutes=1)
    press(qtbot, window, actions.START)
    clock.advance(minutes=8)
    qtbot.keyClicks(window.officer_view.card.notes, "Mencari data IPM kabupaten/kota 2020-2025.")
    queue = window.officer_view.queue
    qtbot.waitUntil(lambda: len(queue.head_chips) >= 3, timeout=5000)
    qtbot.waitUntil(
        lambda: any(k.startswith("miss:") for k in window.notices.notices), timeout=5000
    )
    assert (window.width(), window.height()) == size
    _shoot(window, artifacts / f"counter-officer-{label}.png")
    _assert_fits(window, "officer")
    # The tab on screen is the prominent one, not a dimmed button.
    assert not window.officer_page_button.isVisible() or window.officer_page_button.isChecked()

    # The confirmation of "not present" and the new number after a transfer.
    window.close()
    # Budi still serves at Loket 2 (one officer, one counter): a colleague takes Loket 1.
    ops.save_officer("rina", full_name="Rina Marlina", pin="2468")
    window = make_console(machine="loket-1-pc-b", size=size, lang=lang)
    log_in(qtbot, window, "rina", "2468", office["counter1"]["id"])
    qtbot.waitUntil(lambda: window.snapshot.counter is not None, timeout=5000)
    press(qtbot, window, actions.CALL_NEXT)
    press_key(qtbot, window, Qt.Key.Key_F6, actions.NO_SHOW)
    dialog = window.dialog
    assert dialog is not None, (window.message.text(), window.isActiveWindow())
    _assert_fits(dialog, "not-present dialog")
    _shoot(dialog, artifacts / f"counter-not-present-{label}.png")
    dialog.reject()
    qtbot.waitUntil(lambda: window.dialog is None)
    press(qtbot, window, actions.START)
    qtbot.mouseClick(window.officer_view.buttons[actions.TRANSFER], Qt.MouseButton.LeftButton)
    transfer = window.dialog
    transfer.service_combo.setCurrentIndex(transfer.service_combo.findData("PS"))
    with qtbot.waitSignal(window.action_finished, timeout=5000):
        transfer.buttons.accepted.emit()
    qtbot.waitUntil(lambda: type(window.dialog).__name__ == "TransferDoneDialog", timeout=5000)
    done = window.dialog
    _assert_fits(done, "transfer dialog")
    _shoot(done, artifacts / f"counter-transfer-{label}.png")
    done.reject()
    window.close()

    # A supervisor (no integrity answers) and the head of office (with them).
    ops.save_officer("kepala", full_name="Kepala BPS Provinsi", pin="4321", role="admin")
    for who, pin, machine in (("sari", "5678", "supervisor-pc"), ("kepala", "4321", "kepala-pc")):
        supervisor = make_console(machine=machine, size=size, lang=lang)
        log_in(qtbot, supervisor, who, pin, None)
        view = supervisor.supervisor_view
        qtbot.waitUntil(lambda v=view: v.queues.rowCount() == 5, timeout=5000)
        assert supervisor.supervisor_page_button.isChecked()
        _assert_fits(supervisor, who)
        _shoot(supervisor, artifacts / f"counter-supervisor-{who}-{label}.png")
        supervisor.close()
