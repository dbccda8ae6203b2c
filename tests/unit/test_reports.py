"""Reports: IKM exactly as PermenPANRB 14/2017, and target compliance."""

from __future__ import annotations

import pytest

from shared.reporting import summary as reports


def rating(values, score=5, flagged=0):
    return {**{f"u{i}": v for i, v in enumerate(values, 1)}, "score": score, "flagged": flagged}


def test_ikm_formula_with_exact_one_ninth():
    rows = [rating([4] * 9), rating([3] * 9), rating([3, 3, 3, 4, 4, 3, 3, 2, 3])]
    result = reports.ikm(rows)
    nrr = [(4 + 3 + 3) / 3] * 3 + [(4 + 3 + 4) / 3, (4 + 3 + 4) / 3] + [(4 + 3 + 3) / 3] * 2
    nrr += [(4 + 3 + 2) / 3, (4 + 3 + 3) / 3]
    assert result["ikm"] == pytest.approx(round(sum(nrr) / 9 * 25, 2))
    assert result["respondents"] == 3


@pytest.mark.parametrize(
    ("value", "grade"),
    [(4, "A"), (3.3, "B"), (2.8, "C"), (2.5, "D"), (1, "D")],
)
def test_ikm_grades(value, grade):
    # Build respondents whose element means equal ``value`` (as a mix of scores).
    low, high = int(value), min(4, int(value) + 1)
    share = value - low
    rows = [rating([high] * 9)] * round(share * 10) + [rating([low] * 9)] * round((1 - share) * 10)
    assert reports.ikm(rows)["grade"] == grade


def test_grade_boundaries():
    assert reports.ikm([rating([4] * 9)])["quality"] == "Sangat Baik"
    assert reports.ikm([rating([1] * 9)])["ikm"] == 25.0


def test_incomplete_questionnaires_do_not_count():
    assert reports.ikm([{"u1": 4, "score": 5, "flagged": 0}]) is None


def test_day_report_from_real_operations(ops, store, office, clock):
    c = office["counter1"]["id"]
    ops.set_counter_status(c, "open")
    a = ops.issue_ticket("KS")
    b = ops.issue_ticket("KS")
    ops.call_next(c)
    ops.start_service(a["id"])
    clock.advance(minutes=6)
    ops.finish(a["id"])
    clock.advance(minutes=12)  # b waits 12 minutes after a finished: missed
    ops.call_next(c)
    ops.start_service(b["id"])
    clock.advance(minutes=4)
    ops.finish(b["id"])
    ops.record_rating(a["code"], 5, ikm={f"u{i}": 4 for i in range(1, 10)}, gratification=True)
    day = store.read(lambda conn: reports.day_report(conn, "2026-11-25"))
    assert day["all"]["called"] == 2
    assert (day["all"]["target_met"], day["all"]["target_missed"]) == (1, 1)
    assert day["all"]["target_compliance"] == 50.0
    assert day["all"]["service_minutes"]["mean"] == 5.0
    assert day["all"]["flagged_integrity"] == 1
    assert day["all"]["ikm"]["ikm"] == 100.0
    month = store.read(lambda conn: reports.month_report(conn, "2026-11"))
    assert month["services"]["KS"]["tickets"] == 2
