"""Qt Virtual Keyboard on a real X server: it opens for a guest-book field and types.

The keyboard does not stay open on the offscreen platform, so the test starts its own
``Xvfb`` on a free display number and runs the kiosk in a subprocess on ``xcb``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]

pytestmark = [
    pytest.mark.xvfb,
    pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed"),
]


def free_display() -> int:
    for number in range(90, 200):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    pytest.skip("no free X display number")


@pytest.fixture
def xvfb():
    number = free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.skip("Xvfb did not start")
        time.sleep(0.05)
    yield f":{number}"
    server.terminate()
    server.wait(timeout=10)


def test_virtual_keyboard_opens_in_indonesian_and_types(xvfb, artifacts):
    env = dict(os.environ, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    env.pop("QT_IM_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.kiosk.vkb_child", str(artifacts)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    result = json.loads(lines[-1])
    assert result["visible"], result
    assert result["locale"] == "id_ID"
    _x, y, width, height = result["keyboard"]
    assert width >= 1000 and height >= 300  # large keys on a 1080p screen
    assert result["field_bottom"] <= y, "the keyboard hides the field being typed in"
    assert result["typed"].lower() == "qet", result
    assert (artifacts / "kiosk-virtual-keyboard.png").exists()
