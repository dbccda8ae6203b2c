"""Fixtures for the kiosk: the real window on a real database file, a Dummy printer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from kiosk.backend import KioskBackend
from kiosk.window import KioskWindow
from shared.devices.printing import TicketPrinter
from shared.install.config import KioskSection
from shared.queue import queries
from shared.queue.operations import Operations
from shared.storage.store import Store

DAY = "2026-11-25"


def pytest_collection_modifyitems(items):
    # The offscreen platform warns that it cannot pass size hints to a window manager
    # it does not have; that is not a kiosk problem.
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore("propagateSizeHints"))


@pytest.fixture
def kiosk_store(db_path: Path):
    """The kiosk's own connection to the shared file (short retries keep tests quick)."""
    store = Store(db_path, busy_timeout_ms=500, retry_seconds=0.3)
    yield store
    store.close()


@pytest.fixture
def kiosk_ops(kiosk_store: Store, clock) -> Operations:
    ops = Operations(kiosk_store, clock=clock, machine="kiosk-1", program="kiosk")
    ops.initialise()
    return ops


@pytest.fixture
def printer() -> TicketPrinter:
    return TicketPrinter("dummy", "80mm")


@pytest.fixture
def kiosk_config() -> KioskSection:
    # Most tests issue numbers without opening a counter first; the tests of what a
    # visitor sees when no counter is open turn this off.
    return KioskSection(
        printer="dummy",
        idle_seconds_form=60,
        idle_seconds_ticket=15,
        issue_without_open_counter=True,
    )


@pytest.fixture
def make_kiosk(qtbot, kiosk_ops, printer, kiosk_config):
    """Build, show and start a kiosk window; stopped cleanly after the test."""
    made = []

    def make(*, size=(1920, 1080), language="id", printer_=None) -> KioskWindow:
        backend = KioskBackend(kiosk_ops, printer_ or printer, poll_interval_ms=50)
        window = KioskWindow(backend, kiosk_config, default_language=language, windowed=True)
        qtbot.addWidget(window)
        window.resize(*size)
        window.show()
        backend.start()
        qtbot.waitUntil(lambda: backend.overview is not None, timeout=5000)
        made.append(window)
        return window

    yield make
    for window in made:
        window.backend.stop()
        window._may_close = True


@pytest.fixture
def kiosk(make_kiosk) -> KioskWindow:
    return make_kiosk()


def day_tickets(store: Store) -> list[dict]:
    return store.read(lambda conn: queries.day_tickets(conn, DAY))


def click(qtbot, widget: QWidget) -> None:
    assert widget.isVisible(), f"{widget.objectName()} is not visible"
    assert widget.isEnabled(), f"{widget.objectName()} is disabled"
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def type_into(qtbot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    qtbot.keyClicks(edit, text)


def open_guest_book(qtbot, window: KioskWindow, service: str = "KS") -> None:
    click(qtbot, window.welcome.take_number)
    assert window.current is window.service
    click(qtbot, window.service.buttons[service])
    assert window.current is window.guest_book


def fill_guest_book(
    qtbot,
    window: KioskWindow,
    *,
    name: str = "Siti Rahmawati",
    email: str = "siti@contoh.id",
    phone: str = "081234567890",
    consent: bool = True,
    **choices: str,
) -> None:
    book = window.guest_book
    type_into(qtbot, book.edits["name"], name)
    type_into(qtbot, book.edits["email"], email)
    if phone:
        type_into(qtbot, book.edits["phone"], phone)
    for key, value in choices.items():
        group = book.priority if key == "priority_group" else book.choices[key]
        btn = group.button_for(value)
        book.scroll.ensureWidgetVisible(btn)
        click(qtbot, btn)
    if consent:
        check: QCheckBox = book.consent
        book.scroll.ensureWidgetVisible(check)
        click(qtbot, check)
        assert check.isChecked()
