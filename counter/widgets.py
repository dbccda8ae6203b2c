"""Small widgets the console's pages share: a big figure with its caption, a list table."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableWidget,
    QVBoxLayout,
)

from shared.i18n import _


def figure(name: str, caption: str, *, tight: bool = False) -> tuple[QFrame, QLabel]:
    """A figure card: the value (``name`` is its object name) above its caption."""
    frame = QFrame()
    frame.setProperty("role", "figure")
    layout = QVBoxLayout(frame)
    if tight:
        layout.setContentsMargins(10, 6, 10, 6)
    value = QLabel("—")
    value.setObjectName(name)
    value.setProperty("role", "figureValue")
    label = QLabel(caption)
    label.setProperty("role", "caption")
    label.setWordWrap(True)
    layout.addWidget(value)
    layout.addWidget(label)
    return frame, value


def table(name: str, columns: tuple[str, ...], stretch: int | None = None) -> QTableWidget:
    """A read-only table of whole rows; column ``stretch`` (else the last) takes the room left.

    ``columns`` are msgids, translated here.
    """
    widget = QTableWidget(0, len(columns))
    widget.setObjectName(name)
    widget.setHorizontalHeaderLabels([_(c) for c in columns])
    widget.verticalHeader().setVisible(False)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch is None:
        header.setStretchLastSection(True)
    else:
        # That column takes the room left, so the table fits without scrolling sideways.
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return widget
