"""Ticket codes: strong enough for an address on the office Wi-Fi, old ones still read.

A ticket's QR holds the status page's address when the office has one; the slip prints
it (a 58 mm slip too), and the kiosk's rating and guest-book lookups take it like a
bare code.
"""

from __future__ import annotations

import math
import re

import pytest

from kiosk.backend import looks_like_ticket_code, read_ratable_ticket, read_returning_visitor
from shared.devices.printing import print_ticket_by_id
from shared.errors import ValidationError
from shared.office import settings
from shared.queue import ticketcode
from tests.unit.test_printing import decode_qr, raster_images

URL = "http://192.168.100.200:8080"


def test_new_codes_hold_59_bits_and_use_the_read_aloud_alphabet(ops):
    codes = {ops.issue_ticket("KS")["code"] for _ in range(20)}
    assert len(codes) == 20
    for code in codes:
        assert len(code) == ticketcode.CODE_LENGTH == 12
        assert set(code) <= set(ticketcode.CODE_ALPHABET)
    assert round(ticketcode.ENTROPY_BITS, 2) == 59.45
    assert round(ticketcode.LEGACY_ENTROPY_BITS, 2) == 39.63
    assert pytest.approx(12 * math.log2(31)) == ticketcode.ENTROPY_BITS


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("ABCD2345", "ABCD2345"),  # a ticket printed before the status page
        ("abcd2345efgh", "ABCD2345EFGH"),
        ("  ABCD2345EFGH\n", "ABCD2345EFGH"),
        ("abcd 2345 efgh", "ABCD2345EFGH"),  # as the status page shows it for typing
        ("ABCD-2345-EFGH", "ABCD2345EFGH"),
        (f"{URL}/t/ABCD2345EFGH", "ABCD2345EFGH"),
        (f"{URL}/t/ABCD2345EFGH/", "ABCD2345EFGH"),
        ("https://antrian.bps.lan/pst/t/abcd2345", "ABCD2345"),
        ("68.100.200:8080/t/ABCD2345EFGH", "ABCD2345EFGH"),  # a scanner's cut buffer
        ("KS-001", None),
        ("ABCD0345", None),
        ("ABCD2345EFG", None),
        (f"{URL}/t/ABCD2345EFGH/rate", None),
        (f"{URL}/board", None),
        ("siti@contoh.id", None),
        ("081234567890", None),
        ("", None),
    ],
)
def test_a_scanned_code_or_status_address_is_read(text, code):
    assert ticketcode.extract(text) == code
    assert looks_like_ticket_code(text) is (code is not None)


def test_the_qr_holds_the_address_only_when_the_office_has_one():
    assert ticketcode.qr_payload("ABCD2345EFGH", {"status_page_url": ""}) == "ABCD2345EFGH"
    assert ticketcode.qr_payload("ABCD2345EFGH", {"status_page_url": URL + "/"}) == (
        f"{URL}/t/ABCD2345EFGH"
    )


@pytest.mark.parametrize(
    "value",
    ["", URL, "https://antrian.bps-sumsel.lan", "http://10.0.0.5/pst", "http://[fe80::1]:8080"],
)
def test_good_status_addresses_are_accepted(value):
    assert settings.problem("status_page_url", value) is None


@pytest.mark.parametrize(
    "value",
    [
        "192.168.1.20:8080",
        "ftp://192.168.1.20",
        "http://",
        "http://host:99999",
        "http://user:pw@host",
        "http://host/?a=1",
        "http://host/#x",
        " http://host",
        "http://ho st",
        "http://" + "a" * 80,
        42,
    ],
)
def test_bad_status_addresses_are_refused_with_a_sentence(value):
    sentence = settings.problem("status_page_url", value)
    assert sentence and "Alamat halaman status" in sentence
    with pytest.raises(ValidationError):
        settings.check("status_page_url", value)


def test_admin_sets_the_address_and_the_wifi(ops):
    ops.save_setting("status_page_url", URL)
    ops.save_setting("status_page_wifi", "BPS-Tamu")
    office = ops.store.read(settings.get_all)
    assert (office["status_page_url"], office["status_page_wifi"]) == (URL, "BPS-Tamu")
    assert settings.parse_text("status_page_url", f"  {URL}\n") == URL


@pytest.mark.parametrize("profile", ["58mm", "80mm"])
def test_the_printed_qr_opens_the_tickets_page(ops, store, clock, profile):
    ops.save_setting("status_page_url", URL)
    ops.save_setting("status_page_wifi", "BPS-Tamu")
    ticket = ops.issue_ticket("KS")
    data = print_ticket_by_id(store, ticket["id"], "dummy", profile, clock=clock)
    (qr,) = raster_images(data)
    assert qr.width <= (384 if profile == "58mm" else 576)
    assert decode_qr(qr) == f"{URL}/t/{ticket['code']}"
    # Sentences are wrapped to the paper's width: read the slip's text lines as one.
    text = " ".join(t.decode() for t in re.findall(rb"[ -~]{4,}", data))
    assert "Pindai kode QR untuk memantau antrean di ponsel Anda." in text
    assert b"Wi-Fi kantor: BPS-Tamu" in data
    assert f"Kode tiket: {ticket['code']}".encode() in data


def test_without_an_address_the_slip_is_as_before(ops, store, clock):
    ticket = ops.issue_ticket("KS")
    data = print_ticket_by_id(store, ticket["id"], "dummy", "58mm", clock=clock)
    (qr,) = raster_images(data)
    assert decode_qr(qr) == ticket["code"]
    assert b"ponsel" not in data


def test_the_kiosk_rates_and_prefills_from_a_scanned_address(ops, office, store, clock):
    guest = {"name": "Ani Lestari", "email": "ani@contoh.id", "phone": "081234500001"}
    ticket = ops.issue_ticket("KS", {**guest, "consent": True})
    ops.set_counter_status(office["counter1"]["id"], "open", office["officer"]["id"])
    called = ops.call_next(office["counter1"]["id"], office["officer"]["id"])
    ops.start_service(called["id"], office["officer"]["id"])
    ops.finish(called["id"], office["officer"]["id"])
    scanned = f"{URL}/t/{ticket['code']}"
    ratable = store.read(lambda c: read_ratable_ticket(c, scanned, clock.now_ms()))
    assert (ratable.code, ratable.number) == (ticket["code"], "KS-001")
    found = store.read(lambda c: read_returning_visitor(c, scanned))
    assert found is not None and found["name"] == "Ani Lestari"


def test_an_eight_character_code_of_an_old_ticket_still_works(ops, store, clock):
    ticket = ops.issue_ticket("KS", {"name": "Lama", "email": "lama@contoh.id", "consent": True})
    store.write(
        lambda c: c.execute("UPDATE tickets SET code = 'ABCD2345' WHERE id = ?", (ticket["id"],))
    )
    found = store.read(lambda c: read_returning_visitor(c, "abcd2345"))
    assert found is not None and found["name"] == "Lama"
    data = print_ticket_by_id(store, "ABCD2345", "dummy", clock=clock)
    assert b"Kode tiket: ABCD2345" in data
