"""Which console actions make sense right now, and why not (no Qt).

Buttons are disabled rather than refused after a click: an officer sees at once what is
possible, and the tooltip of a disabled button says why. The core validates again inside
its transaction, because another PC may have changed things in between.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter.snapshot import Snapshot
from shared.i18n import N_, _

CALL_NEXT = "call_next"
RECALL = "recall"
START = "start"
FINISH = "finish"
NO_SHOW = "no_show"
REQUEUE = "requeue"
TRANSFER = "transfer"
CALL_SELECTED = "call_selected"
PAUSE = "pause"
CLOSE = "close"
PUT_BACK = "put_back"
LOG_OUT = "log_out"

ORDER = (CALL_NEXT, RECALL, START, FINISH, NO_SHOW, REQUEUE, TRANSFER, CALL_SELECTED, PAUSE, CLOSE)


@dataclass(frozen=True)
class Availability:
    enabled: bool
    reason: str = ""  # translated sentence, empty when enabled


def _no(msgid: str, **params: object) -> Availability:
    return Availability(False, _(msgid, **params))


YES = Availability(True)


def availability(
    snapshot: Snapshot | None,
    *,
    online: bool,
    busy: bool,
    selected_waiting: int | None = None,
    selected_returnable: int | None = None,
) -> dict[str, Availability]:
    """Return every action's availability for the console's current state."""
    blocked = None
    if not online:
        blocked = _no(N_("The queue database cannot be reached; wait until it is back."))
    elif busy:
        blocked = _no(N_("Still saving the previous action…"))
    elif snapshot is None or snapshot.counter is None:
        blocked = _no(N_("No counter chosen."))
    if blocked is not None:
        result = {name: blocked for name in (*ORDER, PUT_BACK)}
        result[LOG_OUT] = YES if online and not busy else blocked
        return result
    assert snapshot is not None and snapshot.counter is not None
    counter = snapshot.counter
    current = snapshot.current
    status = current["status"] if current else None
    number = current["number"] if current else ""
    out: dict[str, Availability] = {}

    def counter_ready() -> Availability | None:
        if counter["status"] == "closed":
            return _no(N_("The counter is closed. Open it first."))
        if counter["status"] == "paused":
            return _no(N_("The counter is paused. Resume it first."))
        if current is not None:
            return _no(N_("Finish ticket {number} first."), number=number)
        return None

    not_ready = counter_ready()
    if not_ready:
        out[CALL_NEXT] = not_ready
    elif not snapshot.queue:
        out[CALL_NEXT] = _no(N_("No visitor is waiting for this counter."))
    else:
        out[CALL_NEXT] = YES
    if not_ready:
        out[CALL_SELECTED] = not_ready
    elif selected_waiting is None:
        out[CALL_SELECTED] = _no(N_("Select a waiting ticket in the queue list first."))
    else:
        out[CALL_SELECTED] = YES

    no_visitor = _no(N_("No visitor has been called."))
    if status == "called":
        if current["recall_count"] >= snapshot.recall_limit:
            out[RECALL] = _no(
                N_("Called {limit} times already: mark the visitor as not present."),
                limit=snapshot.recall_limit,
            )
        else:
            out[RECALL] = YES
        out[START] = YES
        out[NO_SHOW] = YES
        out[REQUEUE] = YES
        serving_only = _no(N_("Start the service first."))
        out[FINISH] = serving_only
        out[TRANSFER] = serving_only
    elif status == "serving":
        already = _no(N_("The visitor is already being served."))
        out[RECALL] = already
        out[START] = already
        out[NO_SHOW] = already
        out[REQUEUE] = already
        out[FINISH] = YES
        out[TRANSFER] = YES
    else:
        for name in (RECALL, START, FINISH, NO_SHOW, REQUEUE, TRANSFER):
            out[name] = no_visitor

    if counter["status"] == "closed":
        out[PAUSE] = _no(N_("The counter is closed."))
        out[CLOSE] = YES  # becomes "open counter"
    else:
        # A paused counter with a visitor called would send the visitor to an empty desk
        # while the TV still says "go to" it.
        out[PAUSE] = (
            _no(N_("Finish or return ticket {number} before pausing the counter."), number=number)
            if current is not None and counter["status"] == "open"
            else YES
        )
        out[CLOSE] = (
            _no(N_("Finish ticket {number} before closing the counter."), number=number)
            if current is not None
            else YES
        )
    if selected_returnable is None:
        out[PUT_BACK] = _no(N_("Select a visitor who was marked not present."))
    else:
        out[PUT_BACK] = YES
    out[LOG_OUT] = (
        _no(N_("Finish or return ticket {number} before logging out."), number=number)
        if current is not None
        else YES
    )
    return out
