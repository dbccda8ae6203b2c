"""Office settings: every key typed, ranged and explained; nothing invalid is stored."""

from __future__ import annotations

import json

import pytest

from shared import i18n
from shared.errors import ValidationError
from shared.office import settings


def test_every_default_passes_its_own_schema_and_every_key_has_one():
    assert set(settings.SCHEMA) == set(settings.DEFAULTS)
    for key, value in settings.DEFAULTS.items():
        assert settings.problem(key, value) is None, key


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("timezone", "Mars/Olympus", "zona waktu"),
        ("timezone", "../../etc/passwd", "zona waktu"),
        ("timezone", 7, "zona waktu"),
        ("hours", {"5": "sometimes"}, "Jam buka"),
        ("hours", {"1": ["25:00", "08:00"]}, "'25:00'"),
        ("hours", {"1": ["8:00", "15:00"]}, "'8:00'"),
        ("hours", {"1": ["15:00", "08:00"]}, "harus sebelum"),
        ("hours", {"7": ["08:00", "15:00"]}, "Jam buka"),
        ("hours", {"0": ["08:00", "15:00"]}, "ketujuh hari"),
        ("hours", ["08:00", "15:00"], "Jam buka"),
        ("holidays_added", [{"date": "2026-13-45"}], "2026-13-45"),
        ("holidays_added", ["2026-02-30"], "2026-02-30"),
        ("holidays_added", [{"date": "2026-12-24", "colour": "red"}], "2026-12-24"),
        ("holidays_removed", ["tomorrow"], "tomorrow"),
        ("recall_limit", 0, "1 sampai 9"),
        ("recall_limit", 10, "1 sampai 9"),
        ("recall_limit", True, "1 sampai 9"),
        ("recall_limit", "3", "1 sampai 9"),
        ("retention_days", 0, "30 sampai 3650"),
        ("retention_days", -5, "30 sampai 3650"),
        ("priority_groups", ["elderly", "Elderly!"], "huruf kecil"),
        ("priority_groups", "elderly", "huruf kecil"),
        ("complaint_channels", [{"kind": "fax", "label": "Faks", "target": "1"}], "whatsapp"),
        ("lists", {"education": ["S1"]}, "education"),
        ("lists", {**settings.DEFAULTS["lists"], "sex": []}, "education"),
        ("office_name", "   ", "tidak boleh kosong"),
        ("office_name", "x" * 500, "120"),
        ("holiday_country", "XX", "XX"),
        ("no_show_grace_minutes", 10**30, "0 sampai 240"),
    ],
)
def test_bad_values_get_a_sentence(key, value, words):
    sentence = settings.problem(key, value)
    assert sentence is not None and words in sentence, sentence


def test_good_values_pass():
    assert settings.problem("timezone", "Asia/Makassar") is None
    week = {str(d): ["07:30", "16:00"] for d in range(5)} | {"5": None, "6": None}
    assert settings.problem("hours", week) is None
    assert settings.problem("holidays_added", ["2026-12-24", {"date": "2026-12-26"}]) is None
    assert settings.problem("recall_limit", 9) is None
    assert settings.problem("retention_days", settings.RETENTION_FLOOR_DAYS) is None


def test_put_stores_nothing_invalid(ops):
    with pytest.raises(ValidationError) as refused:
        ops.save_setting("timezone", "Mars/Olympus")
    assert refused.value.field == "timezone"
    assert (
        ops.store.read(
            lambda c: c.execute("SELECT COUNT(*) FROM settings WHERE key = 'timezone'").fetchone()[
                0
            ]
        )
        == 0
    )
    events = ops.store.read(
        lambda c: c.execute("SELECT COUNT(*) FROM events WHERE kind = 'admin_setting'").fetchone()
    )[0]
    assert events == 0


def test_a_bad_value_written_by_an_older_program_reads_as_the_default(ops):
    ops.store.write(
        lambda c: c.execute(
            "INSERT INTO settings(key, value) VALUES ('timezone', ?), ('hours', ?)",
            (json.dumps("Mars/Olympus"), json.dumps({"5": "sometimes"})),
        )
    )
    office = ops.store.read(settings.get_all)
    assert office["timezone"] == "Asia/Jakarta"
    assert office["hours"] == settings.DEFAULTS["hours"]
    # Issuing still works: one bad setting does not stop every PC.
    assert ops.issue_ticket("KS", ignore_hours=True)["number"] == "KS-001"


def test_values_read_are_copies(ops):
    first = ops.store.read(settings.get_all)
    first["lists"]["sex"].append("X")
    assert "X" not in ops.store.read(settings.get_all)["lists"]["sex"]


def test_parse_text_takes_plain_text_for_texts_and_refuses_bad_json():
    assert settings.parse_text("office_name", "BPS Kota Palembang") == "BPS Kota Palembang"
    assert settings.parse_text("office_name", '"BPS Kota"') == "BPS Kota"
    assert settings.parse_text("timezone", " Asia/Jayapura\n") == "Asia/Jayapura"
    assert settings.parse_text("recall_limit", "4") == 4
    with pytest.raises(ValidationError) as bad:
        settings.parse_text("hours", "{'0': ['08:00', '15:00']}")
    assert "bukan JSON yang sah" in bad.value.message and "baris 1" in bad.value.message
    with pytest.raises(ValidationError):
        settings.parse_text("priority_groups", "elderly, pregnant")


def test_describe_serves_a_settings_form_in_the_chosen_language():
    fields = {f["key"]: f for f in settings.describe()}
    assert set(fields) == set(settings.DEFAULTS)
    assert fields["recall_limit"] == {
        "key": "recall_limit",
        "label": "Panggilan ulang sebelum dianggap tidak hadir",
        "kind": "integer",
        "minimum": 1,
        "maximum": 9,
        "hint": "",
        "default": 3,
    }
    i18n.set_language("en")
    assert settings.describe()[0]["label"] == "Office name"
    assert "Asia/Jakarta" in {f["key"]: f for f in settings.describe()}["timezone"]["hint"]
