"""The kiosk tells the truth: closed services, honest waits, messages that go away,
an idle warning before a form is wiped, words in the visitor's language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt

from kiosk.channels import channel_label
from shared import i18n
from tests.gui.kiosk.conftest import click, day_tickets, fill_guest_book, open_guest_book, type_into


def shown_part(widget, viewport) -> QRect:
    """The part of ``widget`` a visitor sees through a scroll area's viewport."""
    top_left = widget.mapTo(viewport, QPoint(0, 0))
    return QRect(top_left, widget.size()).intersected(viewport.rect())


@pytest.fixture
def strict_kiosk(make_kiosk, kiosk_config):
    """A kiosk that gives no number for a service without an open counter (the default)."""
    kiosk_config.issue_without_open_counter = False
    return make_kiosk()


def test_a_service_without_an_open_counter_is_shown_closed_and_not_offered(
    qtbot, strict_kiosk, ops, office
):
    kiosk = strict_kiosk
    counter1, counter2 = office["counter1"]["id"], office["counter2"]["id"]
    officer = office["officer"]["id"]
    ops.set_counter_status(counter1, "open", officer)
    ops.set_counter_status(counter2, "open", office["supervisor"]["id"])
    rj = kiosk.service.buttons
    qtbot.waitUntil(lambda: "PJ" in rj and rj["PJ"].isEnabled(), timeout=5000)
    assert "sekitar" in kiosk.findChild(type(kiosk.welcome.title), "estimate_PJ").text() or (
        kiosk.findChild(type(kiosk.welcome.title), "estimate_PJ").text() == "tanpa antrean"
    )
    # The only counter serving PJ, RS and LA closes.
    ops.set_counter_status(counter2, "closed", office["supervisor"]["id"])
    qtbot.waitUntil(lambda: not kiosk.service.buttons["PJ"].isEnabled(), timeout=5000)
    for code in ("PJ", "RS", "LA"):
        assert "Belum ada loket yang buka" in kiosk.service.buttons[code].text()
        assert "menit" not in kiosk.service.buttons[code].text()
        wait = kiosk.findChild(type(kiosk.welcome.title), f"estimate_{code}")
        assert wait.text() == "belum ada loket buka"
    assert kiosk.service.buttons["KS"].isEnabled()
    click(qtbot, kiosk.welcome.take_number)
    qtbot.mouseClick(kiosk.service.buttons["PJ"], Qt.MouseButton.LeftButton)
    assert kiosk.current is kiosk.service  # not offered
    assert day_tickets(ops.store) == []


def test_the_estimate_counts_the_counters_open_for_the_service(qtbot, kiosk, ops, office):
    for i in range(4):
        ops.issue_ticket("KS", {"name": f"Tamu {i}", "email": f"t{i}@x.id", "consent": True})
    officer, supervisor = office["officer"]["id"], office["supervisor"]["id"]
    ops.set_counter_status(office["counter1"]["id"], "open", officer)
    estimate = kiosk.findChild(type(kiosk.welcome.title), "estimate_KS")
    qtbot.waitUntil(lambda: estimate.text() == "sekitar 32 menit", timeout=5000)  # 4 × 8 / 1
    ops.set_counter_status(office["counter2"]["id"], "open", supervisor)
    qtbot.waitUntil(lambda: estimate.text() == "sekitar 16 menit", timeout=5000)  # 4 × 8 / 2


def test_when_allowed_a_number_without_an_open_counter_promises_no_wait(qtbot, kiosk, printer):
    open_guest_book(qtbot, kiosk, "RS")
    assert "Belum ada loket yang buka" in kiosk.service.buttons["RS"].text()
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.ticket.print_status is not None, timeout=5000)
    assert kiosk.ticket.estimate.text().startswith("Belum ada loket yang buka")
    assert b"Perkiraan" not in printer.last_output


def test_fixed_fields_drop_the_correct_the_fields_message(qtbot, kiosk):
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    type_into(qtbot, book.edits["email"], "siti@contoh")
    click(qtbot, book.submit)
    assert book.message.text() == "Silakan perbaiki isian yang ditandai merah."
    type_into(qtbot, book.edits["name"], "Siti")
    assert book.message.text() != ""  # e-mail and consent are still marked
    book.edits["email"].setFocus()
    qtbot.keyClicks(book.edits["email"], ".id")
    assert book.message.text() != ""
    book.scroll.ensureWidgetVisible(book.consent)
    click(qtbot, book.consent)
    assert not any(field.has_error for field in book.fields.values())
    assert book.message.text() == ""


