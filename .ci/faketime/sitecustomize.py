"""Make ``time.sleep`` work in a Python process run under libfaketime.

CI runs the suites a second time with libfaketime (``faketime``) on another date,
leaving the monotonic clock real (``FAKETIME_DONT_FAKE_MONOTONIC=1``), without which
every ``threading`` wait with a timeout would hang. libfaketime 0.9.10 (Debian 12)
then breaks ``time.sleep`` of Python 3.11+, which sleeps with ``clock_nanosleep`` on
an absolute monotonic deadline: libfaketime shifts that deadline into the past and
the kernel answers EINVAL (libfaketime issue #426). This file is put on
``PYTHONPATH`` only for those runs (Python imports it at start-up, in every Python
process the tests start); it sleeps with ``select``, whose relative timeout is left
alone.
"""

import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):
    _real_sleep = time.sleep

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            select.select([], [], [], left)

    time.sleep = _sleep
