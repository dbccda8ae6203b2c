"""Guest-book data past its retention period is anonymised; the statistics stay."""

from __future__ import annotations

import pytest

from shared.queue.validation import GuestBook

OLD = GuestBook(
    name="Rina Marlina",
    email="rina@contoh.id",
    phone="081234567890",
    sex="Perempuan",
    birth_year=1987,
    education="S1/D4",
    occupation="Peneliti/Dosen",
    institution_category="Lembaga Penelitian & Pendidikan",
    institution_name="Universitas Sriwijaya",
    purpose="Konsultasi data",
    topic="IPM Sumatera Selatan 2025",
    consent=True,
)
RECENT = GuestBook(
    name="Dedi Kurniawan",
    email="dedi@contoh.id",
    sex="Laki-laki",
    birth_year=1999,
    education="S2",
    occupation="Pegawai Swasta",
    institution_category="Swasta",
    institution_name="PT Musi",
    purpose="Permintaan data",
    topic="Inflasi Palembang",
    consent=True,
)
CATEGORIES = "sex, education, occupation, institution_category"


def snapshot(ops):
    return ops.store.read(
        lambda c: {
            "visitors": c.execute(
                f"SELECT {CATEGORIES}, COUNT(*) FROM visitors GROUP BY {CATEGORIES} ORDER BY 1, 2"
            ).fetchall(),
            "visits": c.execute(
                "SELECT purpose, COUNT(*) FROM visits GROUP BY purpose ORDER BY 1"
            ).fetchall(),
            "tickets": c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0],
        }
    )


@pytest.fixture
def guest_book(ops, clock):
    old_ticket = ops.issue_ticket("KS", OLD)
    clock.advance(minutes=400 * 24 * 60)
    recent_ticket = ops.issue_ticket("PS", RECENT)
    return old_ticket, recent_ticket


def visitor_of(ops, ticket):
    return ops.store.read(
        lambda c: c.execute(
            "SELECT v.name, v.email, v.phone, v.institution_name, v.birth_year, s.topic,"
            " v.anonymised_at FROM tickets t JOIN visits s ON s.id = t.visit_id"
            " JOIN visitors v ON v.id = s.visitor_id WHERE t.id = ?",
            (ticket["id"],),
        ).fetchone()
    )


def test_purge_anonymises_only_records_past_retention(ops, guest_book):
    old_ticket, recent_ticket = guest_book
    before = snapshot(ops)
    result = ops.purge_personal_data(actor=None)
    assert result["anonymised"] == 1 and result["days"] == 365
    name, email, phone, institution, birth_year, topic, anonymised_at = visitor_of(ops, old_ticket)
    assert (name, email, phone, institution, topic) == ("anonim", None, None, "", "")
    assert birth_year == 1980 and anonymised_at is not None
    assert visitor_of(ops, recent_ticket)[:2] == ("Dedi Kurniawan", "dedi@contoh.id")
    assert snapshot(ops) == before  # counts and categories unchanged
    assert ops.purge_personal_data()["anonymised"] == 0  # nothing left to do


def test_retention_period_comes_from_the_settings(ops, guest_book):
    ops.save_setting("retention_days", 500)
    assert ops.purge_personal_data()["anonymised"] == 0
    ops.save_setting("retention_days", 30)
    assert ops.purge_personal_data()["anonymised"] == 1


def test_purge_is_recorded_and_no_personal_data_is_left_anywhere(ops, office, guest_book):
    actor = office["supervisor"]["id"]
    ops.purge_personal_data(actor=actor)
    kinds = ops.store.read(
        lambda c: c.execute(
            "SELECT officer_id, machine FROM events WHERE kind = 'purge_pii'"
        ).fetchall()
    )
    assert kinds == [(actor, "test-pc")]
    dump = "\n".join(ops.store.read(lambda c: list(c.iterdump())))
    for secret in ("Rina", "rina@contoh.id", "081234567890", "Universitas Sriwijaya", "IPM"):
        assert secret not in dump, secret


def test_tickets_and_events_carry_no_personal_data(ops, guest_book):
    """What the display and the printed ticket read holds no name or contact."""
    rows = ops.store.read(
        lambda c: (
            [" ".join(map(str, r)) for r in c.execute("SELECT * FROM tickets")]
            + [" ".join(map(str, r)) for r in c.execute("SELECT * FROM events")]
        )
    )
    for secret in ("Dedi", "dedi@contoh.id", "PT Musi", "Inflasi"):
        assert not any(secret in r for r in rows), secret
