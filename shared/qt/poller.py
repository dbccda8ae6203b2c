"""Qt adapter for change detection: a worker thread polls, the UI thread gets signals.

Polling happens off the UI thread, so a share that hangs for seconds never freezes a
window. ``changed`` fires after another PC commits; ``unavailable`` once the database
has been unreadable for ``grace_ms``; ``available`` when it can be read again.
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, QThread, Signal

from shared.errors import StorageError
from shared.storage.poller import ChangePoller
from shared.storage.store import Store

log = logging.getLogger(__name__)


class _PollThread(QThread):
    changed = Signal()
    failed = Signal(str)
    recovered = Signal()

    def __init__(self, store: Store, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._poller = ChangePoller(store)
        self._interval = interval_ms / 1000
        self._stop = threading.Event()
        self._wake = threading.Event()

    def run(self) -> None:
        failing = False
        while not self._stop.is_set():
            try:
                if self._poller.check():
                    self.changed.emit()
                if failing:
                    failing = False
                    self.recovered.emit()
            except StorageError as exc:
                failing = True
                self.failed.emit(exc.message)
            except Exception:  # a bug: log it, keep polling
                log.exception("change poller failed")
            self._wake.wait(self._interval)
            self._wake.clear()
        self._poller.close()

    def poke(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()


class QtChangePoller(QObject):
    """Emit ``changed`` / ``unavailable(message)`` / ``available`` for one database."""

    changed = Signal()
    unavailable = Signal(str)
    available = Signal()

    def __init__(
        self,
        store: Store,
        interval_ms: int = 250,
        grace_ms: int = 2000,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.grace_ms = grace_ms
        self.is_available = True
        self._failing_since: float | None = None
        self._thread = _PollThread(store, interval_ms)
        self._thread.changed.connect(self.changed)
        self._thread.failed.connect(self._on_failed)
        self._thread.recovered.connect(self._on_recovered)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        """Poll now (after this program's own write, for instance)."""
        self._thread.poke()

    def stop(self) -> None:
        self._thread.stop()
        self._thread.wait(5000)

    def _on_failed(self, message: str) -> None:
        now = time.monotonic()
        if self._failing_since is None:
            self._failing_since = now
        if self.is_available and (now - self._failing_since) * 1000 >= self.grace_ms:
            self.is_available = False
            self.unavailable.emit(message)

    def _on_recovered(self) -> None:
        self._failing_since = None
        if not self.is_available:
            self.is_available = True
            self.available.emit()
