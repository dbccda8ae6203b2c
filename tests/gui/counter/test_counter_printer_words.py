"""A kiosk's printer state reaches the console as a sentence, never as a code."""

from __future__ import annotations

import pytest

from shared.devices.printing import NoPrinter, PrinterOffline, PrinterStatus
from shared.queue import heartbeat
from shared.queue.operations import Operations
from tests.gui.counter.conftest import log_in_officer

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def kiosk_beats(store, clock, status: PrinterStatus) -> None:
    kiosk = Operations(store, clock=clock, machine="vm", program="kiosk")
    heartbeat.beat(kiosk, status.heartbeat())


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (
            PrinterStatus("none", NoPrinter.msgid),
            "vm tidak dipasangi printer tiket: pengunjung hanya melihat nomornya di layar kios.",
        ),
        (
            PrinterStatus(
                "offline",
                "The ticket printer {printer} cannot be reached.",
                {"printer": "network:10.0.0.9:9100"},
            ),
            "Di vm: Printer tiket network:10.0.0.9:9100 tidak dapat dihubungi. Pengunjung"
            " mungkin tidak mendapat nomor tercetak: mohon periksa kios.",
        ),
        (
            PrinterStatus("error", PrinterOffline.msgid),
            "Di vm: Printer tiket tidak dapat dihubungi. Pengunjung mungkin tidak mendapat"
            " nomor tercetak: mohon periksa kios.",
        ),
    ],
    ids=["none", "offline", "error"],
)
def test_printer_states_are_sentences(qtbot, make_console, store, office, clock, status, expected):
    window = make_console()
    log_in_officer(qtbot, window, office)
    kiosk_beats(store, clock, status)
    window.worker.refresh()
    qtbot.waitUntil(lambda: "printer:vm" in window.notices.notices, timeout=3000)
    text = window.notices.notices["printer:vm"].text.text()
    assert text == expected
    assert "(none)" not in text and "none" not in text.split()
