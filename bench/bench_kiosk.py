"""Kiosk figures: tap → ticket committed and slip handed to the printer; cold start; memory.

Run: ``python bench/bench_kiosk.py [--tickets 500]``. Prints figures, asserts nothing.
Targets: tap-to-printer p95 ≤ 100 ms on a local file with a Dummy printer; cold start to
first paint ≤ 1.5 s; RSS after 500 tickets ≤ 150 MB and not growing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="pst-escpos-"))
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def wait(app, condition, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise TimeoutError("kiosk did not answer")
        app.processEvents()


def bench_taps(count: int) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from PySide6.QtWidgets import QApplication

    from kiosk.backend import KioskBackend
    from kiosk.window import KioskWindow
    from shared.clock import FakeClock
    from shared.devices.printing import TicketPrinter
    from shared.install.config import KioskSection
    from shared.office.settings import DEFAULT_SERVICES
    from shared.queue.operations import Operations
    from shared.storage.store import Store

    app = QApplication.instance() or QApplication([])
    folder = Path(tempfile.mkdtemp(prefix="pst-bench-kiosk-"))
    clock = FakeClock(datetime(2026, 11, 25, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta")))
    ops = Operations(Store(folder / "antrian.db"), clock=clock, machine="bench", program="kiosk")
    ops.initialise()
    # A counter serves every service, as during office hours: the kiosk offers them all.
    codes = [code for code, *_ in DEFAULT_SERVICES]
    ops.set_counter_status(ops.save_counter("Loket 1", services=codes)["id"], "open")
    printer = TicketPrinter("dummy", "80mm")
    backend = KioskBackend(ops, printer, poll_interval_ms=250)
    window = KioskWindow(backend, KioskSection(), windowed=True)
    window.resize(1920, 1080)
    window.show()
    backend.start()
    wait(app, lambda: backend.overview is not None)
    wait(app, lambda: backend.print_worker.pending == 0)

    book = window.guest_book
    timings, memory = [], []
    services = [s.code for s in backend.overview.services]
    for i in range(count):
        clock.advance(seconds=20)
        window._on_take_number_requested()
        window._on_service_chosen(services[i % len(services)])
        book.edits["name"].setText(f"Pengunjung {i}")
        book.edits["email"].setText(f"tamu{i}@contoh.id")
        book.edits["phone"].setText("081234567890")
        book.choices["education"].set_value("S1/D4")
        book.consent.setChecked(True)
        app.processEvents()
        printed = printer.printed
        start = time.perf_counter()
        book.submit.click()
        wait(app, lambda p=printed: printer.printed > p)
        timings.append((time.perf_counter() - start) * 1000)
        window.ticket.done.click()
        if (i + 1) % 100 == 0:
            app.processEvents()
            memory.append((i + 1, rss_mb()))
    backend.stop()
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"tap → committed + slip bytes to Dummy printer ({count} tickets, local file):")
    print(
        f"  p50 {statistics.median(timings):.1f} ms   p95 {p95:.1f} ms   max {timings[-1]:.1f} ms"
        "   (target p95 ≤ 100 ms)"
    )
    print("RSS after issued tickets (target ≤ 150 MB, not growing):")
    print("  " + "   ".join(f"{n}: {mb:.1f} MB" for n, mb in memory))


def first_paint_child(db: str) -> None:
    """Start the kiosk as pst-kiosk does and report the first paint of its window."""
    from kiosk.app import DESCRIPTION, configure_input_method

    configure_input_method("id")
    from PySide6.QtCore import QEvent, QObject, QTimer

    from kiosk.backend import KioskBackend
    from kiosk.window import KioskWindow
    from shared.devices.printing import TicketPrinter
    from shared.qt.app import bootstrap

    app, ctx = bootstrap("pst-kiosk", DESCRIPTION, ["--db", db, "--windowed"])
    printer = TicketPrinter(ctx.config.kiosk.printer, ctx.config.kiosk.printer_profile)
    backend = KioskBackend(ctx.ops, printer)
    window = KioskWindow(backend, ctx.config.kiosk, windowed=True)

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint and watched is window:
                print("painted", flush=True)
                os._exit(0)
            return False

    spy = FirstPaint()
    window.installEventFilter(spy)
    window.show_kiosk()
    QTimer.singleShot(0, backend.start)
    app.exec()


def bench_cold_start(runs: int = 5) -> None:
    folder = Path(tempfile.mkdtemp(prefix="pst-bench-start-"))
    db = str(folder / "antrian.db")
    env = dict(os.environ, PYTHONPATH=str(ROOT), PST_LOG_LEVEL="WARNING")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        out = subprocess.run(
            [sys.executable, __file__, "--first-paint", db],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if "painted" not in out.stdout:
            raise RuntimeError(out.stderr[-2000:])
        times.append(time.perf_counter() - start)
    print(f"cold start to first paint ({runs} runs, new process each, offscreen):")
    print(f"  median {statistics.median(times):.2f} s   max {max(times):.2f} s   (target ≤ 1.5 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tickets", type=int, default=500)
    parser.add_argument("--first-paint", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.first_paint:
        first_paint_child(args.first_paint)
        return
    bench_cold_start()
    bench_taps(args.tickets)


if __name__ == "__main__":
    main()
