"""Helpers for tests that start real processes."""

from __future__ import annotations

import subprocess


def stop(process: subprocess.Popen, seconds: float = 5) -> None:
    """End ``process``: SIGTERM first, SIGKILL if it has not gone after ``seconds``."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(seconds)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
