"""The kiosk's simpler screens: welcome, choice of service, the ticket, complaint channels.

Screens never touch the database: they show what :class:`~kiosk.backend.KioskBackend`
read and announce what the visitor asked for with ``*_requested`` signals.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QBoxLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.backend import Overview, ServiceStatus
from kiosk.channels import CHANNEL_KINDS, channel_label, channel_link
from kiosk.texts import WEEKDAYS
from kiosk.widgets import KeyboardSpacer, button, button_text, label, qr_pixmap, restyle
from shared.clock import format_local
from shared.devices.printing import PrinterStatus
from shared.i18n import N_, _, language, ngettext
from shared.office.servicehours import OpenState
from shared.queue import ticketcode

LANDSCAPE_MIN_WIDTH = 1300
# How long Welcome says "Loading…" before it admits that nothing is coming ("—").
LOADING_SECONDS = 3
# What a visitor is told when the queue database cannot be reached (IT reads the log).
STORAGE_PROBLEM = N_(
    "The queue cannot be reached right now, so no numbers can be given. Please ask an"
    " officer at the desk."
)
NOT_KNOWN = "—"


class Screen(QWidget):
    """One full-screen page of the kiosk.

    ``idle_kind`` chooses the idle timeout: ``None`` (never leaves), ``form`` or
    ``ticket``. :meth:`reset` forgets everything the last visitor entered.
    """

    idle_kind: str | None = "form"

    def retranslate(self) -> None:
        """Re-word every visible text in the current language."""

    def reset(self) -> None:
        """Forget what the last visitor typed or saw."""

    @property
    def busy(self) -> bool:
        """True while a write is running (an idle timeout then waits)."""
        return False

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self.apply_orientation(self.width() >= LANDSCAPE_MIN_WIDTH)

    def apply_orientation(self, landscape: bool) -> None:
        """Arrange the screen for a wide (landscape) or tall (portrait) display."""


def back_row(on_back: Any) -> tuple[QPushButton, QHBoxLayout]:
    """Return the quiet *Back* button, connected to ``on_back``, in a left-aligned row."""
    back = button(role="quiet", name="back")
    back.clicked.connect(on_back)
    row = QHBoxLayout()
    row.addWidget(back)
    row.addStretch(1)
    return back, row


def page_layout(page: QWidget, *widgets: QWidget, spacing: int = 20) -> QVBoxLayout:
    """Lay out a page with the kiosk's margins: ``widgets`` from the top, more added after."""
    layout = QVBoxLayout(page)
    layout.setContentsMargins(48, 24, 48, 24)
    layout.setSpacing(spacing)
    for widget in widgets:
        layout.addWidget(widget)
    return layout


class BottomBar(QFrame):
    """The bar under a form: *Back*, then the status line (it stretches), the main action."""

    def __init__(self, on_back: Any, on_action: Any, *, status_name: str, action_name: str) -> None:
        super().__init__()
        self.setProperty("role", "bottom-bar")
        self.back = button(role="quiet", name="back")
        self.back.clicked.connect(on_back)
        self.status = label(role="status", name=status_name)
        self.action = button(role="primary", name=action_name)
        self.action.clicked.connect(on_action)
        row = QHBoxLayout(self)
        row.setSpacing(20)
        row.addWidget(self.back)
        row.addWidget(self.status, 1)
        row.addWidget(self.action)


def form_layout(
    screen: QWidget, pages: QWidget, bottom: QWidget | QHBoxLayout, *, spacing: int | None = None
) -> None:
    """Lay out a form screen: its pages, the bar under them, room for the on-screen keyboard.

    ``spacing`` None keeps the style's spacing between the three.
    """
    layout = QVBoxLayout(screen)
    layout.setContentsMargins(0, 0, 0, 0)
    if spacing is not None:
        layout.setSpacing(spacing)
    layout.addWidget(pages, 1)
    if isinstance(bottom, QWidget):
        layout.addWidget(bottom)
    else:
        layout.addLayout(bottom)
    layout.addWidget(KeyboardSpacer())


def card(role: str = "card") -> QFrame:
    frame = QFrame()
    frame.setProperty("role", role)
    return frame


