"""Screenshots of every console screen at the smallest and largest supported sizes.

A person opens them (artifacts folder) to judge what an officer would see; the test
asserts what a machine can: the window fits, real fonts render, nothing is cut off.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import QApplication

from counter import actions
from shared.queue import heartbeat
from shared.queue.operations import Operations
from tests.gui.counter.conftest import GUEST, log_in, log_in_officer, press


def _shoot(window, path) -> None:
    # Let pending layout requests run so the picture shows the settled window.
    QApplication.processEvents()
    QApplication.processEvents()
    window.grab().save(str(path))


SIZES = [(1366, 768), (1920, 1080)]
VISITORS = [
    ("Rizky Pratama", "rizky.p@gmail.com", "Dinas Kesehatan Kota Palembang", "Pemerintah Daerah"),
    (
        "Siti Aminah",
        "siti.aminah@uinrf.ac.id",
        "UIN Raden Fatah",
        "Lembaga Penelitian & Pendidikan",
    ),
    ("Dedi Kurniawan", "dedi.k@ptba.co.id", "PT Bukit Asam", "BUMN/BUMD"),
    ("Maria Ulfa", "maria.ulfa@yahoo.co.id", "", "Lainnya"),
]


def _busy_morning(ops, store, office, clock):
    for name, email, institution, category in VISITORS:
        ops.issue_ticket(
            "KS",
            {
                **GUEST,
                "name": name,
                "email": email,
                "institution_name": institution,
                "institution_category": category,
            },
        )
        clock.advance(minutes=1)
    ops.issue_ticket("PS", priority_group="elderly")
    ops.issue_ticket("PJ")
    ops.issue_ticket("KS", GUEST, priority_group="disability")
    kiosk = Operations(store, clock=clock, machine="kiosk-lobby", program="kiosk")
    heartbeat.beat(kiosk, {"printer": "paper_out"})


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_officer_and_supervisor_screens(
    qtbot, make_console, ops, store, office, clock, artifacts, size
):
    assert "DejaVu Sans" in QFontDatabase.families()
    _busy_morning(ops, store, office, clock)
    label = f"{size[0]}x{size[1]}"
    window = make_console(size=size)
    qtbot.waitUntil(lambda: window.login_view.officer_combo.count() == 2)
    _shoot(window, artifacts / f"counter-login-{label}.png")

    log_in_officer(qtbot, window, office)
    press(qtbot, window, actions.CALL_NEXT)
    clock.advance(minutes=1)
    press(qtbot, window, actions.START)
    clock.advance(minutes=6, seconds=20)
    card = window.officer_view.card
    qtbot.keyClicks(
        card.notes, "Mencari data IPM kabupaten/kota 2020-2025; diarahkan ke tabel dinamis."
    )
    qtbot.waitUntil(lambda: window.officer_view.queue.head_chips.get("KS") is not None)
    qtbot.waitUntil(lambda: "6:20" in card.duration.text())
    assert window.width() == size[0] and window.height() == size[1]
    for button in window.officer_view.buttons.values():
        if button.isVisible():
            # The label with its key must fit on the button, even at 1366 px.
            assert button.fontMetrics().horizontalAdvance(button.text()) <= button.width()
    _shoot(window, artifacts / f"counter-officer-{label}.png")

    window.close()
    supervisor = make_console(machine="supervisor-pc", size=size)
    log_in(qtbot, supervisor, "sari", "5678", None)
    view = supervisor.supervisor_view
    qtbot.waitUntil(
        lambda: view.counters.rowCount() == 2 and view.queues.rowCount() == 5, timeout=5000
    )
    _shoot(supervisor, artifacts / f"counter-supervisor-{label}.png")
