"""The visitor's main path, driven through the real widgets and checked in the database."""

from __future__ import annotations

from shared.i18n import language
from shared.queue import queries
from tests.gui.kiosk.conftest import click, day_tickets, fill_guest_book, open_guest_book


def ticket_detail(store, ticket_id):
    return store.read(lambda conn: queries.ticket_detail(conn, ticket_id))


def test_full_flow_in_indonesian(qtbot, kiosk, kiosk_store, printer):
    assert kiosk.welcome.take_number.text() == "Ambil Nomor Antrean"
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk, education="S1/D4", purpose="Penelitian")
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)

    (ticket,) = day_tickets(kiosk_store)
    assert ticket["number"] == "KS-001"
    assert kiosk.ticket.number.text() == "KS-001"
    assert kiosk.ticket.service_name.text() == "Konsultasi Statistik"
    assert "paling lambat 10 menit setelah pengunjung sebelumnya selesai" in (
        kiosk.ticket.promise.text()
    )
    assert kiosk.ticket.ahead.text() == "Tidak ada pengunjung di depan Anda."
    detail = ticket_detail(kiosk_store, ticket["id"])
    assert detail["visitor"]["name"] == "Siti Rahmawati"
    assert detail["visitor"]["email"] == "siti@contoh.id"
    assert detail["visitor"]["education"] == "S1/D4"
    assert detail["visit"]["purpose"] == "Penelitian"
    assert detail["visit"]["consent_at"] is not None

    qtbot.waitUntil(lambda: kiosk.ticket.printed, timeout=5000)
    assert printer.printed == 1
    assert b"KS-001" in printer.last_output
    assert b"NOMOR ANTREAN" in printer.last_output
    assert b"Siti" not in printer.last_output
    assert kiosk.ticket.printer_line.text() == "Silakan ambil tiket Anda di bawah layar."
    # The guest book is already empty behind the ticket screen.
    assert kiosk.guest_book.edits["name"].text() == ""

    click(qtbot, kiosk.ticket.done)
    assert kiosk.current is kiosk.welcome
    qtbot.waitUntil(lambda: kiosk.welcome.queue_rows.count() > 0)
    qtbot.waitUntil(
        lambda: kiosk.findChild(type(kiosk.welcome.title), "waiting_KS").text() == "1 menunggu"
    )


def test_full_flow_in_english_then_back_to_indonesian(qtbot, kiosk, kiosk_store, printer):
    click(qtbot, kiosk.header.language_buttons["en"])
    assert language() == "en"
    assert kiosk.welcome.take_number.text() == "Take a Queue Number"
    open_guest_book(qtbot, kiosk, "PS")
    assert kiosk.guest_book.fields["name"].title.text() == "Full name *"
    fill_guest_book(qtbot, kiosk, name="John Smith", email="john@example.org", phone="")
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)

    (ticket,) = day_tickets(kiosk_store)
    assert ticket["number"] == "PS-001"
    assert kiosk.ticket.service_name.text() == "Library"
    assert kiosk.ticket.promise.text() == (
        "You will be served at most 10 minutes after the visitor before you has finished."
    )
    qtbot.waitUntil(lambda: kiosk.ticket.printed, timeout=5000)
    assert b"QUEUE NUMBER" in printer.last_output
    assert b"Library" in printer.last_output

    click(qtbot, kiosk.ticket.done)
    assert language() == "id"
    assert kiosk.welcome.take_number.text() == "Ambil Nomor Antrean"


def test_language_switch_keeps_what_was_typed(qtbot, kiosk):
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk, consent=False, sex="Perempuan")
    click(qtbot, kiosk.header.language_buttons["en"])
    book = kiosk.guest_book
    assert book.edits["name"].text() == "Siti Rahmawati"
    assert book.choices["sex"].value() == "Perempuan"
    assert book.choices["sex"].button_for("Perempuan").text() == "Female"
    assert book.submit.text() == "Take a Queue Number"
    click(qtbot, kiosk.header.language_buttons["id"])
    assert book.choices["sex"].button_for("Perempuan").text() == "Perempuan"
    assert book.edits["email"].text() == "siti@contoh.id"


def test_priority_ticket(qtbot, kiosk, kiosk_store):
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk, priority_group="elderly")
    assert kiosk.guest_book.fields["priority_group"].hint.text() == "Usia Anda 60 tahun atau lebih."
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    (ticket,) = day_tickets(kiosk_store)
    assert ticket["priority_group"] == "elderly"
    assert kiosk.ticket.priority.text() == "Layanan prioritas"


def test_people_ahead_and_estimate_are_shown(qtbot, kiosk, kiosk_ops, kiosk_store, ops, office):
    ops.set_counter_status(office["counter1"]["id"], "open", office["officer"]["id"])
    for i in range(3):
        kiosk_ops.issue_ticket("KS", {"name": f"Tamu {i}", "email": f"t{i}@x.id", "consent": True})
    qtbot.waitUntil(
        lambda: kiosk.findChild(type(kiosk.welcome.title), "waiting_KS").text() == "3 menunggu"
    )
    open_guest_book(qtbot, kiosk)
    assert "3 menunggu" in kiosk.service.buttons["KS"].text()
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    assert kiosk.ticket.number.text() == "KS-004"
    assert kiosk.ticket.ahead.text() == "Ada 3 orang di depan Anda."
    assert kiosk.ticket.estimate.text().startswith("Perkiraan waktu tunggu: sekitar ")