def test_a_half_hidden_chip_is_chosen_by_one_tap_and_comes_into_view(qtbot, make_kiosk):
    kiosk = make_kiosk(size=(1366, 768))
    open_guest_book(qtbot, kiosk)
    qtbot.wait(10)  # the form has opened at its top
    book = kiosk.guest_book
    area = book.scroll
    viewport = area.viewport()
    # Scroll so that a chip is cut by the bottom edge of the form.
    btn = book.choices["occupation"].button_for("Pegawai Swasta")
    top = btn.mapTo(area.widget(), QPoint(0, 0)).y()
    area.verticalScrollBar().setValue(top - viewport.height() + btn.height() // 3)
    qtbot.wait(20)
    visible = shown_part(btn, viewport)
    assert 0 < visible.height() < btn.height()  # half hidden
    tap = btn.mapFrom(viewport, visible.center())
    qtbot.mousePress(btn, Qt.MouseButton.LeftButton, pos=tap)
    qtbot.wait(20)  # a finger rests a moment: nothing may move under it
    assert btn.rect().contains(btn.mapFrom(viewport, visible.center()))
    qtbot.mouseRelease(btn, Qt.MouseButton.LeftButton, pos=tap)
    assert book.choices["occupation"].value() == "Pegawai Swasta"
    qtbot.waitUntil(lambda: shown_part(btn, viewport).height() == btn.height())
    assert not btn.hasFocus()  # no focus ring that looks like a choice


def test_guest_book_opens_at_its_top_with_nothing_focused(qtbot, make_kiosk):
    kiosk = make_kiosk(size=(1366, 768))
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    book.scroll.verticalScrollBar().setValue(900)
    click(qtbot, book.back)
    click(qtbot, kiosk.service.buttons["PS"])
    qtbot.wait(10)
    assert book.scroll.verticalScrollBar().value() == 0
    for widget in (book.title, book.required_note, book.lookup_card):
        assert shown_part(widget, book.scroll.viewport()).height() == widget.height()
    assert not any(c.button_for("Laki-laki").hasFocus() for c in [book.choices["sex"]])
    focused = kiosk.focusWidget()
    assert focused in (None, book)  # the screen itself: no field, no button


def test_enter_goes_on_to_the_next_box(qtbot, kiosk):
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    type_into(qtbot, book.edits["name"], "Siti")
    for key in ("email", "phone", "birth_year", "institution_name", "topic"):
        qtbot.keyClick(kiosk.focusWidget(), Qt.Key.Key_Return)
        assert book.edits[key].hasFocus(), key
    qtbot.keyClick(book.edits["topic"], Qt.Key.Key_Return)  # the last: take the number
    assert book.fields["email"].has_error  # … which says what is missing


def test_idle_warning_counts_down_and_a_tap_keeps_the_form(qtbot, make_kiosk, kiosk_config):
    kiosk_config.idle_seconds_form = 3  # warning after 1.5 s, wiped 1.5 s later
    kiosk = make_kiosk()
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    type_into(qtbot, book.edits["name"], "Siti Rahmawati")
    warning = kiosk.idle_warning
    qtbot.waitUntil(warning.isVisible, timeout=3000)
    assert warning.title.text() == "Masih di sana?"
    assert warning.text.text() in {
        f"Untuk melindungi data Anda, formulir dikosongkan dalam {n} detik." for n in (1, 2)
    }
    assert warning.geometry() == kiosk.rect()
    click(qtbot, warning.go_on)
    assert not warning.isVisible()
    assert kiosk.current is book and book.edits["name"].text() == "Siti Rahmawati"
    qtbot.waitUntil(warning.isVisible, timeout=3000)  # asked again after another pause
    qtbot.waitUntil(lambda: kiosk.current is kiosk.welcome, timeout=3000)
    assert not warning.isVisible()
    assert book.edits["name"].text() == ""


def test_english_words_on_english_screens(qtbot, kiosk):
    click(qtbot, kiosk.header.language_buttons["en"])
    assert channel_label({"kind": "box", "label": "Kotak saran di ruang PST"}) == (
        "Suggestion box in the PST room"
    )
    assert channel_label({"kind": "email", "label": "E-mail"}) == ""  # no repeated label
    open_guest_book(qtbot, kiosk)
    type_into(qtbot, kiosk.guest_book.edits["email"], "siti@contoh")
    click(qtbot, kiosk.guest_book.submit)
    assert "name@example.com" in kiosk.guest_book.fields["email"].error.text()
    i18n.set_language("id")
    assert channel_label({"kind": "box", "label": "Kotak saran di ruang PST"}) == (
        "Kotak saran di ruang PST"
    )


def test_the_active_language_button_stands_out(qtbot, kiosk):
    buttons = kiosk.header.language_buttons
    active, other = buttons["id"], buttons["en"]
    assert active.isChecked() and not other.isChecked()
    shot_a, shot_b = active.grab().toImage(), other.grab().toImage()
    center_a = shot_a.pixelColor(shot_a.width() // 2, 6)
    center_b = shot_b.pixelColor(shot_b.width() // 2, 6)
    assert abs(center_a.lightness() - center_b.lightness()) > 100


def test_the_email_box_has_an_at_key_that_keeps_the_focus(qtbot, kiosk):
    open_guest_book(qtbot, kiosk)
    book = kiosk.guest_book
    type_into(qtbot, book.edits["email"], "siti")
    hints = book.edits["email"].inputMethodHints()
    assert hints & Qt.InputMethodHint.ImhEmailCharactersOnly  # the keyboard's e-mail mode
    at = book.email_keys.findChild(type(book.submit), "email_key_@")
    qtbot.mouseClick(at, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(
        book.email_keys.findChild(type(book.submit), "email_key_gmail.com"),
        Qt.MouseButton.LeftButton,
    )
    assert book.edits["email"].text() == "siti@gmail.com"
    assert book.edits["email"].hasFocus()
    qtbot.keyClicks(book.edits["email"], "x")
    assert book.edits["email"].text() == "siti@gmail.comx"
