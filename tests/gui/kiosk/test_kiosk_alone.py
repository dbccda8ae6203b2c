"""A kiosk alone for a day: unexpected errors, a missing share, a printer that fails.

Whatever goes wrong, the next visitor finds an empty welcome screen in the office's
language and words meant for visitors; the IT detail goes to the log and, through the
kiosk's heartbeat, to the supervisor's console.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import threading
import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit

from kiosk.backend import KioskBackend
from kiosk.window import KioskWindow
from shared import i18n
from shared.devices.printing import TicketPrinter
from shared.qt.recovery import Recovery
from shared.queue import heartbeat, supervision, ticketcode
from shared.queue.operations import Operations
from shared.storage.store import Store
from tests.gui.kiosk.conftest import click, fill_guest_book, open_guest_book, type_into
from tests.gui.kiosk.test_kiosk_rating_and_more import closed_port, served_ticket

pytestmark = pytest.mark.qt_no_exception_capture


@pytest.fixture
def recovery():
    """The program's recovery, installed as pst-kiosk installs it."""
    installed = Recovery("pst-kiosk").install()
    yield installed
    installed.uninstall()


def typed_anywhere(window) -> list[str]:
    """Every input of the kiosk that still holds text."""
    return [
        f"{edit.objectName()}: {edit.text()!r}"
        for edit in window.findChildren(QLineEdit)
        if edit.text()
    ] + [edit.objectName() for edit in window.findChildren(QPlainTextEdit) if edit.toPlainText()]


def kiosk_status(store) -> dict:
    rows = store.read(heartbeat.machines)
    return next((r["status"] for r in rows if r["program"] == "kiosk"), {})


def test_an_error_in_a_slot_gives_an_empty_welcome_in_the_office_language(
    qtbot, kiosk, recovery, caplog
):
    recovery.on_error(kiosk.recover)
    click(qtbot, kiosk.header.language_buttons["en"])
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    fill_guest_book(qtbot, kiosk, education="S2")
    type_into(qtbot, book.lookup_edit, "siti@contoh.id")
    click(qtbot, book.full_notice_button)  # the privacy notice page is open
    kiosk.idle_warning.show()  # and "Still there?" is up

    def half_switch() -> None:
        kiosk.header.show_language("id")
        kiosk.welcome.title.setText("Selamat Datang")
        raise AttributeError("'QWindow' object has no attribute 'engine'")

    with caplog.at_level(logging.INFO):
        QTimer.singleShot(0, half_switch)
        started = time.monotonic()
        qtbot.waitUntil(lambda: recovery.count == 1, timeout=1000)
        qtbot.waitUntil(lambda: kiosk.current is kiosk.welcome, timeout=1000)
    assert time.monotonic() - started < 1.0
    assert i18n.language() == "id"
    assert kiosk.welcome.title.text() == "Selamat Datang"
    assert kiosk.welcome.take_number.text() == "Ambil Nomor Antrean"
    assert kiosk.header.language_buttons["id"].isChecked()
    assert not kiosk.header.language_buttons["en"].isChecked()
    assert not kiosk.idle_warning.isVisible()
    assert typed_anywhere(kiosk) == []
    assert book.choices["education"].value() == "" and not book.consent.isChecked()
    assert book.pages.currentIndex() == 0
    tracebacks = [r for r in caplog.records if r.exc_info]
    assert len(tracebacks) == 1 and tracebacks[0].exc_info[0] is AttributeError
    assert not any("stopped" in r.getMessage() for r in caplog.records)


def test_resets_of_the_screen_are_counted_per_service_day_in_the_heartbeat(
    qtbot, kiosk, recovery, clock, kiosk_store
):
    recovery.on_error(kiosk.recover)
    for _ in range(2):
        QTimer.singleShot(0, lambda: 1 / 0)
        qtbot.waitUntil(lambda n=recovery.count: recovery.count == n + 1, timeout=1000)
        qtbot.wait(20)  # one recovery per turn of the event loop
    qtbot.waitUntil(lambda: kiosk_status(kiosk_store).get("screen_resets") == 2, timeout=3000)
    assert kiosk_status(kiosk_store)["screen_resets_day"] == "2026-11-25"
    resets = kiosk_store.read(lambda conn: supervision.screen_resets(conn, "2026-11-25"))
    assert resets == [{"machine": "kiosk-1", "program": "kiosk", "count": 2}]

    clock.advance(minutes=24 * 60)  # the next service day starts with none
    kiosk.backend.beat_now()
    qtbot.waitUntil(lambda: kiosk_status(kiosk_store).get("screen_resets") == 0, timeout=3000)
    assert kiosk_store.read(lambda conn: supervision.screen_resets(conn, "2026-11-26")) == []


