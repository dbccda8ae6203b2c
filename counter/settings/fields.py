"""Form pieces the Pengaturan tabs share: reading what was typed, small widgets, layouts.

Reading typed text (a time, a percentage) never raises: it returns None or the text as
typed, so the setting's check says what is wrong and the field keeps what was typed.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, QTime
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from shared.i18n import N_, _


def typed_time(text: str) -> str:
    """Read a time as people type it (``16:00``, ``16.00``, ``1600``, ``930``, ``16``).

    Returns ``HH:MM``, or the text as typed when it is no time at all: the check of the
    setting then says what is wrong, and what was typed stays in the field.
    """
    raw = text.strip()
    digits = raw.replace(":", "").replace(".", "")
    if not digits.isdigit() or len(digits) > 4:
        return raw
    if ":" in raw or "." in raw:
        hour, _sep, minute = raw.replace(".", ":").partition(":")
    elif len(digits) <= 2:
        hour, minute = digits, "00"
    else:
        hour, minute = digits[:-2], digits[-2:]
    if not (hour.isdigit() and minute.isdigit() and len(minute) == 2 and len(hour) <= 2):
        return raw
    return f"{int(hour):02d}:{minute}"


def typed_percent(text: str) -> float | None:
    """Read a percentage as people type it (``90``, ``90 %``, ``87,5%``) as a fraction.

    Returns None when the text is no number.
    """
    raw = text.strip().removesuffix("%").strip().replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        return None
    return round(number / 100, 4) if math.isfinite(number) else None


def shown_percent(fraction: float) -> str:
    """Show a fraction as a percentage: ``0.9`` as ``90 %``, ``0.875`` as ``87,5 %``."""
    return f"{round(fraction * 100, 2):g} %".replace(".", ",")


class TimeField(QLineEdit):
    """A time of day typed as ``HH:MM``; whatever is typed replaces what was there.

    Clicking or tabbing in selects the whole time, so typing ``16:00`` gives 16:00
    wherever the click landed (a QTimeEdit typed into its minutes instead). Leaving the
    field shows the time as understood (``1600`` becomes ``16:00``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(5)
        self.setPlaceholderText("HH:MM")
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9:.]{0,5}")))
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00:00") + 28)
        self.editingFinished.connect(self._on_editing_finished)

    def setTime(self, value: QTime) -> None:
        self.setText(value.toString("HH:mm"))

    def time(self) -> QTime:
        """The time in the field (invalid when the text is no time)."""
        return QTime.fromString(typed_time(self.text()), "HH:mm")

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        # The click that brings the focus selects the whole time once it is over (tabbing
        # in already selects it); a second click places the cursor as usual.
        self._select_on_release = event.reason() == Qt.FocusReason.MouseFocusReason

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if getattr(self, "_select_on_release", False):
            self._select_on_release = False
            self.selectAll()

    def _on_editing_finished(self) -> None:
        understood = typed_time(self.text())
        if understood != self.text() and QTime.fromString(understood, "HH:mm").isValid():
            self.setText(understood)


def error_label(name: str) -> QLabel:
    """The hidden red sentence beside a field, shown when a change is refused."""
    label = QLabel("")
    label.setObjectName(f"error_{name}")
    label.setProperty("role", "fieldError")
    label.setStyleSheet("color: #C62828; font-weight: bold;")
    label.setWordWrap(True)
    label.hide()
    return label


def caption(text: str) -> QLabel:
    """A hint under a field, in the small caption style."""
    label = QLabel(text)
    label.setWordWrap(True)
    label.setProperty("role", "caption")
    return label


def fill(table: QTableWidget, rows: list[list[str]]) -> None:
    """Show ``rows`` in ``table``, keeping the selected row where it still exists."""
    keep = table.currentRow()
    table.blockSignals(True)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.blockSignals(False)
    if 0 <= keep < len(rows):
        table.selectRow(keep)


def yes(flag: Any) -> str:
    """``ya`` or ``tidak`` in a table cell."""
    return _(N_("yes")) if flag else _(N_("no"))


# A button under a record's form: (text msgid, object name, slot).
Button = tuple[str, str, Callable[[], None]]


def record_tab(
    records: QTableWidget, rows: list[tuple], new: Button, save: Button, form_stretch: int
) -> tuple[QWidget, QPushButton]:
    """Lay out a tab of records: their table on the left, the chosen one's form beside it.

    ``rows`` are the form's rows as ``QFormLayout.addRow`` takes them (a label and a
    field, or one widget or layout); the New and Save buttons come under them. Returns
    the tab and its Save button.
    """
    page = QWidget()
    layout = QHBoxLayout(page)
    layout.addWidget(records, 5)
    form_box = QWidget()
    form = QFormLayout(form_box)
    for row in rows:
        form.addRow(*row)
    buttons = QHBoxLayout()
    made = []
    for text, name, slot in (new, save):
        button = QPushButton(_(text))
        button.setObjectName(name)
        button.clicked.connect(slot)
        buttons.addWidget(button)
        made.append(button)
    form.addRow(buttons)
    form_box.setMaximumWidth(460)
    layout.addWidget(form_box, form_stretch)
    return page, made[1]
