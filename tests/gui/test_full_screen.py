"""The display and the console full screen on a 1366×768 X screen with a window manager.

Without a window manager an Xvfb "full screen" window is only as large as it asks to
be; openbox places and sizes it the way an office desktop does. The pictures are real
screen grabs (artifacts folder), and their corners prove the window covers the screen.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage

from tests.gui.counter.conftest import write_config
from tests.integration.test_end_to_end import DisplayProcess
from tests.procs import stop

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SIZE = (1366, 768)


@pytest.fixture
def desktop(tmp_path, monkeypatch):
    """An X screen of 1366×768 with openbox running on it; yields its environment."""
    missing = [tool for tool in ("Xvfb", "openbox") if not shutil.which(tool)]
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb openbox)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        [
            *("Xvfb", "-displayfd", str(write_fd)),
            *("-screen", "0", f"{SIZE[0]}x{SIZE[1]}x24", "-nolisten", "tcp"),
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    env = {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}
    wm = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(1.0)  # openbox takes the screen over before the first window maps
    assert wm.poll() is None, "openbox did not start"
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    yield env
    stop(wm)
    stop(xvfb)


def grab(path: Path) -> QImage:
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.screen_grab", str(path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"{SIZE[0]}x{SIZE[1]}"
    return QImage(str(path))


def corners(image: QImage) -> list[str]:
    return [
        QColor(image.pixel(x, y)).name()
        for x, y in ((2, 2), (image.width() - 3, 2), (2, image.height() - 3))
    ]


def test_display_fills_the_screen_under_a_window_manager(
    desktop, ops, office, db_path, tmp_path, artifacts
):
    config = tmp_path / "display.toml"
    config.write_text('[machine]\nname = "tv"\n\n[display]\nvoice = "none"\n')
    # Full screen, as on the TV PC: no --windowed; the xcb platform of the desktop.
    display = DisplayProcess(db_path, config, env=dict(desktop), windowed=False)
    try:
        display.wait_for("board shown", timeout=30)
        display.logged(f"first frame painted ({SIZE[0]}x{SIZE[1]})")
        time.sleep(0.5)  # the window manager maps the window after Qt painted it
        image = grab(artifacts / "display-openbox-1366x768.png")
    finally:
        display.close()
    # The header's dark blue reaches the top corners, the room's background the bottom
    # one: no title bar, no desktop around the window.
    assert corners(image)[:2] == ["#101a33", "#101a33"], corners(image)


def test_console_fills_the_screen_under_a_window_manager(
    desktop, ops, office, db_path, tmp_path, artifacts
):
    config = write_config(tmp_path / "pc", db_path, "loket-1-pc")
    process = subprocess.Popen(
        [sys.executable, "-m", "counter.app", "--config", str(config)],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        path = artifacts / "counter-openbox-1366x768.png"
        deadline = time.monotonic() + 30
        while True:
            time.sleep(0.5)
            image = grab(path)
            # The console's background everywhere along the edges: it covers the screen.
            if corners(image) == ["#f3f4f6"] * 3 or time.monotonic() > deadline:
                break
    finally:
        stop(process)
    assert corners(image) == ["#f3f4f6"] * 3, corners(image)
