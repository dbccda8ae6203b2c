"""Run a real program process on the test's fake date, with libfaketime.

Test databases are built with a :class:`~shared.clock.FakeClock` on a fixed office day.
A real program started on such a database reads the real clock, and to it that day is
long over: it would close the day at its first heartbeat, as it must in an office. So a
test that starts a program pins the process's clock to the fixture's instant; the clock
then runs on from there at normal speed.
"""

from __future__ import annotations

import glob
from datetime import UTC, datetime


def libfaketime() -> str:
    """Path of libfaketime (Debian package ``faketime``), or a clear failure."""
    found = sorted(glob.glob("/usr/lib/*/faketime/libfaketime.so.1")) or sorted(
        glob.glob("/usr/lib/faketime/libfaketime.so.1")
    )
    if not found:
        raise RuntimeError(
            "libfaketime is missing: install the Debian package 'faketime' (scripts/setup.sh)"
        )
    return found[0]


def at(env: dict[str, str], now_ms: int) -> dict[str, str]:
    """Return ``env`` for a process whose wall clock starts at ``now_ms`` (UTC ms)."""
    start = datetime.fromtimestamp(now_ms / 1000, UTC).strftime("@%Y-%m-%d %H:%M:%S")
    preload = [p for p in env.get("LD_PRELOAD", "").split(":") if p and "faketime" not in p]
    return {
        **env,
        "LD_PRELOAD": ":".join([libfaketime(), *preload]),
        "FAKETIME": start,
        "TZ": "UTC",
        # Qt's timers and the store's retry deadlines use the monotonic clock: keep it real.
        "FAKETIME_DONT_FAKE_MONOTONIC": "1",
        "FAKETIME_NO_CACHE": "1",
    }
