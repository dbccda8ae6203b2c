"""Write this program's heartbeat on a timer, off the UI thread, and close due days."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from shared import __version__
from shared.errors import StorageError
from shared.queue import heartbeat
from shared.queue.operations import Operations

log = logging.getLogger(__name__)


class HeartbeatTimer(QObject):
    """Beat every ``seconds``; ``status()`` supplies e.g. the kiosk's printer state.

    A beat asked for while one is being written is not dropped: it follows as soon as
    the running one ends, with the status of that moment.
    """

    _again = Signal()

    def __init__(
        self,
        ops: Operations,
        seconds: float = 10,
        status: Callable[[], dict] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._ops = ops
        self._status = status or dict
        self._busy = threading.Lock()
        self._pending = False
        self._again.connect(self.beat_now)  # queued: emitted from the writing thread
        self._timer = QTimer(self)
        self._timer.setInterval(int(seconds * 1000))
        self._timer.timeout.connect(self.beat_now)

    def start(self) -> None:
        self._timer.start()
        self.beat_now()

    def stop(self) -> None:
        self._timer.stop()
        self._pending = False

    def idle(self) -> bool:
        """True when no beat is being written and none is waiting to follow."""
        return not self._pending and not self._busy.locked()

    def beat_now(self) -> None:
        self._pending = True  # before trying: a beat ending now will see it
        if not self._busy.acquire(blocking=False):
            return
        self._pending = False
        status = self._status()
        threading.Thread(target=self._beat, args=(status,), daemon=True).start()

    def _beat(self, status: dict) -> None:
        try:
            heartbeat.beat(self._ops, status, __version__)
            # Every program watches the calendar: the first to see that the service
            # day is over closes it (a cheap read unless something is due).
            self._ops.close_due_days()
        except StorageError as exc:
            log.info("heartbeat not written: %s", exc)
        except Exception:
            log.exception("heartbeat failed")
        finally:
            self._busy.release()
            if self._pending:
                # The program may be closing: its window (and this timer) already gone.
                with contextlib.suppress(RuntimeError):
                    self._again.emit()