def hours_summary(office: dict[str, Any]) -> str:
    """Return the week's opening hours, days with equal hours grouped (``Mon–Thu …``)."""
    groups: list[tuple[int, int, tuple]] = []
    for day in range(7):
        slot = office["hours"].get(str(day))
        if not slot:
            continue
        slot = tuple(slot)
        if groups and groups[-1][2] == slot and groups[-1][1] == day - 1:
            groups[-1] = (groups[-1][0], day, slot)
        else:
            groups.append((day, day, slot))
    parts = []
    for first, last, (opens, closes) in groups:
        days = _(WEEKDAYS[first]) if first == last else f"{_(WEEKDAYS[first])}–{_(WEEKDAYS[last])}"
        parts.append(f"{days} {opens}–{closes}")
    return "; ".join(parts)


def closed_reason(state: OpenState, tz: str) -> str:
    """Return why the service is closed, in the current language."""
    return _(
        state.reason,
        name=state.holiday_name,
        opens=format_local(state.opens_at, tz),
        closes=format_local(state.closes_at, tz),
    )


class WelcomeScreen(Screen):
    """Greets the visitor: three big choices and how long each queue is now."""

    idle_kind = None
    take_number_requested = Signal()
    rating_requested = Signal()
    complaint_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.overview: Overview | None = None
        self.storage_message = ""
        self.storage_down = False
        # Until the first overview arrives, "Loading…"; after LOADING_SECONDS, "—".
        self.gave_up_loading = False
        QTimer.singleShot(LOADING_SECONDS * 1000, self._on_loading_too_long)
        self._row_codes: list[str] = []
        self._rows: dict[str, tuple[QLabel, QLabel, QLabel]] = {}

        self.title = label(role="title", name="welcome_title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle = label(role="subtitle")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)

        self.closed_box = card("closed")
        self.closed_box.setObjectName("closed_box")
        self.closed_title = label(role="closed-title", name="closed_title")
        self.closed_reason = label(role="closed-text", name="closed_reason")
        self.closed_hours = label(role="closed-text", name="closed_hours")
        closed_layout = QVBoxLayout(self.closed_box)
        for widget in (self.closed_title, self.closed_reason, self.closed_hours):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            closed_layout.addWidget(widget)
        self.closed_box.hide()

        self.storage_box = label(role="warning", name="storage_warning")
        self.storage_box.hide()

        self.take_number = button(role="big", name="take_number")
        self.rate = button(role="big", name="give_rating")
        self.complain = button(role="big", name="complaints")
        self.take_number.setProperty("accent", "primary")
        self.take_number.clicked.connect(self.take_number_requested)
        self.rate.clicked.connect(self.rating_requested)
        self.complain.clicked.connect(self.complaint_requested)
        actions = QWidget()
        actions_layout = QVBoxLayout(actions)
        actions_layout.setSpacing(24)
        actions_layout.setContentsMargins(0, 0, 0, 0)
        for btn in (self.take_number, self.rate, self.complain):
            btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            actions_layout.addWidget(btn)

        self.queue_card = card()
        self.queue_title = label(role="section")
        self.queue_rows = QGridLayout()
        self.queue_rows.setHorizontalSpacing(24)
        self.queue_rows.setVerticalSpacing(10)
        queue_layout = QVBoxLayout(self.queue_card)
        queue_layout.addWidget(self.queue_title)
        queue_layout.addLayout(self.queue_rows)
        queue_layout.addStretch(1)

        self.queue_card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(32)
        self.body.addWidget(actions, 5)
        self.body.addWidget(self.queue_card, 4, Qt.AlignmentFlag.AlignTop)
        self.body.addStretch(0)

        self.free_note = label(role="note", name="free_note")
        self.free_note.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = page_layout(self, self.title, self.subtitle, self.storage_box, self.closed_box)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.free_note)
        self.retranslate()

    def apply_orientation(self, landscape: bool) -> None:
        self.body.setDirection(
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )
        for index, stretch in enumerate((5, 4, 0) if landscape else (0, 0, 1)):
            self.body.setStretch(index, stretch)

    @property
    def is_open(self) -> bool:
        return self.overview is not None and self.overview.open_state.is_open

    def show_overview(self, overview: Overview) -> None:
        self.overview = overview
        self.retranslate()

    def show_storage_problem(self, down: bool) -> None:
        """Say that the queue cannot be reached (or no longer say it).

        Visitors are asked to see an officer; the file and the share (IT's business) are
        in the log and, through the heartbeat, on the console.
        """
        self.storage_down = bool(down)
        self.retranslate()

    def _on_loading_too_long(self) -> None:
        self.gave_up_loading = True
        if self.overview is None:
            self._fill_queue_rows()

    def retranslate(self) -> None:
        self.title.setText(_("Welcome"))
        self.subtitle.setText(
            _("Take a queue number, rate our service or send us a complaint. Tap a button.")
        )
        self.take_number.setText(_("Take a Queue Number"))
        self.rate.setText(_("Rate Our Service"))
        self.complain.setText(_("Complaints and Suggestions"))
        self.free_note.setText(_("All services at this desk are free of charge."))
        self.queue_title.setText(_("Waiting now"))
        self.storage_message = "⚠ " + _(STORAGE_PROBLEM) if self.storage_down else ""
        self.storage_box.setText(self.storage_message)
        self.storage_box.setVisible(self.storage_down)
        overview = self.overview
        closed = overview is not None and not overview.open_state.is_open
        self.closed_box.setVisible(closed)
        self.take_number.setEnabled(overview is not None and not closed)
        # Closed: no greyed button to puzzle over, and room for the reason and the hours.
        self.take_number.setVisible(not closed)
        if overview is not None and closed:
            tz = overview.office["timezone"]
            self.closed_title.setText(_("The service is closed. No queue numbers now."))
            self.closed_reason.setText(closed_reason(overview.open_state, tz))
            self.closed_hours.setText(
                _("Opening hours: {hours}", hours=hours_summary(overview.office))
            )
        self._fill_queue_rows()

    def _fill_queue_rows(self) -> None:
        codes = [s.code for s in self.overview.services] if self.overview else []
        if codes != self._row_codes or not codes:
            # The services changed: rebuild the rows (otherwise only their words change).
            while self.queue_rows.count():
                item = self.queue_rows.takeAt(0)
                if item.widget():
                    item.widget().deleteLater()
            self._rows = {}
            self._row_codes = codes
            if not codes:
                waiting = NOT_KNOWN if self.gave_up_loading else _("Loading…")
                self.queue_rows.addWidget(label(waiting, "hint", name="queue_loading"), 0, 0)
                return
            right = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
            for row, code in enumerate(codes):
                name = label(role="queue-name")
                count = label(role="queue-count", wrap=False, name=f"waiting_{code}")
                wait = label(role="queue-wait", wrap=False, name=f"estimate_{code}")
                count.setAlignment(right)
                wait.setAlignment(right)
                self.queue_rows.addWidget(name, row, 0)
                self.queue_rows.addWidget(count, row, 1)
                self.queue_rows.addWidget(wait, row, 2)
                self._rows[code] = (name, count, wait)
            self.queue_rows.setColumnStretch(0, 1)
        lang = language()
        for service in self.overview.services:
            name, count, wait = self._rows[service.code]
            name.setText(service.name(lang))
            if self.storage_down:
                # The last numbers read are old news while the queue cannot be reached.
                count.setText(NOT_KNOWN)
                wait.setText(NOT_KNOWN)
                continue
            count.setText(ngettext("{n} waiting", "{n} waiting", service.waiting))
            if not service.open_state.is_open:
                wait.setText(_("closed"))
            elif not service.staffed:
                wait.setText(_("no counter open yet"))
            elif service.waiting:
                wait.setText(_("about {n} min", n=service.estimate_minutes))
            else:
                wait.setText(_("no wait"))


