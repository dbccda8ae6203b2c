"""A real X screen for a test: Xvfb of a given size with the openbox window manager.

Programs that need a real window (Qt Virtual Keyboard, full screen under a window
manager) run in a subprocess with the environment :func:`x_desktop` yields. Xvfb picks
a free display number itself (``-displayfd``), so parallel runs never collide.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.procs import stop


def missing_tools() -> list[str]:
    return [tool for tool in ("Xvfb", "openbox") if shutil.which(tool) is None]


@contextlib.contextmanager
def x_desktop(size: str, home: Path) -> Iterator[dict[str, str]]:
    """Start Xvfb (``size`` like ``1366x768``) and openbox; yield the environment to run in."""
    missing = missing_tools()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb openbox)")
    read_fd, write_fd = os.pipe()
    server = subprocess.Popen(
        [
            *("Xvfb", "-displayfd", str(write_fd)),
            *("-screen", "0", f"{size}x24", "-nolisten", "tcp"),
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    if not number:
        stop(server)
        pytest.skip("Xvfb did not start")
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb", "HOME": str(home)}
    env.pop("QT_IM_MODULE", None)
    manager = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)  # openbox takes the screen over before the first window maps
    try:
        assert manager.poll() is None, "openbox did not start"
        yield env
    finally:
        stop(manager)
        stop(server)
