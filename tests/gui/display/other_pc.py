"""Another office PC (a kiosk or a counter console) working on the shared file.

Runs in its own process so that the display sees the change the way it will in the
office: as a commit by another connection. Usage::

    python -m tests.gui.display.other_pc DB AT_MS            # commands on stdin
    python -m tests.gui.display.other_pc DB AT_MS '[...]'    # one batch, then exit

Each command is a JSON list — ``["open", counter_id]``, ``["issue", "KS", guest]``,
``["call", counter_id]``, ``["recall", ticket_id]``, ``["finish", ticket_id]``,
``["pause", counter_id, reason]`` — answered by one JSON line with the result and the
wall-clock time of the commit. ``AT_MS`` fixes the clock (0: the real clock).
"""

from __future__ import annotations

import json
import sys
import time

from shared.clock import Clock, FakeClock
from shared.errors import DomainError
from shared.queue.operations import Operations
from shared.storage.store import Store


def run(ops: Operations, command: list) -> dict:
    kind, *args = command
    if kind == "open":
        result = ops.set_counter_status(args[0], "open")
    elif kind == "pause":
        result = ops.set_counter_status(args[0], "paused", reason=args[1])
    elif kind == "close":
        result = ops.set_counter_status(args[0], "closed")
    elif kind == "issue":
        result = ops.issue_ticket(args[0], args[1] if len(args) > 1 else None, ignore_hours=True)
    elif kind == "call":
        result = ops.call_next(args[0])
    elif kind == "recall":
        result = ops.recall(args[0])
    elif kind == "start":
        result = ops.start_service(args[0])
    elif kind == "finish":
        result = ops.finish(args[0])
    else:
        raise SystemExit(f"unknown command {kind!r}")
    keep = ("id", "number", "status", "name")
    return {k: result[k] for k in keep if isinstance(result, dict) and k in result}


def answer(ops: Operations, command: list) -> str:
    try:
        result = run(ops, command)
    except DomainError as exc:
        return json.dumps({"ok": False, "error": str(exc)})
    return json.dumps({"ok": True, "result": result, "committed_at": time.time()})


def main() -> None:
    db, at = sys.argv[1], int(sys.argv[2])
    store = Store(db, busy_timeout_ms=5000, retry_seconds=10, create=False)
    clock: Clock = FakeClock(at) if at else Clock()
    ops = Operations(store, clock=clock, machine="other-pc", program="counter")
    if len(sys.argv) > 3:
        for command in json.loads(sys.argv[3]):
            print(answer(ops, command), flush=True)
        return
    for line in sys.stdin:
        if line.strip():
            print(answer(ops, json.loads(line)), flush=True)


if __name__ == "__main__":
    main()
