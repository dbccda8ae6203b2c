"""The kiosk's one window: a header, the screens, the idle timeout and the lock.

Whoever walks away leaves nothing behind: after the configured idle time every screen
forgets what was typed and the kiosk returns to Welcome in the office's language. A
visitor who only paused over a form is asked "Still there?" with a countdown first (the
on-screen keyboard closes for it, and opens again when the visitor goes on).

An unexpected error in any slot ends the same way (:meth:`KioskWindow.recover`, run by
the program's :class:`~shared.qt.recovery.Recovery`): whatever the failed slot half did
is dropped with the visitor's data, and the count of such resets goes to the console.
"""

from __future__ import annotations

import logging
import math
import re
import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QMouseEvent, QPixmap
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from assets import path as asset_path
from kiosk.admin import AdminScreen
from kiosk.backend import KioskBackend, Overview, looks_like_ticket_code
from kiosk.guestbook import GuestBookScreen
from kiosk.keyboard import KeyboardLanguage
from kiosk.rating import RatingScreen
from kiosk.screens import ComplaintScreen, Screen, ServiceScreen, TicketScreen, WelcomeScreen
from kiosk.texts import long_date
from kiosk.widgets import button, label, takes_text
from shared import i18n
from shared.clock import format_local
from shared.devices.printing import PrinterStatus
from shared.i18n import _, ngettext
from shared.install.config import KioskSection
from shared.office import settings
from shared.queue import ticketcode

log = logging.getLogger(__name__)

# Languages are offered in their own words, so they are not translated.
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
MIN_TOUCH_PX = 48
UNLOCK_TAPS = 5
UNLOCK_SECONDS = 4.0
SCAN_GAP_SECONDS = 1.5
# A form is wiped after its idle time; this long before, the visitor is asked first.
IDLE_WARNING_SECONDS = 15
IDLE_EVENTS = {
    QEvent.Type.MouseButtonPress,
    QEvent.Type.TouchBegin,
    QEvent.Type.KeyPress,
    QEvent.Type.InputMethod,
    QEvent.Type.Wheel,
}


def style_factor(width: int, height: int) -> float:
    """How much smaller than for 1080p the kiosk draws on a ``width`` × ``height`` screen.

    The style sheet is written for 1920×1080 (or a portrait 1080×1920); a 1366×768 office
    monitor, or 1360×980, gets 0.7 of it. Steps of 0.05 keep a window being resized from
    re-styling at every pixel.
    """
    factor = min(1.0, min(width, height) / 1080, max(width, height) / 1920)
    return max(0.6, round(factor * 20) / 20)


def _scale_value(name: str, value: str, factor: float) -> str:
    def scale(match: re.Match) -> str:
        number = int(match.group(1))
        if number <= 4:
            return match.group(0)  # borders stay as thick: they show focus and choice
        scaled = round(number * factor)
        if name in ("min-height", "min-width"):
            scaled = max(MIN_TOUCH_PX, scaled)  # a finger does not shrink with the screen
        return f"{scaled}px"

    return re.sub(r"(\d+)px", scale, value)


def load_style(factor: float = 1.0) -> str:
    """Return the kiosk's style sheet with its image paths filled in, sized by ``factor``."""
    text = asset_path("kiosk", "kiosk.qss").read_text(encoding="utf-8")
    text = text.replace("@ASSETS@", asset_path("kiosk").as_posix())
    if factor == 1.0:
        return text
    return re.sub(
        r"([a-z-]+)\s*:\s*([^;{}]+);",
        lambda m: f"{m.group(1)}: {_scale_value(m.group(1), m.group(2), factor)};",
        text,
    )


class Logo(QLabel):
    """The office logo; taps on it are the hidden gesture that opens the settings."""

    tapped = Signal()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self.tapped.emit()
        event.accept()


