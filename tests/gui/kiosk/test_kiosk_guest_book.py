"""Guest book: validation, returning visitors, idle timeout, double taps, storage trouble."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from PySide6.QtCore import Qt

from shared.errors import StorageUnavailable
from shared.queue import queries
from tests.conftest import JAKARTA
from tests.gui.kiosk.conftest import (
    click,
    day_tickets,
    fill_guest_book,
    open_guest_book,
    type_into,
)


def test_email_and_consent_are_required_and_typed_text_stays(qtbot, kiosk, kiosk_store):
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk, email="siti@contoh", consent=False, sex="Perempuan")
    book = kiosk.guest_book
    click(qtbot, book.submit)

    assert book.fields["email"].error.isVisible()
    assert book.fields["email"].error.text() == (
        "⚠ "
        + queries_translation("This e-mail address does not look right. Example: name@example.com")
    )
    assert book.fields["consent"].error.isVisible()
    assert not book.fields["name"].error.isVisible()
    assert book.message.text() == "Silakan perbaiki isian yang ditandai merah."
    assert book.edits["name"].text() == "Siti Rahmawati"
    assert book.edits["email"].text() == "siti@contoh"
    assert book.choices["sex"].value() == "Perempuan"
    assert day_tickets(kiosk_store) == []

    # Typing in a field clears its message; fixing both lets the number through.
    type_into(qtbot, book.edits["email"], ".id")
    assert not book.fields["email"].error.isVisible()
    click(qtbot, book.consent)
    click(qtbot, book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    assert len(day_tickets(kiosk_store)) == 1


def queries_translation(msgid: str) -> str:
    from shared.i18n import _

    return _(msgid)


def test_empty_name_and_email_show_both_messages_in_english(qtbot, kiosk):
    click(qtbot, kiosk.header.language_buttons["en"])
    open_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    fields = kiosk.guest_book.fields
    assert fields["name"].error.text() == "⚠ Please write your name."
    assert fields["email"].error.text() == "⚠ Please write your e-mail address."
    assert fields["consent"].error.isVisible()
    click(qtbot, kiosk.header.language_buttons["id"])
    assert fields["name"].error.text() == "⚠ Silakan tulis nama Anda."


BUDI = {
    "name": "Budi Hartono",
    "email": "budi@contoh.id",
    "phone": "081299990000",
    "sex": "Laki-laki",
    "birth_year": 1960,
    "education": "S2",
    "occupation": "Peneliti/Dosen",
    "institution_category": "Lembaga Penelitian & Pendidikan",
    "institution_name": "Universitas Sriwijaya",
    "purpose": "Penelitian",
    "consent": True,
}
ANDI_W = {
    "name": "Andi Wijaya",
    "email": "andi.wijaya@gmail.com",
    "phone": "081234567789",
    "birth_year": 1990,
    "institution_category": "Swasta",
    "institution_name": "PT Sriwijaya Data",
    "consent": True,
}
ANDI_S = {
    "name": "Andi Saputra",
    "email": "andi.saputra@yahoo.co.id",
    "phone": "085377778888",
    "sex": "Laki-laki",
    "consent": True,
}


def look_up(qtbot, book, first, phone=""):
    book.lookup_edit.clear()
    book.lookup_phone.clear()
    type_into(qtbot, book.lookup_edit, first)
    if phone:
        type_into(qtbot, book.lookup_phone, phone)
    click(qtbot, book.lookup_button)
    assert not book.lookup_button.isEnabled()  # on its way
    qtbot.waitUntil(book.lookup_button.isEnabled, timeout=5000)


@pytest.mark.parametrize("lookup", ["email+phone", "code"])
def test_returning_visitor_is_prefilled_with_contact_details_masked(
    qtbot, kiosk, kiosk_ops, lookup
):
    earlier = kiosk_ops.issue_ticket("PS", BUDI)
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    if lookup == "code":
        type_into(qtbot, book.lookup_edit, earlier["code"])
        qtbot.keyClick(book.lookup_edit, Qt.Key.Key_Return)  # as a scanner ends a code
    else:
        type_into(qtbot, book.lookup_edit, "budi@contoh.id")
        qtbot.keyClick(book.lookup_edit, Qt.Key.Key_Return)
        assert book.lookup_phone.hasFocus()  # Enter moves on to the phone box
        qtbot.keyClicks(book.lookup_phone, "0812-9999-0000")
        qtbot.keyClick(book.lookup_phone, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: book.edits["name"].text() == "Budi Hartono", timeout=5000)
    assert book.edits["email"].text() == "b***@c***.id"
    assert book.edits["phone"].text() == "0812****000"
    assert book.edits["birth_year"].text() == "1960"
    assert book.edits["institution_name"].text() == "Universitas Sriwijaya"
    assert book.choices["education"].value() == "S2"
    assert book.choices["occupation"].value() == "Peneliti/Dosen"
    assert book.choices["purpose"].value() == ""  # this visit's purpose is asked anew
    assert not book.consent.isChecked()  # consent is asked again on every visit
    assert book.lookup_message.text().startswith("Selamat datang kembali!")
    # The real address reaches the ticket, never the screen.
    assert book.guest().email == "budi@contoh.id" and book.guest().phone == "081299990000"
    book.scroll.ensureWidgetVisible(book.consent)
    click(qtbot, book.consent)
    click(qtbot, book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    detail = kiosk_ops.store.read(lambda c: queries.ticket_detail(c, kiosk.ticket.ticket["id"]))
    assert detail["visitor"]["email"] == "budi@contoh.id"
    assert detail["visitor"]["phone"] == "081299990000"


@pytest.mark.parametrize(
    "first, phone",
    [("budi@contoh.id", ""), ("081299990000", ""), ("PS-001", ""), ("budi@contoh.id", "0811")],
)
def test_one_detail_reveals_nothing(qtbot, kiosk, kiosk_ops, first, phone):
    kiosk_ops.issue_ticket("PS", BUDI)
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    type_into(qtbot, book.lookup_edit, first)
    if phone:
        type_into(qtbot, book.lookup_phone, phone)
    click(qtbot, book.lookup_button)
    qtbot.waitUntil(
        lambda: (
            book.lookup_button.isEnabled()
            and (
                "keduanya" in book.lookup_message.text()
                or "tidak ditemukan" in book.lookup_message.text()
            )
        ),
        timeout=5000,
    )
    assert all(edit.text() == "" for edit in book.edits.values())
    assert all(group.value() == "" for group in book.choices.values())


def test_a_second_lookup_replaces_the_first_and_a_miss_clears_it(qtbot, kiosk, kiosk_ops):
    kiosk_ops.issue_ticket("KS", ANDI_W)
    kiosk_ops.issue_ticket("KS", ANDI_S)
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    type_into(qtbot, book.edits["topic"], "Ekspor karet")  # typed by the visitor
    look_up(qtbot, book, ANDI_W["email"], ANDI_W["phone"])
    assert book.edits["name"].text() == "Andi Wijaya"
    assert book.choices["institution_category"].value() == "Swasta"

    look_up(qtbot, book, ANDI_S["email"], ANDI_S["phone"])
    assert book.edits["name"].text() == "Andi Saputra"
    assert book.edits["email"].text() == "a***@y***.co.id"
    # Nothing of Andi Wijaya's record stays beside Andi Saputra's.
    assert book.edits["institution_name"].text() == ""
    assert book.edits["birth_year"].text() == ""
    assert book.choices["institution_category"].value() == ""
    assert book.choices["sex"].value() == "Laki-laki"
    assert book.guest().email == ANDI_S["email"]

    look_up(qtbot, book, "siapa@contoh.id", "081200000000")
    assert "tidak ditemukan" in book.lookup_message.text()
    assert [e.text() for k, e in book.edits.items() if k != "topic"] == [""] * 5
    assert book.choices["sex"].value() == ""
    assert book.edits["topic"].text() == "Ekspor karet"  # what the visitor typed stays


def test_editing_a_masked_address_starts_a_new_one(qtbot, kiosk, kiosk_ops):
    kiosk_ops.issue_ticket("KS", ANDI_W)
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    look_up(qtbot, book, ANDI_W["email"], ANDI_W["phone"])
    edit = book.edits["email"]
    edit.setFocus()
    edit.end(False)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text() == ""  # the hidden address never shows, not even in part
    qtbot.keyClicks(edit, "andi.baru@contoh.id")
    assert book.guest().email == "andi.baru@contoh.id"
    assert book.guest().phone == ANDI_W["phone"]


def test_unknown_returning_visitor_says_so(qtbot, kiosk):
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    look_up(qtbot, book, "tidakada@contoh.id", "081200001111")
    assert "tidak ditemukan" in book.lookup_message.text()
    assert book.edits["name"].text() == ""


def test_idle_timeout_clears_every_field(qtbot, make_kiosk, kiosk_config):
    kiosk_config.idle_seconds_form = 1
    kiosk = make_kiosk()
    open_guest_book(qtbot, kiosk)
    fill_guest_book(
        qtbot,
        kiosk,
        sex="Laki-laki",
        education="S3",
        purpose="Komersial",
        priority_group="pregnant",
    )
    book = kiosk.guest_book
    for key in ("birth_year", "institution_name", "topic"):
        type_into(qtbot, book.edits[key], "1990" if key == "birth_year" else "inflasi")
    type_into(qtbot, book.lookup_edit, "someone@x.id")
    click(qtbot, kiosk.header.language_buttons["en"])
    assert all(edit.text() for edit in book.edits.values())
    qtbot.waitUntil(lambda: kiosk.current is kiosk.welcome, timeout=4000)

    assert all(edit.text() == "" for edit in book.edits.values())
    assert all(group.value() == "" for group in book.choices.values())
    assert book.priority.value() == ""
    assert not book.consent.isChecked()
    assert book.lookup_edit.text() == ""
    assert book.op_id is None
    assert kiosk.welcome.take_number.text() == "Ambil Nomor Antrean"  # office language again


def test_idle_timeout_on_the_ticket_screen(qtbot, make_kiosk, kiosk_config):
    kiosk_config.idle_seconds_ticket = 1
    kiosk = make_kiosk()
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.welcome, timeout=4000)
    assert kiosk.ticket.number.text() == ""
    assert kiosk.ticket.qr.pixmap().isNull()


def test_double_tap_issues_one_ticket(qtbot, kiosk, kiosk_store):
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    submit = kiosk.guest_book.submit
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(submit, Qt.MouseButton.LeftButton)
    kiosk.guest_book._on_submit_clicked()  # a third tap that got past the disabled button
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    qtbot.waitUntil(lambda: kiosk.backend.db_worker.pending == 0)
    assert [t["number"] for t in day_tickets(kiosk_store)] == ["KS-001"]


def test_storage_unavailable_during_submit_keeps_input_and_retries(
    qtbot, kiosk, kiosk_store, db_path
):
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk, education="S2")
    book = kiosk.guest_book
    folder = db_path.parent
    hidden = folder.with_name(folder.name + "-share-gone")
    os.rename(folder, hidden)  # the share drops out
    try:
        click(qtbot, book.submit)
        qtbot.waitUntil(lambda: "Data Anda tetap tersimpan" in book.message.text(), timeout=8000)
        assert book.submit.text() == "Coba lagi"
        assert book.edits["name"].text() == "Siti Rahmawati"
        assert book.edits["email"].text() == "siti@contoh.id"
        assert book.choices["education"].value() == "S2"
        assert book.consent.isChecked()
        assert kiosk.current is book
        first_op = book.op_id
        click(qtbot, book.submit)  # the visitor retries while the share is still gone
        qtbot.waitUntil(lambda: book.submit.isEnabled(), timeout=8000)
        assert book.op_id == first_op
    finally:
        os.rename(hidden, folder)  # the share is back
    click(qtbot, book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=8000)
    assert [t["number"] for t in day_tickets(kiosk_store)] == ["KS-001"]


def test_reply_lost_after_commit_still_gives_one_ticket(qtbot, kiosk, kiosk_ops, kiosk_store):
    """The share drops after COMMIT: the retry with the same op_id returns that ticket."""
    real_issue = kiosk_ops.issue_ticket
    calls = []

    def issue_then_lose_reply(*args, **kwargs):
        calls.append(kwargs["op_id"])
        ticket = real_issue(*args, **kwargs)
        if len(calls) == 1:
            raise StorageUnavailable()
        return ticket

    kiosk_ops.issue_ticket = issue_then_lose_reply
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.guest_book.submit.text() == "Coba lagi", timeout=5000)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    assert len(calls) == 2 and calls[0] == calls[1]
    assert [t["number"] for t in day_tickets(kiosk_store)] == ["KS-001"]
    assert kiosk.ticket.number.text() == "KS-001"


def test_closed_on_saturday_issues_no_number(qtbot, clock, make_kiosk, kiosk_store):
    clock.set(datetime(2026, 11, 28, 10, 0, tzinfo=JAKARTA))  # a Saturday
    kiosk = make_kiosk()
    welcome = kiosk.welcome
    assert welcome.closed_box.isVisible()
    assert (
        welcome.closed_title.text()
        == "Layanan sedang tutup. Saat ini tidak ada pengambilan nomor antrean."
    )
    assert welcome.closed_hours.text() == (
        "Jam layanan: Senin–Kamis 08:00–15:30; Jumat 08:00–16:00"
    )
    assert not welcome.take_number.isEnabled() and not welcome.take_number.isVisible()
    qtbot.mouseClick(welcome.take_number, Qt.MouseButton.LeftButton)
    assert kiosk.current is welcome
    assert welcome.rate.isEnabled() and welcome.complain.isEnabled()
    assert day_tickets(kiosk_store) == []


def test_closed_in_the_evening_says_when_it_closed(qtbot, clock, make_kiosk):
    clock.set(datetime(2026, 11, 25, 20, 0, tzinfo=JAKARTA))
    kiosk = make_kiosk()
    assert kiosk.welcome.closed_reason.text() == queries_translation(
        "The service closed at {closes}."
    ).format(closes="15:30")
    click(qtbot, kiosk.header.language_buttons["en"])
    assert kiosk.welcome.closed_reason.text() == "The service closed at 15:30."


def test_closing_while_the_form_is_filled_keeps_the_input(qtbot, clock, kiosk, kiosk_store):
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    clock.set(datetime(2026, 11, 25, 15, 31, tzinfo=JAKARTA))
    click(qtbot, kiosk.guest_book.submit)
    expected = queries_translation("The service is closed now. No numbers are issued.")
    qtbot.waitUntil(lambda: kiosk.guest_book.message.text() == expected, timeout=5000)
    assert kiosk.guest_book.edits["name"].text() == "Siti Rahmawati"
    assert day_tickets(kiosk_store) == []


def test_holiday_added_by_the_administrator_closes_the_kiosk(qtbot, kiosk_ops, make_kiosk):
    kiosk_ops.save_setting("holidays_added", [{"date": "2026-11-25", "name": "Libur kantor"}])
    kiosk = make_kiosk()
    assert kiosk.welcome.closed_box.isVisible()
    assert kiosk.welcome.closed_reason.text() == queries_translation(
        "Closed for a holiday: {name}."
    ).format(name="Libur kantor")
    assert not kiosk.welcome.take_number.isEnabled()


def test_an_answer_arriving_after_the_form_was_wiped_fills_nothing(qtbot, kiosk, kiosk_ops):
    kiosk_ops.issue_ticket("KS", ANDI_W)
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    type_into(qtbot, book.lookup_edit, ANDI_W["email"])
    type_into(qtbot, book.lookup_phone, ANDI_W["phone"])
    click(qtbot, book.lookup_button)
    kiosk.reset_to_welcome()  # the visitor walked away; the next one starts
    qtbot.waitUntil(lambda: kiosk.backend.db_worker.pending == 0, timeout=5000)
    assert all(edit.text() == "" for edit in book.edits.values())
    assert book.lookup_button.isEnabled() and not book.lookup_message.isVisible()
