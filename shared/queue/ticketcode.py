"""A ticket's private code: what it is, how it is read back, and what its QR holds.

The code is the ticket's secret: whoever holds it may rate the visit, fill the guest book
again from it, and follow the ticket on the status page (``/t/<code>``), where an address
on the office Wi-Fi can try codes one after another. Its strength: each character is
drawn with :mod:`secrets` from :data:`CODE_ALPHABET` (31 characters), so a code of
:data:`CODE_LENGTH` (12) characters holds 12 × log2(31) = 59.45 bits. Tickets printed
before the status page existed have 8 characters (39.63 bits) and keep working; the
status page slows down an address that keeps missing.

A scanned QR may hold the bare code or the status page's address of the ticket
(``http://…/t/<code>``); :func:`extract` reads both.
"""

from __future__ import annotations

import math
import re
import secrets
from typing import Any

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud safely
CODE_LENGTH = 12
# The length of codes printed before the status page; still accepted everywhere.
LEGACY_CODE_LENGTH = 8
CODE_LENGTHS = (LEGACY_CODE_LENGTH, CODE_LENGTH)
ENTROPY_BITS = CODE_LENGTH * math.log2(len(CODE_ALPHABET))
LEGACY_ENTROPY_BITS = LEGACY_CODE_LENGTH * math.log2(len(CODE_ALPHABET))

_CODE = f"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}|[{CODE_ALPHABET}]{{{LEGACY_CODE_LENGTH}}}"
CODE_RE = re.compile(f"^(?:{_CODE})$")
# The end of a status-page address: ``…/t/<code>`` (a slash after it is allowed). A
# scanner's buffer may have lost the beginning of a long address, never its end.
_URL_TAIL = re.compile(f"(?:^|/)T/({_CODE})/?$")  # matched on the upper-cased text


# What a visitor may type between the groups of a code they noted down.
_SEPARATORS = re.compile(r"[\s\-–.]")


def grouped(code: str) -> str:
    """Return a code as a visitor reads and notes it: in groups of four, ``ABCD 2345``."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def new_code() -> str:
    """Draw a new code (the caller checks it is not in use yet)."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def extract(text: Any) -> str | None:
    """Return the ticket code in what was scanned or typed, or None.

    Accepts the bare code (upper or lower case, surrounding spaces ignored; also as a
    visitor notes it from a screen or a slip, in groups split by spaces, hyphens or
    dots: ``abcd-2345``) and a status-page address ending in ``/t/<code>``; anything
    else (an e-mail address, a queue number such as ``KS-001``) is None.
    """
    raw = str(text or "").strip()
    if not raw or len(raw) > 2048:
        return None
    upper = raw.upper()
    if CODE_RE.match(upper):
        return upper
    # Typed back from a page or slip that shows it in groups: "ABCD 2345 EFGH", "abcd-2345".
    compact = _SEPARATORS.sub("", upper)
    if compact != upper and CODE_RE.match(compact):
        return compact
    path = upper.split("?", 1)[0].split("#", 1)[0]
    found = _URL_TAIL.search(path)
    return found.group(1) if found else None


def status_url(base: str, code: str) -> str:
    """The status page's address of a ticket: ``<base>/t/<code>``."""
    return f"{base.rstrip('/')}/t/{code}"


def qr_payload(code: str, office: dict[str, Any]) -> str:
    """What a ticket's QR holds: its status-page address when one is set, else the code."""
    base = str(office.get("status_page_url") or "").strip()
    return status_url(base, code) if base else code
