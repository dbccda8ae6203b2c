"""A kiosk-like or counter-like process for the multi-process tests.

Usage: python -m tests.integration.worker ROLE DB SECONDS OUT [COUNTER_ID]

ROLE ``kiosk`` issues tickets; ``counter`` calls, starts and finishes; ``slow-kiosk``
issues tickets with a pause inside each transaction (for kill tests). Every operation
the worker saw confirmed is written to OUT as JSON lines (op_id, kind, result id), so
the test can prove nothing confirmed was lost and nothing was done twice.
"""

from __future__ import annotations

import json
import os
import sys
import time

from shared.errors import DomainError, StorageError
from shared.queue.operations import Operations, new_op_id
from shared.storage.store import Store


def main() -> None:
    role, db, seconds, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    counter_id = int(sys.argv[5]) if len(sys.argv) > 5 else 0
    store = Store(db, busy_timeout_ms=5000, retry_seconds=30)
    ops = Operations(store, machine=f"pc-{os.getpid()}", program=role)
    if role == "slow-kiosk":
        original = ops._event

        def slow_event(conn, *args, **kwargs):
            # The ticket row is written; pause before its event so a kill lands mid-way.
            time.sleep(0.05)
            return original(conn, *args, **kwargs)

        ops._event = slow_event
    deadline = time.monotonic() + seconds
    with open(out, "a", encoding="utf-8") as log:

        def confirm(op_id: str, kind: str, result: dict) -> None:
            log.write(json.dumps({"op_id": op_id, "kind": kind, "id": result["id"]}) + "\n")
            log.flush()

        print("ready", flush=True)
        while time.monotonic() < deadline:
            op_id = new_op_id()
            try:
                if role in ("kiosk", "slow-kiosk"):
                    confirm(op_id, "issue", ops.issue_ticket("KS", op_id=op_id, ignore_hours=True))
                    continue
                ticket = ops.call_next(counter_id, op_id=op_id)
                confirm(op_id, "call", ticket)
                for kind, fn in (("start", ops.start_service), ("finish", ops.finish)):
                    step = new_op_id()
                    confirm(step, kind, fn(ticket["id"], op_id=step))
            except DomainError:
                time.sleep(0.005)  # nobody waiting yet
            except StorageError as exc:
                print(f"storage: {exc}", file=sys.stderr, flush=True)
    store.close()


if __name__ == "__main__":
    main()
