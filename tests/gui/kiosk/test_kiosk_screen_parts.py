"""The kiosk's shared screen parts, alone: the bottom bar and the form and page layouts."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStackedWidget, QWidget

from kiosk.screens import BottomBar, form_layout, page_layout
from kiosk.widgets import KeyboardSpacer


def test_bottom_bar_calls_back_and_action(qtbot):
    pressed = []
    bar = BottomBar(
        lambda: pressed.append("back"),
        lambda: pressed.append("action"),
        status_name="form_message",
        action_name="submit",
    )
    qtbot.addWidget(bar)
    assert bar.property("role") == "bottom-bar"
    assert (bar.back.objectName(), bar.status.objectName(), bar.action.objectName()) == (
        "back",
        "form_message",
        "submit",
    )
    qtbot.mouseClick(bar.action, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(bar.back, Qt.MouseButton.LeftButton)
    assert pressed == ["action", "back"]


def test_form_layout_keeps_room_for_the_keyboard_last(qtbot):
    screen = QWidget()
    qtbot.addWidget(screen)
    pages = QStackedWidget()
    bar = BottomBar(lambda: None, lambda: None, status_name="s", action_name="a")
    form_layout(screen, pages, bar, spacing=0)
    layout = screen.layout()
    items = [layout.itemAt(i).widget() for i in range(layout.count())]
    assert items[:2] == [pages, bar]
    assert isinstance(items[2], KeyboardSpacer)
    assert layout.stretch(0) == 1 and layout.spacing() == 0


def test_page_layout_puts_widgets_from_the_top_with_the_kiosk_margins(qtbot):
    page = QWidget()
    qtbot.addWidget(page)
    title, intro = QLabel("Judul"), QLabel("Pengantar")
    layout = page_layout(page, title, intro, spacing=16)
    assert [layout.itemAt(i).widget() for i in range(layout.count())] == [title, intro]
    margins = layout.contentsMargins()
    assert (margins.left(), margins.top(), margins.right(), margins.bottom()) == (48, 24, 48, 24)
    assert layout.spacing() == 16
