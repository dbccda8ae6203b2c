"""The IKM (Indeks Kepuasan Masyarakat) exactly as PermenPANRB No. 14 Tahun 2017 defines it.

* Nine elements (unsur), each answered on a 1–4 scale; columns ``u1``…``u9``.
* NRR per element = sum of the element's scores / number of respondents who answered
  that element (a partly answered questionnaire counts for the elements it answers).
* IKM = (Σ NRR_i × 1/9) × 25, with exactly 1/9 (fractions, no 0.111 rounding).
* Grade on the IKM rounded half-up to two decimals: A 88.31–100.00 (Sangat Baik),
  B 76.61–88.30 (Baik), C 65.00–76.60 (Kurang Baik), D 25.00–64.99 (Tidak Baik).

The IKM is given only when every element has at least one answer.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from operator import itemgetter
from typing import Any

from shared.i18n import N_

ELEMENTS = tuple(f"u{i}" for i in range(1, 10))
ELEMENT_NAMES = {
    "u1": N_("Requirements"),
    "u2": N_("Systems, mechanisms and procedures"),
    "u3": N_("Completion time"),
    "u4": N_("Cost / tariff"),
    "u5": N_("Service product specification"),
    "u6": N_("Officer competence"),
    "u7": N_("Officer conduct"),
    "u8": N_("Handling of complaints, suggestions and feedback"),
    "u9": N_("Facilities and infrastructure"),
}
WEIGHT = Fraction(1, 9)
# Lowest IKM of each grade, the grade, the quality as the regulation names it, and its
# msgid for translated reports.
GRADES = (
    (Decimal("88.31"), "A", "Sangat Baik", N_("Very good")),
    (Decimal("76.61"), "B", "Baik", N_("Good")),
    (Decimal("65.00"), "C", "Kurang Baik", N_("Fair")),
    (Decimal("25.00"), "D", "Tidak Baik", N_("Poor")),
)
QUALITY_LABELS = {grade: msgid for _low, grade, _name, msgid in GRADES}


def _two_decimals(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade(score: Decimal | float) -> tuple[str, str]:
    """Return ``(letter, quality)`` of an IKM rounded to two decimals."""
    value = Decimal(str(score))
    for low, letter, quality, _label in GRADES:
        if value >= low:
            return letter, quality
    return "D", "Tidak Baik"


def tally(rows: list[dict[str, Any]]) -> list[Any]:
    """Count what the IKM needs from ratings: [respondents, complete, sums, answers].

    Tallies add up (:func:`add_tallies`), so the IKM of several groups together needs no
    second pass over their ratings. ``sums`` and ``answers`` have one entry per element.
    """
    get = itemgetter(*ELEMENTS)
    respondents = 0
    full: list[tuple[int, ...]] = []
    sums = [0] * len(ELEMENTS)
    answers = [0] * len(ELEMENTS)
    for r in rows:
        try:
            values = get(r)
        except KeyError:
            values = tuple(r.get(k) for k in ELEMENTS)
        missing = values.count(None)
        if missing == len(ELEMENTS):
            continue
        respondents += 1
        if not missing:
            full.append(values)
            continue
        for i, v in enumerate(values):
            if v is not None:
                sums[i] += int(v)
                answers[i] += 1
    for i, column in enumerate(zip(*full, strict=True) if full else ()):
        sums[i] += sum(int(v) for v in column)
        answers[i] += len(full)
    return [respondents, len(full), sums, answers]


def add_tallies(tallies: list[list[Any]]) -> list[Any]:
    """The tally of several groups of ratings together."""
    total = [0, 0, [0] * len(ELEMENTS), [0] * len(ELEMENTS)]
    for t in tallies:
        total[0] += t[0]
        total[1] += t[1]
        total[2] = [a + b for a, b in zip(total[2], t[2], strict=True)]
        total[3] = [a + b for a, b in zip(total[3], t[3], strict=True)]
    return total


def ikm(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Compute the IKM of a set of ratings; None when some element has no answer at all.

    Returns respondents (ratings with at least one element answered), per element the
    number of answers, the sum, the NRR and the weighted NRR (× 1/9), the IKM (two
    decimals), the grade letter and the quality as the regulation names it.
    """
    return from_tally(tally(rows))


def from_tally(counted: list[Any]) -> dict[str, Any] | None:
    """The IKM of a :func:`tally` (None when some element has no answer at all)."""
    respondents, complete, sums, answers = counted
    if not respondents:
        return None
    elements = {}
    for key, total, n in zip(ELEMENTS, sums, answers, strict=True):
        if not n:
            return None
        elements[key] = {"answers": n, "sum": total, "nrr": Fraction(total, n)}
    value = sum(e["nrr"] * WEIGHT for e in elements.values()) * 25
    score = _two_decimals(value)
    letter, quality = grade(score)
    return {
        "respondents": respondents,
        "complete": complete,
        "elements": {
            key: {
                "answers": e["answers"],
                "sum": e["sum"],
                "nrr": round(float(e["nrr"]), 3),
                "weighted": round(float(e["nrr"] * WEIGHT), 3),
            }
            for key, e in elements.items()
        },
        "nrr": {key: round(float(e["nrr"]), 3) for key, e in elements.items()},
        "ikm": float(score),
        "grade": letter,
        "quality": quality,
    }