class ServiceScreen(Screen):
    """Lets the visitor choose the service they came for."""

    service_chosen = Signal(str)
    back_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("choose_service")
        self.overview: Overview | None = None
        self._landscape = True
        # Set from the kiosk's configuration: numbers for a service with no open counter.
        self.without_open_counter = False
        self.buttons: dict[str, Any] = {}
        self.title = label(role="title")
        self.intro = label(role="subtitle")
        self.grid = QGridLayout()
        self.grid.setSpacing(24)
        self.back, bottom = back_row(self.back_requested)
        layout = page_layout(self, self.title, self.intro)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.retranslate()

    def show_overview(self, overview: Overview) -> None:
        self.overview = overview
        self._rebuild()

    def apply_orientation(self, landscape: bool) -> None:
        if landscape != self._landscape:
            self._landscape = landscape
            self.buttons = {}
            self._rebuild()

    def retranslate(self) -> None:
        self.title.setText(_("Which service do you need?"))
        self.intro.setText(_("Tap the service you came for."))
        self.back.setText(_("← Back"))
        self._rebuild()

    def _rebuild(self) -> None:
        if self.overview is not None and list(self.buttons) == [
            s.code for s in self.overview.services
        ]:
            for service in self.overview.services:
                btn = self.buttons[service.code]
                btn.setText(button_text(self._service_text(service)))
                btn.setEnabled(service.issuable(self.without_open_counter))
            return
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.buttons = {}
        if self.overview is None:
            self.grid.addWidget(label(_("Loading…"), "hint"), 0, 0)
            return
        columns = 2 if self._landscape else 1
        for index, service in enumerate(self.overview.services):
            text = button_text(self._service_text(service))
            btn = button(text, "service", name=f"service_{service.code}")
            btn.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            btn.setEnabled(service.issuable(self.without_open_counter))
            btn.clicked.connect(lambda _checked=False, c=service.code: self.service_chosen.emit(c))
            self.grid.addWidget(btn, index // columns, index % columns)
            self.buttons[service.code] = btn

    def _service_text(self, service: ServiceStatus) -> str:
        name = service.name(language())
        if not service.open_state.is_open:
            return name + "\n" + _("closed")
        waiting = ngettext("{n} waiting", "{n} waiting", service.waiting)
        if not service.staffed:
            # No estimate: nobody knows when a counter will open.
            return name + "\n" + _("No counter open yet")
        if service.waiting:
            waiting += " · " + _("about {n} min", n=service.estimate_minutes)
        return name + "\n" + waiting


class TicketScreen(Screen):
    """Shows the visitor's number huge, with the QR code, the queue and the promise."""

    idle_kind = "ticket"
    done_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ticket")
        self.ticket: dict[str, Any] | None = None
        self.service: ServiceStatus | None = None
        self.print_status: PrinterStatus | None = None
        self.qr_side = 300
        self.qr_payload = ""
        self.wifi = ""

        self.heading = label(role="subtitle", name="ticket_heading")
        self.number = label(role="number", name="ticket_number", wrap=False)
        self.service_name = label(role="section", name="ticket_service")
        self.priority = label(role="note", name="ticket_priority")
        self.ahead = label(role="ticket-info", name="ticket_ahead")
        self.estimate = label(role="ticket-info", name="ticket_estimate")
        self.qr = QLabel()
        self.qr.setObjectName("ticket_qr")
        self.qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.qr_caption = label(role="hint")
        self.qr_caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.promise = label(role="promise", name="ticket_promise")
        self.printer_line = label(role="print-ok", name="ticket_printer")
        self.done = button(role="primary", name="done")
        self.done.setMinimumWidth(360)
        self.done.clicked.connect(self.done_requested)
        for widget in (self.heading, self.number, self.service_name, self.priority):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        for widget in (self.ahead, self.estimate, self.promise, self.printer_line):
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)

        info = QVBoxLayout()
        info.setSpacing(8)
        info.addStretch(1)
        for widget in (self.heading, self.number, self.service_name, self.priority):
            info.addWidget(widget)
        info.addSpacing(12)
        info.addWidget(self.ahead)
        info.addWidget(self.estimate)
        info.addStretch(1)
        qr_box = QVBoxLayout()
        qr_box.addStretch(1)
        qr_box.addWidget(self.qr)
        qr_box.addWidget(self.qr_caption)
        qr_box.addStretch(1)
        self.body = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.body.setSpacing(40)
        self.body.addLayout(info, 3)
        self.body.addLayout(qr_box, 2)

        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.done)
        bottom.addStretch(1)
        layout = page_layout(self, spacing=18)
        layout.addLayout(self.body, 1)
        layout.addWidget(self.promise)
        layout.addWidget(self.printer_line)
        layout.addLayout(bottom)

    def apply_orientation(self, landscape: bool) -> None:
        self.body.setDirection(
            QBoxLayout.Direction.LeftToRight if landscape else QBoxLayout.Direction.TopToBottom
        )

    def show_ticket(
        self,
        ticket: dict[str, Any],
        service: ServiceStatus | None,
        office: dict[str, Any] | None = None,
    ) -> None:
        """Show a new ticket; with the office's status page set, its QR opens the page."""
        self.ticket, self.service, self.print_status = ticket, service, None
        office = office or {}
        self.qr_payload = ticketcode.qr_payload(ticket["code"], office)
        self.wifi = str(office.get("status_page_wifi") or "")
        self.qr.setPixmap(qr_pixmap(self.qr_payload, self.qr_side))
        self.retranslate()

    def apply_scale(self, factor: float) -> None:
        """Size the QR code with the rest of the screen (a phone still reads 200 px)."""
        self.qr_side = max(200, round(300 * factor))
        if self.ticket is not None:
            self.qr.setPixmap(qr_pixmap(self.qr_payload, self.qr_side))

    def show_print_result(self, code: str, status: PrinterStatus) -> None:
        """Say whether the slip came out; if not, ask the visitor to note the number."""
        if self.ticket is not None and self.ticket["code"] == code:
            self.print_status = status
            self.retranslate()

    @property
    def printed(self) -> bool:
        return self.print_status is not None and self.print_status.state == "ok"

    def reset(self) -> None:
        self.ticket, self.service, self.print_status = None, None, None
        self.qr.clear()
        for widget in (self.number, self.service_name, self.ahead, self.estimate, self.priority):
            widget.clear()

    def retranslate(self) -> None:
        self.done.setText(_("Done"))
        self.heading.setText(_("Your queue number"))
        ticket = self.ticket
        if ticket is not None and self.qr_payload != ticket["code"]:
            caption = _("Follow your queue on your phone")
            if self.wifi:
                caption += "\n" + _("Office Wi-Fi: {name}", name=self.wifi)
        else:
            caption = _("Scan this code later to rate our service.")
        self.qr_caption.setText(caption)
        if ticket is None:
            return
        self.number.setText(ticket["number"])
        name = self.service.name(language()) if self.service else ticket["service_code"]
        self.service_name.setText(name)
        self.priority.setText(_("Priority service") if ticket.get("priority_group") else "")
        self.priority.setVisible(bool(ticket.get("priority_group")))
        ahead = int(ticket.get("ahead") or 0)
        if self.service is not None and not self.service.staffed:
            self.ahead.setText(
                ngettext("{n} person is ahead of you.", "{n} people are ahead of you.", ahead)
                if ahead
                else _("Nobody is ahead of you.")
            )
            self.estimate.setText(
                _("No counter is open for this service yet: you are called once one opens.")
            )
        elif ahead:
            self.ahead.setText(
                ngettext("{n} person is ahead of you.", "{n} people are ahead of you.", ahead)
            )
            self.estimate.setText(
                ngettext(
                    "Estimated wait: about {n} minute.",
                    "Estimated wait: about {n} minutes.",
                    int(ticket.get("estimate_minutes") or 0),
                )
            )
        else:
            self.ahead.setText(_("Nobody is ahead of you."))
            self.estimate.setText(_("You will be called soon."))
        minutes = self.service.target_minutes if self.service else 10
        self.promise.setText(
            _(
                "You will be served at most {minutes} minutes after the visitor"
                " before you has finished.",
                minutes=minutes,
            )
        )
        status = self.print_status
        if status is None:
            self.printer_line.setText(_("Printing your ticket…"))
            self.printer_line.setProperty("role", "print-ok")
        elif status.state == "ok":
            self.printer_line.setText(_("Please take your printed ticket below."))
            self.printer_line.setProperty("role", "print-ok")
        else:
            # The code, not the number, is what rates the visit later: it is on no slip.
            self.printer_line.setText(
                _(
                    "The ticket could not be printed. Please note your number {number} and"
                    " your ticket code {code} (to rate our service later), or take a photo"
                    " of this screen. Your number is valid.",
                    number=ticket["number"],
                    code=ticketcode.grouped(ticket["code"]),
                )
            )
            self.printer_line.setProperty("role", "print-problem")
        restyle(self.printer_line)


