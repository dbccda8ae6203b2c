"""Another PC of the office, as a real process, for the counter console's tests.

Usage:
  python -m tests.gui.counter.other_process issue DB NOW_MS SERVICE
  python -m tests.gui.counter.other_process console CONFIG NOW_MS USERNAME PIN COUNTER GO_FILE

``issue`` is a kiosk giving one number. ``console`` is a whole counter console: it logs
in, waits until GO_FILE exists, presses F2 (call next) and prints the called ticket as
JSON.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def issue(db: str, now_ms: int, service: str) -> None:
    from shared.clock import FakeClock
    from shared.queue.operations import Operations
    from shared.storage.store import Store

    ops = Operations(Store(db), clock=FakeClock(now_ms), machine="kiosk-2", program="kiosk")
    ticket = ops.issue_ticket(service)
    print(json.dumps({"id": ticket["id"], "number": ticket["number"]}))


def console(config: str, now_ms: int, username: str, pin: str, counter: int, go: str) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from counter.window import ConsoleWindow
    from shared.clock import FakeClock
    from shared.qt.app import context_from_args, parser

    QApplication([])
    args = parser("pst-counter", "").parse_args(["--config", config, "--windowed"])
    window = ConsoleWindow(context_from_args(args, "counter", clock=FakeClock(now_ms)))
    window.show()
    window.start()
    results: list = []
    window.action_finished.connect(lambda name, ok: results.append((name, ok)))

    def wait(condition, seconds: float = 20) -> None:
        deadline = time.monotonic() + seconds
        loop = QEventLoop()
        while not condition():
            if time.monotonic() > deadline:
                raise SystemExit("timed out")
            # Not app.processEvents(): in PySide6 6.12 each call leaks a reference to
            # None, and a busy wait of a few thousand calls crashes the interpreter.
            QTimer.singleShot(2, loop.quit)
            loop.exec()

    wait(lambda: window.snapshot is not None)
    view = window.login_view
    view.officer_combo.setCurrentIndex(view.officer_combo.findData(username))
    view.counter_combo.setCurrentIndex(view.counter_combo.findData(counter))
    view.pin_edit.setText(pin)
    view.login_button.click()
    wait(lambda: window.officer is not None and window.snapshot.counter is not None)
    wait(lambda: window.officer_view.buttons["call_next"].isEnabled() and not window.saving)
    print("ready", flush=True)
    wait(lambda: Path(go).exists(), 30)
    QTest.keyClick(window, Qt.Key.Key_F2)
    wait(lambda: any(name == "call_next" for name, _ok in results))
    wait(lambda: not window.saving)
    current = window.snapshot.current
    print(json.dumps({"ok": results[-1][1], "called": current["id"] if current else None}))
    window.close()


if __name__ == "__main__":
    if sys.argv[1] == "issue":
        issue(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        console(
            sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6]), sys.argv[7]
        )
