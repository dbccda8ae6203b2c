"""Showing a visitor's contact details without giving them away.

A returning visitor's form shows where the results will go, never the address itself:
``andi.wijaya@gmail.com`` reads ``a***@g***.com`` and ``081234567789`` reads
``0812****789`` — enough for the owner to recognise, too little for a passer-by to use.
"""

from __future__ import annotations

MASK = "***"


def mask_email(email: str) -> str:
    """Return ``email`` with all but the first letter of the name and domain hidden.

    The top-level part of the domain stays (``.com``, ``.go.id``); the length of what is
    hidden does not show.
    """
    email = (email or "").strip()
    if not email:
        return ""
    local, _at, domain = email.rpartition("@")
    if not local:
        return email[:1] + MASK
    host, dot, rest = domain.partition(".")
    return f"{local[:1]}{MASK}@{host[:1]}{MASK}{dot}{rest}"


def mask_phone(phone: str) -> str:
    """Return ``phone`` as its first four and last three digits (``0812****789``)."""
    digits = "".join(ch for ch in (phone or "") if ch.isdigit())
    if not digits:
        return ""
    if len(digits) <= 7:
        return digits[:2] + "****"
    return f"{digits[:4]}****{digits[-3:]}"
