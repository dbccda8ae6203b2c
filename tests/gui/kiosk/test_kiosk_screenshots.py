"""Screenshots of every kiosk screen, both languages, landscape and portrait 1080p.

Saved under the ``artifacts`` folder for a person to look at; the test also checks
that no text is cut off and that nothing a finger taps is small.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QScrollArea

from shared.printing import PrinterStatus
from tests.gui.kiosk.conftest import click, fill_guest_book, type_into
from tests.gui.kiosk.test_kiosk_rating_and_more import served_ticket

SIZES = {"landscape": (1920, 1080), "portrait": (1080, 1920)}


def check_layout(window, name):
    """No visible one-line label is cut off; every visible button is finger-sized."""
    for text in window.findChildren(QLabel):
        if text.isVisible() and text.text() and not text.wordWrap() and text.pixmap().isNull():
            assert text.sizeHint().width() <= text.width() + 2, (name, text.text())
    for area in window.findChildren(QScrollArea):
        if area.isVisible():
            needed = area.widget().minimumSizeHint().width()
            assert needed <= area.viewport().width(), (name, "wider than the screen")
    for btn in window.findChildren(QAbstractButton):
        if btn.isVisible():
            assert btn.height() >= 48 and btn.width() >= 48, (name, btn.text())
            needed = btn.fontMetrics().boundingRect(btn.text().split("\n")[0]).width()
            assert needed <= btn.width(), (name, btn.text())


@pytest.mark.parametrize("orientation", sorted(SIZES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_screenshots_of_every_screen(
    qtbot, make_kiosk, kiosk_ops, ops, office, artifacts, lang, orientation
):
    folder = artifacts / "kiosk"
    folder.mkdir(exist_ok=True)
    served = served_ticket(kiosk_ops, ops, office, "PS")
    for i in range(4):
        kiosk_ops.issue_ticket("KS", {"name": f"Tamu {i}", "email": f"t{i}@x.id", "consent": True})
    kiosk = make_kiosk(size=SIZES[orientation], language=lang)
    qtbot.waitUntil(lambda: kiosk.welcome.overview is not None)

    def shot(name, widget=None):
        qtbot.wait(10)  # let pending layout requests settle before grabbing
        check_layout(kiosk, name)
        if widget is None:
            assert (kiosk.width(), kiosk.height()) == SIZES[orientation], name
        (widget or kiosk).grab().save(str(folder / f"{name}-{lang}-{orientation}.png"))

    shot("01-welcome")
    click(qtbot, kiosk.welcome.take_number)
    shot("02-choose-service")
    click(qtbot, kiosk.service.buttons["KS"])
    shot("03-guest-book")
    click(qtbot, kiosk.guest_book.submit)
    shot("04-guest-book-errors")
    fill_guest_book(qtbot, kiosk, sex="Perempuan", education="S1/D4", priority_group="elderly")
    type_into(qtbot, kiosk.guest_book.edits["birth_year"], "1958")
    shot("05-guest-book-filled-full", kiosk.guest_book.scroll.widget())
    click(qtbot, kiosk.guest_book.full_notice_button)
    shot("06-consent-notice")
    click(qtbot, kiosk.guest_book.notice_close)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.ticket.print_status is not None, timeout=5000)
    shot("07-ticket")
    kiosk.ticket.show_print_result(kiosk.ticket.ticket["code"], PrinterStatus("offline"))
    shot("08-ticket-printer-problem")
    click(qtbot, kiosk.ticket.done)
    click(qtbot, kiosk.welcome.rate)
    shot("09-rating-find")
    type_into(qtbot, kiosk.rating.code_edit, "PS-999")
    click(qtbot, kiosk.rating.next)
    qtbot.waitUntil(lambda: kiosk.rating.error.text() != "", timeout=5000)
    shot("10-rating-refused")
    kiosk.rating.code_edit.clear()
    kiosk.rating.look_up(served["code"])
    qtbot.waitUntil(lambda: kiosk.rating.pages.currentIndex() == 1, timeout=5000)
    click(qtbot, kiosk.rating.star_buttons[4])
    shot("11-rating-form")
    click(qtbot, kiosk.rating.ikm_toggle)
    shot("12-rating-survey-full", kiosk.rating.form_scroll.widget())
    click(qtbot, kiosk.rating.next)
    qtbot.waitUntil(lambda: kiosk.rating.pages.currentIndex() == 2, timeout=5000)
    shot("13-rating-thanks")
    click(qtbot, kiosk.rating.next)
    click(qtbot, kiosk.welcome.complain)
    shot("14-complaints")
    click(qtbot, kiosk.complaints.back)
    kiosk.admin.reset()
    kiosk.show_screen(kiosk.admin)
    shot("15-admin-login")
    kiosk.admin._on_unlocked({"full_name": "Sari Dewi", "role": "supervisor"})
    shot("16-admin-panel")
    kiosk.reset_to_welcome()
    if lang == "en":
        kiosk.set_language("en")
    kiosk.backend.ops.clock.set(kiosk.backend.ops.clock.now_ms() + 12 * 3_600_000)
    kiosk.backend.refresh()
    qtbot.waitUntil(lambda: kiosk.welcome.closed_box.isVisible(), timeout=5000)
    shot("17-welcome-closed")
