"""What the waiting-room display says aloud when a number is called.

The words follow Indonesian usage: "Nomor antrean, K S, nol nol tiga, silakan menuju
loket dua". The service letters are spelled one by one, the digits of the number are
read one by one by default (``digits``) or as a number (``words``: "tiga", "dua belas",
"seratus"), and the numbers in a counter's name are always read as words ("loket dua").
English can follow as a second language. Only the number and the counter name go in:
nothing from the guest book can reach the loudspeaker.
"""

from __future__ import annotations

import re

READINGS = ("digits", "words")
LANGUAGES = ("id", "en")

_ONES_ID = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_ONES_EN = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS_EN = (
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
)
_TENS_EN = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")

# Each phrase is a list of parts said with a short pause (a comma) between them.
_PHRASES = {
    "id": {
        "call": ["Nomor antrean", "{letters}", "{number}", "silakan menuju {counter}"],
        "recall": [
            "Panggilan ulang",
            "nomor antrean",
            "{letters}",
            "{number}",
            "silakan menuju {counter}",
        ],
    },
    "en": {
        "call": ["Queue number", "{letters}", "{number}", "please proceed to {counter}"],
        "recall": [
            "Calling again",
            "queue number",
            "{letters}",
            "{number}",
            "please proceed to {counter}",
        ],
    },
}


def number_words(n: int, language: str = "id") -> str:
    """Say a whole number from 0 to 999,999 in words ("dua puluh satu", "seratus")."""
    if not 0 <= n < 1_000_000:
        raise ValueError(f"cannot say {n} in words")
    return _words_id(n) if language == "id" else _words_en(n)


def _words_id(n: int) -> str:
    if n < 10:
        return _ONES_ID[n]
    if n == 10:
        return "sepuluh"
    if n == 11:
        return "sebelas"
    if n < 20:
        return f"{_ONES_ID[n - 10]} belas"
    if n < 100:
        tens, rest = divmod(n, 10)
        return _join(f"{_ONES_ID[tens]} puluh", rest)
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        head = "seratus" if hundreds == 1 else f"{_ONES_ID[hundreds]} ratus"
        return _join(head, rest)
    thousands, rest = divmod(n, 1000)
    head = "seribu" if thousands == 1 else f"{_words_id(thousands)} ribu"
    return _join(head, rest)


def _join(head: str, rest: int) -> str:
    return head if rest == 0 else f"{head} {_words_id(rest)}"


def _words_en(n: int) -> str:
    if n < 10:
        return _ONES_EN[n]
    if n < 20:
        return _TEENS_EN[n - 10]
    if n < 100:
        tens, rest = divmod(n, 10)
        return _TENS_EN[tens] + (f" {_ONES_EN[rest]}" if rest else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES_EN[hundreds]} hundred" + (f" {_words_en(rest)}" if rest else "")
    thousands, rest = divmod(n, 1000)
    return f"{_words_en(thousands)} thousand" + (f" {_words_en(rest)}" if rest else "")


def digits_words(digits: str, language: str = "id") -> str:
    """Read a string of digits one by one ("003" → "nol nol tiga")."""
    ones = _ONES_ID if language == "id" else _ONES_EN
    return " ".join(ones[int(d)] for d in digits)


def split_number(number: str) -> tuple[str, str]:
    """Split a ticket number such as ``KS-003`` into its letters and its digits."""
    letters = "".join(ch for ch in number if ch.isalpha()).upper()
    digits = "".join(ch for ch in number if ch.isdigit())
    return letters, digits


def spoken_letters(letters: str) -> str:
    """Spell service letters one by one ("KS" → "K S") so the voice does not read a word."""
    return " ".join(letters.upper())


def spoken_digits(digits: str, reading: str = "digits", language: str = "id") -> str:
    """Read the digits of a number digit by digit, or as one number in words."""
    if reading not in READINGS:
        raise ValueError(f"unknown reading {reading!r}; choose one of {', '.join(READINGS)}")
    if not digits:
        return ""
    if reading == "digits":
        return digits_words(digits, language)
    return number_words(int(digits), language)


def spoken_counter(name: str, language: str = "id") -> str:
    """Say a counter name with its numbers in words ("Loket 2" → "loket dua").

    The name is lower-cased so that a voice does not spell capitalised words.
    """
    words = re.sub(r"\d+", lambda m: f" {_counter_number(m.group(), language)} ", name)
    return " ".join(words.lower().split())


def _counter_number(digits: str, language: str) -> str:
    if len(digits) > 6:
        return digits_words(digits, language)
    return number_words(int(digits), language)


def announcement(
    number: str,
    counter: str,
    *,
    recall: bool = False,
    reading: str = "digits",
    language: str = "id",
) -> str:
    """Return the sentence spoken for a call (or a recall) of ``number`` to ``counter``."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    letters, digits = split_number(number)
    fields = {
        "letters": spoken_letters(letters),
        "number": spoken_digits(digits, reading, language),
        "counter": spoken_counter(counter, language),
    }
    parts = [part.format(**fields) for part in _PHRASES[language]["recall" if recall else "call"]]
    # A number without letters (or digits) must not leave an empty ", ," in the speech.
    return ", ".join(part for part in parts if part.strip())


def announcements(
    number: str,
    counter: str,
    *,
    recall: bool = False,
    reading: str = "digits",
    english: bool = False,
) -> list[str]:
    """Return the sentences for one call: Indonesian, then English when asked for."""
    texts = [announcement(number, counter, recall=recall, reading=reading, language="id")]
    if english:
        texts.append(announcement(number, counter, recall=recall, reading=reading, language="en"))
    return texts


def clip_words(text: str) -> list[str]:
    """Split a spoken sentence into the words a folder of recorded clips must hold.

    ``"Nomor antrean, K S, …"`` → ``["nomor", "antrean", "k", "s", …]``; each word is
    played from ``<word>.wav``.
    """
    return re.findall(r"[a-z0-9]+", text.lower())