def readable_target(target: str) -> str:
    """Return a channel's address as a visitor reads it, breakable after ``/ . @``."""
    text = re.sub(r"^(https?://|mailto:)", "", target.strip(), flags=re.I)
    # A zero-width space lets a long web address wrap inside a narrow card.
    return re.sub(r"([/.@])", "\\1\u200b", text)


class ComplaintScreen(Screen):
    """Lists the office's complaint channels, each with a QR code for the visitor's phone.

    In landscape all channels stand in one row, so every QR code is above the fold; the
    codes shrink with the screen (never below :data:`QR_MIN` px, still readable by a
    phone at arm's length).
    """

    back_requested = Signal()
    QR_MAX = 240
    QR_MIN = 150

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaints")
        self.channels: list[dict[str, Any]] = []
        self._landscape = True
        self.qr_labels: list[QLabel] = []
        self.qr_side = self.QR_MAX
        self.title = label(role="title")
        self.intro = label(role="subtitle")
        self.grid_host = QWidget()
        self.grid = QGridLayout(self.grid_host)
        self.grid.setSpacing(20)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setWidget(self.grid_host)
        self.back, bottom = back_row(self.back_requested)
        layout = page_layout(self, self.title, self.intro, spacing=16)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(bottom)
        self.retranslate()

    def show_channels(self, channels: list[dict[str, Any]]) -> None:
        if channels != self.channels:
            self.channels = list(channels)
            self._rebuild()

    def apply_orientation(self, landscape: bool) -> None:
        if landscape != self._landscape:
            self._landscape = landscape
            self._rebuild()

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        self._fit_codes()

    def retranslate(self) -> None:
        self.title.setText(_("Complaints and Suggestions"))
        self.intro.setText(
            _(
                "Tell us what went wrong or what we can do better. Scan a code with your"
                " phone, or use the suggestion box in this room."
            )
        )
        self.back.setText(_("← Back"))
        self._rebuild()

    def _columns(self) -> int:
        return max(1, min(len(self.channels), 5)) if self._landscape else 2

    def _fit_codes(self) -> None:
        """Size the QR codes to the card width and, in landscape, to the height left."""
        columns = self._columns()
        width = (self.width() - 96 - 20 * (columns - 1)) // columns - 40
        side = min(self.QR_MAX, width)
        if self._landscape:
            # Title, intro and Back take their share; a card's words need about 190 px.
            height = self.height() - 48 - self.title.height() - self.intro.height()
            side = min(side, height - 72 - 32 - 190)
        side = max(self.QR_MIN, side)
        if side != self.qr_side or any(q.pixmap().isNull() for q in self.qr_labels):
            self.qr_side = side
            for qr in self.qr_labels:
                qr.setPixmap(qr_pixmap(qr.property("payload"), side))

    def _rebuild(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            if item.widget():
                item.widget().deleteLater()
        self.qr_labels = []
        columns = self._columns()
        for index, channel in enumerate(self.channels):
            frame = card()
            box = QVBoxLayout(frame)
            box.setSpacing(8)
            kind = CHANNEL_KINDS.get(channel.get("kind", ""), "")
            name = channel_label(channel)
            heading = label(_(kind) if kind else name, "section")
            box.addWidget(heading)
            link = channel_link(channel)
            if link:
                qr = QLabel()
                qr.setObjectName(f"channel_qr_{index}")
                qr.setProperty("payload", link)
                qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
                qr.setPixmap(qr_pixmap(link, self.qr_side))
                box.addWidget(qr)
                self.qr_labels.append(qr)
            if name and kind:
                box.addWidget(label(name, "info"))
            if channel.get("target"):
                target = label(readable_target(str(channel["target"])), "hint")
                target.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
                box.addWidget(target)
            if not link:
                box.addWidget(
                    label(_("Ask the officer at the desk; the box is in this room."), "hint")
                )
            box.addStretch(1)
            self.grid.addWidget(frame, index // columns, index % columns)
        for column in range(max(5, self.grid.columnCount())):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)
        self._fit_codes()
