"""Kiosk figures: an unexpected error → an empty welcome screen; a change of language.

Run: ``python bench/bench_kiosk_recovery.py [--faults 200]``. Prints figures, asserts
nothing. The kiosk runs offscreen with its recovery installed as ``pst-kiosk`` installs
it; before each fault a visitor is somewhere in the middle of a visit (the guest book
filled in English, "Still there?" up, the rating form, the ticket screen), then a slot
raises. Measured: from the raise to Welcome, empty, in Indonesian (target: within a
second), and the time one change of language takes with the guest book open.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="pst-escpos-"))
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", type=int, default=200)
    parser.add_argument("--switches", type=int, default=200)
    args = parser.parse_args()

    from datetime import datetime
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLineEdit

    from kiosk.backend import KioskBackend
    from kiosk.window import KioskWindow
    from shared import i18n
    from shared.clock import FakeClock
    from shared.devices.printing import TicketPrinter
    from shared.install.config import KioskSection
    from shared.qt.recovery import Recovery
    from shared.queue.operations import Operations
    from shared.storage.store import Store

    app = QApplication.instance() or QApplication([])
    recovery = Recovery("pst-kiosk").install()
    folder = Path(tempfile.mkdtemp(prefix="pst-bench-recovery-"))
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
    ops = Operations(Store(folder / "antrian.db"), clock=clock, machine="bench", program="kiosk")
    ops.initialise()
    ops.set_counter_status(ops.save_counter("Loket 1", services=["KS", "PS"])["id"], "open")
    backend = KioskBackend(ops, TicketPrinter("dummy", "80mm"), heartbeat=False)
    window = KioskWindow(backend, KioskSection(issue_without_open_counter=True), windowed=True)
    recovery.on_error(window.recover)
    window.resize(1366, 768)
    window.show()
    backend.start()
    rng = random.Random(1)
    book = window.guest_book
    recoveries: list[float] = []
    recovery_cpu: list[float] = []
    switches: list[float] = []
    switch_cpu: list[float] = []
    state = {"fault": 0, "at": 0.0, "cpu": 0.0}

    def empty_welcome() -> bool:
        return (
            window.current is window.welcome
            and i18n.language() == "id"
            and not any(edit.text() for edit in window.findChildren(QLineEdit))
        )

    def mid_visit() -> None:
        window.set_language(rng.choice(["en", "id"]))
        where = rng.choice(["guest book", "still there", "rating", "ticket"])
        if where in ("guest book", "still there"):
            window._on_service_chosen("KS")
            book.edits["name"].setText("Siti Rahmawati")
            book.edits["email"].setText("siti@contoh.id")
            book.consent.setChecked(True)
            if where == "still there":
                window.idle_warning.show()
        elif where == "rating":
            window.show_screen(window.rating)
            window.rating.code_edit.setText("ABCD2345")
        else:
            ticket = {"number": "KS-001", "code": "ABCD2345", "service_code": "KS", "ahead": 0}
            window.ticket.show_ticket(ticket, None)
            window.show_screen(window.ticket)

    def fail() -> None:
        state["at"], state["cpu"] = time.perf_counter(), time.thread_time()
        raise RuntimeError("bench: an unexpected error in a slot")

    def next_fault() -> None:
        if state["fault"] >= args.faults:
            QTimer.singleShot(0, language_switches)
            return
        state["fault"] += 1
        mid_visit()
        QTimer.singleShot(0, fail)
        QTimer.singleShot(0, poll)

    def poll() -> None:
        if recovery.count == state["fault"] and empty_welcome():
            recoveries.append(time.perf_counter() - state["at"])
            recovery_cpu.append(time.thread_time() - state["cpu"])
            QTimer.singleShot(0, next_fault)
        else:
            QTimer.singleShot(0, poll)

    def language_switches() -> None:
        window._on_service_chosen("KS")
        for i in range(args.switches):
            started, cpu = time.perf_counter(), time.thread_time()
            window.set_language("en" if i % 2 == 0 else "id")
            app.processEvents()  # the layout the new words asked for
            switches.append(time.perf_counter() - started)
            switch_cpu.append(time.thread_time() - cpu)
        app.exit(0)

    def start() -> None:
        if backend.overview is None:
            QTimer.singleShot(10, start)
        else:
            next_fault()

    QTimer.singleShot(0, start)
    # The errors are deliberate: keep their tracebacks out of the figures' output.
    import logging

    logging.disable(logging.CRITICAL)
    app.exec()
    backend.stop()

    def line(name: str, seconds: list[float]) -> str:
        ms = [1000 * s for s in seconds]
        return (
            f"  {name}: p50 {statistics.median(ms):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms,"
            f" max {max(ms):.1f} ms"
        )

    print(f"unexpected error → empty welcome in Indonesian, {len(recoveries)} faults at 1366×768")
    print("(target: under 1000 ms; CPU = the kiosk's own processor time in that span):")
    print(line("wall", recoveries))
    print(line("CPU ", recovery_cpu))
    print(f"change of language with the guest book open, {len(switches)} times:")
    print(line("wall", switches))
    print(line("CPU ", switch_cpu))
    os._exit(0)


if __name__ == "__main__":
    main()
