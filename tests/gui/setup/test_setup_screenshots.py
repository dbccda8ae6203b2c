"""Screenshots of every pst-setup page at 1366×768, the most common office monitor.

Saved under ``artifacts/setup`` for a person to look at; the test also checks that no
one-line text is cut off.
"""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel

from shared.install.config import Config
from tests.gui.setup.conftest import (
    choose_role_and_database,
    next_enabled,
    open_wizard,
    tick,
)

SIZE = (1366, 768)


def check_layout(wizard, name: str) -> None:
    for label in wizard.findChildren(QLabel):
        if label.isVisible() and label.text() and not label.wordWrap() and label.pixmap().isNull():
            assert label.sizeHint().width() <= label.width() + 2, (name, label.text())
    for button in wizard.findChildren(QAbstractButton):
        if button.isVisible() and button.text():
            needed = button.fontMetrics().boundingRect(button.text()).width()
            assert needed <= button.width(), (name, button.text())


@pytest.mark.qt_log_ignore("propagateSizeHints")
@pytest.mark.parametrize("lang", ["id", "en"])
def test_screenshots_of_every_page(qtbot, place, shared_db, short_tmp, clock, artifacts, lang):
    folder = artifacts / "setup"
    folder.mkdir(exist_ok=True)
    config = Config()
    config.machine.language = lang

    def shot(wizard, name: str) -> None:
        wizard.resize(*SIZE)
        qtbot.wait(20)
        check_layout(wizard, name)
        assert (wizard.width(), wizard.height()) == SIZE
        wizard.grab().save(str(folder / f"setup-{name}-{lang}.png"))

    wizard = open_wizard(qtbot, place, clock, config)
    shot(wizard, "1-role")
    empty = short_tmp / "empty share"
    empty.mkdir()
    tick(qtbot, wizard.role_page.buttons["kiosk"])
    wizard.next()
    page = wizard.database_page
    page.path.setText(str(empty))
    qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
    tick(qtbot, page.admin)
    shot(wizard, "2-database-empty")
    page.path.setText(str(short_tmp / "not mounted" / "antrian-pst.db"))
    qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
    shot(wizard, "2-database-problem")
    page.path.setText(str(shared_db))
    qtbot.waitUntil(lambda: next_enabled(wizard), timeout=10_000)
    shot(wizard, "2-database-ready")
    wizard.next()
    tick(qtbot, wizard.kiosk_page.kind["network"])
    wizard.kiosk_page.host.setText("192.168.1.50")
    shot(wizard, "3-kiosk-printer")
    wizard.next()
    shot(wizard, "4-summary")
    wizard.close()

    for role, name in (("display", "3-display"), ("counter", "3-console")):
        other = open_wizard(qtbot, place, clock, config)
        choose_role_and_database(qtbot, other, role, shared_db)
        other.next()
        shot(other, name)
        other.close()
