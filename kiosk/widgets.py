"""Touch-friendly building blocks: big buttons, choice buttons, labelled fields, QR images.

Sizes are in pixels for a 21–24" 1080p touchscreen read at arm's length: nothing a
finger taps is smaller than 64 px, no text smaller than 24 px.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence

import qrcode
from PySide6.QtCore import QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QLabel,
    QLayout,
    QLayoutItem,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from shared.i18n import _

MIN_TOUCH = 64
BOXED_ROLES = ("warning", "promise", "print-ok", "print-problem")


@functools.lru_cache(maxsize=64)
def qr_image(payload: str, box: int = 10) -> QImage:
    """Render ``payload`` as a QR code image (black on white, quiet zone included).

    Remembered: the complaint channels' codes are drawn again at every change of
    language, and computing one takes tens of milliseconds.
    """
    code = qrcode.QRCode(border=2, box_size=box, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    return QImage.fromData(buffer.getvalue(), "PNG")


def qr_pixmap(payload: str, side: int) -> QPixmap:
    """Return a QR code scaled (without smoothing, so modules stay sharp) to ``side`` px."""
    image = qr_image(payload)
    return QPixmap.fromImage(image).scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )


def label(text: str = "", role: str = "", *, wrap: bool = True, name: str = "") -> QLabel:
    """Make a label styled by its role (``title``, ``subtitle``, ``hint``, ``error``…)."""
    widget = QLabel(text)
    widget.setWordWrap(wrap)
    widget.setTextFormat(Qt.TextFormat.PlainText)
    if role:
        widget.setProperty("role", role)
    if role in BOXED_ROLES:
        # Inner space as margins, not style-sheet padding: word-wrapped labels compute
        # their height from margins correctly, from padding they clip the last line.
        widget.setContentsMargins(22, 14, 22, 14)
    if name:
        widget.setObjectName(name)
    return widget


def button(text: str = "", role: str = "", *, name: str = "") -> QPushButton:
    """Make a large push button; ``role`` is ``primary``, ``big``, ``quiet`` or empty."""
    widget = QPushButton(text)
    widget.setMinimumHeight(MIN_TOUCH + 8)
    widget.setMinimumWidth(MIN_TOUCH * 2)
    widget.setCursor(Qt.CursorShape.PointingHandCursor)
    # A tap does not take the focus: the field being typed in keeps it (and the
    # keyboard), and no focus ring is left on what was tapped. Tab still reaches it.
    widget.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    widget.setAutoDefault(False)
    if role:
        widget.setProperty("role", role)
    if name:
        widget.setObjectName(name)
    return widget


def button_text(text: str) -> str:
    """Return ``text`` for a button label: ``&`` shown as itself, not as a shortcut mark."""
    return text.replace("&", "&&")


def restyle(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class FlowLayout(QLayout):
    """Lay children out left to right, wrapping to new rows like words in a sentence."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 14) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        x, y, row_height = rect.x(), rect.y(), 0
        for item in self._items:
            hint = item.sizeHint()
            width = min(hint.width(), rect.width()) if rect.width() > 0 else hint.width()
            if x + width > rect.right() + 1 and row_height > 0:
                x = rect.x()
                y += row_height + self._spacing
                row_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), QSize(width, hint.height())))
            x += width + self._spacing
            row_height = max(row_height, hint.height())
        return y + row_height - rect.y()


