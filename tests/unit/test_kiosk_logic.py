"""The kiosk's plain rules: complaint links, scanned codes, restarting after a crash."""

from __future__ import annotations

import pytest

from kiosk.backend import looks_like_ticket_code
from kiosk.channels import channel_link, whatsapp_number
from kiosk.supervisor import supervise


@pytest.mark.parametrize(
    ("channel", "link"),
    [
        ({"kind": "web", "target": "www.lapor.go.id"}, "https://www.lapor.go.id"),
        ({"kind": "web", "target": "http://x.id/a"}, "http://x.id/a"),
        ({"kind": "email", "target": "bps1600@bps.go.id"}, "mailto:bps1600@bps.go.id"),
        ({"kind": "whatsapp", "target": "0813-3378-3485"}, "https://wa.me/6281333783485"),
        ({"kind": "whatsapp", "target": "+62 813 3378 3485"}, "https://wa.me/6281333783485"),
        ({"kind": "phone", "target": "(0711) 123456"}, "tel:+62711123456"),
        ({"kind": "box", "target": ""}, ""),
    ],
)
def test_complaint_channel_links(channel, link):
    assert channel_link(channel) == link


def test_whatsapp_numbers_are_international():
    assert whatsapp_number("081234567890") == "6281234567890"


@pytest.mark.parametrize(
    ("text", "is_code"),
    [
        ("ABCD2345", True),
        ("abcd2345", True),
        ("KS-001", False),
        ("ABCD0345", False),
        ("siti@contoh.id", False),
        ("081234567890", False),
    ],
)
def test_scanned_ticket_codes_are_told_apart(text, is_code):
    assert looks_like_ticket_code(text) is is_code


def test_supervisor_restarts_after_a_crash_and_stops_on_a_clean_exit():
    statuses = iter([-11, 1, 0])
    runs = []

    def run(command, env=None):
        runs.append(command)
        return next(statuses)

    assert supervise(["pst-kiosk"], run=run, sleep=lambda s: None) == 0
    assert len(runs) == 3


def test_supervisor_gives_up_when_the_kiosk_keeps_crashing():
    now = iter(range(100))
    status = supervise(
        ["pst-kiosk"],
        run=lambda command, env=None: 134,
        sleep=lambda s: None,
        clock=lambda: next(now),
        max_crashes=3,
    )
    assert status == 134
