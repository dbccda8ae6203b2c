"""Watch the shared database and read the board, all off the UI thread.

One worker thread polls ``PRAGMA data_version`` (the core's change detector) a few
times a second and, when another PC committed, reads the board. A read over a slow
share can take a while, and while the share is gone the store keeps retrying for
seconds: none of that may freeze the clock or the animation on the wall. The thread
speaks to the screen only through signals, and only when there is news: a new board,
the database lost for longer than the grace period, the database back.
"""

from __future__ import annotations

import logging
import threading
import time

from PySide6.QtCore import QObject, Signal

from display.board import Board, read_board
from shared import i18n
from shared.clock import Clock
from shared.errors import StorageBusy, StorageError
from shared.storage.poller import ChangePoller
from shared.storage.store import Store

log = logging.getLogger(__name__)


class BoardReader(QObject):
    """Emit ``board_read(Board)`` after each change, ``unavailable(message)`` / ``available``.

    The first board has no new calls (nothing is announced from before the display
    started); each later board carries the calls made since the previous one.
    ``unavailable`` fires once the database has been unreadable for ``grace_ms``.
    """

    board_read = Signal(object)
    unavailable = Signal(str)
    available = Signal()

    def __init__(
        self,
        store: Store,
        clock: Clock,
        *,
        interval_ms: int = 100,
        grace_ms: int = 3000,
        history: int = 5,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._store = store
        self._clock = clock
        self._interval = interval_ms / 1000
        self._grace = grace_ms / 1000
        self._history = history
        self._language = i18n.language()
        self._last_event_id: int | None = None
        self._poller = ChangePoller(store)
        self._wanted = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="board-reader", daemon=True)
        self.is_available = True

    def start(self) -> None:
        self._wanted.set()
        self._thread.start()

    def request(self) -> None:
        """Read the board again at the next poll, changed or not; returns at once."""
        self._wanted.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        failing_since: float | None = None
        while not self._stopping.is_set():
            try:
                changed = self._poller.check()
                if changed or self._wanted.is_set():
                    self._wanted.clear()
                    try:
                        board = self._store.read(self._read)
                    except StorageBusy:
                        # Another PC is writing: read on the next tick. A file that
                        # stays busy (a PC frozen mid-write) is the poller's to report.
                        self._wanted.set()
                    else:
                        self._last_event_id = board.last_event_id
                        if not self._stopping.is_set():
                            self.board_read.emit(board)
                failing_since = None
                if not self.is_available:
                    self.is_available = True
                    self.available.emit()
            except StorageError as exc:
                # Read again once the database answers, even if nothing was committed.
                self._wanted.set()
                now = time.monotonic()
                failing_since = failing_since or now
                if self.is_available and now - failing_since >= self._grace:
                    self.is_available = False
                    self.unavailable.emit(exc.message)
            except Exception:  # a bug: log it, keep the last board on the wall, go on
                log.exception("reading the board failed")
                self._wanted.set()
                self._stopping.wait(1.0)
            self._stopping.wait(self._interval)
        self._poller.close()

    def _read(self, conn) -> Board:
        return read_board(
            conn,
            self._clock.now_ms(),
            after_event_id=self._last_event_id,
            history=self._history,
            language=self._language,
        )