class Header(QWidget):
    """Office name and logo, today's date and time, and the language switch."""

    language_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("header")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.logo = Logo()
        self.logo.setObjectName("logo")
        self.apply_scale(1.0)
        self.office_name = label(name="office_name", wrap=True)
        self.office_unit = label(name="office_unit", wrap=True)
        names = QVBoxLayout()
        names.setSpacing(2)
        names.addWidget(self.office_name)
        names.addWidget(self.office_unit)
        self.clock = label(name="clock", wrap=False)
        self.date = label(name="date", wrap=False)
        self.clock.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.date.setAlignment(Qt.AlignmentFlag.AlignRight)
        when = QVBoxLayout()
        when.setSpacing(2)
        when.addWidget(self.clock)
        when.addWidget(self.date)
        self.language_buttons = {}
        languages = QHBoxLayout()
        languages.setSpacing(10)
        for code, name in LANGUAGE_NAMES.items():
            btn = button(name, "lang", name=f"lang_{code}")
            btn.setCheckable(True)
            btn.setMinimumWidth(0)
            btn.clicked.connect(lambda _c=False, lang=code: self.language_chosen.emit(lang))
            self.language_buttons[code] = btn
            languages.addWidget(btn)
        identity = QHBoxLayout()
        identity.setSpacing(20)
        identity.addWidget(self.logo)
        identity.addLayout(names, 1)
        controls = QHBoxLayout()
        controls.setSpacing(20)
        controls.addLayout(when, 1)
        controls.addLayout(languages)
        self.rows = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self.rows.setContentsMargins(24, 10, 24, 10)
        self.rows.setSpacing(12)
        self.rows.addLayout(identity, 1)
        self.rows.addLayout(controls)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def apply_scale(self, factor: float) -> None:
        """Size the logo with the rest of the kiosk (see :func:`style_factor`)."""
        side = round(96 * factor)
        self.logo.setPixmap(
            QPixmap(str(asset_path("kiosk", "logo.svg"))).scaled(
                side - 8,
                side - 8,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.logo.setFixedSize(side, side)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        # Portrait screens are too narrow for one row: the clock and languages go below.
        wide = self.width() >= 1300
        self.rows.setDirection(
            QBoxLayout.Direction.LeftToRight if wide else QBoxLayout.Direction.TopToBottom
        )

    def show_language(self, language: str) -> None:
        for code, btn in self.language_buttons.items():
            btn.setChecked(code == language)
            # Not by colour alone: the active language also carries a check mark.
            btn.setText(("✓ " if code == language else "") + LANGUAGE_NAMES[code])

    def show_office(self, office: dict[str, Any]) -> None:
        self.office_name.setText(office.get("office_name", ""))
        self.office_unit.setText(office.get("office_unit", ""))

    def show_time(self, now_ms: int, tz: str) -> None:
        self.clock.setText(format_local(now_ms, tz, "%H:%M"))
        self.date.setText(long_date(now_ms, tz))


class IdleWarning(QFrame):
    """ "Still there?" over the whole window, with the seconds left and a way to go on."""

    continue_requested = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idle_warning")
        self.setProperty("overlay", True)  # covers the screen on purpose
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.box = QFrame()
        self.box.setObjectName("idle_box")
        self.box.setMaximumWidth(900)
        self.title = label(role="title", name="idle_title")
        self.text = label(role="subtitle", name="idle_text")
        for widget in (self.title, self.text):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.go_on = button(role="primary", name="idle_continue")
        self.go_on.clicked.connect(self.continue_requested)
        inner = QVBoxLayout(self.box)
        inner.setContentsMargins(40, 32, 40, 32)
        inner.setSpacing(24)
        inner.addWidget(self.title)
        inner.addWidget(self.text)
        inner.addWidget(self.go_on)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(40, 40, 40, 40)
        outer.addStretch(1)
        outer.addWidget(self.box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(1)
        self.seconds = 0
        self.hide()

    def show_seconds(self, seconds: int) -> None:
        self.seconds = seconds
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Still there?"))
        self.text.setText(
            ngettext(
                "To protect your data, the form is cleared in {n} second.",
                "To protect your data, the form is cleared in {n} seconds.",
                self.seconds,
            )
        )
        self.go_on.setText(_("Yes, I am still here"))


class KioskWindow(QWidget):
    """The whole kiosk; ``exit_requested`` after an administrator chose to close it."""

    exit_requested = Signal()

    def __init__(
        self,
        backend: KioskBackend,
        kiosk_config: KioskSection,
        *,
        default_language: str = i18n.DEFAULT_LANGUAGE,
        windowed: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("kiosk")
        self.setWindowTitle("Antrian PST")
        self.backend = backend
        self.kiosk_config = kiosk_config
        self.default_language = default_language
        self.windowed = windowed
        self._may_close = windowed
        self._logo_taps: list[float] = []
        self._scan_buffer = ""
        self._scan_at = 0.0
        # The input being typed in when "Still there?" closed the keyboard.
        self._typing_in: QWidget | None = None
        self.scale = 1.0
        self.setStyleSheet(load_style())

        self.header = Header()
        self.header.language_chosen.connect(self.set_language)
        self.header.logo.tapped.connect(self._on_logo_tapped)
        self.header.show_office(settings.DEFAULTS)

        self.welcome = WelcomeScreen()
        self.service = ServiceScreen()
        self.service.without_open_counter = kiosk_config.issue_without_open_counter
        self.guest_book = GuestBookScreen(backend)
        self.ticket = TicketScreen()
        self.rating = RatingScreen(backend)
        self.complaints = ComplaintScreen()
        self.admin = AdminScreen(backend)
        self.stack = QStackedWidget()
        # A page's minimum size must never push the window past the screen: pages are
        # laid out for 1080p in both orientations and long forms scroll.
        self.stack.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        for screen in self.screens:
            self.stack.addWidget(screen)

        self.welcome.take_number_requested.connect(self._on_take_number_requested)
        self.welcome.rating_requested.connect(lambda: self.show_screen(self.rating))
        self.welcome.complaint_requested.connect(lambda: self.show_screen(self.complaints))
        self.service.service_chosen.connect(self._on_service_chosen)
        self.service.back_requested.connect(self.reset_to_welcome)
        self.guest_book.back_requested.connect(lambda: self.show_screen(self.service))
        self.guest_book.ticket_issued.connect(self._on_ticket_issued)
        self.guest_book.late_ticket_issued.connect(self._on_late_ticket_issued)
        self.ticket.done_requested.connect(self.reset_to_welcome)
        self.rating.back_requested.connect(self.reset_to_welcome)
        self.rating.finished.connect(self.reset_to_welcome)
        self.complaints.back_requested.connect(self.reset_to_welcome)
        self.admin.back_requested.connect(self.reset_to_welcome)
        self.admin.exit_requested.connect(self._on_admin_exit_requested)

        backend.overview_changed.connect(self._on_overview_changed)
        backend.storage_unavailable.connect(lambda _detail: self.welcome.show_storage_problem(True))
        backend.storage_available.connect(lambda: self.welcome.show_storage_problem(False))
        backend.ticket_printed.connect(self._on_ticket_printed)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)

        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self._on_idle_timer_timeout)
        self.idle_warning = IdleWarning(self)
        self.idle_warning.continue_requested.connect(self._restart_idle)
        self.countdown_timer = QTimer(self)
        self.countdown_timer.setInterval(250)
        self.countdown_timer.timeout.connect(self._on_countdown_timer_timeout)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self._on_clock_timer_timeout)
        self.clock_timer.start()
        QApplication.instance().installEventFilter(self)

        i18n.set_language(default_language)
        self.keyboard_language = KeyboardLanguage(default_language, self)
        self.retranslate()
        self._on_clock_timer_timeout()

    @property
    def screens(self) -> list[Screen]:
        return [
            self.welcome,
            self.service,
            self.guest_book,
            self.ticket,
            self.rating,
            self.complaints,
            self.admin,
        ]

    @property
    def current(self) -> Screen:
        return self.stack.currentWidget()

    # -- showing ---------------------------------------------------------------------------

    def show_kiosk(self) -> None:
        """Show full screen and locked, or as a normal window with ``--windowed``."""
        if self.windowed:
            self.resize(1920 // 2 + 400, 1080 - 100)
            self.show()
            return
        self.setWindowFlags(
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint
        )
        self.showFullScreen()

    def show_screen(self, screen: Screen) -> None:
        self.stack.setCurrentWidget(screen)
        # The new screen starts with nothing focused: no keyboard pops up, no focus ring
        # looks like a choice, and a scanner's keystrokes reach Welcome.
        screen.setFocus()
        self._restart_idle()

    def set_language(self, language: str) -> None:
        """Switch every screen to ``id`` or ``en``, keeping what was typed."""
        i18n.set_language(language)
        self.keyboard_language.set_language(language)
        self.retranslate()

    def retranslate(self) -> None:
        self.header.show_language(i18n.language())
        for screen in self.screens:
            screen.retranslate()
        self.idle_warning.retranslate()
        self._on_clock_timer_timeout()

    def reset_to_welcome(self) -> None:
        """Forget the visitor: clear every screen, back to Welcome in the office language."""
        self._typing_in = None  # nobody goes on typing
        self._hide_idle_warning()
        self._close_keyboard()
        for screen in self.screens:
            screen.reset()
        self._scan_buffer = ""
        if i18n.language() != self.default_language:
            self.set_language(self.default_language)
        self.show_screen(self.welcome)
        self.backend.refresh()

    def recover(self) -> None:
        """Return to an empty Welcome in the office's language after an unexpected error.

        Whatever the failed slot half did is undone by rebuilding every text from
        scratch: open dialogs and "Still there?" close, the keyboard closes, every
        screen forgets its visitor (answers still on their way for that visitor are
        ignored — a ticket already committed is still handed out, see
        :meth:`_on_late_ticket_issued`), and the reset is counted for the console.
        """
        self.idle_timer.stop()
        for widget in QApplication.topLevelWidgets():
            if widget is not self and isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        popup = QApplication.activePopupWidget()
        if popup is not None:
            popup.close()
        self._logo_taps = []
        # The language as a whole, even when i18n already says it: the failed slot may
        # have switched it half-way. Then every screen forgets its visitor.
        self.set_language(self.default_language)
        self.reset_to_welcome()
        self.backend.note_screen_reset()

    def _close_keyboard(self) -> None:
        """Close the on-screen keyboard and take the focus off the input it typed into."""
        focused = QApplication.focusWidget()
        if focused is not None and self.isAncestorOf(focused):
            focused.clearFocus()
        QGuiApplication.inputMethod().hide()

    # -- events from the screens --------------------------------------------------------

    def _on_take_number_requested(self) -> None:
        if self.welcome.is_open:
            self.show_screen(self.service)

    def _on_service_chosen(self, code: str) -> None:
        self.guest_book.start(code)
        self.show_screen(self.guest_book)

    def _on_ticket_issued(self, ticket: dict[str, Any]) -> None:
        overview = self.backend.overview
        service = overview.service(ticket["service_code"]) if overview else None
        if service is not None and not service.staffed:
            # No counter is open: any estimate would be invented, on screen and on paper.
            ticket = dict(ticket, estimate_minutes=None)
        # Committed: the slip goes to the printer first, so it prints while the screen
        # is being drawn.
        self.backend.print_ticket(ticket, i18n.language())
        self.ticket.show_ticket(ticket, service, overview.office if overview else None)
        self.show_screen(self.ticket)
        # The guest book is cleared now: its data is in the database, not on screen.
        self.guest_book.reset()

    def _on_late_ticket_issued(self, ticket: dict[str, Any]) -> None:
        """A number committed after its form was reset (by an unexpected error).

        The visitor who asked for it is most likely still in front of the kiosk: on an
        untouched Welcome it is printed and shown as usual; if the next visitor has begun
        meanwhile it is only logged (it waits in the queue like any other).
        """
        if self.current is self.welcome and not self.idle_warning.isVisible():
            log.info("ticket %s committed after the screen was reset: shown", ticket["number"])
            self._on_ticket_issued(ticket)
        else:
            log.warning(
                "ticket %s committed after the screen was reset; another visitor is using"
                " the kiosk, so it is not shown",
                ticket["number"],
            )

    def _on_ticket_printed(self, code: str, status: PrinterStatus) -> None:
        self.ticket.show_print_result(code, status)

    def _on_overview_changed(self, overview: Overview) -> None:
        self.header.show_office(overview.office)
        self.welcome.show_overview(overview)
        self.service.show_overview(overview)
        self.complaints.show_channels(overview.office.get("complaint_channels", []))
        self._on_clock_timer_timeout()

    def _on_admin_exit_requested(self) -> None:
        self._may_close = True
        self.exit_requested.emit()
        self.close()

    # -- timers -------------------------------------------------------------------------

    def _idle_ms(self) -> int | None:
        kind = self.current.idle_kind
        if kind == "form":
            return int(self.kiosk_config.idle_seconds_form * 1000)
        if kind == "ticket":
            return int(self.kiosk_config.idle_seconds_ticket * 1000)
        return None

    def _warning_ms(self, interval: int) -> int:
        """How long "Still there?" shows before a form is wiped (0: no warning)."""
        if self.current.idle_kind != "form":
            return 0  # a ticket or a thank-you page holds nothing to lose
        return min(IDLE_WARNING_SECONDS * 1000, interval // 2)

    def _restart_idle(self) -> None:
        self._hide_idle_warning()
        interval = self._idle_ms()
        if interval is None:
            self.idle_timer.stop()
        else:
            self.idle_timer.start(interval - self._warning_ms(interval))

    def _on_idle_timer_timeout(self) -> None:
        if self.current.busy:
            self._restart_idle()  # a write is on its way; its answer decides what comes next
            return
        interval = self._idle_ms()
        warning = self._warning_ms(interval) if interval is not None else 0
        if warning and not self.idle_warning.isVisible():
            self.idle_timer.start(warning)
            # The keyboard is a window of its own over this one: it would hide the
            # countdown and "Yes, I am still here". It opens again when the visitor goes on.
            focused = QApplication.focusWidget()
            if QGuiApplication.inputMethod().isVisible() and takes_text(focused):
                self._typing_in = focused
            QGuiApplication.inputMethod().hide()
            self.idle_warning.setGeometry(self.rect())
            self.idle_warning.raise_()
            self.idle_warning.show()
            self._on_countdown_timer_timeout()
            self.countdown_timer.start()
            return
        log.info("idle timeout on %s: back to welcome", self.current.objectName())
        self.reset_to_welcome()

    def _on_countdown_timer_timeout(self) -> None:
        self.idle_warning.show_seconds(math.ceil(max(0, self.idle_timer.remainingTime()) / 1000))

    def _hide_idle_warning(self) -> None:
        self.countdown_timer.stop()
        if not self.idle_warning.isVisible():
            return
        self.idle_warning.hide()
        typing_in, self._typing_in = self._typing_in, None
        if typing_in is not None and typing_in.isVisible():
            typing_in.setFocus()
            QGuiApplication.inputMethod().show()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.idle_warning.setGeometry(self.rect())
        factor = style_factor(self.width(), self.height())
        if factor != self.scale:
            self.scale = factor
            self.setStyleSheet(load_style(factor))
            self.header.apply_scale(factor)
            self.ticket.apply_scale(factor)

    def _on_clock_timer_timeout(self) -> None:
        overview = self.backend.overview
        tz = (overview.office if overview else settings.DEFAULTS)["timezone"]
        self.header.show_time(self.backend.now_ms(), tz)

    # -- hidden gesture and scanner ----------------------------------------------------------

    def _on_logo_tapped(self) -> None:
        now = time.monotonic()
        self._logo_taps = [t for t in self._logo_taps if now - t <= UNLOCK_SECONDS] + [now]
        if len(self._logo_taps) >= UNLOCK_TAPS:
            self._logo_taps = []
            self.admin.reset()
            self.show_screen(self.admin)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in IDLE_EVENTS and self.idle_timer.isActive():
            self._restart_idle()
        if watched is self.welcome and kind == QEvent.Type.KeyPress:
            return self._on_welcome_key(event)
        return False

    def _on_welcome_key(self, event: QKeyEvent) -> bool:
        """Collect a scanner's keystrokes on Welcome; a ticket code opens the rating."""
        now = time.monotonic()
        if now - self._scan_at > SCAN_GAP_SECONDS:
            self._scan_buffer = ""
        self._scan_at = now
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            code, self._scan_buffer = self._scan_buffer.strip(), ""
            if looks_like_ticket_code(code):
                self.rating.reset()
                self.show_screen(self.rating)
                self.rating.look_up(ticketcode.extract(code) or code)
            return True
        text = event.text()
        if text and text.isprintable():
            self._scan_buffer = (self._scan_buffer + text)[-40:]
            return True
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:
            event.ignore()  # locked: only the settings panel may close the kiosk
            return
        QApplication.instance().removeEventFilter(self)
        super().closeEvent(event)
