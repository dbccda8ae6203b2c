"""An exception in a slot: logged once, the program goes on, the screen is put back."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from shared.qt.recovery import RECOVERY_FAILED, Recovery

pytestmark = pytest.mark.qt_no_exception_capture
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def recovery():
    r = Recovery("pst-test").install()
    yield r
    r.uninstall()


def test_a_failing_slot_is_logged_once_and_the_screen_is_put_back(qtbot, recovery, caplog):
    label = QLabel("Selamat Datang")
    button = QPushButton("English")
    qtbot.addWidget(button)

    def half_switch() -> None:
        label.setText("Welcome")
        raise AttributeError("'QWindow' object has no attribute 'engine'")

    button.clicked.connect(half_switch)
    recovery.on_error(lambda: label.setText("Selamat Datang"))
    with caplog.at_level(logging.INFO, logger="shared.qt.recovery"):
        button.click()
        assert label.text() == "Welcome"  # the half-done state, until the next turn
        qtbot.waitUntil(lambda: label.text() == "Selamat Datang", timeout=1000)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info[0] is AttributeError
    assert "goes on" in errors[0].getMessage() and "stopped" not in errors[0].getMessage()
    assert recovery.count == 1
    assert sys.excepthook == recovery.handle


def test_errors_of_one_turn_get_one_recovery(qtbot, recovery):
    calls = []
    recovery.on_error(lambda: calls.append("reset"))
    button = QPushButton()
    qtbot.addWidget(button)
    for _ in range(3):
        button.clicked.connect(lambda: 1 / 0)
    button.click()
    qtbot.waitUntil(lambda: calls == ["reset"], timeout=1000)
    qtbot.wait(50)
    assert calls == ["reset"] and recovery.count == 3


def test_a_failing_recovery_ends_the_program_with_70(qapp, recovery, caplog):
    def broken() -> None:
        raise RuntimeError("the welcome screen cannot be built")

    recovery.on_error(broken)
    QTimer.singleShot(0, lambda: 1 / 0)
    # A safety net that must not outlive the test: fired later, during another test's
    # wait, it would end that wait's event loop (and every one after it).
    safety_net = QTimer()
    safety_net.setSingleShot(True)
    safety_net.timeout.connect(lambda: QApplication.exit(0))
    safety_net.start(5000)
    with caplog.at_level(logging.INFO, logger="shared.qt.recovery"):
        status = qapp.exec()
    safety_net.stop()
    assert status == RECOVERY_FAILED
    assert any("stopped" in r.getMessage() for r in caplog.records if r.levelno == logging.CRITICAL)


def test_an_error_that_keeps_coming_back_ends_the_program_with_70(qapp, caplog):
    """Six errors within 30 seconds: reading the screen again does not heal it."""
    now = [1000.0]
    storm = Recovery("pst-test", monotonic=lambda: now[0]).install()
    resets = []
    storm.on_error(lambda: resets.append(now[0]))

    def fail_then_wait() -> None:
        now[0] += 4.0  # an error every 4 s: the sixth comes 20 s after the first
        raise RuntimeError("a timer that fails every time")

    ticker = QTimer()
    ticker.timeout.connect(fail_then_wait)
    ticker.start(1)
    safety_net = QTimer()
    safety_net.setSingleShot(True)
    safety_net.timeout.connect(lambda: QApplication.exit(0))
    safety_net.start(5000)
    try:
        with caplog.at_level(logging.INFO, logger="shared.qt.recovery"):
            status = qapp.exec()
    finally:
        ticker.stop()
        safety_net.stop()
        storm.uninstall()
    assert status == RECOVERY_FAILED
    assert len(resets) == 5  # five recoveries, the sixth error ends it
    assert any("6 unexpected errors within 30 seconds" in r.getMessage() for r in caplog.records)


def test_errors_spread_over_the_day_never_end_the_program(qtbot):
    now = [0.0]
    spread = Recovery("pst-test", monotonic=lambda: now[0]).install()
    resets = []
    spread.on_error(lambda: resets.append(now[0]))
    button = QPushButton()
    qtbot.addWidget(button)
    button.clicked.connect(lambda: 1 / 0)
    try:
        for n in range(1, 11):
            now[0] += 7.0  # six errors take 35 s: more than the 30 s window
            button.click()
            qtbot.waitUntil(lambda n=n: len(resets) == n, timeout=1000)
    finally:
        spread.uninstall()
    assert spread.count == 10


def test_an_error_that_ends_the_program_says_it_stopped(tmp_path):
    """Raised outside any slot (here: at start-up), the error really ends the program."""
    script = tmp_path / "starts.py"
    script.write_text(
        "import logging\n"
        "logging.basicConfig(format='%(levelname)s %(message)s')\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from shared.qt.recovery import Recovery\n"
        "app = QApplication([])\n"
        "Recovery('pst-test').install()\n"
        "raise ValueError('the window cannot be built')\n"
    )
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT), QT_QPA_PLATFORM="offscreen"),
    )
    assert done.returncode == 1
    assert "CRITICAL pst-test stopped by an unexpected error" in done.stderr
    assert "goes on" not in done.stderr
    assert done.stderr.count("Traceback") == 1
