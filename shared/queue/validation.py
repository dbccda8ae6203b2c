"""Checking and cleaning what visitors and officers type.

Guest-book values are stored verbatim after trimming, except control characters, which
are never useful in a name and would be printer commands on an ESC/POS slip.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from typing import Any

from shared.errors import ValidationError
from shared.i18n import N_

MAX_TEXT = 200
MAX_NOTES = 4000
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
PHONE_RE = re.compile(r"^(\+62|62|0)8[0-9]{7,12}$")


def strip_controls(text: str) -> str:
    """Remove control and format characters (ESC, GS, NUL, bidi overrides…); keep newlines
    out too: a guest-book field is one line."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")


def clean_line(text: Any, limit: int = MAX_TEXT) -> str:
    if text is None:
        return ""
    return " ".join(strip_controls(str(text)).split())[:limit].strip()


def clean_notes(text: str) -> str:
    """Officer notes may have line breaks; everything else is stripped like a field."""
    lines = [" ".join(strip_controls(line).split()) for line in str(text).splitlines()]
    return "\n".join(lines).strip()[:MAX_NOTES]


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"[\s().-]", "", phone)
    if digits.startswith("+62"):
        digits = "0" + digits[3:]
    elif digits.startswith("62"):
        digits = "0" + digits[2:]
    return digits


@dataclass
class GuestBook:
    """One visitor's guest-book entry as typed at the kiosk."""

    name: str = ""
    email: str = ""
    phone: str = ""
    sex: str = ""
    birth_year: int | None = None
    education: str = ""
    occupation: str = ""
    institution_category: str = ""
    institution_name: str = ""
    purpose: str = ""
    topic: str = ""
    consent: bool = False
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GuestBook:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        return cls(**values)


def validate_guest_book(entry: GuestBook, current_year: int) -> GuestBook:
    """Return a cleaned copy of ``entry`` or raise the first problem, naming its field.

    Name and an active e-mail address are required by the service standard, and so is
    consent to the processing of personal data.
    """
    name = clean_line(entry.name)
    if len(name) < 2:
        raise ValidationError("name", N_("Please write your name."))
    email = clean_line(entry.email, 254).lower()
    if not email:
        raise ValidationError("email", N_("Please write your e-mail address."))
    if not EMAIL_RE.match(email) or ".." in email:
        raise ValidationError(
            "email", N_("This e-mail address does not look right. Example: name@example.com")
        )
    phone = normalise_phone(clean_line(entry.phone, 30))
    if phone and not PHONE_RE.match(phone):
        raise ValidationError(
            "phone", N_("Write the phone number like 081234567890, or leave it empty.")
        )
    birth_year = entry.birth_year
    if birth_year not in (None, ""):
        try:
            birth_year = int(birth_year)
        except (TypeError, ValueError, OverflowError):
            birth_year = -1
        if not current_year - 110 <= birth_year <= current_year - 5:
            raise ValidationError("birth_year", N_("Please check the year of birth."))
    else:
        birth_year = None
    if not entry.consent:
        raise ValidationError(
            "consent", N_("Please agree to the processing of your personal data to continue.")
        )
    return GuestBook(
        name=name,
        email=email,
        phone=phone,
        sex=clean_line(entry.sex, 40),
        birth_year=birth_year,
        education=clean_line(entry.education, 60),
        occupation=clean_line(entry.occupation, 60),
        institution_category=clean_line(entry.institution_category, 80),
        institution_name=clean_line(entry.institution_name),
        purpose=clean_line(entry.purpose, 80),
        topic=clean_line(entry.topic, 500),
        consent=True,
    )
