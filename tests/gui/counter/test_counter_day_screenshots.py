"""Screenshots of the day's end and the move question, at both office sizes.

For a person to open (artifacts folder): the warning before closing, the sentence after
it, and the question an officer still holding another counter gets. The test asserts
what a machine can: nothing on them is cut.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QApplication, QLabel

from counter import actions
from tests.conftest import JAKARTA
from tests.gui.counter.conftest import GUEST, log_in, press
from tests.gui.textfit import clipped

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

SIZES = [(1366, 768), (1920, 1080)]
FRIDAY = datetime(2026, 11, 27, 15, 0, tzinfo=JAKARTA)


def cut_pills(window) -> list[str]:
    """Coloured labels whose text and padding need more than their width."""
    return [
        f"{label.objectName()}: {label.text()!r}"
        for label in window.findChildren(QLabel)
        if label.objectName() in ("counterState", "dayState")
        and label.isVisible()
        and QLabel.sizeHint(label).width() > label.width()
    ]


def shoot(widget, path) -> None:
    for _ in range(3):
        QApplication.processEvents()
    assert not clipped(widget), clipped(widget)
    assert not cut_pills(widget), cut_pills(widget)
    assert widget.grab().save(str(path))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_day_end_and_move_screens(qtbot, make_console, ops, office, clock, artifacts, size):
    label = f"{size[0]}x{size[1]}"
    clock.set(FRIDAY.replace(hour=10))
    for code in ("KS", "KS", "PS", "KS", "KS"):
        ops.issue_ticket(code, GUEST)
    # Sari still holds Loket 2 with a visitor called there, and logs in at Loket 1.
    ops.take_counter(office["counter2"]["id"], office["supervisor"]["id"])
    ops.call_next(office["counter2"]["id"], office["supervisor"]["id"])
    other = make_console("loket-1-pc-b", size=size)
    log_in(qtbot, other, "sari", "5678", office["counter1"]["id"])
    qtbot.waitUntil(lambda: other.dialog is not None, timeout=5000)
    dialog = other.dialog
    for _ in range(3):
        QApplication.processEvents()
    assert not clipped(dialog), clipped(dialog)
    # The dialog over the console, centred as a window manager puts it.
    picture = other.grab()
    painter = QPainter(picture)
    painter.drawPixmap(
        (picture.width() - dialog.width()) // 2,
        (picture.height() - dialog.height()) // 2,
        dialog.grab(),
    )
    painter.end()
    assert picture.save(str(artifacts / f"counter-move-question-{label}.png"))
    dialog.reject()
    other.close()

    # Budi serves a visitor at Loket 1 as the afternoon ends.
    clock.set(FRIDAY)
    window = make_console("loket-1-pc", size=size)
    log_in(qtbot, window, "budi", "1234", office["counter1"]["id"])
    qtbot.waitUntil(lambda: window.officer is not None, timeout=5000)
    press(qtbot, window, actions.CALL_NEXT)
    press(qtbot, window, actions.START)
    clock.set(FRIDAY.replace(minute=47))  # 13 minutes before the services close
    window.worker.refresh()
    qtbot.waitUntil(lambda: "dayend:15" in window.notices.notices, timeout=3000)
    shoot(window, artifacts / f"counter-day-end-notice-{label}.png")

    clock.set(FRIDAY.replace(hour=16, minute=30))
    ops.close_due_days()
    window.worker.refresh()
    qtbot.waitUntil(lambda: "dayend:closed" in window.notices.notices, timeout=3000)
    shoot(window, artifacts / f"counter-day-closed-{label}.png")
