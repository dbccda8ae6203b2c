"""How an operation's result is kept in its event, so a repeated operation answers the same.

Every operation stores its result (the ticket, counter or rating row it returns) with its
``op_id`` in the ``events`` row: running it again returns exactly that result (see
:meth:`shared.queue.opsbase.OperationsBase._run`). Kept as JSON text, a ticket row costs about
550 bytes in every event of the ticket, half the file after a few years. So results are
kept as compact JSON, deflated against a preset dictionary of the shapes the operations
return: about 100 bytes, decoded to the very same value (``bench/bench_filesize.py``).
Anything that reads ``events.result`` reads it through :func:`decode`.

Two forms are read, for ever:

* ``TEXT`` — JSON, as written before this format (schema m003 and older);
* ``BLOB`` — one format byte, then the deflated compact JSON. Format 1 uses
  :data:`DICTIONARY_1`, which must never change: stored results depend on it. A better
  dictionary would be format 2, with format 1 still read.
"""

from __future__ import annotations

import json
import zlib
from typing import Any

FORMAT = 1

# The shapes the operations return, the most frequent (a ticket row) last: deflate finds
# the nearest copy of a string in the dictionary cheapest. Frozen: see the module text.
DICTIONARY_1 = (
    b'{"day":"2026-01-05","unserved":[],"missed":0,"excluded":0,"counters":["Loket 1","Loket 2"]}'
    b'{"code":"KS","name_id":"Konsultasi Statistik","name_en":"Statistical Consultation",'
    b'"target_minutes":10,"active":1,"sort_order":0,"hours":null}'
    b'{"id":1,"username":"","full_name":"","role":"officer","active":1}'
    b'{"visitor_ids":[],"cutoff":1700000000000,"days":365,"anonymised":0}'
    b'{"id":1,"name":"Loket 1","status":"closed","pause_reason":null,"officer_id":null,'
    b'"machine":null,"status_at":null,"active":1,"services":["KS","PS"]}'
    b'{"id":2,"name":"Loket 2","status":"paused","pause_reason":"Istirahat","officer_id":2,'
    b'"machine":"kiosk","status_at":1700000000000,"active":1}'
    b'{"id":1,"ticket_id":1,"service_code":"KS","officer_id":1,"counter_id":1,"score":5,'
    b'"u1":4,"u2":4,"u3":4,"u4":4,"u5":4,"u6":4,"u7":3,"u8":4,"u9":4,"gratification":0,'
    b'"extortion":0,"comment":"","flagged":0,"created_at":1700000000000}'
    b'{"id":1,"name":"Loket 1","status":"open","pause_reason":null,"officer_id":1,'
    b'"machine":"counter","status_at":1700000000000,"active":1}'
    b'{"id":2,"code":"ABCDEFGH","service_code":"PS","service_day":"2026-01-05","seq":2,'
    b'"number":"PS-002","priority_group":null,"status":"waiting","visit_id":2,'
    b'"issued_at":1700000000000,"issued_machine":"kiosk","call_seq":null,'
    b'"first_called_at":null,"called_at":null,"recall_count":0,"started_at":null,'
    b'"ended_at":null,"no_show_at":null,"counter_id":null,"officer_id":null,'
    b'"ahead_ticket_id":null,"clock_start_at":null,"deadline_at":null,"target_met":null,'
    b'"notes":"","transferred_from_id":1,"transferred_to_id":null,"ahead":0,'
    b'"estimate_minutes":0}'
    b'{"id":1,"code":"ABCDEFGH","service_code":"KS","service_day":"2026-01-05","seq":1,'
    b'"number":"KS-001","priority_group":null,"status":"done","visit_id":1,'
    b'"issued_at":1700000000000,"issued_machine":"kiosk","call_seq":1,'
    b'"first_called_at":1700000000000,"called_at":1700000000000,"recall_count":0,'
    b'"started_at":1700000000000,"ended_at":1700000000000,"no_show_at":null,'
    b'"counter_id":1,"officer_id":1,"ahead_ticket_id":null,"clock_start_at":1700000000000,'
    b'"deadline_at":1700000000000,"target_met":1,"notes":"","transferred_from_id":null,'
    b'"transferred_to_id":null}'
)


def encode(result: Any) -> bytes | None:
    """Return what the events row keeps of ``result`` (``None`` stays ``None``)."""
    if result is None:
        return None
    text = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    # A 4 KB window holds the dictionary and any result; a 32 KB one costs ten times the
    # time to set up (160 µs instead of 15 µs a write) for the same bytes.
    packer = zlib.compressobj(9, zlib.DEFLATED, -12, 8, zlib.Z_DEFAULT_STRATEGY, DICTIONARY_1)
    return bytes([FORMAT]) + packer.compress(text.encode("utf-8")) + packer.flush()


def decode(stored: str | bytes | None) -> Any:
    """Return the result an events row keeps, in either form (see the module text)."""
    if stored is None:
        return None
    if isinstance(stored, str):
        return json.loads(stored) if stored else None
    if not stored or stored[0] != 1:  # format 1 (the only one so far)
        raise ValueError(f"unknown result format {stored[:1]!r}")
    unpacker = zlib.decompressobj(-15, DICTIONARY_1)  # reads any window size
    return json.loads((unpacker.decompress(stored[1:]) + unpacker.flush()).decode("utf-8"))
