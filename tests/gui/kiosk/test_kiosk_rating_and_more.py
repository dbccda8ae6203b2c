"""Rating, complaint channels, the settings lock, the printer problem path, fonts."""

from __future__ import annotations

import socket

import pytest
import zxingcpp
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase, QFontInfo

from shared.devices.printing import TicketPrinter
from shared.i18n import _
from shared.queue import heartbeat, ticketcode
from tests.gui.kiosk.conftest import click, fill_guest_book, open_guest_book, type_into

GUEST = {"name": "Rina Marlina", "email": "rina@contoh.id", "consent": True}


def served_ticket(kiosk_ops, ops, office, service="KS"):
    """Issue a ticket at the kiosk and let Loket 1 serve and finish it."""
    ticket = kiosk_ops.issue_ticket(service, GUEST)
    counter, officer = office["counter1"]["id"], office["officer"]["id"]
    ops.set_counter_status(counter, "open", officer)
    called = ops.call_next(counter, officer)
    assert called["id"] == ticket["id"]
    ops.start_service(ticket["id"], officer)
    ops.finish(ticket["id"], officer)
    return ticket


def ratings(store):
    return store.read(lambda conn: [dict(r) for r in _ratings(conn)])


def _ratings(conn):
    from shared.storage.rows import fetch_all

    return fetch_all(conn, "SELECT * FROM ratings")


def test_rating_flow_with_survey_and_integrity_flag(qtbot, kiosk, kiosk_ops, ops, office):
    ticket = served_ticket(kiosk_ops, ops, office)
    click(qtbot, kiosk.welcome.rate)
    rating = kiosk.rating
    type_into(qtbot, rating.code_edit, ticket["code"].lower())
    click(qtbot, rating.next)
    qtbot.waitUntil(lambda: rating.pages.currentIndex() == 1, timeout=5000)
    assert rating.form_title.text() == "Bagaimana pelayanan kami? (tiket KS-001)"

    click(qtbot, rating.next)  # no stars yet
    assert rating.error.text() == "Silakan pilih satu sampai lima bintang terlebih dahulu."
    click(qtbot, rating.star_buttons[3])
    rating.form_scroll.ensureWidgetVisible(rating.gratification)
    click(qtbot, rating.gratification.button_for("no"))
    click(qtbot, rating.extortion.button_for("yes"))
    rating.form_scroll.ensureWidgetVisible(rating.ikm_toggle)
    click(qtbot, rating.ikm_toggle)
    for index, answers in enumerate(rating.ikm_answers):
        btn = answers.button_for(str(index % 4 + 1))
        rating.form_scroll.ensureWidgetVisible(btn)
        click(qtbot, btn)
    rating.comment.setFocus()
    qtbot.keyClicks(rating.comment, "Petugas ramah")
    click(qtbot, rating.next)
    qtbot.waitUntil(lambda: rating.pages.currentIndex() == 2, timeout=5000)
    assert rating.thanks_text.text().startswith("Pimpinan kantor akan menindaklanjuti")

    (row,) = ratings(kiosk_ops.store)
    assert row["ticket_id"] == ticket["id"]
    assert row["score"] == 4
    assert row["service_code"] == "KS"
    assert row["officer_id"] == office["officer"]["id"]
    assert row["counter_id"] == office["counter1"]["id"]
    assert [row[f"u{i}"] for i in range(1, 10)] == [1, 2, 3, 4, 1, 2, 3, 4, 1]
    assert (row["gratification"], row["extortion"], row["flagged"]) == (0, 1, 1)
    assert row["comment"] == "Petugas ramah"

    click(qtbot, rating.next)  # Selesai
    assert kiosk.current is kiosk.welcome
    assert rating.code_edit.text() == "" and rating.score == 0


def test_quick_rating_only_stars(qtbot, kiosk, kiosk_ops, ops, office):
    ticket = served_ticket(kiosk_ops, ops, office)
    click(qtbot, kiosk.welcome.rate)
    kiosk.rating.look_up(ticket["code"])
    qtbot.waitUntil(lambda: kiosk.rating.pages.currentIndex() == 1, timeout=5000)
    click(qtbot, kiosk.rating.star_buttons[4])
    click(qtbot, kiosk.rating.next)
    qtbot.waitUntil(lambda: kiosk.rating.pages.currentIndex() == 2, timeout=5000)
    (row,) = ratings(kiosk_ops.store)
    assert row["score"] == 5 and row["flagged"] == 0 and row["u1"] is None
    assert row["gratification"] is None


