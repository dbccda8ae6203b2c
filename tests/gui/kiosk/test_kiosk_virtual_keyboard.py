"""Qt Virtual Keyboard on a real X server, full screen under a window manager.

The keyboard does not stay open on the offscreen platform, so the test starts its own
``Xvfb`` at each office screen size, with ``openbox`` as window manager when installed
(without one a "full screen" window is not full screen), and runs the kiosk in a
subprocess on ``xcb`` (:mod:`tests.gui.kiosk.vkb_child`). At every size: the keyboard
opens in the kiosk's language, never covers the field being typed in nor the screen's
action button, the e-mail box has an "@" key above the keyboard, and the keyboard's
Enter key moves the rating screen on.
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
SIZES = ["1366x768", "1920x1080", "1080x1920"]

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
def xvfb(request):
    """An X server of the requested size (``request.param``) with a window manager."""
    size = getattr(request, "param", "1920x1080")
    number = free_display()
    server = subprocess.Popen(
        ["Xvfb", f":{number}", "-screen", "0", f"{size}x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            pytest.skip("Xvfb did not start")
        time.sleep(0.05)
    manager = None
    if shutil.which("openbox"):
        manager = subprocess.Popen(
            ["openbox"],
            env=dict(os.environ, DISPLAY=f":{number}"),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(0.5)
    yield f":{number}", size, manager is not None
    for process in (manager, server):
        if process is not None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.mark.parametrize("xvfb", SIZES, indirect=True)
def test_virtual_keyboard_at_office_screen_sizes(xvfb, artifacts):
    display, size, with_manager = xvfb
    env = dict(os.environ, DISPLAY=display, QT_QPA_PLATFORM="xcb", PYTHONPATH=str(ROOT))
    env.pop("QT_IM_MODULE", None)
    command = [sys.executable, "-m", "tests.gui.kiosk.vkb_child", str(artifacts), size]
    if not with_manager:
        command.append("--windowed")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=90)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr[-2000:]
    result = json.loads(lines[-1])
    assert "error" not in result, result
    assert not result.get("problems"), "\n".join(result["problems"])
    steps = result["steps"]
    width = int(size.split("x")[0])

    name = steps["name"]
    assert name["visible"] and name["locale"] == "id_ID", name
    assert name["width"] >= width - 2 and name["height"] >= 250  # large keys
    assert name["field_bottom"] <= name["top"], "the keyboard hides the field being typed in"
    assert name["action_bottom"] <= name["top"], "the keyboard hides 'Ambil Nomor Antrean'"
    assert name["typed"].lower() == "qet", name

    email = steps["email"]
    assert email["visible"] and email["field_bottom"] <= email["top"], email
    assert email["at_key_bottom"] <= email["top"], "the '@' key is under the keyboard"
    assert email["typed"] == "@" and email["still_open"], email
    assert email["action_bottom"] <= email["top"], email

    english = steps["english"]
    assert english["visible"] and english["locale"] == "en_US", english
    assert english["action_bottom"] <= english["top"], english

    rating = steps["rating"]
    assert rating["visible"] and rating["enter_key"], rating
    assert rating["field_bottom"] <= rating["top"] and rating["action_bottom"] <= rating["top"]
    assert "ZZZZ9999" in rating["answer"], "the keyboard's Enter key did nothing"
    for name in ("guest-book-id", "email-id", "guest-book-en", "rating-id"):
        assert (artifacts / f"kiosk-keyboard-{name}-{size}.png").exists()
