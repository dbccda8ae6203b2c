"""Does every visible text fit its rectangle, and is nothing cut off or on top of another?

Used on each kiosk screen the screenshot tests visit, at the office screen sizes. It
measures what Qt will paint, with the fonts the style sheet gives each widget.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

LEAVES = (QLabel, QAbstractButton, QLineEdit, QPlainTextEdit)


def shown(widget: QWidget) -> bool:
    return widget.isVisible() and widget.width() > 0 and widget.height() > 0


def _button_text_rect(btn: QAbstractButton) -> QRect:
    """The part of a button its text may use (borders and style-sheet padding removed)."""
    option = QStyleOptionButton()
    option.initFrom(btn)
    option.text = btn.text()
    element = (
        QStyle.SubElement.SE_CheckBoxContents
        if isinstance(btn, QCheckBox)
        else QStyle.SubElement.SE_PushButtonContents
    )
    return btn.style().subElementRect(element, option, btn)


def text_problems(widget: QWidget) -> list[str]:
    """Return why a label's or button's text does not fit (empty when it fits)."""
    metrics = widget.fontMetrics()
    if isinstance(widget, QLabel):
        text = widget.text()
        if not text or not widget.pixmap().isNull():
            return []
        rect = widget.contentsRect()
        if widget.wordWrap():
            # What Qt lays out: wrapped lines in the label's width.
            needed = metrics.boundingRect(
                QRect(0, 0, rect.width(), 100_000),
                int(Qt.TextFlag.TextWordWrap | widget.alignment()),
                text,
            )
            if needed.width() > rect.width() + 1:
                return [f"a word is wider than the label ({needed.width()} > {rect.width()})"]
            if needed.height() > rect.height() + 1:
                return [f"wrapped text is cut ({needed.height()} > {rect.height()} px high)"]
            return []
        lines = text.split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        if width > rect.width() + 1:
            return [f"text is cut ({width} > {rect.width()} px wide)"]
        if metrics.lineSpacing() * len(lines) > rect.height() + metrics.leading() + 2:
            return ["text is cut at the bottom"]
        return []
    if isinstance(widget, QAbstractButton) and widget.text():
        rect = (
            _button_text_rect(widget)
            if isinstance(widget, QPushButton | QCheckBox)
            else (widget.contentsRect())
        )
        lines = widget.text().replace("&&", "&").split("\n")
        width = max(metrics.horizontalAdvance(line) for line in lines)
        if isinstance(widget, QCheckBox):
            width += widget.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, widget)
        problems = []
        if width > rect.width() + 1:
            problems.append(f"button text is cut ({width} > {rect.width()} px wide)")
        if metrics.height() * len(lines) > rect.height() + 2:
            problems.append(f"button text is cut ({len(lines)} lines in {rect.height()} px)")
        return problems
    return []


def _scroller(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def _overlay(widget: QWidget) -> QWidget | None:
    while widget is not None:
        if widget.property("overlay"):
            return widget
        widget = widget.parentWidget()
    return None


def _clipped(widget: QWidget, window: QWidget) -> QRect:
    """The part of ``widget`` its ancestors leave visible (in window coordinates)."""
    rect = _in_window(widget, window)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        rect = rect.intersected(_in_window(parent, window))
        parent = parent.parentWidget()
    return rect


def _clipper(widget: QWidget, window: QWidget) -> str:
    rect = _in_window(widget, window)
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if not _in_window(parent, window).contains(rect):
            return parent.objectName() or type(parent).__name__
        parent = parent.parentWidget()
    return "?"


def _in_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def layout_problems(window: QWidget) -> list[str]:
    """Return every text that does not fit and every widget cut off or overlapping.

    Widgets inside a scroll area may be scrolled out of view (that is what it is for);
    everything else must lie wholly inside the window, and no two visible texts,
    buttons or inputs may overlap.
    """
    problems: list[str] = []
    leaves = [w for w in window.findChildren(QWidget) if isinstance(w, LEAVES) and shown(w)]
    whole = window.rect()
    placed: list[tuple[QWidget, QRect]] = []
    for widget in leaves:
        name = widget.objectName() or type(widget).__name__
        text = widget.text() if isinstance(widget, QLabel | QAbstractButton) else ""
        what = f"{name} {text[:40]!r}"
        problems += [f"{what}: {p}" for p in text_problems(widget)]
        scroller = _scroller(widget)
        rect = _in_window(widget, window)
        if scroller is None:
            if not whole.contains(rect):
                problems.append(f"{what}: cut off by the window edge {rect.getRect()}")
            elif _clipped(widget, window) != rect:
                problems.append(f"{what}: cut off by {_clipper(widget, window)}")
        else:
            # Only the part inside the viewport is painted.
            rect = rect.intersected(_in_window(scroller.viewport(), window))
            if rect.isEmpty():
                continue  # scrolled out of view
        placed.append((widget, rect))
    overlays = [_overlay(widget) for widget, _rect in placed]  # once each, not per pair
    for i, (a, ra) in enumerate(placed):
        for j in range(i + 1, len(placed)):
            b, rb = placed[j]
            if overlays[i] is not overlays[j] or a.isAncestorOf(b) or b.isAncestorOf(a):
                continue  # an overlay (the idle warning) covers the screen on purpose
            overlap = ra.intersected(rb)
            if overlap.width() > 2 and overlap.height() > 2:
                problems.append(
                    f"{a.objectName() or type(a).__name__} and "
                    f"{b.objectName() or type(b).__name__} overlap at {overlap.getRect()}"
                )
    for area in window.findChildren(QAbstractScrollArea):
        inner = getattr(area, "widget", lambda: None)()
        if shown(area) and inner is not None:
            needed = inner.minimumSizeHint().width()
            if needed > area.viewport().width():
                problems.append(f"{area.objectName()}: content wider than the screen")
    return problems