def test_rating_refusals(qtbot, kiosk, kiosk_ops, ops, office):
    waiting = kiosk_ops.issue_ticket("RS", GUEST)  # Loket 1 does not serve RS
    served = served_ticket(kiosk_ops, ops, office)
    kiosk_ops.record_rating(served["code"], 5)
    click(qtbot, kiosk.welcome.rate)
    rating = kiosk.rating

    def refused(text):
        rating.code_edit.clear()
        type_into(qtbot, rating.code_edit, text)
        qtbot.keyClick(rating.code_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: rating.error.text() != "" and rating.next.isEnabled(), timeout=5000)
        assert rating.pages.currentIndex() == 0
        return rating.error.text()

    assert refused(waiting["code"]) == (
        "Tiket RS-001 belum dilayani hari ini, sehingga belum dapat dinilai."
    )
    assert rating.error.property("role") == "status"  # a problem: red
    assert refused(served["code"]) == "Tiket KS-001 sudah dinilai. Terima kasih!"
    assert rating.error.property("role") == "status-ok"  # good news, not an error
    assert rating.error.palette().color(rating.error.foregroundRole()).red() < 100
    assert refused("ZZZZ9999") == (
        "Tiket dengan kode ZZZZ9999 tidak ditemukan. Periksa kode tiket pada tiket Anda."
    )
    assert len(ratings(kiosk_ops.store)) == 1


def test_the_public_number_cannot_rate_a_visit(qtbot, kiosk, kiosk_ops, ops, office):
    served = served_ticket(kiosk_ops, ops, office)
    click(qtbot, kiosk.welcome.rate)
    rating = kiosk.rating
    for number in (served["number"], "ks1", "KS 001"):
        rating.code_edit.clear()
        type_into(qtbot, rating.code_edit, number)
        qtbot.keyClick(rating.code_edit, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: rating.error.text() != "" and rating.next.isEnabled(), timeout=5000)
        assert rating.pages.currentIndex() == 0
        assert "nomor antrean yang dapat dilihat semua orang" in rating.error.text()
        assert rating.error.property("role") == "status"
    assert ratings(kiosk_ops.store) == []


def test_scanning_a_ticket_on_welcome_opens_the_rating(qtbot, kiosk, kiosk_ops, ops, office):
    ticket = served_ticket(kiosk_ops, ops, office)
    kiosk.welcome.setFocus()
    qtbot.keyClicks(kiosk.welcome, ticket["code"])  # a keyboard-wedge scanner types it
    qtbot.keyClick(kiosk.welcome, Qt.Key.Key_Return)
    assert kiosk.current is kiosk.rating
    qtbot.waitUntil(lambda: kiosk.rating.pages.currentIndex() == 1, timeout=5000)
    assert kiosk.rating.ticket.number == "KS-001"


def decode(pixmap) -> str:
    image = pixmap.toImage()
    buffer = image.bits().tobytes()
    pil = Image.frombuffer(
        "RGBA", (image.width(), image.height()), buffer, "raw", "BGRA", image.bytesPerLine(), 1
    )
    (result,) = zxingcpp.read_barcodes(pil.convert("L"))
    return result.text


def test_complaint_channels_have_qr_codes_that_decode(qtbot, kiosk):
    click(qtbot, kiosk.welcome.complain)
    assert kiosk.current is kiosk.complaints
    decoded = {decode(label.pixmap()) for label in kiosk.complaints.qr_labels}
    assert decoded == {
        "https://www.lapor.go.id",
        "https://webapps.bps.go.id/pengaduan",
        "mailto:bps1600@bps.go.id",
        "https://wa.me/6281333783485",
    }
    assert all(label.pixmap().width() >= 200 for label in kiosk.complaints.qr_labels)
    click(qtbot, kiosk.complaints.back)
    assert kiosk.current is kiosk.welcome


def test_complaint_channels_follow_the_settings(qtbot, kiosk, kiosk_ops):
    kiosk_ops.save_setting(
        "complaint_channels",
        [{"kind": "web", "label": "Pengaduan Sumsel", "target": "sumsel.bps.go.id/pengaduan"}],
    )
    qtbot.waitUntil(lambda: len(kiosk.complaints.channels) == 1, timeout=5000)
    click(qtbot, kiosk.welcome.complain)
    (label,) = kiosk.complaints.qr_labels
    assert decode(label.pixmap()) == "https://sumsel.bps.go.id/pengaduan"


def tap_logo(qtbot, kiosk, times=5):
    for _tap in range(times):
        qtbot.mouseClick(kiosk.header.logo, Qt.MouseButton.LeftButton)


