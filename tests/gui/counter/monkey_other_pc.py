"""Another office PC during the console monkey's walk: the kiosk, and a second console.

``python -m tests.gui.counter.monkey_other_pc DB`` reads one JSON command a line and
answers one JSON line, each command at the instant ``at`` (ms) the walk's clock says:

- ``{"at": ms, "do": "issue", "service": "KS", "guest": true, "priority": null}`` — a
  visitor takes a number at the kiosk (refused outside opening hours, as in the office);
- ``{"at": ms, "do": "beat", "printer": "ok" | "offline" | "none"}`` — the kiosk's
  heartbeat with its printer's state;
- ``{"at": ms, "do": "take", "counter": id, "username": "budi", "move": false}`` — that
  officer logs in at a counter on another PC (one officer, one counter applies).

Its own process and connection: the console sees its commits as it would in the office.
"""

from __future__ import annotations

import json
import sys

from shared.clock import FakeClock
from shared.devices.printing import NoPrinter, PrinterOffline, PrinterStatus
from shared.errors import DomainError, PSTError
from shared.queue import heartbeat
from shared.queue.operations import Operations
from shared.storage.store import Store

GUEST = {
    "name": "Pengunjung Uji",
    "email": "uji@contoh.id",
    "phone": "081234567890",
    "institution_name": "Universitas Sriwijaya",
    "purpose": "Penelitian",
    "topic": "Data kemiskinan",
    "consent": True,
}
PRINTERS = {
    "ok": PrinterStatus("ok"),
    "offline": PrinterStatus("offline", PrinterOffline.msgid),
    "none": PrinterStatus("none", NoPrinter.msgid),
}


def run(store: Store, command: dict) -> dict:
    clock = FakeClock(int(command["at"]))
    kind = command["do"]
    if kind == "issue":
        kiosk = Operations(store, clock=clock, machine="kios-lobi", program="kiosk")
        ticket = kiosk.issue_ticket(
            command["service"],
            GUEST if command.get("guest") else None,
            priority_group=command.get("priority"),
        )
        return {"number": ticket["number"]}
    if kind == "beat":
        kiosk = Operations(store, clock=clock, machine="kios-lobi", program="kiosk")
        heartbeat.beat(kiosk, PRINTERS[command["printer"]].heartbeat())
        return {}
    if kind == "take":
        console = Operations(store, clock=clock, machine="loket-lain-pc", program="counter")
        officer = console.store.read(
            lambda c: c.execute(
                "SELECT id FROM officers WHERE username = ?", (command["username"],)
            ).fetchone()
        )
        taken = console.take_counter(command["counter"], officer[0], move=command.get("move"))
        return {"counter": taken["name"]}
    raise SystemExit(f"unknown command {kind!r}")


def main() -> None:
    store = Store(sys.argv[1], busy_timeout_ms=2000, retry_seconds=2, create=False)
    for line in sys.stdin:
        command = json.loads(line)
        try:
            reply = {"ok": True, **run(store, command)}
        except (DomainError, PSTError) as exc:
            reply = {"ok": False, "refused": exc.message}
        print(json.dumps(reply), flush=True)
    store.close()


if __name__ == "__main__":
    main()
