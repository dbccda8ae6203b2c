"""Complaint-channel links, the same on the kiosk and in the console's QR preview."""

from __future__ import annotations

import pytest

from kiosk import channels as kiosk_channels
from shared.office import channels


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
    # One implementation: the kiosk shows the core's links.
    assert kiosk_channels.channel_link is channels.channel_link
    link = channels.channel_link(channel)
    if channel["kind"] == "box":
        assert link == ""
    else:
        assert link.startswith(("https://", "mailto:", "tel:")), link


def test_whatsapp_link():
    assert channels.channel_link({"kind": "whatsapp", "target": "0812-1111-2222"}) == (
        "https://wa.me/6281211112222"
    )
