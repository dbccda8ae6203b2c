"""Every change to the queue: one function = one transaction = one event row.

:class:`Operations` is what the kiosk, the counter console, the display and
``pst-admin`` call; nothing else writes to the database. Each operation takes an
``op_id`` (a fresh one is made when omitted). The op_id is stored with the event, so
running the same operation again — a retry after the share dropped during COMMIT, or
a visitor's double tap — returns the first result instead of doing it twice.

The operations live by what they are about: the visitor's ticket and rating in
:mod:`shared.queue.operations_visitor`, the counter's work on a ticket in
:mod:`shared.queue.operations_calls`, counters, logins and the day's close in
:mod:`shared.queue.operations_desk`, the administrator's edits in
:mod:`shared.queue.administration`; all on the plumbing of :mod:`shared.queue.opsbase`.
"""

from __future__ import annotations

from shared.queue.administration import AdminOperations
from shared.queue.operations_calls import CallOperations
from shared.queue.operations_desk import DeskOperations
from shared.queue.operations_visitor import VisitorOperations
from shared.queue.opsbase import new_op_id

__all__ = ["Operations", "new_op_id"]


class Operations(VisitorOperations, CallOperations, DeskOperations, AdminOperations):
    """Every operation of the queue: what the programs and ``pst-admin`` call."""
