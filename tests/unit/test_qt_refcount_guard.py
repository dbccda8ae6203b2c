"""The programs survive PySide6 6.12's lost references for a long day of Qt calls."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QCoreApplication, QObject, Signal
    {guard}
    app = QCoreApplication([])

    class Source(QObject):
        changed = Signal()
        ticket = Signal(object)

    source = Source()
    source.changed.connect(lambda: None)
    source.ticket.connect(lambda t: None)
    for _ in range(20_000):
        source.changed.emit()
        source.ticket.emit({{"number": "KS-001", "called_at": None}})
    print("survived", flush=True)
    """
)


def run(guard: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT.format(guard=guard)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin"},
        cwd=ROOT,
    )


def test_twenty_thousand_emits_survive_with_the_guard():
    done = run("import shared.qt")
    assert done.returncode == 0, done.stderr[-1000:]
    assert "survived" in done.stdout


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="immortal objects: no leak to show")
def test_without_the_guard_the_leak_is_real_or_fixed_upstream():
    done = run("")
    # Either PySide6 still leaks (abort) or a newer PySide6 fixed it; both are known states.
    assert done.returncode == 0 or "dealloc" in done.stderr
