"""The report model on a hand-worked day, its periods, and the IKM of PermenPANRB 14/2017."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from shared import i18n
from shared.errors import ValidationError
from shared.reporting import Period, ReportFilter, build_report
from shared.reporting.ikm import ELEMENTS, grade, ikm
from shared.reporting.model import _promise, durations
from shared.reporting.tables import sections
from tests.report_day import work_the_day


@pytest.fixture
def worked_day(ops, office, clock):
    return work_the_day(ops, office, clock)


def day_report(store, **kwargs):
    period = Period.containing("day", date(2026, 11, 25))
    return store.read(lambda conn: build_report(conn, period, **kwargs))


def test_visits_of_the_worked_day(store, worked_day):
    v = day_report(store)["visits"]
    assert v["tickets"] == 6
    assert v["visits"] == 5  # the transfer's second ticket is the same visit
    assert (v["transfers"], v["no_shows"], v["priority"], v["unserved"]) == (1, 1, 1, 0)
    assert v["by_status"] == {
        "waiting": 1,
        "called": 0,
        "serving": 0,
        "done": 3,
        "no_show": 1,
        "transferred": 1,
        "unserved": 0,
    }
    by_service = {r["service"]: r for r in v["by_service"]}
    assert by_service["KS"]["tickets"] == 4 and by_service["KS"]["by_status"]["done"] == 2
    assert by_service["PJ"]["by_status"] == {
        **by_service["PJ"]["by_status"],
        "done": 1,
        "no_show": 1,
    }
    assert v["by_day"] == [{"day": "2026-11-25", "tickets": 6}]
    assert v["by_hour"] == [{"hour": 9, "tickets": 5}, {"hour": 10, "tickets": 1}]
    assert v["by_priority"] == [{"group": "elderly", "tickets": 1}]


def test_the_promise_of_the_worked_day(store, worked_day):
    p = day_report(store)["promise"]
    assert (p["met"], p["missed"], p["excluded"], p["compliance"]) == (4, 1, 1, 80.0)
    service = {r["key"]: r for r in p["by_service"]}
    assert (service["KS"]["met"], service["KS"]["missed"], service["KS"]["excluded"]) == (3, 0, 1)
    assert service["KS"]["compliance"] == 100.0
    assert service["PJ"]["compliance"] == 50.0
    counters = {r["label"]: r for r in p["by_counter"]}
    assert (counters["Loket 1"]["met"], counters["Loket 1"]["missed"]) == (3, 0)
    assert counters["Loket 2"]["compliance"] == 50.0
    assert counters[None]["excluded"] == 1  # KS-004, never called, has no counter
    officers = {r["label"]: r for r in p["by_officer"]}
    assert officers["Budi Santoso"]["tickets"] == 3 and officers["Sari Dewi"]["met"] == 1
    assert p["by_day"][0]["compliance"] == 80.0
    longest = [(w["number"], w["wait_minutes"], w["late_minutes"]) for w in p["longest_waits"]]
    assert longest == [
        ("KS-002", 21.0, 0.0),
        ("PJ-002", 20.0, 10.0),
        ("KS-001", 12.0, 0.0),  # the first call counts, not the call after the requeue
        ("PJ-001", 1.0, 0.0),
        ("KS-003", 0.0, 0.0),
    ]


def test_waits_and_service_times(store, worked_day):
    t = day_report(store)["times"]
    # Waits 0, 1, 12, 20, 21 minutes; services 5, 6, 8 minutes.
    assert t["wait"] == {"count": 5, "mean": 10.8, "median": 12.0, "p90": 21.0, "max": 21.0}
    assert t["service"] == {"count": 3, "mean": 6.33, "median": 6.0, "p90": 8.0, "max": 8.0}
    ks = next(s for s in t["by_service"] if s["key"] == "KS")
    assert ks["wait"]["count"] == 3 and ks["service"]["count"] == 2
    assert ks["wait"]["mean"] == 11.0  # 0, 12, 21


def test_visitors_are_counted_never_named(store, worked_day):
    people = day_report(store)["visitors"]
    assert (people["visits"], people["first_time"], people["returning"]) == (2, 1, 1)
    assert people["sex"] == [
        {"value": "Laki-laki", "count": 1},
        {"value": "Perempuan", "count": 1},
    ]
    assert people["age"] == [{"value": "20-29", "count": 1}, {"value": "30-39", "count": 1}]
    assert {r["value"] for r in people["purpose"]} == {"Penelitian", "Tugas sekolah/kuliah"}
    report = day_report(store, integrity_list=True)
    text = repr(report)
    assert "Ani" not in text and "Rudi" not in text and "unsri" not in text


def test_satisfaction_and_ikm_with_a_partial_answer_set(store, worked_day):
    s = day_report(store)["satisfaction"]
    assert s["ratings"] == 3 and s["mean_stars"] == 4.0
    assert s["stars"] == [
        {"stars": 5, "count": 1},
        {"stars": 4, "count": 1},
        {"stars": 3, "count": 1},
        {"stars": 2, "count": 0},
        {"stars": 1, "count": 0},
    ]
    # u1, u2: (4 + 3 + 3) / 3; u3…u9: (4 + 3) / 2 — the partial set counts where answered.
    assert s["ikm"]["respondents"] == 3 and s["ikm"]["complete"] == 2
    assert s["ikm"]["elements"]["u1"] == {"answers": 3, "sum": 10, "nrr": 3.333, "weighted": 0.37}
    assert s["ikm"]["elements"]["u9"]["answers"] == 2 and s["ikm"]["nrr"]["u9"] == 3.5
    # (2 × 10/3 + 7 × 7/2) × 1/9 × 25 = 4675/54 = 86.574…
    assert s["ikm"]["ikm"] == 86.57 and s["ikm"]["grade"] == "B"
    per_service = {r["key"]: r for r in s["by_service"]}
    assert per_service["KS"]["ikm"]["ikm"] == 97.22 and per_service["KS"]["ikm"]["grade"] == "A"
    assert per_service["PJ"]["ikm"]["ikm"] == 75.0 and per_service["PJ"]["ikm"]["grade"] == "C"
    assert s["integrity"] == {
        "gratification": {"yes": 0, "no": 1, "unanswered": 2},
        "extortion": {"yes": 1, "no": 1, "unanswered": 1},
        "flagged": 1,
    }
    assert s["integrity_list"] is None  # only the admin asks for the list


def test_integrity_list_for_the_admin(store, worked_day):
    listed = day_report(store, integrity_list=True)["satisfaction"]["integrity_list"]
    assert listed == [
        {
            "day": "2026-11-25",
            "number": "KS-003",
            "service": "KS",
            "counter": "Loket 1",
            "officer": "Budi Santoso",
            "gratification": False,
            "extortion": True,
            "comment": "",
        }
    ]


def test_filters_by_service_counter_and_officer(store, worked_day, office):
    ks = day_report(store, where=ReportFilter(service="KS"))
    assert ks["visits"]["tickets"] == 4 and ks["promise"]["compliance"] == 100.0
    assert ks["filter"]["service_name"] == "Konsultasi Statistik"
    loket2 = day_report(store, where=ReportFilter(counter_id=office["counter2"]["id"]))
    assert loket2["visits"]["tickets"] == 2 and loket2["satisfaction"]["ratings"] == 1
    budi = day_report(store, where=ReportFilter(officer_id=office["officer"]["id"]))
    assert budi["promise"]["met"] == 3 and budi["promise"]["missed"] == 0
    assert loket2["promise"]["compliance"] == 50.0
    assert budi["filter"]["officer_name"] == "Budi Santoso"


def test_week_includes_the_earlier_visit_and_month_series(store, worked_day):
    week = store.read(lambda c: build_report(c, Period.containing("week", date(2026, 11, 25))))
    assert week["period"]["start"] == "2026-11-23" and week["visits"]["tickets"] == 7
    assert [d["tickets"] for d in week["visits"]["by_day"]] == [0, 1, 6, 0, 0, 0, 0]
    # On the 24th Rudi came for the first time: in the week, 2 of 3 visits are first ones.
    assert (week["visitors"]["first_time"], week["visitors"]["returning"]) == (2, 1)


def test_unserved_tickets_count_as_the_rule_says():
    rows = [
        {"target_met": 1},
        {"target_met": 0},
        {"target_met": 0},  # unserved after its deadline passed: missed
        {"target_met": None},  # unserved, the day closed before its deadline: excluded
    ]
    assert _promise(rows) == {
        "tickets": 4,
        "met": 1,
        "missed": 2,
        "excluded": 1,
        "compliance": 33.3,
    }


def test_durations_use_the_nearest_rank_p90():
    minutes = [m * 60_000 for m in range(1, 11)]
    assert durations(minutes) == {"count": 10, "mean": 5.5, "median": 5.5, "p90": 9.0, "max": 10.0}
    assert durations([])["mean"] is None


def test_unserved_is_labelled_not_served(store, worked_day):
    report = day_report(store)
    table = next(
        t for s in sections(report, "id") for t in s.tables if t.key == "visits_by_service"
    )
    assert "Tidak terlayani" in [c.title for c in table.columns]
    table = next(
        t for s in sections(report, "en") for t in s.tables if t.key == "visits_by_service"
    )
    assert "Not served" in [c.title for c in table.columns]


# -- periods ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "anchor", "start", "end", "label_id", "label_en"),
    [
        (
            "day",
            "2026-11-25",
            "2026-11-25",
            "2026-11-25",
            "Rabu, 25 November 2026",
            "Wednesday, 25 November 2026",
        ),
        (
            "week",
            "2026-11-29",
            "2026-11-23",
            "2026-11-29",
            "Minggu 23 November 2026 – 29 November 2026",
            "Week of 23 November 2026 – 29 November 2026",
        ),
        ("month", "2026-02-10", "2026-02-01", "2026-02-28", "Februari 2026", "February 2026"),
        (
            "quarter",
            "2026-11-25",
            "2026-10-01",
            "2026-12-31",
            "Triwulan IV 2026",
            "Quarter IV 2026",
        ),
        (
            "semester",
            "2026-03-01",
            "2026-01-01",
            "2026-06-30",
            "Semester I 2026",
            "Semester I 2026",
        ),
        ("year", "2024", "2024-01-01", "2024-12-31", "Tahun 2024", "Year 2024"),
    ],
)
def test_periods(kind, anchor, start, end, label_id, label_en):
    period = Period.parse(kind, anchor)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert period.label("id") == label_id
    assert period.label("en") == label_en


def test_custom_range_and_bad_dates():
    period = Period.parse("custom", start="2026-01-15", end="2026-02-14")
    assert period.days == 31 and period.label("id") == "15 Januari 2026 – 14 Februari 2026"
    with pytest.raises(ValidationError) as bad:
        Period.parse("custom", start="2026-02-14", end="2026-01-15")
    assert bad.value.message == "Akhir rentang tanggal lebih awal dari awalnya."
    with pytest.raises(ValidationError) as bad:
        Period.parse("month", "25/11/2026")
    assert bad.value.message == (
        "25/11/2026 bukan tanggal. Tulis hari (2026-11-25), bulan (2026-11), triwulan"
        " (2026-Q4), semester (2026-S2) atau tahun (2026)."
    )
    with pytest.raises(ValidationError):
        Period.parse("custom", start="2026-01-01")


@pytest.mark.parametrize(
    ("kind", "anchor", "start", "end"),
    [
        (None, "2026", "2026-01-01", "2026-12-31"),
        (None, "2026-11", "2026-11-01", "2026-11-30"),
        (None, "2026-Q3", "2026-07-01", "2026-09-30"),
        (None, "2026-q1", "2026-01-01", "2026-03-31"),
        (None, "2026-S2", "2026-07-01", "2026-12-31"),
        (None, "2024-02-29", "2024-02-29", "2024-02-29"),
        ("year", "2026", "2026-01-01", "2026-12-31"),
        ("year", "2026-Q3", "2026-01-01", "2026-12-31"),
        ("semester", "2026-Q3", "2026-07-01", "2026-12-31"),
        ("semester", "2026-02", "2026-01-01", "2026-06-30"),
        ("quarter", "2026-11", "2026-10-01", "2026-12-31"),
        ("quarter", "2026-Q4", "2026-10-01", "2026-12-31"),
        ("month", "2026-11", "2026-11-01", "2026-11-30"),
        ("week", "2026-11-29", "2026-11-23", "2026-11-29"),
    ],
)
def test_the_date_may_name_a_year_a_semester_a_quarter_a_month_or_a_day(kind, anchor, start, end):
    period = Period.parse(kind, anchor)
    assert (period.start.isoformat(), period.end.isoformat()) == (start, end)
    assert period.kind == (kind or period.kind)


@pytest.mark.parametrize(
    ("kind", "anchor", "indonesian"),
    [
        ("month", "2026", "2026 lebih dari satu bulan: untuk laporan bulanan tulis bulannya"),
        ("quarter", "2026-S2", "2026-S2 lebih dari satu triwulan"),
        ("semester", "2026", "2026 lebih dari satu semester"),
        ("week", "2026-11", "2026-11 lebih dari satu minggu"),
        ("day", "2026-Q3", "2026-Q3 lebih dari satu hari"),
        ("year", "2026-Q5", "2026-Q5 bukan tanggal. Tulis hari (2026-11-25), bulan (2026-11)"),
        (None, "2026-S3", "2026-S3 bukan tanggal"),
        (None, "2026-13", "2026-13 bukan tanggal"),
        (None, "26-11", "26-11 bukan tanggal"),
        (None, "2026-11-31", "2026-11-31 bukan tanggal"),
        (None, "２０２６", "２０２６ bukan tanggal"),
        ("quarter", "9999-12-31", "9999-12-31 bukan tanggal"),
    ],
)
def test_a_date_that_does_not_name_one_period_is_refused_with_the_forms(kind, anchor, indonesian):
    with pytest.raises(ValidationError) as bad:
        Period.parse(kind, anchor)
    assert bad.value.message.startswith(indonesian)
    i18n.set_language("en")
    english = bad.value.message
    assert english.startswith(anchor) and ("is not a date" in english or "more than one" in english)


# -- the IKM -----------------------------------------------------------------------------


def rating(values):
    return {k: v for k, v in zip(ELEMENTS, values, strict=False)}


def test_ikm_by_the_regulations_method_with_known_nrrs():
    # Four respondents; the fourth answered only u1 and u2.
    rows = [
        rating([4] * 9),
        rating([3] * 9),
        rating([3, 3, 3, 3, 3, 3, 3, 3, 2]),
        rating([2, 4]),
    ]
    result = ikm(rows)
    nrr = {
        "u1": Fraction(4 + 3 + 3 + 2, 4),
        "u2": Fraction(4 + 3 + 3 + 4, 4),
        **{f"u{i}": Fraction(4 + 3 + 3, 3) for i in range(3, 9)},
        "u9": Fraction(4 + 3 + 2, 3),
    }
    assert [result["nrr"][k] for k in ELEMENTS] == [round(float(nrr[k]), 3) for k in ELEMENTS]
    assert result["nrr"]["u1"] == 3.0 and result["nrr"]["u2"] == 3.5 and result["nrr"]["u9"] == 3.0
    # Σ NRR = 29.5; IKM = 29.5 × 1/9 × 25 = 81.944… → 81.94 (0.111 instead of 1/9 gives 81.86).
    assert result["ikm"] == 81.94
    assert round(29.5 * 0.111 * 25, 2) != result["ikm"]
    assert (result["grade"], result["quality"]) == ("B", "Baik")
    assert result["respondents"] == 4 and result["complete"] == 3


@pytest.mark.parametrize(
    ("score", "letter", "quality"),
    [
        (100.0, "A", "Sangat Baik"),
        (88.31, "A", "Sangat Baik"),
        (88.30, "B", "Baik"),
        (76.61, "B", "Baik"),
        (76.60, "C", "Kurang Baik"),
        (65.00, "C", "Kurang Baik"),
        (64.99, "D", "Tidak Baik"),
        (25.00, "D", "Tidak Baik"),
    ],
)
def test_ikm_grade_thresholds(score, letter, quality):
    assert grade(score) == (letter, quality)


def test_ikm_needs_every_element_answered_by_someone():
    assert ikm([rating([4, 4, 4])]) is None
    assert ikm([]) is None
    assert ikm([rating([1] * 9)])["ikm"] == 25.0


def test_returning_visitors_with_and_without_a_visitor_index(store, worked_day):
    week = Period.containing("week", date(2026, 11, 25))
    before = store.read(lambda c: build_report(c, week)["visitors"])
    store.write(lambda c: c.execute("CREATE INDEX test_visits_visitor ON visits(visitor_id, id)"))
    after = store.read(lambda c: build_report(c, week)["visitors"])
    assert before == after
    assert (after["first_time"], after["returning"]) == (2, 1)


def test_service_hours_are_checked_in_the_core(ops):
    from shared.office.servicehours import check_hours

    assert check_hours({"0": ["08:00", "12:00"], "6": None}) == {"0": ["08:00", "12:00"], "6": None}
    for bad, message in (
        ({"0": ["8.00", "12:00"]}, "Tulis jam hari Senin sebagai JJ:MM, mis. 08:00."),
        ({"4": ["13:00", "12:00"]}, "Pada hari Jumat jam tutup harus setelah jam buka."),
        ({"7": None}, "Jam buka diberikan per hari, 0 = Senin."),
    ):
        with pytest.raises(ValidationError) as refused:
            check_hours(bad)
        assert refused.value.message == message
    saved = ops.save_service("PS", hours={"0": ["09:00", "12:00"]})
    assert saved["hours"] == '{"0": ["09:00", "12:00"]}'
    assert ops.save_service("PS", hours={})["hours"] is None
    assert ops.save_service("PS", name_id="Perpustakaan")["hours"] is None  # unchanged