def test_a_ticket_committed_while_the_screen_was_reset_is_still_handed_out(
    qtbot, kiosk, kiosk_ops, recovery, printer
):
    """The visitor who tapped "Take a number" gets it, even if the screen reset meanwhile."""
    recovery.on_error(kiosk.recover)
    release = threading.Event()
    real_issue = kiosk_ops.issue_ticket

    def slow_issue(*args, **kwargs):
        release.wait(5)
        return real_issue(*args, **kwargs)

    kiosk_ops.issue_ticket = slow_issue
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    assert kiosk.guest_book.busy
    QTimer.singleShot(0, lambda: 1 / 0)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.welcome and recovery.count == 1, timeout=1000)
    assert typed_anywhere(kiosk) == [] and not kiosk.guest_book.busy
    release.set()
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=5000)
    assert kiosk.ticket.number.text() == "KS-001"
    qtbot.waitUntil(lambda: kiosk.ticket.printed, timeout=5000)
    assert b"KS-001" in printer.last_output


def test_an_answer_for_the_last_visitor_changes_nothing_for_the_next(
    qtbot, kiosk, kiosk_ops, ops, office, recovery
):
    """The rating screen, reset while its ticket was being looked up, stays where it is."""
    recovery.on_error(kiosk.recover)
    served = served_ticket(kiosk_ops, ops, office)
    release = threading.Event()
    kiosk.backend.db_worker.submit(lambda: release.wait(5))  # the share is slow
    click(qtbot, kiosk.welcome.rate)
    type_into(qtbot, kiosk.rating.code_edit, served["code"])
    click(qtbot, kiosk.rating.next)
    QTimer.singleShot(0, lambda: 1 / 0)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.welcome and recovery.count == 1, timeout=1000)
    release.set()
    qtbot.waitUntil(lambda: kiosk.backend.db_worker.pending == 0, timeout=5000)
    assert kiosk.rating.pages.currentIndex() == 0 and kiosk.rating.ticket is None
    assert kiosk.current is kiosk.welcome


def test_a_missing_share_asks_visitors_to_ask_an_officer(
    qtbot, tmp_path, clock, printer, kiosk_config, caplog
):
    share = tmp_path / "share"
    db = share / "antrian-pst.db"
    store = Store(db, busy_timeout_ms=500, retry_seconds=0.3, create=False)
    ops = Operations(store, clock=clock, machine="kiosk-1", program="kiosk")
    backend = KioskBackend(ops, printer, poll_interval_ms=50)
    window = KioskWindow(backend, kiosk_config, default_language="id", windowed=True)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    welcome = window.welcome
    try:
        with caplog.at_level(logging.INFO):
            backend.start()
            qtbot.waitUntil(welcome.storage_box.isVisible, timeout=5000)
            text = welcome.storage_box.text()
            assert "petugas" in text, text
            for it_word in (str(share), "antrian-pst.db", "folder", "database", "basis data"):
                assert it_word not in text, text
            # "Memuat…" gives way to a dash: nothing is coming.
            qtbot.waitUntil(lambda: "Memuat…" not in texts_of(welcome), timeout=6000)
            assert "—" in texts_of(welcome)
            window.set_language("en")
            assert "ask an officer" in welcome.storage_box.text()
            assert "shared folder" not in welcome.storage_box.text()
        # The IT detail is in the log.
        assert any(str(db) in r.getMessage() for r in caplog.records), caplog.text
    finally:
        backend.stop()
        window._may_close = True
        store.close()


def texts_of(widget) -> list[str]:
    from PySide6.QtWidgets import QLabel

    return [label.text() for label in widget.findChildren(QLabel) if label.isVisible()]


def test_a_share_that_drops_during_the_guest_book_speaks_to_the_visitor(qtbot, kiosk, db_path):
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    folder = db_path.parent
    hidden = folder.with_name(folder.name + "-gone")
    os.rename(folder, hidden)
    try:
        click(qtbot, book.submit)
        qtbot.waitUntil(lambda: "Data Anda tetap tersimpan" in book.message.text(), timeout=8000)
        text = book.message.text()
        assert "petugas" in text and "folder" not in text and str(folder) not in text, text
    finally:
        os.rename(hidden, folder)


