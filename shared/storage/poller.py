"""Change detection: notice another PC's commit without any socket.

A :class:`ChangePoller` keeps its own connection and compares ``PRAGMA data_version``,
which changes whenever another connection commits. One poll costs a fraction of a
millisecond on a local disk and a few milliseconds over SMB.

Busy is not trouble: while another PC writes, the poll simply has no news and the next
tick looks again, on the same connection (a reconnect costs far more than a poll, and
the commit being written will be seen as soon as it lands). Only a file that stays busy
longer than any write may wait for it (the store's busy timeout) — a PC frozen inside a
transaction — is reported.
"""

from __future__ import annotations

import contextlib
import sqlite3
import time

from shared.errors import StorageBusy, StorageError
from shared.storage.store import Store, classify


class ChangePoller:
    """Poll a database for commits made by other connections."""

    def __init__(self, store: Store, *, busy_grace: float | None = None) -> None:
        self.store = store
        self.busy_grace = store.busy_timeout_ms / 1000 if busy_grace is None else busy_grace
        self._conn: sqlite3.Connection | None = None
        self._version: int | None = None
        self.last_ok = 0.0
        self.failed_since: float | None = None
        self.busy_since: float | None = None
        self.busy_polls = 0

    def check(self) -> bool:
        """Return True when something was committed since the last check.

        The first successful check after an outage also returns True, so views re-read
        everything. A busy file returns False (no news yet) until it has been busy for
        ``busy_grace`` seconds. Raises :class:`StorageError` while the database cannot
        be read.
        """
        try:
            if self._conn is None:
                self._conn = self.store.open_connection()
                self._version = None
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        except (sqlite3.Error, OSError) as exc:
            mapped = classify(exc)
            if isinstance(mapped, StorageBusy):
                return self._busy(mapped, exc)
            self.close()
            if self.failed_since is None:
                self.failed_since = time.monotonic()
            if mapped is None:
                raise
            raise mapped from exc
        except StorageError:
            if self.failed_since is None:
                self.failed_since = time.monotonic()
            raise
        self.busy_since = None
        self.last_ok = time.monotonic()
        recovered = self.failed_since is not None
        self.failed_since = None
        changed = version != self._version or recovered
        self._version = version
        return changed

    def _busy(self, mapped: StorageBusy, exc: BaseException) -> bool:
        now = time.monotonic()
        self.busy_polls += 1
        if self.busy_since is None:
            self.busy_since = now
        if now - self.busy_since < self.busy_grace:
            return False
        raise mapped from exc

    def close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(sqlite3.Error):
                self._conn.close()
        self._conn = None
        self._version = None
