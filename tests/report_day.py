"""A hand-worked day of the queue for report tests (not a test module).

Used by the report model, export and console tests, which each wrap it in a fixture.
"""

from __future__ import annotations

from datetime import datetime

from shared.reporting.ikm import ELEMENTS
from tests.conftest import JAKARTA

GUEST_ANI = {
    "name": "Ani Wijaya",
    "email": "ani@unsri.ac.id",
    "sex": "Perempuan",
    "birth_year": 1990,
    "education": "S1/D4",
    "occupation": "Peneliti/Dosen",
    "institution_category": "Lembaga Penelitian & Pendidikan",
    "purpose": "Penelitian",
    "consent": True,
}
GUEST_RUDI = {
    "name": "Rudi Hartono",
    "email": "rudi@student.id",
    "sex": "Laki-laki",
    "birth_year": 2005,
    "education": "≤ SMA/sederajat",
    "occupation": "Pelajar/Mahasiswa",
    "institution_category": "Lainnya",
    "purpose": "Tugas sekolah/kuliah",
    "consent": True,
}


def at(clock, day, hhmm):
    hour, minute = (int(x) for x in hhmm.split(":"))
    clock.set(datetime(2026, 11, day, hour, minute, tzinfo=JAKARTA))


def work_the_day(ops, office, clock):
    """Wednesday 25 November 2026, worked by hand (times local).

    Every call here is the queue's fair next, so the visitor ahead is the same by any
    reading of the rule (a requeue never moves anybody's clock):

    * Tue 24th: Rudi's earlier visit (PS), so on the 25th he is a returning visitor.
    * 09:00 KS-001 Ani, KS-002 Rudi, KS-003 elderly (priority, called first).
    * KS-003 called 09:00 (first of the day: met, wait 0), served 09:05–09:10.
    * KS-001 called 09:12 (ahead ended 09:10, deadline 09:20: met, wait 12), sent back
      to the queue, called again 09:13, served 09:14–09:20 (6 min).
    * KS-002 called 09:21 (deadline 09:20 or 09:22 by either end of KS-001's calls; the
      first call fixed the outcome: met, wait 21), started 09:22, transferred to PJ at
      09:26 → PJ-001.
    * PJ-001 called 09:27 at Loket 2 (first PJ call: met, wait 1), served 09:28–09:36.
    * PJ-002 issued 09:45, called 10:05 (ahead ended 09:36, clock from 09:45, deadline
      09:55: missed by 10, wait 20), not present at 10:08.
    * KS-004 issued 10:10 and never called (excluded).
    * Ratings: KS-001 5★ all nine 4s; PJ-001 3★ all nine 3s, both integrity answers no;
      KS-003 4★ only u1 = u2 = 3, illegal charge yes.
    """
    c1, c2 = office["counter1"]["id"], office["counter2"]["id"]
    budi, sari = office["officer"]["id"], office["supervisor"]["id"]
    at(clock, 24, "10:00")
    ops.set_counter_status(c1, "open", budi)
    x = ops.issue_ticket("PS", GUEST_RUDI)
    ops.call_next(c1, budi)
    ops.start_service(x["id"], budi)
    clock.advance(minutes=5)
    ops.finish(x["id"], budi)

    at(clock, 25, "09:00")
    a = ops.issue_ticket("KS", GUEST_ANI)
    b = ops.issue_ticket("KS", GUEST_RUDI)
    c = ops.issue_ticket("KS", priority_group="elderly")
    assert ops.call_next(c1, budi)["id"] == c["id"]
    at(clock, 25, "09:05")
    ops.start_service(c["id"], budi)
    at(clock, 25, "09:10")
    ops.finish(c["id"], budi)
    at(clock, 25, "09:12")
    assert ops.call_next(c1, budi)["id"] == a["id"]
    ops.requeue(a["id"], budi)
    at(clock, 25, "09:13")
    assert ops.call_next(c1, budi)["id"] == a["id"]
    at(clock, 25, "09:14")
    ops.start_service(a["id"], budi)
    at(clock, 25, "09:20")
    ops.finish(a["id"], budi)
    at(clock, 25, "09:21")
    assert ops.call_next(c1, budi)["id"] == b["id"]
    at(clock, 25, "09:22")
    ops.start_service(b["id"], budi)
    at(clock, 25, "09:26")
    b2 = ops.transfer(b["id"], "PJ", budi)
    ops.set_counter_status(c2, "open", sari)
    at(clock, 25, "09:27")
    assert ops.call_next(c2, sari)["id"] == b2["id"]
    at(clock, 25, "09:28")
    ops.start_service(b2["id"], sari)
    at(clock, 25, "09:36")
    ops.finish(b2["id"], sari)
    at(clock, 25, "09:45")
    f = ops.issue_ticket("PJ")
    at(clock, 25, "10:05")
    assert ops.call_next(c2, sari)["id"] == f["id"]
    at(clock, 25, "10:08")
    ops.no_show(f["id"], sari)
    at(clock, 25, "10:10")
    d = ops.issue_ticket("KS")
    at(clock, 25, "10:15")
    ops.record_rating(a["code"], 5, ikm={k: 4 for k in ELEMENTS})
    ops.record_rating(
        b2["code"], 3, ikm={k: 3 for k in ELEMENTS}, gratification=False, extortion=False
    )
    ops.record_rating(c["code"], 4, ikm={"u1": 3, "u2": 3}, extortion=True)
    return {"a": a, "b": b, "c": c, "d": d, "f": f, "b2": b2, "x": x}
