"""The wizard's summary says what the kiosk's printer will be in words, never a code."""

from __future__ import annotations

import pytest

from setup_wizard.pages.base import KIOSK_PAGE
from tests.gui.setup.conftest import choose_role_and_database, open_wizard, tick

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_a_kiosk_without_printer_is_summed_up_in_a_sentence(qtbot, place, shared_db, clock):
    wizard = open_wizard(qtbot, place, clock)
    choose_role_and_database(qtbot, wizard, "kiosk", shared_db)
    wizard.next()
    assert wizard.currentId() == KIOSK_PAGE
    tick(qtbot, wizard.kiosk_page.kind["none"])
    wizard.next()
    summary = wizard.summary_page.text.text()
    assert "Printer: none" not in summary and "none" not in summary.split(), summary
    assert "Tanpa printer tiket: pengunjung melihat nomornya di layar kios." in summary, summary