class FlowBox(QWidget):
    """A widget whose children wrap onto new rows when the screen is narrow."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 14) -> None:
        super().__init__(parent)
        self.flow = FlowLayout(self, spacing)

    def add(self, widget: QWidget) -> None:
        self.flow.addWidget(widget)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self.flow.heightForWidth(width)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 400)
        return QSize(width, self.flow.heightForWidth(width))


class ChoiceGroup(QWidget):
    """A row of large toggle buttons; one may be chosen, tapping it again un-chooses it.

    ``values`` are what is stored; ``labeller(value)`` gives the visible words in the
    current language (called again by :meth:`retranslate`).
    """

    changed = Signal(str)

    def __init__(
        self,
        values: Sequence[str] = (),
        labeller: Callable[[str], str] = str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._labeller = labeller
        self._group = QButtonGroup(self)
        self._group.setExclusive(False)
        self._group.buttonClicked.connect(self._on_button_clicked)
        self._buttons: dict[str, QPushButton] = {}
        self._layout = FlowLayout(self)
        self.set_values(values)

    def set_values(self, values: Sequence[str]) -> None:
        """Replace the choices, keeping the current one if it is still offered."""
        current = self.value()
        for btn in self._buttons.values():
            self._group.removeButton(btn)
            self._layout.removeWidget(btn)
            btn.deleteLater()
        self._buttons = {}
        for value in values:
            btn = button(button_text(self._labeller(value)), "choice")
            btn.setCheckable(True)
            btn.setProperty("value", value)
            self._group.addButton(btn)
            self._layout.addWidget(btn)
            self._buttons[value] = btn
        if current in self._buttons:
            self._buttons[current].setChecked(True)
        self.updateGeometry()

    def values(self) -> list[str]:
        return list(self._buttons)

    def value(self) -> str:
        return next((v for v, b in self._buttons.items() if b.isChecked()), "")

    def set_value(self, value: str | None) -> None:
        for v, btn in self._buttons.items():
            btn.setChecked(v == value)

    def button_for(self, value: str) -> QPushButton:
        return self._buttons[value]

    def clear(self) -> None:
        self.set_value(None)

    def retranslate(self) -> None:
        for value, btn in self._buttons.items():
            btn.setText(button_text(self._labeller(value)))
        self.updateGeometry()

    def _on_button_clicked(self, clicked: QAbstractButton) -> None:
        for btn in self._buttons.values():
            if btn is not clicked:
                btn.setChecked(False)
        self.changed.emit(self.value())
        # A half-hidden chip, once chosen, comes fully into view.
        area = scroll_area_of(clicked)
        if area is not None:
            area.ensureWidgetVisible(clicked, 20, 20)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._layout.heightForWidth(width)

    def sizeHint(self) -> QSize:
        width = max(self.width(), 400)
        return QSize(width, self._layout.heightForWidth(width))


class Field(QWidget):
    """A form field: its title, the input, a hint, and an error line shown on demand."""

    def __init__(
        self,
        key: str,
        title: str,
        editor: QWidget,
        *,
        required: bool = False,
        hint: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.editor = editor
        self.required = required
        self._title_msgid = title
        self._hint_msgid = hint
        self._error_msgid = ""
        self._error_params: dict = {}
        self.title = label(role="field")
        self.title.setBuddy(editor)
        self.hint = label(role="hint")
        self.error = label(role="error", name=f"error_{key}")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 6)
        layout.setSpacing(6)
        layout.addWidget(self.title)
        layout.addWidget(editor)
        layout.addWidget(self.hint)
        layout.addWidget(self.error)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.retranslate()

    def set_error(self, msgid: str, **params: object) -> None:
        """Show a problem under the field (kept as msgid so a language switch re-words it)."""
        self._error_msgid, self._error_params = msgid, params
        self.error.setText("⚠ " + _(msgid, **params))
        self.error.show()
        self.editor.setProperty("invalid", True)
        restyle(self.editor)

    def clear_error(self) -> None:
        if not self._error_msgid:
            return
        self._error_msgid, self._error_params = "", {}
        self.error.hide()
        self.editor.setProperty("invalid", False)
        restyle(self.editor)

    @property
    def has_error(self) -> bool:
        return bool(self._error_msgid)

    def retranslate(self) -> None:
        text = _(self._title_msgid)
        self.title.setText(text + (" *" if self.required else ""))
        self.hint.setText(_(self._hint_msgid) if self._hint_msgid else "")
        self.hint.setVisible(bool(self._hint_msgid))
        if self._error_msgid:
            self.error.setText("⚠ " + _(self._error_msgid, **self._error_params))


def line_edit(
    name: str, hints: Qt.InputMethodHint | None = None, max_length: int = 200
) -> QLineEdit:
    """Make a large one-line text input; ``hints`` choose the virtual keyboard's layout."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setMaxLength(max_length)
    edit.setMinimumHeight(MIN_TOUCH)
    if hints is not None:
        edit.setInputMethodHints(hints)
    return edit


