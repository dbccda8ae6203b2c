"""The counter console publishes to the central database once it sees the day closed."""

from __future__ import annotations

import psycopg

from tests.central.conftest import guest
from tests.gui.counter.conftest import make_console  # noqa: F401 (a fixture)


def central_tickets(url: str) -> int:
    try:
        with psycopg.connect(url) as conn:
            return conn.execute("SELECT count(*) FROM antrian_pst.tickets").fetchone()[0]
    except psycopg.Error:
        return 0  # not created yet


def test_the_console_publishes_after_the_day_closes(qtbot, make_console, ops, clock, central):  # noqa: F811
    ops.save_setting("office_code", "1671")
    ops.save_setting("central_url", central)
    ops.issue_ticket("KS", guest("Ani Wijaya", "ani@contoh.id", 1990))
    ops.issue_ticket("PS", guest("Bayu Saputra", "bayu@contoh.id", 1985))
    window = make_console()
    clock.advance(minutes=5)
    assert ops.close_day("2026-11-25")  # another PC closes the day: the console notices
    qtbot.waitUntil(lambda: window.snapshot.day_closed_at is not None, timeout=5000)
    assert central_tickets(central) == 0  # the setting is off: nothing leaves

    ops.save_setting("publish_after_close", True)
    with qtbot.waitSignal(window.publisher.finished, timeout=20_000) as done:
        window.worker.refresh()
    assert done.args[0] is True, done.args
    assert central_tickets(central) == 2
    # Seeing the same closed day again publishes nothing more.
    assert window.publisher.day_closed(window.snapshot) is False
