"""The core's complaint-channel links are the kiosk's (the console previews them)."""

from __future__ import annotations

import pytest

from kiosk import channels as kiosk_channels
from shared import channels


@pytest.mark.parametrize(
    "channel",
    [
        {"kind": "web", "target": "www.lapor.go.id"},
        {"kind": "web", "target": "https://webapps.bps.go.id/pengaduan"},
        {"kind": "email", "target": "bps1600@bps.go.id"},
        {"kind": "whatsapp", "target": "0813-3378-3485"},
        {"kind": "phone", "target": "(0711) 123456"},
        {"kind": "box", "target": ""},
    ],
)
def test_same_link_as_the_kiosk(channel):
    assert channels.channel_link(channel) == kiosk_channels.channel_link(channel)
    assert channels.CHANNEL_KINDS == kiosk_channels.CHANNEL_KINDS


def test_whatsapp_link():
    assert channels.channel_link({"kind": "whatsapp", "target": "0812-1111-2222"}) == (
        "https://wa.me/6281211112222"
    )
