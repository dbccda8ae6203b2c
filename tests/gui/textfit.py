"""Find text that does not fit its widget: the check behind every screenshot test."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QAbstractScrollArea, QLabel, QWidget

# The least room a button's frame and padding take on each side of its text.
MIN_PADDING = 4


def _widest_line(widget: QWidget, text: str) -> int:
    metrics = widget.fontMetrics()
    return max(metrics.horizontalAdvance(line) for line in text.splitlines() or [""])


def clipped(root: QWidget) -> list[str]:
    """Describe every visible label, button and list under ``root`` whose text is cut.

    A label fits when its widest line fits its contents width, or it word-wraps and the
    height it needs at its width fits its height. A button fits when its size hint
    (text, key and the style's padding) fits its width. A table or list fits when it
    needs no horizontal scroll bar.
    """
    problems = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible() or widget.width() <= 0:
            continue
        name = widget.objectName() or type(widget).__name__
        if isinstance(widget, QLabel):
            text = widget.text()
            if not text or widget.textFormat() == Qt.TextFormat.RichText:
                continue
            if widget.buddy() is not None:
                # "&Name:" draws "Name:" (the & marks the shortcut letter).
                text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
            rect = widget.contentsRect()
            if widget.wordWrap():
                needed = widget.heightForWidth(widget.width())
                if needed > widget.height():
                    problems.append(f"{name}: {text!r} needs {needed} px, has {widget.height()}")
            elif _widest_line(widget, text) > rect.width():
                problems.append(
                    f"{name}: {text!r} needs {_widest_line(widget, text)} px, has {rect.width()}"
                )
        elif isinstance(widget, QAbstractButton):
            text = widget.text()
            # The size hint holds the style's padding; the font check catches a hint that
            # a style change (e.g. bold when checked) did not refresh.
            needed = max(widget.sizeHint().width(), _widest_line(widget, text) + 2 * MIN_PADDING)
            if text and needed > widget.width():
                problems.append(f"{name}: {text!r} needs {needed} px, has {widget.width()}")
        elif isinstance(widget, QAbstractScrollArea) and widget.horizontalScrollBar().isVisible():
            problems.append(f"{name}: rows are wider than the {widget.width()} px it has")
    return problems


def cut_cells(table) -> list[str]:
    """Describe every visible cell of ``table`` whose text is cut without an ellipsis.

    A cell wider than its column is acceptable only when the table elides on one line
    (no word wrap, so Qt draws "…") and the cell's tooltip holds the whole text.
    """
    problems = []
    if not table.isVisible():
        return problems
    metrics = table.fontMetrics()
    elides = not table.wordWrap() and table.textElideMode() != Qt.TextElideMode.ElideNone
    for row in range(table.rowCount()):
        for col in range(table.columnCount()):
            item = table.item(row, col)
            if item is None or not item.text() or table.isColumnHidden(col):
                continue
            font_metrics = metrics if item.font() == table.font() else type(metrics)(item.font())
            needed = font_metrics.horizontalAdvance(item.text()) + 2 * MIN_PADDING + 4
            if needed <= table.columnWidth(col):
                continue
            if not (elides and item.text() in item.toolTip()):
                problems.append(
                    f"{table.objectName()}[{row},{col}]: {item.text()!r} needs {needed} px,"
                    f" has {table.columnWidth(col)}"
                )
    return problems
