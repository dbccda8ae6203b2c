"""Complaint channels for the kiosk's screen: the core's module (shared/office/channels.py)."""

from shared.office.channels import (
    CHANNEL_KINDS,
    CHANNEL_LABELS,
    channel_label,
    channel_link,
    whatsapp_number,
)

__all__ = ["CHANNEL_KINDS", "CHANNEL_LABELS", "channel_label", "channel_link", "whatsapp_number"]
