"""Complaint channels as a visitor's phone opens them: web, e-mail and WhatsApp links.

In the core so the kiosk and the console's Pengaturan page (its QR preview) make the same
link from a channel.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from shared.i18n import N_, _

CHANNEL_KINDS = {
    "web": N_("Website"),
    "email": N_("E-mail"),
    "whatsapp": N_("WhatsApp"),
    "phone": N_("Telephone"),
    "box": N_("Suggestion box"),
}

# The default channels' labels are stored in Indonesian, as the office wrote them; in
# English they read as below. A label an administrator wrote is shown as written.
CHANNEL_LABELS = {
    "Kotak saran di ruang PST": N_("Suggestion box in the PST room"),
    "Pengaduan BPS": N_("BPS complaints service"),
}


def channel_label(channel: dict[str, Any]) -> str:
    """Return the channel's label in the current language.

    Empty when the label only repeats the name of its kind (an "E-mail" channel labelled
    "E-mail"): the card's heading already says it.
    """
    text = str(channel.get("label") or "").strip()
    kind = CHANNEL_KINDS.get(channel.get("kind", ""), "")
    if kind and text.casefold() in (kind.casefold(), _(kind).casefold()):
        return ""
    msgid = CHANNEL_LABELS.get(text)
    return _(msgid) if msgid else text


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