def scroll_area_of(widget: QWidget) -> QScrollArea | None:
    """Return the scroll area ``widget`` scrolls in, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def takes_text(widget: QWidget | None) -> bool:
    """True for a widget the visitor types into (the on-screen keyboard opens for it)."""
    return isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit)


class KeyboardSpacer(QWidget):
    """Empty space at the bottom of a screen as high as the on-screen keyboard over it.

    Put last in a screen's layout: the screen's own bottom bar (with "Next" or "Take a
    Queue Number") then sits just above the keyboard instead of under it.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFixedHeight(0)
        QGuiApplication.inputMethod().keyboardRectangleChanged.connect(self._follow)
        QGuiApplication.inputMethod().visibleChanged.connect(self._follow)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        # A screen shown while the keyboard is already open gets no keyboard signal.
        QTimer.singleShot(0, self._follow)

    def _follow(self) -> None:
        method = QGuiApplication.inputMethod()
        keyboard = method.keyboardRectangle()
        host = self.window()
        height = 0
        if method.isVisible() and keyboard.height() > 0 and host is not None and self.isVisible():
            bottom = host.mapToGlobal(QPoint(0, host.height())).y()
            height = max(0, min(bottom - int(keyboard.top()), host.height() // 2 + 120))
        if height != self.height():
            self.setFixedHeight(height)
            # Once the screen has moved, the input being typed in comes back into view.
            QTimer.singleShot(30, show_focused_input)


def show_focused_input() -> None:
    """Scroll the focused input into view in its scroll area (above the keyboard)."""
    focused = QApplication.focusWidget()
    area = scroll_area_of(focused) if takes_text(focused) else None
    if area is not None:
        reveal_input(area, focused)


def _field_of(widget: QWidget) -> Field | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, Field):
            return parent if parent.editor is widget else None
        parent = parent.parentWidget()
    return None


def reveal_input(area: QScrollArea, edit: QWidget) -> None:
    """Scroll so a visitor sees the box they type in with what belongs to it.

    In a :class:`Field`: its title, the box, the keys under it ("@", "+"), its hint and
    its error. When the space above the keyboard is too small for all of that, the title
    goes first, then the bottom of the hint: the box and its keys stay in view.
    """
    field = _field_of(edit)
    content = area.widget()
    if field is None or content is None:
        area.ensureWidgetVisible(edit, 40, 160)
        return
    room = area.viewport().height() - 16
    top = field.mapTo(content, QPoint(0, 0)).y()
    bottom = top + field.height()
    if bottom - top > room:
        top = edit.mapTo(content, QPoint(0, 0)).y() - 8
        bottom = min(bottom, top + room)
    bar = area.verticalScrollBar()
    if top < bar.value() + 8:
        bar.setValue(max(0, top - 8))
    elif bottom > bar.value() + area.viewport().height() - 8:
        bar.setValue(min(bar.maximum(), bottom - area.viewport().height() + 8))


class KeyboardAwareScroll(QScrollArea):
    """A scroll area that keeps the focused input in view, also above the keyboard.

    The virtual keyboard is a separate window over the lower part of the screen; the
    screen's :class:`KeyboardSpacer` lifts the area above it, and once the layout has
    moved the focused input is scrolled into view, so a visitor always sees what they
    type.
    """

    def __init__(self, content: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidget(content)
        self._content = content
        QApplication.instance().focusChanged.connect(self._on_focus_changed)
        QGuiApplication.inputMethod().keyboardRectangleChanged.connect(
            self._on_keyboard_rectangle_changed
        )

    def _on_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Only inputs scroll into view when focused: a tapped chip or button stays where
        # the finger is.
        if takes_text(new) and self._content.isAncestorOf(new):
            reveal_input(self, new)

    def _on_keyboard_rectangle_changed(self) -> None:
        # The screen's layout moves after this signal: scroll once it has.
        QTimer.singleShot(50, self._show_focused)

    def _show_focused(self) -> None:
        focused = QApplication.focusWidget()
        if takes_text(focused) and self._content.isAncestorOf(focused):
            reveal_input(self, focused)


class TouchCheckBox(QCheckBox):
    """A check box that toggles wherever it is touched, not only on its small square."""

    def hitButton(self, pos: QPoint) -> bool:
        return self.rect().contains(pos)
