"""Publish the office's record to the province once the console sees the day closed.

Office setting ``publish_after_close`` (with ``central_url`` and ``office_code``) turns
it on. The console calls :meth:`DayClosePublisher.day_closed` with every snapshot; when
a day was closed that this console has not published after yet, one background thread
runs :func:`shared.central.publish.publish` — which opens the office's file read-only
and keeps its mark in the central database, so several consoles doing it at once take
turns and send nothing twice. The password comes from the PC's ``pgpass.conf`` (or
``PGPASSFILE``), never from the database. A central server that is down or slow is
written to the log with its sentence; the console is never held up.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal

from shared.errors import PSTError

log = logging.getLogger(__name__)


class DayClosePublisher(QObject):
    """Run one publish per closed day, off the UI thread; ``finished(ok, text)`` tells how."""

    finished = Signal(bool, str)

    def __init__(self, db_path: str | Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._path = Path(db_path)
        self._done_for: int | None = None
        self._running = threading.Lock()

    def day_closed(self, snapshot: Any) -> bool:
        """Publish after the day ``snapshot`` says was closed, once; return True if started."""
        closed_at = getattr(snapshot, "day_closed_at", None)
        office = getattr(snapshot, "office", None) or {}
        if closed_at is None or closed_at == self._done_for:
            return False
        if not (
            office.get("publish_after_close")
            and office.get("central_url")
            and office.get("office_code")
        ):
            return False
        if not self._running.acquire(blocking=False):
            return False
        self._done_for = closed_at
        url = office["central_url"]
        threading.Thread(target=self._publish, args=(url,), name="publish", daemon=True).start()
        return True

    def _publish(self, url: str) -> None:
        try:
            from shared.central.publish import publish

            result = publish(self._path, url)
            text = f"published up to event {result['last_event_id']}: {result['sent']}"
            log.info("after the day closed, %s", text)
            self.finished.emit(True, text)
        except PSTError as exc:
            log.warning("publishing after the day closed failed: %s", exc.message)
            self.finished.emit(False, exc.message)
        except Exception as exc:
            log.exception("publishing after the day closed failed")
            self.finished.emit(False, type(exc).__name__)
        finally:
            self._running.release()
