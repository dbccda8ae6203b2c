"""Small widgets the console's pages share: a figure card, a list table, a status line, a dialog slot."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
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


def show_status(label: QLabel, text: str, *, error: bool = False) -> None:
    """Say ``text`` in a page's status line (hidden when empty; red through the style
    sheet's ``[error=true]`` rule)."""
    label.setText(text)
    label.setVisible(bool(text))
    label.setProperty("error", error)
    label.style().unpolish(label)
    label.style().polish(label)


class DialogSlot:
    """Hold the one non-blocking dialog a window or page waits on, until it is answered.

    :meth:`open` shows the dialog with ``QDialog.open()`` (the event loop goes on: the
    countdowns tick and the database is read while it waits); once finished, the dialog
    is deleted and :attr:`dialog` is ``None`` again.
    """

    def __init__(self) -> None:
        self.dialog: QDialog | None = None

    def open(self, dialog: QDialog, on_accepted=None) -> None:
        """Show ``dialog``; ``on_accepted`` runs when it is accepted."""
        self.dialog = dialog
        if on_accepted is not None:
            dialog.accepted.connect(on_accepted)
        dialog.finished.connect(self._on_finished)
        dialog.open()

    def forget(self) -> None:
        """Let go of the dialog without waiting for its answer (it was closed another way)."""
        self.dialog = None

    def _on_finished(self, _result: int) -> None:
        if self.dialog is not None:
            self.dialog.deleteLater()
        self.dialog = None
