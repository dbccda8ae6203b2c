"""The waiting-room screen: header, now calling, counters, next numbers, running text."""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QDate, QLocale, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from assets import path as asset_path
from display.board import Board, Call
from display.media import MediaPanel
from display.widgets import (
    Banner,
    CountersPanel,
    Header,
    HistoryPanel,
    NowCallingCard,
    QueuesPanel,
    Ticker,
    repolish,
)
from shared import i18n
from shared.clock import Clock, from_ms
from shared.i18n import _

log = logging.getLogger(__name__)

STYLE_SHEET = asset_path("display", "display.qss")
LOGO = asset_path("display", "logo.svg")
DATE_LOCALES = {"id": "id_ID", "en": "en_GB"}
# The layout was drawn for 16:9; a narrower window scales down instead of clipping.
ASPECT = 16 / 9
MEDIA_SHARE = 0.7
# The unit (a hundredth of the height) for which the style sheet's pixels were chosen.
STYLE_UNIT = 10.8


def load_logo(size: int = 512) -> QPixmap | None:
    renderer = QSvgRenderer(str(LOGO))
    if not renderer.isValid():
        return None
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter)
    painter.end()
    return pixmap


class DisplayWindow(QWidget):
    """Everything on the wall; fed whole boards by :meth:`show_board`.

    It never reads the database itself: what it shows is what the last board said,
    which is exactly what must stay on screen while the share is unreachable.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        history: int = 5,
        media_folder: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("DisplayWindow")
        self.setWindowTitle(_("Queue display"))
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
        self._style_source = STYLE_SHEET.read_text(encoding="utf-8")
        self._style_scale: float | None = None
        self._clock = clock
        self._timezone = "Asia/Jakarta"
        self._current: Call | None = None
        self._painted = False
        self.board: Board | None = None

        self.header = Header(load_logo())
        self.now_calling = NowCallingCard()
        self.history = HistoryPanel(history)
        self.history.setVisible(history > 0)
        self.counters = CountersPanel()
        self.queues = QueuesPanel()
        self.media = MediaPanel(Path(media_folder)) if media_folder else None
        self.ticker = Ticker()
        self.banner = Banner(self)
        self.now_calling.show_call(None, flash=False)

        left = QVBoxLayout()
        left.addWidget(self.now_calling, 0)
        left.addWidget(self.history, 1)
        right = QVBoxLayout()
        right.addWidget(self.counters, 0)
        right.addWidget(self.queues, 1)
        if self.media is not None:
            right.addWidget(self.media, 1)
        self._body = QHBoxLayout()
        self._body.addLayout(left, 53)
        self._body.addLayout(right, 47)
        self._left, self._right = left, right
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self.header)
        outer.addLayout(self._body, 1)
        outer.addWidget(self.ticker)

        self._clock_timer = QTimer(self)
        self._clock_timer.setInterval(1000)
        self._clock_timer.timeout.connect(self._on_clock_timer_timeout)
        self._clock_timer.start()
        self._on_clock_timer_timeout()
        self.apply_units(7.2)

    # -- sizes ----------------------------------------------------------------------------

    @property
    def portrait(self) -> bool:
        return self.height() > self.width()

    @property
    def unit(self) -> float:
        """One hundredth of the usable screen height, in pixels.

        A portrait screen stacks the two columns, each as wide as the screen: it is
        measured like a landscape screen whose height is its width.
        """
        if self.portrait:
            return min(self.width(), self.height() / ASPECT) / 100
        return min(self.height(), self.width() / ASPECT) / 100

    def apply_units(self, unit: float) -> None:
        self._scale_style(unit)
        for part in (self.header, self.now_calling, self.history):
            part.apply_units(unit)
        # With posters or a video beside them, the counters and queues give up room.
        side = unit * MEDIA_SHARE if self.media is not None and self.media.has_media else unit
        self.counters.apply_units(side)
        self.queues.apply_units(side)
        self.ticker.apply_units(unit)
        self.banner.apply_units(unit)
        margin = round(unit * 1.6)
        self._body.setContentsMargins(margin, margin, margin, margin)
        self._body.setSpacing(margin)
        self._left.setSpacing(margin)
        self._right.setSpacing(margin)
        self._place_banner()

    def _scale_style(self, unit: float) -> None:
        """Borders and corners in the style sheet are drawn for 1080 lines: scale them,
        so a 4K screen does not get hairlines and a 720p one no heavy frames."""
        scale = round(unit / STYLE_UNIT, 1)
        if scale == self._style_scale:
            return
        self._style_scale = scale
        self.setStyleSheet(
            re.sub(
                r"(\d+)px",
                lambda m: f"{max(1, round(int(m.group(1)) * scale))}px",
                self._style_source,
            )
        )
        # Re-polishing puts back the style sheet's font: choose the sizes again.
        repolish(self)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._painted:
            self._painted = True
            log.info("first frame painted (%dx%d)", self.width(), self.height())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Portrait: now calling and history above, counters and next numbers below.
        direction = (
            QBoxLayout.Direction.TopToBottom if self.portrait else QBoxLayout.Direction.LeftToRight
        )
        if self._body.direction() != direction:
            self._body.setDirection(direction)
            # Stacked, the history goes last: the next numbers need the room more.
            self._left.removeWidget(self.history)
            self._right.removeWidget(self.history)
            if self.portrait:
                self._right.addWidget(self.history, 0)
                stretches = (0, 1)
            else:
                self._left.addWidget(self.history, 1)
                stretches = (53, 47)
            for index, stretch in enumerate(stretches):
                self._body.setStretch(index, stretch)
        self.header.set_portrait(self.portrait)
        self.apply_units(self.unit)

    def _place_banner(self) -> None:
        unit = self.unit
        width = round(self.width() * 0.7)
        self.banner.setFixedWidth(width)
        self.banner.adjustSize()
        self.banner.move((self.width() - width) // 2, round(unit * 13))
        self.banner.raise_()

    # -- content --------------------------------------------------------------------------

    def show_board(self, board: Board) -> Call | None:
        """Show ``board``; return the call that became "now calling", if one did.

        The newest new call flashes; at start-up the last call of the day is shown
        quietly, so the room is not alarmed by a call made before the display was on.
        """
        self.board = board
        self._timezone = board.timezone
        self.header.office.setText(board.office_name)
        self.header.unit_name.setText(board.office_unit)
        self.counters.show_counters(board.counters)
        self.queues.show_queues(board.queues)
        self.ticker.setText(self._running_text(board))
        self._on_clock_timer_timeout()

        newest = board.new_calls[-1] if board.new_calls else None
        return self._show_now_calling(newest.event_id if newest else None, refresh=True)

    def forget_call(self) -> None:
        """Forget the call on the big card, so the next board puts it up afresh."""
        self._current = None

    def _show_now_calling(self, flash_event: int | None, *, refresh: bool) -> Call | None:
        """Put the newest live call (see :meth:`Call.live`) on the big card.

        Returns the call when the card changed to it or it flashes again (a recall);
        the history lists the other calls, newest first.
        """
        board = self.board
        if board is None:
            return None
        now = self._clock.now_ms()
        calls = list(board.recent_calls)
        if board.new_calls and all(c.event_id != board.new_calls[-1].event_id for c in calls):
            # A call just made always shows, even stamped by a PC whose clock is on
            # another day than this one's.
            calls.append(board.new_calls[-1])
        latest = next((c for c in reversed(calls) if c.live(now)), None)
        latest_id = latest.event_id if latest is not None else None
        current_id = self._current.event_id if self._current is not None else None
        flash = flash_event is not None and flash_event == latest_id
        self._current = latest
        changed = flash or latest_id != current_id
        if changed:
            self.now_calling.show_call(latest, flash=flash)
        if changed or refresh:
            self.history.show_calls(
                [c for c in reversed(board.recent_calls) if c.event_id != latest_id]
            )
        return latest if changed else None

    def _running_text(self, board: Board) -> str:
        parts = [board.running_text.strip()]
        if board.complaint_channels:
            parts.append(
                _(
                    "Complaints and suggestions: {channels}",
                    channels=" · ".join(board.complaint_channels),
                )
            )
        return "     •     ".join(p for p in parts if p)

    def set_connection_lost(self, lost: bool) -> None:
        """Show or hide the banner; the last board stays on screen either way."""
        if lost:
            self.banner.setText(_("Connection lost — showing the last known state. Reconnecting…"))
            self._place_banner()
        self.banner.setVisible(lost)

    def set_announcing(self, announcing: bool) -> None:
        if self.media is not None:
            self.media.set_muted(announcing)

    def _on_clock_timer_timeout(self) -> None:
        # A call that is over leaves the card even when nothing else changes.
        self._show_now_calling(None, refresh=False)
        now = from_ms(self._clock.now_ms(), self._timezone)
        time_text = now.strftime("%H:%M")
        if self.header.clock.text() != time_text:
            self.header.clock.setText(time_text)
            locale = QLocale(DATE_LOCALES.get(i18n.language(), "id_ID"))
            date = QDate(now.year, now.month, now.day)
            self.header.date.setText(locale.toString(date, "dddd, d MMMM yyyy"))

    # -- placement ------------------------------------------------------------------------

    def show_on_screen(self, index: int, *, windowed: bool) -> None:
        """Show full screen on screen ``index`` (the first screen if there is no such one)."""
        screens = QGuiApplication.screens()
        screen = screens[index] if 0 <= index < len(screens) else QGuiApplication.primaryScreen()
        if windowed:
            self.resize(1280, 720)
            if screen is not None:
                self.move(screen.availableGeometry().topLeft())
            self.show()
            return
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        # Nobody uses a mouse on the wall; a stray pointer would sit on the number.
        self.setCursor(Qt.CursorShape.BlankCursor)
        self.showFullScreen()
