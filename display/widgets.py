"""The parts of the waiting-room screen.

Every size is given in *units* of one hundredth of the screen height, so the same
layout reads the same from the back of the room on a 720p and a 4K television. Text
that can be long (counter and service names, the number) shrinks to fit its box rather
than being cut off.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from display.board import Call, CounterState, ServiceQueue
from shared.i18n import _, ngettext

FONT_FAMILY = "DejaVu Sans"
FLASH_TOGGLES = 12  # six on/off cycles: clearly visible, slower than 3 flashes a second
FLASH_INTERVAL_MS = 500
TICKER_FRAME_MS = 50
TICKER_SPEED_UNITS_PER_SECOND = 9.0
NO_NUMBER = "—"


def make_font(pixels: float, bold: bool = False) -> QFont:
    font = QFont(FONT_FAMILY)
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property changed (e.g. ``status``)."""
    for w in (widget, *widget.findChildren(QWidget)):
        w.style().unpolish(w)
        w.style().polish(w)
    # Polishing puts back the style sheet's font, undoing the sizes chosen for the screen.
    for w in (widget, *widget.findChildren(QWidget)):
        if isinstance(w, FitLabel):
            w.refit()
    widget.update()


class FitLabel(QLabel):
    """Text at a given height that shrinks to fit its box, never clipped.

    With ``lines`` > 1 the text wraps at spaces first and shrinks only if it still
    does not fit in that many lines.
    """

    def __init__(
        self,
        text: str = "",
        *,
        bold: bool = False,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
        lines: int = 1,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(text, parent)
        self._pixels = 20.0
        self._bold = bold
        self._lines = lines
        self._limit: int | None = None
        self.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
        self.setWordWrap(lines > 1)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(1)

    def set_lines(self, lines: int) -> None:
        """Allow the text that many lines (wrapping at spaces) before it shrinks."""
        if lines != self._lines:
            self._lines = lines
            self.setWordWrap(lines > 1)
            self.set_pixel_size(self._pixels)

    def set_pixel_size(self, pixels: float, *, leading: float = 1.3) -> None:
        """Set the wanted text height; ``leading`` makes the line box taller for accents."""
        self._pixels = pixels
        self.setFixedHeight(max(1, round(pixels * leading * self._lines)))
        self._fit()

    def setText(self, text: str) -> None:
        if text != self.text():
            super().setText(text)
            self._fit()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def fitting_pixels(self) -> int:
        """The text height that fits the current box (at most the wanted height)."""
        font = make_font(self._pixels, self._bold)
        room = self.contentsRect().width() - 4
        if room <= 0 or not self.text():
            return font.pixelSize()
        if self._lines == 1:
            needed = QFontMetricsF(font).horizontalAdvance(self.text())
            if needed > room:
                font.setPixelSize(max(1, int(self._pixels * room / needed)))
            return font.pixelSize()
        box = QRectF(0, 0, room, self.height())
        flags = int(Qt.TextFlag.TextWordWrap)
        while font.pixelSize() > 6:
            used = QFontMetricsF(font).boundingRect(box, flags, self.text())
            if used.width() <= room and used.height() <= self.height():
                break
            font.setPixelSize(font.pixelSize() - 1)
        return font.pixelSize()

    def limit_pixels(self, pixels: int | None) -> None:
        """Cap the text height, so that a column of labels can share one size."""
        self._limit = pixels
        self._fit()

    def refit(self) -> None:
        """Apply the size again, even if the label believes it already has it."""
        self.setFont(QFont())
        self._fit()

    def _fit(self) -> None:
        pixels = self.fitting_pixels()
        if self._limit is not None:
            pixels = min(pixels, self._limit)
        font = make_font(pixels, self._bold)
        if font != self.font():
            self.setFont(font)


def same_size(labels: list[FitLabel]) -> None:
    """Give a column of labels the size of the one that had to shrink most."""
    shown = [label for label in labels if not label.isHidden() and label.text()]
    for label in labels:
        label.limit_pixels(None)
    if shown:
        smallest = min(label.fitting_pixels() for label in shown)
        for label in labels:
            label.limit_pixels(smallest)


class NowCallingCard(QFrame):
    """The number being called and its counter: the biggest thing in the room.

    On every call and recall the card flashes for a few seconds so that eyes that were
    elsewhere are drawn to it.
    """

    flash_finished = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("NowCalling")
        self.setProperty("flash", False)
        self.title = FitLabel(_("Now calling"), bold=True)
        self.title.setObjectName("NowCallingTitle")
        self.number = FitLabel(NO_NUMBER, bold=True)
        self.number.setObjectName("NowCallingNumber")
        self.counter = FitLabel("", bold=True)
        self.counter.setObjectName("NowCallingCounter")
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.title)
        layout.addWidget(self.number)
        layout.addWidget(self.counter)
        layout.addStretch(1)
        self._toggles_left = 0
        self._flash_timer = QTimer(self)
        self._flash_timer.setInterval(FLASH_INTERVAL_MS)
        self._flash_timer.timeout.connect(self._on_flash_timer_timeout)

    @property
    def flashing(self) -> bool:
        return self._flash_timer.isActive()

    def apply_units(self, unit: float) -> None:
        self.layout().setContentsMargins(*(round(unit * 1.5),) * 4)
        self.layout().setSpacing(round(unit))
        self.title.set_pixel_size(unit * 4.5)
        # Numbers and counter names have no descenders to make room for.
        self.number.set_pixel_size(unit * 22, leading=1.15)
        self.counter.set_pixel_size(unit * 8.5, leading=1.25)

    def show_call(self, call: Call | None, *, flash: bool) -> None:
        if call is None:
            # Nobody is being called now: say so instead of keeping an old number up.
            self.title.setText(_("Now calling"))
            self.number.setText(NO_NUMBER)
            self.counter.setText(_("Please wait for your number"))
            return
        self.title.setText(_("Calling again") if call.recall else _("Now calling"))
        self.number.setText(call.number)
        self.counter.setText(_("Please go to {counter}", counter=call.counter))
        if flash:
            self._toggles_left = FLASH_TOGGLES
            self._set_flash(True)
            self._flash_timer.start()

    def _on_flash_timer_timeout(self) -> None:
        self._toggles_left -= 1
        if self._toggles_left <= 0:
            self._flash_timer.stop()
            self._set_flash(False)
            self.flash_finished.emit()
            return
        self._set_flash(not self.property("flash"))

    def _set_flash(self, on: bool) -> None:
        if self.property("flash") != on:
            self.setProperty("flash", on)
            repolish(self)


