"""Logging in, the PIN lockout, the remembered counter, logging out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from shared.install.config import load_config
from tests.gui.counter.conftest import events, log_in, log_in_officer

# The offscreen platform says so when a window's size limits change; not a fault of ours.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def _counter(store, counter_id):
    return store.read(
        lambda c: c.execute(
            "SELECT status, officer_id FROM counters WHERE id = ?", (counter_id,)
        ).fetchone()
    )


def test_login_opens_the_counter_and_remembers_it(qtbot, make_console, store, office, tmp_path):
    window = make_console()
    assert window.pages.currentWidget() is window.login_view
    log_in_officer(qtbot, window, office, "counter2")
    assert window.pages.currentWidget() is window.officer_view
    assert _counter(store, office["counter2"]["id"]) == ("open", office["officer"]["id"])
    assert window.identity.full_text() == "Loket 2 · Budi Santoso (petugas)"
    assert len(events(store, "login")) == 1
    config = load_config(window.ctx.config_path)
    assert config.counter.counter_id == office["counter2"]["id"]
    assert config.counter.officer == "budi"
    # An officer cannot open the supervisor page.
    assert not window.supervisor_page_button.isVisible()

    # Log out (switch officer): the counter closes, the login page remembers the choice.
    qtbot.mouseClick(window.logout_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.login_view, timeout=5000)
    assert _counter(store, office["counter2"]["id"]) == ("closed", None)
    assert len(events(store, "logout")) == 1
    window.close()

    again = make_console()
    assert again.login_view.counter_combo.currentData() == office["counter2"]["id"]
    assert again.login_view.officer_combo.currentData() == "budi"


def test_wrong_pin_and_lockout_after_five_tries(qtbot, make_console, store, office):
    window = make_console()
    view = window.login_view
    for attempt in range(1, 5):
        log_in(qtbot, window, "budi", "9999", office["counter1"]["id"])
        qtbot.waitUntil(lambda n=attempt: len(events(store, "login_failed")) == n, timeout=5000)
        # The officer was picked from the list: say the PIN is wrong and how many tries remain.
        qtbot.waitUntil(
            lambda n=attempt: (
                view.message.text()
                == f"PIN salah. Sisa percobaan sebelum dikunci 5 menit: {5 - n}."
            )
        )
        assert view.pin_edit.text() == ""
    log_in(qtbot, window, "budi", "9999", office["counter1"]["id"])
    qtbot.waitUntil(lambda: "5 menit" in view.message.text(), timeout=5000)
    assert len(events(store, "officer_locked")) == 1
    locked_until = store.read(
        lambda c: c.execute("SELECT locked_until FROM officers WHERE username = 'budi'").fetchone()[
            0
        ]
    )
    assert locked_until is not None
    # Even the right PIN is refused while locked, and nobody got in.
    log_in(qtbot, window, "budi", "1234", office["counter1"]["id"])
    qtbot.waitUntil(lambda: view.login_button.isEnabled() and "menit" in view.message.text())
    assert window.officer is None
    assert window.pages.currentWidget() is view
    assert _counter(store, office["counter1"]["id"])[0] == "closed"


def test_officer_must_choose_a_counter_supervisor_need_not(qtbot, make_console, office):
    window = make_console()
    log_in(qtbot, window, "budi", "1234", None)
    assert window.login_view.message.text() == "Pilih loket tempat Anda bertugas."
    assert window.officer is None
    log_in(qtbot, window, "sari", "5678", None)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.supervisor_view, timeout=5000)
    assert window.officer["role"] == "supervisor"
    assert not window.officer_page_button.isVisible()
