"""Complaint channels as a visitor's phone opens them: web, e-mail and WhatsApp links.

In the core so the kiosk and the console's Pengaturan page (its QR preview) make the same
link from a channel.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from shared.i18n import N_

CHANNEL_KINDS = {
    "web": N_("Website"),
    "email": N_("E-mail"),
    "whatsapp": N_("WhatsApp"),
    "phone": N_("Telephone"),
    "box": N_("Suggestion box"),
}


def whatsapp_number(text: str) -> str:
    """Return an Indonesian phone number in international form without ``+`` (62…)."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    return digits


def channel_link(channel: dict[str, Any]) -> str:
    """Return what the channel's QR code holds (empty for a channel with no link).

    Web addresses get ``https://`` when written without a scheme; e-mail becomes a
    ``mailto:`` link; WhatsApp numbers become a ``https://wa.me/62…`` link.
    """
    kind = channel.get("kind", "")
    target = str(channel.get("target") or "").strip()
    if not target:
        return ""
    if kind == "web":
        return target if re.match(r"^https?://", target, re.I) else "https://" + target
    if kind == "email":
        return target if target.lower().startswith("mailto:") else "mailto:" + quote(target, "@.")
    if kind == "whatsapp":
        number = whatsapp_number(target)
        return f"https://wa.me/{number}" if number else ""
    if kind == "phone":
        return "tel:+" + whatsapp_number(target)
    return target
