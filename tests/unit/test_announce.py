"""The spoken text of a call: plain Python, Indonesian usage, digits or words."""

from __future__ import annotations

import subprocess
import sys

import pytest

from shared.devices.announce import (
    announcement,
    announcements,
    clip_words,
    number_words,
    spoken_counter,
)


def test_the_reference_wording_digit_by_digit():
    assert (
        announcement("KS-003", "Loket 2")
        == "Nomor antrean, K S, nol nol tiga, silakan menuju loket dua"
    )


def test_recall_wording():
    assert (
        announcement("KS-003", "Loket 2", recall=True)
        == "Panggilan ulang, nomor antrean, K S, nol nol tiga, silakan menuju loket dua"
    )


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "nol"),
        (3, "tiga"),
        (10, "sepuluh"),
        (11, "sebelas"),
        (12, "dua belas"),
        (19, "sembilan belas"),
        (20, "dua puluh"),
        (21, "dua puluh satu"),
        (99, "sembilan puluh sembilan"),
        (100, "seratus"),
        (101, "seratus satu"),
        (111, "seratus sebelas"),
        (250, "dua ratus lima puluh"),
        (1000, "seribu"),
        (1999, "seribu sembilan ratus sembilan puluh sembilan"),
        (2026, "dua ribu dua puluh enam"),
    ],
)
def test_indonesian_number_words(n, words):
    assert number_words(n) == words


def test_words_reading_and_counter_numbers():
    assert (
        announcement("PJ-112", "Loket 12", reading="words")
        == "Nomor antrean, P J, seratus dua belas, silakan menuju loket dua belas"
    )
    assert announcement("KS-021", "Meja 3", reading="words").endswith(
        "K S, dua puluh satu, silakan menuju meja tiga"
    )


@pytest.mark.parametrize(
    ("name", "spoken"),
    [
        ("Loket 2", "loket dua"),
        ("LOKET 11", "loket sebelas"),
        ("Meja Konsultasi 1", "meja konsultasi satu"),
        ("Loket2", "loket dua"),
    ],
)
def test_counter_names(name, spoken):
    assert spoken_counter(name) == spoken


def test_english_as_a_second_language():
    assert announcements("KS-003", "Loket 2", english=True) == [
        "Nomor antrean, K S, nol nol tiga, silakan menuju loket dua",
        "Queue number, K S, zero zero three, please proceed to loket two",
    ]
    assert announcement("KS-013", "Loket 2", reading="words", language="en", recall=True) == (
        "Calling again, queue number, K S, thirteen, please proceed to loket two"
    )


def test_no_empty_pauses_for_a_number_without_letters():
    assert (
        announcement("007", "Loket 1") == "Nomor antrean, nol nol tujuh, silakan menuju loket satu"
    )


def test_unknown_reading_is_refused():
    with pytest.raises(ValueError):
        announcement("KS-003", "Loket 2", reading="roman")


def test_clip_words_name_one_file_per_word():
    assert clip_words(announcement("KS-003", "Loket 2")) == [
        "nomor",
        "antrean",
        "k",
        "s",
        "nol",
        "nol",
        "tiga",
        "silakan",
        "menuju",
        "loket",
        "dua",
    ]


def test_the_spoken_text_needs_no_qt():
    code = "import sys, shared.devices.announce; print('PySide6' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
