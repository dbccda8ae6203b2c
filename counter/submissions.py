"""Send the console's operations to the database worker, each with its op_id, exactly once.

Every change an officer asks for (call next, finish, log in, a setting...) is submitted
here under a name and a key that says what it is about. The key keeps one op_id until
the operation is settled: a retry after a storage failure reuses it, so that if the
first try did commit, the core returns its result instead of acting twice. A draft
named at submission (the visitor's notes) is dropped once the operation succeeded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from counter.drafts import DraftBook
from counter.worker import DatabaseWorker
from shared.queue.operations import new_op_id


class Submissions(QObject):
    """Keep the op_ids and the pending operations of one console."""

    # An operation was handed to the worker: the buttons are disabled while it saves.
    submitted = Signal()

    def __init__(
        self, worker: DatabaseWorker, drafts: DraftBook, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.worker = worker
        self.drafts = drafts
        self._op_ids: dict[tuple, str] = {}
        self._pending: dict[str, tuple[tuple, str | None]] = {}

    def submit(
        self, name: str, key: tuple, call: Callable[[str], Any], *, draft_code: str | None = None
    ) -> None:
        """Run ``call(op_id)`` in the worker; ``draft_code`` names a draft to drop on success.

        The worker answers with ``action_succeeded`` or ``action_failed`` under ``name``;
        the window then calls :meth:`settle`.
        """
        op_id = self._op_ids.setdefault(key, new_op_id())
        self._pending[name] = (key, draft_code)
        self.worker.submit(name, lambda: call(op_id))
        self.submitted.emit()

    def is_pending(self, *names: str) -> bool:
        """Whether one of the operations ``names`` is still being saved."""
        return any(name in self._pending for name in names)

    def settle(self, name: str, *, ok: bool, storage: bool = False) -> None:
        """Forget the operation ``name`` once the worker answered.

        Its op_id is kept only when it failed on storage (``storage``): the officer's
        retry is then the same operation.
        """
        key, draft_code = self._pending.pop(name, ((), None))
        if ok or not storage:
            self._op_ids.pop(key, None)
        if ok and draft_code:
            self.drafts.discard(draft_code)
