"""A real X desktop for a test: Xvfb at an office screen size with openbox managing it.

Offscreen, Qt has no window manager, no platform theme and no real full screen; a
program started on this desktop (``QT_QPA_PLATFORM=xcb``) runs as on an office PC.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
from collections.abc import Iterator

import pytest

from tests.procs import stop


def missing_tools() -> list[str]:
    return [tool for tool in ("Xvfb", "openbox") if not shutil.which(tool)]


@contextlib.contextmanager
def x_desktop(size: tuple[int, int], home: str) -> Iterator[dict[str, str]]:
    """Start Xvfb (a free display, found by ``-displayfd``) and openbox; yield the
    environment a program needs to run there."""
    missing = missing_tools()
    if missing:
        pytest.skip(f"needs {', '.join(missing)} (apt-get install xvfb openbox)")
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        [
            *("Xvfb", "-displayfd", str(write_fd)),
            *("-screen", "0", f"{size[0]}x{size[1]}x24", "-nolisten", "tcp"),
        ],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as pipe:
        number = pipe.readline().strip()
    env = {"DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb", "HOME": home}
    wm = subprocess.Popen(
        ["openbox", "--sm-disable"],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        time.sleep(0.8)  # openbox takes the screen over before the first window maps
        if wm.poll() is not None:
            pytest.fail("openbox did not start")
        yield env
    finally:
        stop(wm)
        stop(xvfb)
