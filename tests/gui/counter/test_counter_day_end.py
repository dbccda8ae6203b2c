"""The end of the service day on the console: warned before, told after, header true.

A Friday in Palembang: the services close at 16:00 and the day is closed at 16:30 (the
office's 30 minutes' grace) by whichever PC notices first — here another PC's heartbeat,
so the console learns it only from the database, as it would in the office.
"""

from __future__ import annotations

from datetime import datetime

import pytest

from counter import actions
from tests.conftest import JAKARTA
from tests.gui.counter.conftest import GUEST, log_in, press, settle, ticket

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

FRIDAY_1500 = datetime(2026, 11, 27, 15, 0, tzinfo=JAKARTA)


def at(clock, hour: int, minute: int) -> None:
    clock.set(FRIDAY_1500.replace(hour=hour, minute=minute))


def day_end_notices(window) -> dict[str, str]:
    return {
        key: notice.text.text()
        for key, notice in window.notices.notices.items()
        if key.startswith("dayend") and notice.isVisible()
    }


@pytest.fixture
def friday_afternoon(ops, office, clock):
    """Loket 1 serves KS-001; Loket 2 has called KS-002; KS-003, KS-004 and PS-001 wait."""
    at(clock, 15, 0)
    tickets = [ops.issue_ticket(code, GUEST) for code in ("KS", "KS", "KS", "KS", "PS")]
    return tickets


def test_the_day_end_is_announced_before_and_told_after(
    qtbot, make_console, ops, store, office, clock, friday_afternoon
):
    first, second, *waiting = friday_afternoon
    loket1 = make_console("loket-1-pc")
    log_in(qtbot, loket1, "budi", "1234", office["counter1"]["id"])
    qtbot.waitUntil(lambda: loket1.officer is not None, timeout=5000)
    press(qtbot, loket1, actions.CALL_NEXT)
    press(qtbot, loket1, actions.START)
    loket2 = make_console("loket-2-pc")
    log_in(qtbot, loket2, "sari", "5678", office["counter2"]["id"])
    qtbot.waitUntil(lambda: loket2.officer is not None, timeout=5000)
    press(qtbot, loket2, actions.CALL_NEXT)
    assert ticket(store, second["id"])["status"] == "called"

    # 15:30: nothing yet.
    at(clock, 15, 30)
    loket1.worker.refresh()
    qtbot.wait(300)
    assert day_end_notices(loket1) == {}

    # 15:45 and 15:55: the officers are warned, with the closing time and what follows.
    at(clock, 15, 45)
    loket1.worker.refresh()
    qtbot.waitUntil(lambda: bool(day_end_notices(loket1)), timeout=3000)
    [text] = day_end_notices(loket1).values()
    assert "16:00" in text and "15 menit" in text, text
    assert "16:30" in text, text
    assert "16:00" in loket1.day_state.full_text(), loket1.day_state.full_text()
    at(clock, 15, 55)
    qtbot.waitUntil(lambda: ", 5 menit" in " ".join(day_end_notices(loket1).values()), timeout=3000)
    assert "15 menit" not in " ".join(day_end_notices(loket1).values())
    assert loket1.notices.notices["dayend:5"].property("level") == "breached"

    # 16:00 to 16:30: the service is closed, the queue not yet.
    at(clock, 16, 10)
    loket1.worker.refresh()
    qtbot.waitUntil(
        lambda: (
            "16:30" in " ".join(day_end_notices(loket1).values())
            and "3 pengunjung" in " ".join(day_end_notices(loket1).values())
        ),
        timeout=3000,
    )

    # 16:30: another PC closes the day. Both consoles say so in a sentence.
    at(clock, 16, 30)
    [summary] = ops.close_due_days()
    assert sorted(summary["unserved"]) == sorted(
        [second["number"], *(t["number"] for t in waiting)]
    )
    for window in (loket1, loket2):
        window.worker.refresh()
    # Loket 1 still serves its visitor: it stays open, the officer stays, and is told.
    qtbot.waitUntil(
        lambda: (
            "Hari layanan ditutup pukul 16:00: 4 pengunjung tidak terlayani"
            in " ".join(day_end_notices(loket1).values())
        ),
        timeout=3000,
    )
    assert loket1.officer is not None
    assert ticket(store, first["id"])["status"] == "serving"
    assert "ditutup" in loket1.day_state.full_text(), loket1.day_state.full_text()
    assert loket1.counter_state.text() == "buka"
    # Loket 2's called visitor is unserved, as the rule says; its officer is told which.
    qtbot.waitUntil(lambda: loket2.officer is None, timeout=3000)
    message = loket2.login_view.message.text()
    assert "Hari layanan ditutup pukul 16:00: 4 pengunjung tidak terlayani" in message, message
    assert second["number"] in message and "dipanggil" in message, message
    assert ticket(store, second["id"])["status"] == "unserved"

    # Loket 1 finishes its visitor; the next heartbeat closes the counter and logs out.
    press(qtbot, loket1, actions.FINISH)
    at(clock, 16, 31)
    ops.close_due_days()
    loket1.worker.refresh()
    qtbot.waitUntil(lambda: loket1.officer is None, timeout=3000)
    assert "Hari layanan ditutup pukul 16:00" in loket1.login_view.message.text()


def test_a_day_closed_next_morning_is_named_by_its_date(
    qtbot, make_console, ops, store, office, clock
):
    """Nobody's PC ran at closing: the first program of the morning closes yesterday."""
    at(clock, 15, 0)
    window = make_console("loket-1-pc")
    log_in(qtbot, window, "budi", "1234", office["counter1"]["id"])
    qtbot.waitUntil(lambda: window.officer is not None, timeout=5000)
    ops.issue_ticket("KS", GUEST)
    settle(qtbot, window)
    clock.set(FRIDAY_1500.replace(day=30, hour=7, minute=58))  # Monday morning
    ops.close_due_days()
    window.worker.refresh()
    qtbot.waitUntil(lambda: window.officer is None, timeout=3000)
    message = window.login_view.message.text()
    assert message.startswith("Hari layanan 27-11-2026 ditutup pukul 16:00: 1 pengunjung"), message
    # The whole sentence is on the card, not cut after its first line.
    label = window.login_view.message
    assert label.height() >= label.heightForWidth(label.width())
