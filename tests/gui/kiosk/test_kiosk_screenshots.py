"""Screenshots of every kiosk screen at the office's screen sizes, in both languages.

1366×768 (the most common office monitor), 1920×1080 and a portrait 1080×1920 kiosk.
Saved under ``artifacts/kiosk`` for a person to look at; on each screen a text-fit check
(:mod:`tests.gui.kiosk.fit`) asserts that every visible text fits its rectangle, nothing
is cut off by the window edge, nothing overlaps, and every button is finger-sized.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QLabel, QPushButton, QWidget

from shared.devices.printing import PrinterStatus
from tests.gui.kiosk.conftest import click, fill_guest_book, type_into
from tests.gui.kiosk.fit import layout_problems, shown
from tests.gui.kiosk.test_kiosk_rating_and_more import served_ticket

SIZES = {
    "1366x768": (1366, 768),
    "1920x1080": (1920, 1080),
    "1080x1920": (1080, 1920),
    "1360x980": (1360, 980),  # where the consent text once overlapped itself
}


def test_the_fit_check_sees_cut_clipped_and_overlapping_widgets(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(400, 300)
    cut = QLabel("A sentence far too long for its label", window)
    cut.setGeometry(10, 10, 80, 30)
    wrapped = QLabel("Words that wrap onto many lines in a short label", window)
    wrapped.setWordWrap(True)
    wrapped.setGeometry(10, 50, 120, 20)
    box = QWidget(window)
    box.setGeometry(200, 10, 100, 40)
    clipped = QPushButton("OK", box)
    clipped.setGeometry(0, 20, 80, 40)
    first, second = QPushButton("A", window), QPushButton("B", window)
    first.setGeometry(10, 200, 100, 60)
    second.setGeometry(60, 220, 100, 60)
    window.show()
    problems = "\n".join(layout_problems(window))
    assert "text is cut" in problems and "wrapped text is cut" in problems
    assert "OK" in problems and "cut off by" in problems
    assert "overlap" in problems
    for widget in (cut, wrapped, clipped, second):
        widget.hide()
    assert layout_problems(window) == []


def check_layout(window) -> list[str]:
    problems = layout_problems(window)
    for btn in window.findChildren(QAbstractButton):
        if shown(btn) and (btn.height() < 48 or btn.width() < 48):
            problems.append(f"{btn.objectName()} {btn.text()!r}: smaller than a finger")
    return problems


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["id", "en"])
def test_screenshots_of_every_screen(
    qtbot, make_kiosk, kiosk_ops, ops, office, artifacts, lang, size
):
    folder = artifacts / "kiosk"
    folder.mkdir(exist_ok=True)
    served = served_ticket(kiosk_ops, ops, office, "PS")  # opens Loket 1 (KS, PS)
    for i in range(4):
        kiosk_ops.issue_ticket("KS", {"name": f"Tamu {i}", "email": f"t{i}@x.id", "consent": True})
    kiosk = make_kiosk(size=SIZES[size], language=lang)
    qtbot.waitUntil(lambda: kiosk.welcome.overview is not None)

    found: list[str] = []

    def shot(name, widget=None):
        qtbot.wait(20)  # let pending layout requests settle before grabbing
        found.extend(f"{name}: {problem}" for problem in check_layout(kiosk))
        if widget is None:
            assert (kiosk.width(), kiosk.height()) == SIZES[size], name
        (widget or kiosk).grab().save(str(folder / f"{name}-{lang}-{size}.png"))

    shot("01-welcome")
    kiosk.welcome.show_storage_problem(True)
    shot("01-welcome-storage-problem")
    kiosk.welcome.show_storage_problem(False)
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
    kiosk._on_idle_timer_timeout()  # as if the visitor paused: "Still there?"
    shot("07-idle-warning")
    click(qtbot, kiosk.idle_warning.go_on)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.ticket.print_status is not None, timeout=5000)
    shot("08-ticket")
    kiosk.ticket.show_print_result(kiosk.ticket.ticket["code"], PrinterStatus("offline"))
    shot("09-ticket-printer-problem")
    click(qtbot, kiosk.ticket.done)
    click(qtbot, kiosk.welcome.rate)
    shot("10-rating-find")
    type_into(qtbot, kiosk.rating.code_edit, "PS-001")
    click(qtbot, kiosk.rating.next)
    qtbot.waitUntil(lambda: kiosk.rating.error.text() != "", timeout=5000)
    shot("11-rating-refused")
    kiosk.rating.code_edit.clear()
    kiosk.rating.look_up(served["code"])
    qtbot.waitUntil(lambda: kiosk.rating.pages.currentIndex() == 1, timeout=5000)
    click(qtbot, kiosk.rating.star_buttons[4])
    shot("12-rating-form")
    click(qtbot, kiosk.rating.ikm_toggle)
    shot("13-rating-survey-full", kiosk.rating.form_scroll.widget())
    click(qtbot, kiosk.rating.next)
    qtbot.waitUntil(lambda: kiosk.rating.pages.currentIndex() == 2, timeout=5000)
    shot("14-rating-thanks")
    click(qtbot, kiosk.rating.next)
    click(qtbot, kiosk.welcome.rate)
    kiosk.rating.look_up(served["code"])
    qtbot.waitUntil(lambda: kiosk.rating.error.text() != "", timeout=5000)
    shot("15-rating-already-rated")
    click(qtbot, kiosk.rating.back)
    click(qtbot, kiosk.welcome.complain)
    shot("16-complaints")
    viewport = kiosk.complaints.scroll.viewport()
    for qr in kiosk.complaints.qr_labels:  # every code above the fold, none to scroll to
        top_left = qr.mapTo(viewport, QPoint(0, 0))
        assert viewport.rect().contains(QRect(top_left, qr.size())), (size, qr.objectName())
    click(qtbot, kiosk.complaints.back)
    kiosk.admin.reset()
    kiosk.show_screen(kiosk.admin)
    shot("17-admin-login")
    kiosk.admin._on_unlocked({"full_name": "Sari Dewi", "role": "supervisor"})
    shot("18-admin-panel")
    kiosk.reset_to_welcome()
    if lang == "en":
        kiosk.set_language("en")
    kiosk.backend.ops.clock.set(kiosk.backend.ops.clock.now_ms() + 12 * 3_600_000)
    kiosk.backend.refresh()
    qtbot.waitUntil(lambda: kiosk.welcome.closed_box.isVisible(), timeout=5000)
    shot("19-welcome-closed")
    assert not found, f"{lang} {size}:\n" + "\n".join(found)
