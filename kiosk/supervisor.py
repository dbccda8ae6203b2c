"""Restart the kiosk after a crash, so the lobby never shows a desktop for long.

``pst-kiosk`` (full screen) runs the real kiosk as a child process and starts it again
when it dies with an error or a signal. An administrator's *Close the kiosk program*
ends it with status 0, which ends the supervisor too. Too many crashes in a short time
stop the restarts, so a broken installation does not flicker forever.
"""

from __future__ import annotations

import logging
import subprocess
import time
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

CHILD_ENV = "PST_KIOSK_CHILD"


def supervise(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    max_crashes: int = 5,
    window_seconds: float = 120.0,
    delay_seconds: float = 2.0,
    run: Callable[..., int] = subprocess.call,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run ``command`` until it exits with 0; return its last exit status.

    More than ``max_crashes`` crashes within ``window_seconds`` give up (the status of
    the last crash is returned so a service manager can log it).
    """
    crashes: list[float] = []
    while True:
        status = run(list(command), env=env)
        if status == 0:
            return 0
        now = clock()
        crashes = [t for t in crashes if now - t <= window_seconds] + [now]
        log.error("kiosk exited with status %s (%d recent crashes)", status, len(crashes))
        if len(crashes) > max_crashes:
            log.error("kiosk keeps crashing; not restarting it again")
            return status
        sleep(delay_seconds)
