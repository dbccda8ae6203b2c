"""Restart the kiosk after a crash, so the lobby never shows a desktop for long.

``pst-kiosk`` (full screen) runs the real kiosk as a child process and starts it again
when it dies with an error or a signal. An administrator's *Close the kiosk program*
ends it with status 0, which ends the supervisor too. Too many crashes in a short time
stop the restarts, so a broken installation does not flicker forever.

Stopping the supervisor stops the kiosk: on SIGTERM, SIGINT (or SIGHUP) and on any
other way out, the child is asked to terminate, and killed if it does not within a few
seconds. A kiosk left running without its supervisor would be a second kiosk window
the next start cannot see.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterator, Sequence

log = logging.getLogger(__name__)

CHILD_ENV = "PST_KIOSK_CHILD"
STOP_SECONDS = 5.0
STOP_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)


class StopRequested(Exception):
    """The supervisor was asked to stop by a signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def stop_child(process: subprocess.Popen, timeout: float = STOP_SECONDS) -> None:
    """Terminate ``process`` and wait for it; kill it if it does not end in ``timeout``."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        log.warning("kiosk did not stop within %.0f s: killing it", timeout)
        process.kill()
        process.wait()


def run_child(command: Sequence[str], env: dict[str, str] | None = None) -> int:
    """Run the kiosk and return its exit status; whatever interrupts the wait stops it."""
    process = subprocess.Popen(list(command), env=env)
    try:
        return process.wait()
    finally:
        stop_child(process)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Turn the stop signals into :class:`StopRequested` while the block runs."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set on the main thread
        return

    def handler(signum: int, _frame: object) -> None:
        raise StopRequested(signum)

    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def supervise(
    command: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    max_crashes: int = 5,
    window_seconds: float = 120.0,
    delay_seconds: float = 2.0,
    run: Callable[..., int] = run_child,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> int:
    """Run ``command`` until it exits with 0; return its last exit status.

    More than ``max_crashes`` crashes within ``window_seconds`` give up (the status of
    the last crash is returned so a service manager can log it). A stop signal ends the
    child and returns 0: the kiosk was closed on purpose.
    """
    crashes: list[float] = []
    try:
        with stop_on_signals():
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
    except StopRequested as stop:
        log.info("stop signal %s: the kiosk was stopped", stop.signum)
        return 0
