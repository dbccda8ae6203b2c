"""The supervisor hears of a kiosk that reset its screen after unexpected errors today."""

from __future__ import annotations

import pytest

from shared.queue import heartbeat
from shared.queue.operations import Operations
from tests.gui.counter.conftest import log_in

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_supervisor_sees_how_often_a_kiosk_reset_its_screen_today(
    qtbot, make_console, store, clock, office
):
    lobby = Operations(store, clock=clock, machine="kiosk-lobby", program="kiosk")
    heartbeat.beat(lobby, {"printer": "ok", "screen_resets": 2, "screen_resets_day": "2026-11-25"})
    window = make_console()
    log_in(qtbot, window, "sari", "5678", None)
    view = window.supervisor_view
    qtbot.waitUntil(view.screen_resets.isVisible, timeout=5000)
    assert view.screen_resets.text() == (
        "Kiosk kiosk-lobby mengatur ulang layarnya 2× hari ini setelah kesalahan tak terduga:"
        " minta TI memeriksa berkas log-nya."
    )

    # Yesterday's resets are not today's.
    heartbeat.beat(lobby, {"printer": "ok", "screen_resets": 3, "screen_resets_day": "2026-11-24"})
    qtbot.waitUntil(lambda: not view.screen_resets.isVisible(), timeout=5000)
