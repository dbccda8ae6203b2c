"""A returning visitor is recognised only by two details, and sees only their own data."""

from __future__ import annotations

import pytest

from kiosk.backend import read_returning_visitor
from shared.queue import queries
from shared.queue.privacy import mask_email, mask_phone

ANDI_W = {
    "name": "Andi Wijaya",
    "email": "andi.wijaya@gmail.com",
    "phone": "081234567789",
    "sex": "Laki-laki",
    "birth_year": 1990,
    "education": "S1/D4",
    "occupation": "Pegawai Swasta",
    "institution_category": "Swasta",
    "institution_name": "PT Sriwijaya Data",
    "purpose": "Komersial",
    "topic": "Ekspor karet",
    "consent": True,
}
ANDI_S = {
    "name": "Andi Saputra",
    "email": "andi.saputra@yahoo.co.id",
    "phone": "085377778888",
    "sex": "Laki-laki",
    "birth_year": 1975,
    "occupation": "Peneliti/Dosen",
    "institution_category": "Lembaga Penelitian & Pendidikan",
    "institution_name": "Universitas Sriwijaya",
    "purpose": "Penelitian",
    "consent": True,
}
SECRETS_W = ("Andi Wijaya", "andi.wijaya@gmail.com", "081234567789", "PT Sriwijaya", "1990")


@pytest.fixture
def tickets(ops):
    return ops.issue_ticket("KS", ANDI_W), ops.issue_ticket("PS", ANDI_S)


def lookup(ops, first, phone=""):
    return ops.store.read(lambda conn: read_returning_visitor(conn, first, phone))


def test_masks_show_only_enough_to_recognise():
    assert mask_email("andi.wijaya@gmail.com") == "a***@g***.com"
    assert mask_email("Rina@bps.go.id") == "R***@b***.go.id"
    assert mask_phone("081234567789") == "0812****789"
    assert mask_phone("0812345678901") == "0812****901"  # the length does not show
    assert mask_email("") == mask_phone("") == ""


@pytest.mark.parametrize(
    "first, phone",
    [
        ("andi.wijaya@gmail.com", ""),  # e-mail alone
        ("081234567789", ""),  # phone alone
        ("", "081234567789"),
        ("andi.wijaya@gmail.com", "085377778888"),  # e-mail of one, phone of the other
        ("Andi Wijaya", "081234567789"),  # a name is not a detail
        ("KS-001", ""),  # the public number on the TV
        ("KS-001", "081234567789"),
        ("ks1", "081234567789"),
    ],
)
def test_no_lookup_with_one_detail_reveals_anything(ops, tickets, first, phone):
    assert lookup(ops, first, phone) is None


def test_email_and_phone_find_only_the_fields_to_prefill_masked(ops, tickets):
    found = lookup(ops, " Andi.Wijaya@GMAIL.com ", "+62 812-3456-7789")
    assert found["name"] == "Andi Wijaya"
    assert found["email_masked"] == "a***@g***.com"
    assert found["phone_masked"] == "0812****789"
    assert found["institution_name"] == "PT Sriwijaya Data"
    # What belongs to one visit is asked again; nothing else leaves the database.
    assert set(found) == {*queries.PREFILL_FIELDS, "email", "phone"} | {
        "email_masked",
        "phone_masked",
    }
    assert "Ekspor karet" not in found.values() and "Komersial" not in found.values()


def test_the_code_of_an_earlier_ticket_is_enough(ops, tickets):
    found = lookup(ops, tickets[1]["code"].lower())
    assert found["name"] == "Andi Saputra"
    assert found["phone_masked"] == "0853****888"
    assert found["email_masked"] == "a***@y***.co.id"


def test_two_people_named_alike_are_never_mixed(ops, tickets):
    wijaya = lookup(ops, ANDI_W["email"], ANDI_W["phone"])
    saputra = lookup(ops, ANDI_S["email"], ANDI_S["phone"])
    assert wijaya["institution_name"] == "PT Sriwijaya Data" and wijaya["birth_year"] == 1990
    assert saputra["institution_name"] == "Universitas Sriwijaya"
    assert saputra["birth_year"] == 1975 and not saputra["education"]
    for secret in SECRETS_W:
        assert secret not in {str(v) for v in saputra.values()}


def test_anonymised_visitors_are_never_found(ops, tickets, clock):
    clock.advance(minutes=400 * 24 * 60)
    ops.purge_personal_data()
    assert lookup(ops, ANDI_W["email"], ANDI_W["phone"]) is None
    assert lookup(ops, tickets[0]["code"]) is None
