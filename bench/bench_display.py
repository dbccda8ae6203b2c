"""Benchmark the waiting-room display; prints figures, asserts nothing.

    python bench/bench_display.py [--calls 60] [--flood 10000]

* latency: a call committed by another process → the number painted on the display
  (p50/p95 over ``--calls`` calls on a local file, at the display's poll interval);
* idle CPU of the display (clock, running text, polling) over 10 s;
* resident memory after ``--flood`` calls (and at 20 % of them: no growth expected);
* cold start: process start → first board on screen, for ``pst-display`` itself.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from shared.qt import keep_singletons_alive  # noqa: E402
from shared.queue.operations import Operations  # noqa: E402
from shared.storage.store import Store  # noqa: E402

CALLER = r"""
import json, sys, time
from shared.queue.operations import Operations
from shared.storage.store import Store
ops = Operations(Store(sys.argv[1], create=False), machine="counter-pc", program="counter")
counter, count, pause = int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
for i in range(count):
    ticket = ops.issue_ticket("KS", ignore_hours=True)
    time.sleep(pause)
    called = ops.call_next(counter)
    print(json.dumps({"number": called["number"], "at": time.time()}), flush=True)
    ops.start_service(called["id"])
    ops.finish(called["id"])
"""


def prepare(db: Path) -> int:
    ops = Operations(Store(db), machine="admin-pc", program="bench")
    ops.initialise()
    counter = ops.save_counter("Loket 1", services=["KS", "PS"])
    ops.save_counter("Loket 2", services=["KS", "PJ", "RS", "LA"])
    ops.set_counter_status(counter["id"], "open")
    ops.store.close()
    return counter["id"]


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=60)
    parser.add_argument("--flood", type=int, default=10_000)
    parser.add_argument("--idle-seconds", type=float, default=10)
    args = parser.parse_args()
    keep_singletons_alive()

    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from display.announcer import SpeechVoice
    from display.controller import POLL_INTERVAL_MS, DisplayController
    from shared.clock import Clock
    from shared.install.config import DisplaySection

    app = QApplication([])
    app.setFont(QFont("DejaVu Sans"))
    folder = Path(tempfile.mkdtemp(prefix="pst-bench-"))
    db = folder / "antrian.db"
    counter_id = prepare(db)
    store = Store(db, create=False)
    display = DisplayController(
        store, Clock(), DisplaySection(voice="qt"), voice=SpeechVoice("mock")
    )
    display.window.resize(1920, 1080)
    display.window.show()

    def run_until(check, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not check() and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.001)
        return check()

    def run_for(seconds: float) -> None:
        loop_end = time.monotonic() + seconds
        QTimer.singleShot(int(seconds * 1000), app.quit)
        app.exec()
        while time.monotonic() < loop_end:
            app.processEvents()

    painted: dict[str, float] = {}

    class PaintWatch(QObject):
        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.Paint:
                painted.setdefault(watched.text(), time.time())
            return False

    watch = PaintWatch()
    display.window.now_calling.number.installEventFilter(watch)

    started = time.perf_counter()
    display.start()
    run_until(lambda: display.board is not None, 10)
    print(f"display ready in-process: {(time.perf_counter() - started) * 1000:.0f} ms")

    # -- latency ----------------------------------------------------------------------
    caller = subprocess.Popen(
        [sys.executable, "-c", CALLER, str(db), str(counter_id), str(args.calls), "0.25"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert caller.stdout
    commits = [json.loads(line) for line in iter_lines(caller, app)]
    caller.wait()
    run_until(lambda: all(c["number"] in painted for c in commits), 5)
    delays = sorted(
        (painted[c["number"]] - c["at"]) * 1000 for c in commits if c["number"] in painted
    )
    print(
        f"call → painted, {len(delays)}/{len(commits)} calls, poll {POLL_INTERVAL_MS} ms:"
        f" p50 {statistics.median(delays):.0f} ms, p95 {delays[int(len(delays) * 0.95) - 1]:.0f} ms,"
        f" max {delays[-1]:.0f} ms"
    )

    # -- idle CPU ------------------------------------------------------------------------
    run_until(lambda: not display.announcer.busy and not display.window.now_calling.flashing, 60)
    before_cpu, before_wall = cpu_seconds(), time.monotonic()
    run_for(args.idle_seconds)
    idle = (cpu_seconds() - before_cpu) / (time.monotonic() - before_wall) * 100
    print(
        f"idle CPU (clock, running text, polling every {POLL_INTERVAL_MS} ms): {idle:.2f} % of a core"
    )

    # -- memory after many calls ------------------------------------------------------------
    if args.flood:
        flooder = subprocess.Popen(
            [sys.executable, "-c", CALLER, str(db), str(counter_id), str(args.flood), "0"],
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        marks = {args.flood // 5: 0.0, args.flood: 0.0}
        for seen, _line in enumerate(iter_lines(flooder, app), start=1):
            if seen in marks:
                run_until(lambda: False, 0.5)
                marks[seen] = rss_mb()
        flooder.wait()
        first, last = marks[args.flood // 5], marks[args.flood]
        print(
            f"RSS after {args.flood // 5} calls: {first:.1f} MB; after {args.flood}: {last:.1f} MB"
            f" (growth {last - first:+.1f} MB)"
        )
    display.stop()
    store.close()

    # -- cold start of the real program -------------------------------------------------
    times = []
    for _ in range(3):
        begin = time.perf_counter()
        env = {**os.environ, "PST_SPEECH_ENGINE": "mock", "PST_LOG_LEVEL": "INFO"}
        program = subprocess.Popen(
            [sys.executable, "-m", "display", "--db", str(db), "--windowed"],
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert program.stderr
        for line in program.stderr:
            if "board shown" in line:
                times.append(time.perf_counter() - begin)
                break
        program.terminate()
        program.wait(10)
    print(
        f"cold start → first board on screen: {min(times) * 1000:.0f} ms best, {max(times) * 1000:.0f} ms worst of 3"
    )


def iter_lines(process: subprocess.Popen, app):
    """Yield the child's output lines while the display keeps running its event loop."""
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    while True:
        if selector.select(timeout=0.002):
            line = process.stdout.readline()
            if not line:
                return
            yield line
        app.processEvents()


if __name__ == "__main__":
    main()