def test_the_welcome_screen_comes_back_by_itself_after_a_lock_ends(qtbot, kiosk, db_path):
    # Only the kiosk's own read ran into the lock (the change poller, between two looks,
    # saw nothing); when it ends nothing in the file has changed. The visitor must not
    # be told to ask an officer for half a minute more.
    kiosk.backend._poller.stop()
    frozen = sqlite3.connect(db_path, isolation_level=None)
    frozen.execute("BEGIN EXCLUSIVE")
    try:
        kiosk.backend.refresh()
        qtbot.waitUntil(kiosk.welcome.storage_box.isVisible, timeout=10_000)
        assert not kiosk.backend.storage_ok
    finally:
        frozen.execute("ROLLBACK")
        frozen.close()
    qtbot.waitUntil(lambda: kiosk.backend.storage_ok, timeout=5000)
    qtbot.waitUntil(lambda: not kiosk.welcome.storage_box.isVisible(), timeout=1000)


def test_a_ticket_that_did_not_print_shows_its_code_and_the_code_rates(
    qtbot, make_kiosk, kiosk_ops, ops, office
):
    printer = TicketPrinter(f"network:127.0.0.1:{closed_port()}", "80mm", timeout=1)
    kiosk = make_kiosk(printer_=printer)
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.ticket.print_status is not None, timeout=5000)
    code = kiosk.ticket.ticket["code"]
    grouped = ticketcode.grouped(code)  # "ABCD 2345 EFGH", as the visitor reads it
    line = kiosk.ticket.printer_line.text()
    assert "KS-001" in line and grouped in line, line
    # Served, the visitor rates with the code as they noted it (lower case, with a space).
    counter, officer = office["counter1"]["id"], office["officer"]["id"]
    ops.set_counter_status(counter, "open", officer)
    ticket = ops.call_next(counter, officer)
    ops.start_service(ticket["id"], officer)
    ops.finish(ticket["id"], officer)
    click(qtbot, kiosk.ticket.done)
    click(qtbot, kiosk.welcome.rate)
    type_into(qtbot, kiosk.rating.code_edit, grouped.lower())
    click(qtbot, kiosk.rating.next)
    qtbot.waitUntil(lambda: kiosk.rating.pages.currentIndex() == 1, timeout=5000)
    assert kiosk.rating.ticket.number == "KS-001"


def test_the_satisfaction_survey_opens_in_view(qtbot, make_kiosk, kiosk_ops, ops, office):
    served = served_ticket(kiosk_ops, ops, office)
    kiosk = make_kiosk(size=(1366, 768))
    click(qtbot, kiosk.welcome.rate)
    rating = kiosk.rating
    type_into(qtbot, rating.code_edit, served["code"])
    click(qtbot, rating.next)
    qtbot.waitUntil(lambda: rating.pages.currentIndex() == 1, timeout=5000)
    click(qtbot, rating.ikm_toggle)
    qtbot.wait(100)
    viewport = rating.form_scroll.viewport()
    for widget in (rating.ikm_questions[0], rating.ikm_answers[0]):
        top_left = widget.mapTo(viewport, widget.rect().topLeft())
        bottom_right = widget.mapTo(viewport, widget.rect().bottomRight())
        assert viewport.rect().contains(top_left) and viewport.rect().contains(bottom_right), (
            widget.objectName(),
            top_left,
            bottom_right,
            viewport.rect(),
        )


def test_a_refusal_is_reworded_when_the_language_changes(qtbot, kiosk):
    """Found by the monkey: the refusal stayed Indonesian on an English screen."""
    click(qtbot, kiosk.welcome.rate)
    type_into(qtbot, kiosk.rating.code_edit, "ZZZZ9999")
    click(qtbot, kiosk.rating.next)
    qtbot.waitUntil(lambda: "ZZZZ9999" in kiosk.rating.error.text(), timeout=5000)
    assert kiosk.rating.error.text().startswith("Tiket dengan kode ZZZZ9999 tidak ditemukan")
    click(qtbot, kiosk.header.language_buttons["en"])
    assert kiosk.rating.error.text() == (
        "No ticket with code ZZZZ9999 was found. Check the ticket code on your ticket."
    )


def test_the_heartbeat_tells_it_when_the_queue_could_not_be_reached(kiosk, clock, caplog):
    from shared.errors import StorageMissing

    backend = kiosk.backend
    with caplog.at_level(logging.INFO, logger="kiosk.backend"):
        backend._on_storage_error(StorageMissing(path="/mnt/pst/antrian-pst.db"))
        assert not backend.storage_ok and kiosk.welcome.storage_box.isVisible()
        clock.advance(seconds=40)
        backend._set_storage_ok(True)
    assert not kiosk.welcome.storage_box.isVisible()
    outage = backend.heartbeat_status()["storage_outage"]
    assert outage["seconds"] == 40 and "/mnt/pst/antrian-pst.db" in outage["message"]
    assert any("/mnt/pst/antrian-pst.db" in r.getMessage() for r in caplog.records)
