"""Make timed waits work in a Python process run under libfaketime.

CI runs the suites a second time with libfaketime (``faketime``) on another date,
leaving the monotonic clock real (``FAKETIME_DONT_FAKE_MONOTONIC=1``): faked, every
``threading`` wait with a timeout hangs. In that mode libfaketime 0.9.10 (Debian 12)
mangles absolute deadlines on the monotonic clock (libfaketime issue #426), which
breaks two waits the suites use:

* ``time.sleep`` of Python 3.11+ (``clock_nanosleep`` on an absolute deadline) fails
  with EINVAL: it sleeps with ``select`` here, whose timeout is relative;
* ``QThread.wait(ms)`` returns False at once, and a thread object is then destroyed
  while its thread still runs (Qt aborts): it polls ``isFinished`` here.

This file is put on ``PYTHONPATH`` only for those runs; Python imports it at start-up
in every Python process the tests start.
"""

import importlib.abc
import importlib.machinery
import os
import select
import sys
import time


def _sleep(seconds: float) -> None:
    if seconds < 0:
        raise ValueError("sleep length must be non-negative")
    deadline = time.monotonic() + seconds
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return
        select.select([], [], [], left)


def _patch_qthread(qtcore) -> None:
    untimed = qtcore.QThread.wait

    def wait(self, *args):
        if not args or not isinstance(args[0], int):
            return untimed(self, *args)
        deadline = time.monotonic() + args[0] / 1000
        while not self.isFinished():
            if time.monotonic() >= deadline:
                return False
            _sleep(0.002)
        return untimed(self)

    qtcore.QThread.wait = wait


class _Loader(importlib.abc.Loader):
    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        _patch_qthread(module)


class _AfterQtCore(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != "PySide6.QtCore":
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _Loader(spec.loader)
        return spec


if "faketime" in os.environ.get("LD_PRELOAD", ""):
    time.sleep = _sleep
    sys.meta_path.insert(0, _AfterQtCore())