def test_hidden_gesture_and_admin_pin_unlock_the_settings(qtbot, kiosk, office, kiosk_ops):
    kiosk_ops.save_officer("admin", full_name="Admin TI", pin="999999", role="admin")
    tap_logo(qtbot, kiosk, 4)
    assert kiosk.current is kiosk.welcome
    qtbot.mouseClick(kiosk.header.logo, Qt.MouseButton.LeftButton)
    admin = kiosk.admin
    assert kiosk.current is admin and admin.pages.currentIndex() == 0

    def unlock(username, pin):
        admin.username.clear()
        type_into(qtbot, admin.username, username)
        type_into(qtbot, admin.pin, pin)
        click(qtbot, admin.login_button)
        qtbot.waitUntil(lambda: admin.login_button.isEnabled(), timeout=5000)

    unlock("admin", "111111")
    assert admin.login_error.text() == _("Unknown officer or wrong PIN.")
    assert not admin.unlocked
    unlock("budi", "1234")  # an officer, not an administrator
    assert admin.login_error.text() == (
        "Hanya supervisor atau administrator yang dapat masuk di sini."
    )
    assert not admin.unlocked
    unlock("admin", "999999")
    assert admin.unlocked and admin.pages.currentIndex() == 1
    assert "dummy" in admin.printer_text.text()

    click(qtbot, admin.test_print)
    qtbot.waitUntil(lambda: kiosk.backend.printer.printed == 1, timeout=5000)
    assert b"TES-000" in kiosk.backend.printer.last_output

    with qtbot.waitSignal(kiosk.exit_requested, timeout=2000):
        click(qtbot, admin.exit_kiosk)


def test_locked_full_screen_refuses_to_close(qtbot, kiosk_ops, printer, kiosk_config):
    from kiosk.backend import KioskBackend
    from kiosk.window import KioskWindow

    backend = KioskBackend(kiosk_ops, printer, heartbeat=False)
    window = KioskWindow(backend, kiosk_config, windowed=False)
    qtbot.addWidget(window)
    window.show_kiosk()
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert window.isFullScreen()
    window.close()
    assert window.isVisible()
    window._may_close = True
    backend.stop()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_printer_offline_keeps_the_ticket_and_reports_it(qtbot, make_kiosk, kiosk_store):
    printer = TicketPrinter(f"network:127.0.0.1:{closed_port()}", "80mm", timeout=1)
    kiosk = make_kiosk(printer_=printer)
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    qtbot.waitUntil(lambda: kiosk.ticket.print_status is not None, timeout=5000)
    code = kiosk.ticket.ticket["code"]
    assert kiosk.ticket.printer_line.text() == (
        "Tiket tidak dapat dicetak. Silakan catat nomor Anda, KS-001, dan kode tiket Anda,"
        f" {ticketcode.grouped(code)} (untuk menilai layanan kami nanti), atau foto layar ini."
        " Nomor Anda tetap berlaku."
    )
    assert kiosk.ticket.number.text() == "KS-001"
    assert not kiosk.ticket.qr.pixmap().isNull()

    def kiosk_heartbeat():
        rows = kiosk_store.read(heartbeat.machines)
        return next((r for r in rows if r["program"] == "kiosk"), None)

    qtbot.waitUntil(
        lambda: (kiosk_heartbeat() or {}).get("status", {}).get("printer") == "offline",
        timeout=5000,
    )
    status = kiosk_heartbeat()["status"]
    assert "cannot be reached" in status["printer_message"]


def test_no_printer_configured_asks_to_note_the_number(qtbot, make_kiosk):
    kiosk = make_kiosk(printer_=TicketPrinter("none"))
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.ticket.print_status is not None, timeout=5000)
    assert "catat nomor Anda" in kiosk.ticket.printer_line.text()


def test_a_real_font_is_installed_and_used(kiosk):
    families = QFontDatabase.families()
    assert "DejaVu Sans" in families, "install fonts-dejavu-core: text would be empty boxes"
    assert QFontInfo(kiosk.welcome.title.font()).family() == "DejaVu Sans"
    assert QFontInfo(kiosk.ticket.number.font()).pixelSize() >= 150


@pytest.mark.parametrize("size", [(1920, 1080), (1080, 1920)])
def test_touch_targets_and_text_are_large(qtbot, make_kiosk, size):
    from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit

    kiosk = make_kiosk(size=size)
    open_guest_book(qtbot, kiosk)
    for widget in kiosk.findChildren(QAbstractButton) + kiosk.findChildren(QLineEdit):
        if widget.isVisible():
            assert widget.height() >= 48 and widget.width() >= 48, widget.objectName()
    for text in kiosk.findChildren(QLabel):
        if text.isVisible() and text.text():
            assert QFontInfo(text.font()).pixelSize() >= 22, text.text()