class HistoryPanel(QFrame):
    """The last few calls under the big number, newest first, in two columns."""

    COLUMNS = 2

    def __init__(self, size: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Panel")
        self.title = FitLabel(_("Previous calls"), bold=True, align=Qt.AlignmentFlag.AlignLeft)
        self.title.setObjectName("PanelTitle")
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        self._grid = QGridLayout()
        layout.addLayout(self._grid)
        layout.addStretch(1)
        self._numbers: list[FitLabel] = []
        self._counters: list[FitLabel] = []
        for i in range(size):
            row, column = divmod(i, self.COLUMNS)
            number = FitLabel(bold=True, align=Qt.AlignmentFlag.AlignLeft)
            number.setObjectName("HistoryNumber")
            counter = FitLabel(align=Qt.AlignmentFlag.AlignLeft)
            counter.setObjectName("HistoryCounter")
            self._grid.addWidget(number, row, column * 2)
            self._grid.addWidget(counter, row, column * 2 + 1)
            self._numbers.append(number)
            self._counters.append(counter)
        for column in range(self.COLUMNS):
            self._grid.setColumnStretch(column * 2, 5)
            self._grid.setColumnStretch(column * 2 + 1, 6)

    def apply_units(self, unit: float) -> None:
        self.layout().setContentsMargins(*(round(unit * 1.2),) * 4)
        self.layout().setSpacing(round(unit * 0.6))
        self._grid.setVerticalSpacing(round(unit * 0.5))
        self._grid.setHorizontalSpacing(round(unit))
        self.title.set_pixel_size(unit * 3.2)
        for label in self._numbers:
            label.set_pixel_size(unit * 4.4, leading=1.25)
        for label in self._counters:
            label.set_pixel_size(unit * 3.6, leading=1.5)

    def show_calls(self, calls: list[Call]) -> None:
        for i, (number, counter) in enumerate(zip(self._numbers, self._counters, strict=True)):
            call = calls[i] if i < len(calls) else None
            number.setText(call.number if call else "")
            # A transferred visitor follows the new number, not the counter of the old one.
            if call is not None and call.transferred_to:
                counter.setText(f"→ {call.transferred_to}")
            else:
                counter.setText(f"→ {call.counter}" if call else "")


class CounterTile(QFrame):
    """One counter: its name, the number it serves or calls, and whether it is open.

    ``compact`` (for a large office) puts the status beside the name, one line less.
    """

    def __init__(self, parent: QWidget | None = None, *, compact: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("CounterTile")
        self.compact = compact
        left, right = Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignRight
        self.name = FitLabel(bold=True, align=left if compact else Qt.AlignmentFlag.AlignCenter)
        self.name.setObjectName("CounterName")
        self.number = FitLabel(bold=True)
        self.number.setObjectName("CounterNumber")
        self.status = FitLabel(bold=True, align=right if compact else Qt.AlignmentFlag.AlignCenter)
        self.status.setObjectName("CounterStatus")
        layout = QGridLayout(self)
        if compact:
            layout.addWidget(self.name, 0, 0)
            layout.addWidget(self.status, 0, 1)
            layout.addWidget(self.number, 1, 0, 1, 2)
            # "Memanggil" is longer than "Loket 3": share the line accordingly.
            layout.setColumnStretch(0, 4)
            layout.setColumnStretch(1, 5)
        else:
            layout.addWidget(self.name, 0, 0)
            layout.addWidget(self.number, 1, 0)
            layout.addWidget(self.status, 2, 0)
        self._state: CounterState | None = None

    def apply_units(self, unit: float, scale: float = 1.0) -> None:
        self.layout().setContentsMargins(*(round(unit * 0.8),) * 4)
        self.layout().setVerticalSpacing(round(unit * 0.2))
        self.layout().setHorizontalSpacing(round(unit * 0.6))
        self.name.set_pixel_size(unit * 3 * scale, leading=1.25)
        self.number.set_pixel_size(unit * 4.8 * scale, leading=1.2)
        self.status.set_pixel_size(unit * 2.6 * scale, leading=1.25)

    def show_counter(self, state: CounterState) -> None:
        if state == self._state:
            return
        old_status = self._state.status if self._state else None
        self._state = state
        self.name.setText(state.name)
        self.number.setText(state.number or NO_NUMBER)
        self.status.setText(status_text(state))
        if state.status != old_status:
            self.setProperty("status", state.status)
            self.status.setProperty("status", state.status)
            repolish(self)


def status_text(state: CounterState) -> str:
    """What a counter tile says under the number."""
    if state.status == "paused":
        return _("Paused")
    if state.status == "closed":
        return _("Closed")
    if state.ticket_status == "called":
        return _("Calling")
    if state.ticket_status == "serving":
        return _("Serving")
    return _("Open")


class CountersPanel(QFrame):
    """One tile per counter, in two or three columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Panel")
        self.title = FitLabel(_("Counters"), bold=True, align=Qt.AlignmentFlag.AlignLeft)
        self.title.setObjectName("PanelTitle")
        self._grid = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self._grid)
        self.tiles: list[CounterTile] = []
        self._unit = 7.2

    def apply_units(self, unit: float) -> None:
        self._unit = unit
        self.layout().setContentsMargins(*(round(unit * 1.2),) * 4)
        self.layout().setSpacing(round(unit * 0.6))
        self._grid.setSpacing(round(unit))
        self.title.set_pixel_size(unit * 3.2)
        scale = self._scale()
        for tile in self.tiles:
            tile.apply_units(unit, scale)

    def _columns(self) -> int:
        return 2 if len(self.tiles) <= 4 else 3

    def _compact(self, count: int) -> bool:
        # Three columns of tiles: the queues below need the room of a line per tile row.
        return count > 4

    def _scale(self) -> float:
        # More than two rows of tiles would not fit at full size.
        rows = -(-len(self.tiles) // self._columns()) if self.tiles else 1
        return 1.0 if rows <= 2 else 2.0 / rows

    def show_counters(self, counters: tuple[CounterState, ...]) -> None:
        if len(counters) != len(self.tiles):
            for tile in self.tiles:
                tile.deleteLater()
            compact = self._compact(len(counters))
            self.tiles = [CounterTile(self, compact=compact) for _ in counters]
            columns = self._columns()
            for i, tile in enumerate(self.tiles):
                self._grid.addWidget(tile, i // columns, i % columns)
            self.apply_units(self._unit)
        for tile, state in zip(self.tiles, counters, strict=True):
            tile.show_counter(state)


class QueuesPanel(QFrame):
    """Per service: the next numbers to be called and how many are waiting.

    When there is room, each service's name has a line of its own above its numbers, so
    it can be read from across the room. A large office (many services, many counter
    tiles above) gets one row per service instead, the name beside the numbers. The
    numbers, which visitors look for, always get the larger type.
    """

    # Line heights in units: name and numbers stacked; one row with the name beside.
    STACKED_NAME, STACKED_NUMBERS = 2.9, 4.2
    ROW_NAME, ROW_NUMBERS, ROW_COUNT = 2.4, 3.6, 2.6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Panel")
        # The panel takes the room left under the counter tiles and fits its rows into
        # it; its rows must not make the window taller than the screen.
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        self.title = FitLabel(_("Next numbers"), bold=True, align=Qt.AlignmentFlag.AlignLeft)
        self.title.setObjectName("PanelTitle")
        self._grid = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(self._grid)
        layout.addStretch(1)
        self._rows: list[tuple[FitLabel, FitLabel, FitLabel]] = []
        self._unit = 7.2
        self.stacked = True

    def _shown(self) -> int:
        return sum(1 for row in self._rows if not row[0].isHidden())

    def _room(self) -> int:
        """The height left for the rows under the title."""
        unit = self._unit
        return (
            self.height()
            - 2 * round(unit * 1.2)  # margins
            - round(unit * 3.2 * 1.3)  # title
            - round(unit * 0.6)  # between title and rows
        )

    def _stacked_fits(self) -> bool:
        """Whether the names-above layout fits the panel's height at the full size."""
        unit, shown = self._unit, self._shown()
        names = round(unit * self.STACKED_NAME * 1.5)
        numbers = round(unit * self.STACKED_NUMBERS * 1.15)
        gaps = (2 * shown - 1) * round(unit * 0.3)
        return shown * (names + numbers) + gaps <= self._room()

    def _row_scale(self) -> float:
        """How much the one-row-per-service layout must shrink to fit the height."""
        unit, shown = self._unit, max(1, self._shown())
        # A row is as tall as its name on two lines, or its numbers if they are taller.
        line = max(self.ROW_NAME * 1.15 * 2, self.ROW_NUMBERS * 1.2)
        needed = shown * unit * (line + 0.6)
        return max(0.4, min(1.0, self._room() / needed))

    def apply_units(self, unit: float) -> None:
        self._unit = unit
        self._arrange(self._stacked_fits())
        scale = 1.0 if self.stacked else self._row_scale()
        self.layout().setContentsMargins(*(round(unit * 1.2),) * 4)
        self.layout().setSpacing(round(unit * 0.6))
        self._grid.setHorizontalSpacing(round(unit))
        self.title.set_pixel_size(unit * 3.2)
        if self.stacked:
            self._grid.setVerticalSpacing(round(unit * 0.3))
            for name, numbers, count in self._rows:
                name.set_pixel_size(unit * self.STACKED_NAME, leading=1.5)
                numbers.set_pixel_size(unit * self.STACKED_NUMBERS, leading=1.15)
                count.set_pixel_size(unit * self.STACKED_NAME, leading=1.15)
        else:
            self._grid.setVerticalSpacing(round(unit * 0.6 * scale))
            for name, numbers, count in self._rows:
                name.set_pixel_size(unit * self.ROW_NAME * scale, leading=1.15)
                numbers.set_pixel_size(unit * self.ROW_NUMBERS * scale, leading=1.2)
                count.set_pixel_size(unit * self.ROW_COUNT * scale, leading=1.3)
        self._same_sizes()

    def _arrange(self, stacked: bool) -> None:
        """Put the labels in the grid for one layout or the other."""
        if stacked == self.stacked and all(self._grid.indexOf(r[0]) >= 0 for r in self._rows):
            return
        self.stacked = stacked
        for row in self._rows:
            for label in row:
                self._grid.removeWidget(label)
        for column in range(3):
            self._grid.setColumnStretch(column, 0)
        for i, (name, numbers, count) in enumerate(self._rows):
            name.set_lines(1 if stacked else 2)
            if stacked:
                # The taller line box leaves its air above the name, apart from the
                # service above it.
                name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
                self._grid.addWidget(name, 2 * i, 0, 1, 2)
                self._grid.addWidget(numbers, 2 * i + 1, 0)
                self._grid.addWidget(count, 2 * i + 1, 1)
            else:
                name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
                self._grid.addWidget(name, i, 0)
                self._grid.addWidget(numbers, i, 1)
                self._grid.addWidget(count, i, 2)
        for column, stretch in enumerate((3, 1, 0) if stacked else (8, 10, 5)):
            self._grid.setColumnStretch(column, stretch)

    def show_queues(self, queues: tuple[ServiceQueue, ...]) -> None:
        while len(self._rows) < len(queues):
            labels = (
                FitLabel(bold=True, align=Qt.AlignmentFlag.AlignLeft),
                FitLabel(bold=True, align=Qt.AlignmentFlag.AlignLeft),
                FitLabel(align=Qt.AlignmentFlag.AlignRight),
            )
            for label, name in zip(
                labels, ("ServiceName", "NextNumbers", "WaitingCount"), strict=True
            ):
                label.setObjectName(name)
            self._rows.append(labels)
        for i, (name, numbers, count) in enumerate(self._rows):
            queue = queues[i] if i < len(queues) else None
            for label in (name, numbers, count):
                label.setHidden(queue is None)
            if queue is None:
                continue
            name.setText(queue.name)
            numbers.setText(" ".join(queue.next_numbers) or NO_NUMBER)
            if queue.closed:
                # Nobody calls this service now: do not let its numbers look as if moving.
                count.setText(_("Closed"))
            else:
                count.setText(ngettext("{n} waiting", "{n} waiting", queue.waiting))
            for label in (name, numbers, count):
                if label.property("closed") != queue.closed:
                    label.setProperty("closed", queue.closed)
                    repolish(label)
        self._arrange(self.stacked)  # new rows join the grid
        self.apply_units(self._unit)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # The labels get their new widths from the layout after this event.
        QTimer.singleShot(0, self._refit)

    def _refit(self) -> None:
        self.apply_units(self._unit)

    def _same_sizes(self) -> None:
        # Rows in one size read as one list; a long row must not look less important.
        for column in range(3):
            same_size([row[column] for row in self._rows])


class Ticker(QWidget):
    """The running text along the bottom edge, scrolling right to left.

    The text is drawn once into a pixmap and only that strip is repainted per frame,
    so the endless scrolling costs little on the display PC.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Ticker")
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._text = ""
        self._pixmap: QPixmap | None = None
        self._offset = 0.0
        self._pixels = 20.0
        self._speed = 60.0
        self._background = QColor("#1f3a78")
        self._foreground = QColor("#ffffff")
        self._timer = QTimer(self)
        self._timer.setInterval(TICKER_FRAME_MS)
        self._timer.timeout.connect(self._on_timer_timeout)

    def text(self) -> str:
        return self._text

    def setText(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._pixmap = None
            self.update()

    def apply_units(self, unit: float) -> None:
        self._pixels = unit * 3.8
        self._speed = unit * TICKER_SPEED_UNITS_PER_SECOND
        self.setFixedHeight(round(unit * 6.5))
        self._pixmap = None

    def sizeHint(self) -> QSize:
        return QSize(400, round(self._pixels * 1.7))

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._timer.start()

    def hideEvent(self, event) -> None:
        super().hideEvent(event)
        self._timer.stop()

    def _render(self) -> QPixmap:
        font = make_font(self._pixels, bold=True)
        metrics = QFontMetricsF(font)
        gap = metrics.horizontalAdvance("     •     ")
        width = max(1, round(metrics.horizontalAdvance(self._text) + gap))
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(round(width * ratio), round(self.height() * ratio))
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(self._background)
        painter = QPainter(pixmap)
        painter.setFont(font)
        painter.setPen(self._foreground)
        painter.drawText(
            QRectF(0, 0, width, self.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self._text,
        )
        painter.end()
        return pixmap

    def _on_timer_timeout(self) -> None:
        if not self._text:
            return
        self._offset += self._speed * TICKER_FRAME_MS / 1000
        self.update()

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), self._background)
        if not self._text:
            return
        if self._pixmap is None or self._pixmap.height() != round(
            self.height() * self.devicePixelRatioF()
        ):
            self._pixmap = self._render()
        span = self._pixmap.width() / self._pixmap.devicePixelRatio()
        self._offset %= span
        x = self.width() - self._offset
        # Start at the right edge, then repeat the strip so the text never runs out.
        while x > 0:
            x -= span
        while x < self.width():
            painter.drawPixmap(round(x), 0, self._pixmap)
            x += span


class Banner(QLabel):
    """The red strip that says the shared database cannot be reached."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Banner")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setWordWrap(True)
        self.hide()

    def apply_units(self, unit: float) -> None:
        self.setFont(make_font(unit * 3.6, bold=True))
        self.setContentsMargins(*(round(unit),) * 4)


class Header(QFrame):
    """Logo, office name, date and a large clock."""

    def __init__(self, logo: QPixmap | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Header")
        self._logo_source = logo
        self.logo = QLabel()
        self.logo.setObjectName("Logo")
        self.office = FitLabel(bold=True, align=Qt.AlignmentFlag.AlignLeft)
        self.office.setObjectName("OfficeName")
        self.unit_name = FitLabel(align=Qt.AlignmentFlag.AlignLeft)
        self.unit_name.setObjectName("OfficeUnit")
        self.date = FitLabel(align=Qt.AlignmentFlag.AlignRight)
        self.date.setObjectName("DateLabel")
        self.clock = QLabel()
        self.clock.setObjectName("ClockLabel")
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addStretch(1)
        names.addWidget(self.office)
        names.addWidget(self.unit_name)
        names.addStretch(1)
        self._names = names
        layout = QHBoxLayout(self)
        layout.addWidget(self.logo)
        layout.addLayout(names, 6)
        layout.addWidget(self.date, 3)
        layout.addWidget(self.clock)
        self.portrait = False

    def set_portrait(self, portrait: bool) -> None:
        """On a portrait screen the date goes under the office's name, leaving the
        names the width they need beside the clock."""
        if portrait == self.portrait:
            return
        self.portrait = portrait
        layout = self.layout()
        layout.removeWidget(self.date)
        self._names.removeWidget(self.date)
        if portrait:
            self.date.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            self._names.insertWidget(3, self.date)
        else:
            self.date.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            layout.insertWidget(2, self.date, 3)

    def apply_units(self, unit: float) -> None:
        self.layout().setContentsMargins(round(unit * 2), 0, round(unit * 2), 0)
        self.layout().setSpacing(round(unit * 2))
        self.setFixedHeight(round(unit * (13 if self.portrait else 10)))
        if self._logo_source is not None:
            side = round(unit * 7.5)
            ratio = self.devicePixelRatioF()
            pixmap = self._logo_source.scaled(
                round(side * ratio),
                round(side * ratio),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            pixmap.setDevicePixelRatio(ratio)
            self.logo.setPixmap(pixmap)
            self.logo.setFixedSize(side, side)
        self.office.set_pixel_size(unit * 4, leading=1.25)
        self.unit_name.set_pixel_size(unit * 2.7, leading=1.25)
        self.date.set_pixel_size(unit * 3)
        self.clock.setFont(make_font(unit * 7.5, bold=True))
