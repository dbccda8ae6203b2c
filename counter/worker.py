"""One background thread for every database call the console makes.

A share that hangs can block a SQLite call for seconds; doing it here keeps the window
responsive (countdowns tick, notes can be typed) while the banner and the progress bar
say what is going on. Jobs run one at a time, in order, so a refresh queued after an
action sees its result.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from shared.errors import DomainError, StorageBusy, StorageError
from shared.i18n import N_, _

log = logging.getLogger(__name__)

_STOP = object()


class DatabaseWorker(QObject):
    """Run reads and Operations calls off the UI thread; report back with signals."""

    snapshot_read = Signal(object)
    action_succeeded = Signal(str, object)  # action, [result]
    # action, translated message, True when the database (not the rules) was the problem
    action_failed = Signal(str, str, bool)
    storage_failed = Signal(str)
    storage_recovered = Signal()
    busy_changed = Signal(bool)

    def __init__(self, read: Callable[[], Any], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._read = read
        self._jobs: queue.Queue = queue.Queue()
        self._refresh_queued = threading.Event()
        self._actions_in_flight = 0
        self._count_lock = threading.Lock()
        self._storage_ok = True
        self._thread = threading.Thread(target=self._run, name="counter-db", daemon=True)
        self._thread.start()

    @property
    def busy(self) -> bool:
        return self._actions_in_flight > 0

    def idle(self) -> bool:
        """True when no read or action is queued or running."""
        # The queue counts every job put until _run marks it done (task_done).
        with self._jobs.mutex:
            return self._jobs.unfinished_tasks == 0

    def refresh(self) -> None:
        """Queue a re-read of the snapshot unless one is already waiting."""
        if not self._refresh_queued.is_set():
            self._refresh_queued.set()
            self._jobs.put(("refresh", None, None))

    def submit(self, action: str, call: Callable[[], Any]) -> None:
        """Run one operation; a refresh follows it automatically."""
        with self._count_lock:
            self._actions_in_flight += 1
            first = self._actions_in_flight == 1
        if first:
            self.busy_changed.emit(True)
        self._jobs.put(("action", action, call))

    def stop(self, timeout: float = 3.0) -> None:
        self._jobs.put((_STOP, None, None))
        self._thread.join(timeout)

    def _run(self) -> None:
        while True:
            kind, action, call = self._jobs.get()
            if kind is _STOP:
                return
            try:
                if kind == "refresh":
                    self._refresh_queued.clear()
                    self._do_refresh()
                else:
                    self._do_action(action, call)
            finally:
                self._jobs.task_done()

    def _storage(self, ok: bool, message: str = "") -> None:
        if ok and not self._storage_ok:
            self._storage_ok = True
            self.storage_recovered.emit()
        elif not ok:
            self._storage_ok = False
            self.storage_failed.emit(message)

    def _do_refresh(self) -> None:
        try:
            snapshot = self._read()
        except StorageError as exc:
            self._storage(False, exc.message)
            return
        except Exception:
            log.exception("reading the console snapshot failed")
            return
        self._storage(True)
        self.snapshot_read.emit(snapshot)

    def _do_action(self, action: str, call: Callable[[], Any]) -> None:
        try:
            result = call()
        except DomainError as exc:
            self.action_failed.emit(action, exc.message, False)
        except StorageBusy as exc:
            # Another PC holds (or froze holding) the write lock: the file can still be
            # read, so this is no outage. Marking it as one made the refresh below report
            # "reachable again" at once, over the busy message. If reads fail too, the
            # refresh reports the outage itself.
            self.action_failed.emit(action, exc.message, True)
        except StorageError as exc:
            self._storage(False, exc.message)
            self.action_failed.emit(action, exc.message, True)
        except Exception:
            log.exception("console action %s failed", action)
            self.action_failed.emit(
                action, _(N_("Something went wrong. The problem was written to the log.")), False
            )
        else:
            self._storage(True)
            # Boxed: PySide6 mishandles the reference count of a bare None sent
            # through a queued object-typed signal (a crash after many emissions).
            self.action_succeeded.emit(action, [result])
        finally:
            # Re-read before reporting idle, so buttons are re-enabled on fresh state.
            self._do_refresh()
            with self._count_lock:
                self._actions_in_flight -= 1
                idle = self._actions_in_flight == 0
            if idle:
                self.busy_changed.emit(False)
