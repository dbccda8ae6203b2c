"""Counter console figures (prints numbers; not a test).

    python bench/bench_counter.py [--rounds N]

* key press *call next* → committed (local file), p50/p95;
* another process's commit → queue panel updated, p50/p95 (poll interval 250 ms);
* cold start of ``pst-counter`` to first paint (a fresh process);
* resident memory after a simulated day of 300 tickets through the console.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from counter.app import style_sheet
from counter.window import ConsoleWindow
from shared.clock import FakeClock
from shared.qt import keep_singletons_alive
from shared.qt.app import context_from_args, parser
from shared.queue.operations import Operations
from shared.storage.store import Store

START = datetime(2026, 11, 25, 8, 5, tzinfo=ZoneInfo("Asia/Jakarta"))
FIRST_PAINT_SCRIPT = """
import os, sys, time
t0 = float(sys.argv[1])
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import QObject, QEvent, QTimer
from PySide6.QtWidgets import QApplication
from counter.app import style_sheet
from counter.window import ConsoleWindow
from shared.qt.app import bootstrap
app, ctx = bootstrap("pst-counter", "", ["--config", sys.argv[2], "--windowed"])
ctx.ops.initialise()
app.setStyleSheet(style_sheet())
w = ConsoleWindow(ctx)
class Paint(QObject):
    def eventFilter(self, obj, ev):
        if ev.type() == QEvent.Type.Paint:
            print(f"{time.time() - t0:.3f}", flush=True)
            os._exit(0)
        return False
f = Paint(); w.installEventFilter(f)
w.resize(1366, 768); w.show(); w.start()
app.exec()
"""


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def wait(app: QApplication, condition, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    loop = QEventLoop()
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("timed out")
        # Not app.processEvents(): in PySide6 6.12 each call leaks a reference to
        # None, and a busy wait of a few thousand calls crashes the interpreter.
        QTimer.singleShot(2, loop.quit)
        loop.exec()


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=60)
    ap.add_argument("--day", type=int, default=300)
    opts = ap.parse_args()
    keep_singletons_alive()  # as importing shared.qt does in pst-counter
    folder = Path(tempfile.mkdtemp(prefix="bench-counter-"))
    db = folder / "antrian.db"
    clock = FakeClock(START)
    setup = Operations(Store(db), clock=clock, machine="bench", program="bench")
    setup.initialise()
    setup.save_counter("Loket 1", services=["KS", "PS"])
    setup.save_officer("budi", full_name="Budi Santoso", pin="1234")
    config = folder / "pst.toml"
    config.write_text(f'[database]\npath = "{db}"\npoll_interval_ms = 250\n', encoding="utf-8")

    app = QApplication.instance() or QApplication([])
    app.setStyleSheet(style_sheet())
    ctx = context_from_args(
        parser("pst-counter", "").parse_args(["--config", str(config), "--windowed"]),
        "counter",
        clock=clock,
    )
    window = ConsoleWindow(ctx)
    window.resize(1366, 768)
    window.show()
    window.start()
    wait(app, lambda: window.snapshot is not None)
    view = window.login_view
    view.officer_combo.setCurrentIndex(view.officer_combo.findData("budi"))
    view.counter_combo.setCurrentIndex(view.counter_combo.findData(1))
    view.pin_edit.setText("1234")
    view.login_button.click()
    wait(app, lambda: window.officer is not None and window.snapshot.counter is not None)

    def status(ticket_id: int) -> str:
        return setup.store.read(
            lambda c: c.execute("SELECT status FROM tickets WHERE id = ?", (ticket_id,)).fetchone()[
                0
            ]
        )

    # 1. key press → committed
    press_ms = []
    for _ in range(opts.rounds):
        ticket = setup.issue_ticket("KS", ignore_hours=True)
        wait(
            app, lambda: window.officer_view.buttons["call_next"].isEnabled() and not window.saving
        )
        t0 = time.perf_counter()
        QTest.keyClick(window, Qt.Key.Key_F2)
        wait(app, lambda t=ticket: status(t["id"]) == "called", 5)
        press_ms.append((time.perf_counter() - t0) * 1000)
        wait(app, lambda: not window.saving)
        setup.start_service(ticket["id"])
        setup.finish(ticket["id"])

    # 2. another process's commit → queue panel updated
    table = window.officer_view.queue.table
    update_ms = []
    for _ in range(opts.rounds // 2):
        wait(app, lambda: not window.saving)
        before = table.rowCount()
        script = (
            "import sys,time;from shared.clock import FakeClock;from shared.storage.store import Store;"
            "from shared.queue.operations import Operations;"
            f"o=Operations(Store(r'{db}'),clock=FakeClock({clock.now_ms()}),machine='k',program='k');"
            "o.issue_ticket('PS',ignore_hours=True);print(time.time())"
        )
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        )
        committed = float(out.stdout.strip())
        wait(app, lambda b=before: table.rowCount() == b + 1, 5)
        update_ms.append((time.time() - committed) * 1000)
    # Drain the PS queue so the day starts clean.
    for row in setup.store.read(
        lambda c: c.execute("SELECT id FROM tickets WHERE status = 'waiting'").fetchall()
    ):
        setup.call_ticket(row[0], 1, reason="bench")
        setup.start_service(row[0])
        setup.finish(row[0])

    # 3. a simulated day of tickets through the console's buttons
    for i in range(opts.day):
        ticket = setup.issue_ticket("KS" if i % 3 else "PS", ignore_hours=True)
        clock.advance(seconds=30)
        wait(
            app, lambda: window.officer_view.buttons["call_next"].isEnabled() and not window.saving
        )
        QTest.keyClick(window, Qt.Key.Key_F2)
        wait(app, lambda: window.officer_view.buttons["start"].isEnabled() and not window.saving)
        QTest.keyClick(window, Qt.Key.Key_F4)
        wait(app, lambda: window.officer_view.buttons["finish"].isEnabled() and not window.saving)
        QTest.keyClicks(window.officer_view.card.notes, "catatan layanan")
        QTest.keyClick(window, Qt.Key.Key_F5)
        wait(app, lambda t=ticket: status(t["id"]) == "done" and not window.saving, 5)
        clock.advance(minutes=1)
    loop = QEventLoop()
    QTimer.singleShot(500, loop.quit)
    loop.exec()
    day_rss = rss_mb()
    window.close()

    # 4. cold start to first paint, in fresh processes
    starts = []
    for _ in range(3):
        out = subprocess.run(
            [sys.executable, "-c", FIRST_PAINT_SCRIPT, str(time.time()), str(config)],
            capture_output=True,
            text=True,
            check=True,
        )
        starts.append(float(out.stdout.strip().splitlines()[-1]) * 1000)

    print(
        f"call next key press → committed   p50 {statistics.median(press_ms):6.1f} ms   p95 {percentile(press_ms, 95):6.1f} ms   (n={len(press_ms)}, target ≤ 50 ms)"
    )
    print(
        f"other process commit → panel       p50 {statistics.median(update_ms):6.1f} ms   p95 {percentile(update_ms, 95):6.1f} ms   (n={len(update_ms)}, poll 250 ms, target ≤ 300 ms)"
    )
    print(
        f"cold start → first paint           median {statistics.median(starts):6.0f} ms   max {max(starts):6.0f} ms   (target ≤ 1500 ms)"
    )
    print(f"RSS after a day of {opts.day} tickets      {day_rss:6.1f} MB   (target ≤ 150 MB)")


if __name__ == "__main__":
    main()
