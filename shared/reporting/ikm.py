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


def ikm(rows: list[dict[str, Any]]) -> dict[str, Any] | None:
    """Compute the IKM of a set of ratings; None when some element has no answer at all.

    Returns respondents (ratings with at least one element answered), per element the
    number of answers, the sum, the NRR and the weighted NRR (× 1/9), the IKM (two
    decimals), the grade letter and the quality as the regulation names it.
    """
    answered = [r for r in rows if any(r.get(k) is not None for k in ELEMENTS)]
    if not answered:
        return None
    elements = {}
    for key in ELEMENTS:
        scores = [int(r[key]) for r in answered if r.get(key) is not None]
        if not scores:
            return None
        nrr = Fraction(sum(scores), len(scores))
        elements[key] = {"answers": len(scores), "sum": sum(scores), "nrr": nrr}
    value = sum(e["nrr"] * WEIGHT for e in elements.values()) * 25
    score = _two_decimals(value)
    letter, quality = grade(score)
    return {
        "respondents": len(answered),
        "complete": sum(1 for r in answered if all(r.get(k) is not None for k in ELEMENTS)),
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
