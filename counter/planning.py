"""The Rencana loket tab and the supervisor's outlook for today, over shared.planning.

:class:`PlanWorker` makes plans, answers what-if questions and today's outlook on its
own thread and its own database connection (twelve weeks of history and a simulation
take a moment; the console's window and queue must not wait for them). :class:`PlanView`
shows a plan as a weekday × half-hour heat map of recommended counters
(:class:`PlanHeatMap`, painted) and asks "what if only N counters open then?".
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPen
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from counter.widgets import show_status
from shared.clock import Clock
from shared.errors import PSTError
from shared.i18n import N_, _, language, ngettext
from shared.planning.forecast import DEFAULT_WEEKS, MAX_WEEKS, read_history
from shared.planning.plan import DayOutlook, Plan, day_outlook, make_plan, what_if
from shared.reporting.tables import fmt
from shared.storage.store import Store

log = logging.getLogger(__name__)
_STOP = object()
# Light to dark: more counters, darker cell.
PALETTE = ("#EAF2FB", "#C6DBEF", "#9ECAE1", "#6BAED6", "#3182BD", "#08519C", "#08306B")
THIN = "#E0E0E0"


@dataclass(frozen=True)
class PlanRequest:
    """A plan from ``weeks`` weeks before ``today`` for one service (None: the office)."""

    today: str
    weeks: int
    service: str | None
    lang: str


@dataclass(frozen=True)
class WhatIfRequest:
    weekday: int
    start: int  # minutes after midnight
    end: int
    counters: int


class PlanWorker(QObject):
    """Plan, what-if and today's outlook on one background thread with its own connection.

    Only the newest waiting plan request is made. A what-if question is answered from
    the last plan made.
    """

    plan_ready = Signal(object)  # [plan as plain data]
    plan_failed = Signal(str)
    what_if_ready = Signal(object)  # [what-if as plain data]
    what_if_failed = Signal(str)
    outlook_ready = Signal(object)  # [DayOutlook or None]
    outlook_failed = Signal(str)  # the database could not be read: ask again later

    def __init__(self, store_factory: Callable[[], Store], clock: Clock, parent=None) -> None:
        super().__init__(parent)
        self._store_factory = store_factory
        self._store: Store | None = None
        self._clock = clock
        self._plan: Plan | None = None
        self._jobs: queue.Queue = queue.Queue()
        self._latest: PlanRequest | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="counter-plan", daemon=True)
        self._thread.start()

    def compute(self, request: PlanRequest) -> None:
        with self._lock:
            self._latest = request
        self._jobs.put(("plan", None))

    def ask(self, request: WhatIfRequest) -> None:
        self._jobs.put(("what_if", request))

    def outlook(self, day: str) -> None:
        self._jobs.put(("outlook", day))

    def stop(self, timeout: float = 3.0) -> None:
        self._jobs.put((_STOP, None))
        self._thread.join(timeout)
        if self._store is not None:
            self._store.close()

    def _run(self) -> None:
        while True:
            kind, payload = self._jobs.get()
            if kind is _STOP:
                return
            try:
                if kind == "plan":
                    with self._lock:
                        request, self._latest = self._latest, None
                    if request is not None:
                        self._make(request)
                elif kind == "what_if":
                    self._what_if(payload)
                else:
                    self._outlook(payload)
            except PSTError as exc:
                self._failed(kind, exc.message)
            except Exception:
                log.exception("counter planning (%s) failed", kind)
                if kind != "outlook":  # a bug is not retried: asking again would fail again
                    self._failed(
                        kind, _(N_("Something went wrong. The problem was written to the log."))
                    )

    def _failed(self, kind: str, message: str) -> None:
        if kind == "plan":
            self.plan_failed.emit(message)
        elif kind == "what_if":
            self.what_if_failed.emit(message)
        else:
            log.warning("today's outlook could not be read: %s", message)
            self.outlook_failed.emit(message)

    def _history(self, today: date, weeks: int, service: str | None):
        if self._store is None:
            self._store = self._store_factory()
        return self._store.read(lambda conn: read_history(conn, today, weeks, service))

    def _make(self, request: PlanRequest) -> None:
        history = self._history(date.fromisoformat(request.today), request.weeks, request.service)
        self._plan = make_plan(history, now_ms=self._clock.now_ms())
        self.plan_ready.emit([self._plan.as_dict(request.lang)])

    def _what_if(self, request: WhatIfRequest) -> None:
        if self._plan is None:
            return
        try:
            answer = what_if(
                self._plan, request.weekday, request.start, request.end, request.counters
            )
        except ValueError:
            self.what_if_failed.emit(_(N_("That weekday and time have no plan.")))
            return
        self.what_if_ready.emit([answer.as_dict()])

    def _outlook(self, day: str) -> None:
        today = date.fromisoformat(day)
        history = self._history(today, DEFAULT_WEEKS, None)
        plan = make_plan(history, weekdays=(today.weekday(),))
        self.outlook_ready.emit([day_outlook(plan, today)])


def outlook_text(outlook: DayOutlook | None) -> str:
    """The supervisor's sentence about today ("" when the office does not open today)."""
    if outlook is None:
        return ""
    if not outlook.enough:
        return ngettext(
            "No forecast for today yet: only {n} comparable day of history (4 needed).",
            "No forecast for today yet: only {n} comparable days of history (4 needed).",
            outlook.comparable_days,
        )
    if outlook.peak_counters <= 1:
        return ngettext(
            "Today about {n} visitor is expected; one counter is enough all day.",
            "Today about {n} visitors are expected; one counter is enough all day.",
            outlook.visitors,
        )
    if outlook.all_day:
        return ngettext(
            "Today about {n} visitor is expected; open {counters} counters all day.",
            "Today about {n} visitors are expected; open {counters} counters all day.",
            outlook.visitors,
            counters=outlook.peak_counters,
        )
    return ngettext(
        "Today about {n} visitor is expected; open {counters} counters from {start} to {end}.",
        "Today about {n} visitors are expected; open {counters} counters from {start} to {end}.",
        outlook.visitors,
        counters=outlook.peak_counters,
        start=outlook.peak_from,
        end=outlook.peak_to,
    )


def _minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class PlanHeatMap(QWidget):
    """Weekdays down, half hours across: recommended counters (big) and visitors (small).

    A darker cell needs more counters; "+1" marks a counter the simulation added; a
    grey row is a weekday without enough history (its visitors only). Clicking a cell
    emits ``cell_clicked(weekday, start minutes)``; the what-if span is outlined.
    """

    cell_clicked = Signal(int, int)

    HEADER_WIDTH = 112
    HEADER_HEIGHT = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planHeatMap")
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.plan: dict[str, Any] | None = None
        self.starts: list[str] = []
        self.span: tuple[int, int, int] | None = None  # weekday, start, end minutes

    def sizeHint(self) -> QSize:
        return QSize(900, 320)

    def minimumSizeHint(self) -> QSize:
        return QSize(600, 220)

    def set_plan(self, plan: dict[str, Any] | None) -> None:
        self.plan = plan
        self.starts = (
            sorted({s["start"] for w in plan["weekdays"] for s in w["slots"]}) if plan else []
        )
        self.span = None
        self.update()

    def set_span(self, weekday: int, start: int, end: int) -> None:
        self.span = (weekday, start, end)
        self.update()

    # -- geometry ---------------------------------------------------------------------

    def _cell_size(self) -> tuple[float, float]:
        rows = max(1, len(self.plan["weekdays"])) if self.plan else 1
        cols = max(1, len(self.starts))
        width = (self.width() - self.HEADER_WIDTH - 2) / cols
        height = min(64.0, (self.height() - self.HEADER_HEIGHT - 2) / rows)
        return width, height

    def cell_rect(self, row: int, col: int) -> QRectF:
        width, height = self._cell_size()
        return QRectF(
            self.HEADER_WIDTH + col * width,
            self.HEADER_HEIGHT + row * height,
            width,
            height,
        )

    def cell_at(self, pos: QPointF) -> tuple[int, int] | None:
        """(row, column) of the cell at ``pos``, or None."""
        if not self.plan or not self.starts:
            return None
        width, height = self._cell_size()
        col = int((pos.x() - self.HEADER_WIDTH) // width)
        row = int((pos.y() - self.HEADER_HEIGHT) // height)
        if pos.x() < self.HEADER_WIDTH or pos.y() < self.HEADER_HEIGHT:
            return None
        if 0 <= row < len(self.plan["weekdays"]) and 0 <= col < len(self.starts):
            return row, col
        return None

    def slot(self, row: int, col: int) -> dict[str, Any] | None:
        start = self.starts[col]
        return next((s for s in self.plan["weekdays"][row]["slots"] if s["start"] == start), None)

    # -- painting ---------------------------------------------------------------------

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("#FFFFFF"))
        if not self.plan or not self.starts:
            return
        lang = self.plan.get("language", language())
        base = QFont(self.font())
        small = _scaled(base, 0.85)
        big = _scaled(base, 1.5)
        big.setBold(True)
        bold = QFont(base)
        bold.setBold(True)
        width, height = self._cell_size()
        peak = max(
            (s["counters"] or 0 for w in self.plan["weekdays"] for s in w["slots"]), default=1
        )
        painter.setPen(QColor("#1B1B1B"))
        painter.setFont(small)
        for col, start in enumerate(self.starts):
            rect = QRectF(self.HEADER_WIDTH + col * width, 0, width, self.HEADER_HEIGHT)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, start)
        for row, weekday in enumerate(self.plan["weekdays"]):
            header = QRectF(4, self.HEADER_HEIGHT + row * height, self.HEADER_WIDTH - 8, height)
            painter.setPen(QColor("#1B1B1B"))
            painter.setFont(bold)
            painter.drawText(
                header.adjusted(0, 2, 0, -height / 2),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom,
                weekday["name"],
            )
            painter.setFont(small)
            sub = (
                _(N_("≈ {n} a day"), n=round(weekday["visitors"]))
                if weekday["enough"]
                else _(N_("too little history"))
            )
            painter.setPen(QColor("#555555"))
            painter.drawText(
                header.adjusted(0, height / 2, 0, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                sub,
            )
            for col in range(len(self.starts)):
                slot = self.slot(row, col)
                rect = self.cell_rect(row, col).adjusted(1, 1, -1, -1)
                if slot is None:
                    continue
                counters = slot["counters"] if weekday["enough"] else None
                if counters is None:
                    fill = QColor(THIN)
                else:
                    step = (
                        0 if peak <= 1 else round((counters - 1) / (peak - 1) * (len(PALETTE) - 1))
                    )
                    fill = QColor(PALETTE[min(len(PALETTE) - 1, max(0, step))])
                painter.fillRect(rect, fill)
                ink = QColor("#FFFFFF" if fill.lightness() < 140 else "#1B1B1B")
                painter.setPen(ink)
                arrivals = fmt(slot["arrivals"], "minutes", lang)  # one decimal
                if counters is not None:
                    painter.setFont(big)
                    painter.drawText(
                        rect.adjusted(0, 0, 0, -rect.height() * 0.3),
                        Qt.AlignmentFlag.AlignCenter,
                        str(counters),
                    )
                    painter.setFont(small)
                    painter.drawText(
                        rect.adjusted(0, rect.height() * 0.55, 0, 0),
                        Qt.AlignmentFlag.AlignCenter,
                        arrivals,
                    )
                    if slot["added"]:
                        painter.drawText(
                            rect.adjusted(2, 1, -3, 0),
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                            f"+{slot['added']}",
                        )
                else:
                    painter.setFont(small)
                    painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, arrivals)
        if self.span is not None:
            weekday, start, end = self.span
            row = next(
                (i for i, w in enumerate(self.plan["weekdays"]) if w["weekday"] == weekday), None
            )
            cols = [i for i, s in enumerate(self.starts) if start <= _minutes(s) < end]
            if row is not None and cols:
                outline = self.cell_rect(row, cols[0]).united(self.cell_rect(row, cols[-1]))
                painter.setPen(QPen(QColor("#E65100"), 3))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(outline.adjusted(1, 1, -1, -1))
        painter.end()

    # -- interaction ------------------------------------------------------------------

    def tooltip_text(self, row: int, col: int) -> str:
        weekday = self.plan["weekdays"][row]
        slot = self.slot(row, col)
        if slot is None:
            return ""
        lang = self.plan.get("language", language())
        text = _(
            N_(
                "{weekday} {start}–{end}: about {arrivals} visitors ({low}–{high} in the weeks counted)."
            ),
            weekday=weekday["name"],
            start=slot["start"],
            end=slot["end"],
            arrivals=fmt(slot["arrivals"], "decimal", lang),
            low=slot["low"],
            high=slot["high"],
        )
        if weekday["enough"] and slot["counters"] is not None:
            text += "\n" + ngettext(
                "{n} counter: {erlang} called in time by Erlang C, {simulated} in the"
                " simulation; mean service {service} min.",
                "{n} counters: {erlang} called in time by Erlang C, {simulated} in the"
                " simulation; mean service {service} min.",
                slot["counters"],
                erlang=fmt(_pct(slot["service_level"]), "pct", lang),
                simulated=fmt(_pct(slot["simulated_level"]), "pct", lang),
                service=fmt(slot["service_minutes"], "minutes", lang),
            )
            if slot["added"]:
                text += "\n" + ngettext(
                    "The simulation added {n} counter to Erlang C's count.",
                    "The simulation added {n} counters to Erlang C's count.",
                    slot["added"],
                )
        return text

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            cell = self.cell_at(QPointF(event.pos()))
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.tooltip_text(*cell), self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        cell = self.cell_at(event.position())
        if cell is not None and event.button() == Qt.MouseButton.LeftButton:
            row, col = cell
            self.cell_clicked.emit(
                self.plan["weekdays"][row]["weekday"], _minutes(self.starts[col])
            )
        super().mousePressEvent(event)


def _scaled(font: QFont, factor: float) -> QFont:
    """A copy of ``font`` ``factor`` times as large (style sheets size fonts in pixels)."""
    out = QFont(font)
    if font.pixelSize() > 0:
        out.setPixelSize(max(9, round(font.pixelSize() * factor)))
    else:
        out.setPointSizeF(max(7.0, font.pointSizeF() * factor))
    return out


def _pct(value: float | None) -> float | None:
    return None if value is None else 100 * value


class PlanView(QWidget):
    """The Rencana loket tab: choose the history, see the heat map, ask "what if".

    Emits ``plan_requested(PlanRequest)`` and ``what_if_requested(WhatIfRequest)``; the
    window runs them on the :class:`PlanWorker` and hands back the answers.
    """

    plan_requested = Signal(object)
    what_if_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("planView")
        self.plan: dict[str, Any] | None = None
        self.answer: dict[str, Any] | None = None
        self.today: str | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)

        controls = QHBoxLayout()
        controls.addWidget(QLabel(_(N_("History"))))
        self.weeks = QSpinBox()
        self.weeks.setObjectName("planWeeks")
        self.weeks.setRange(1, MAX_WEEKS)
        self.weeks.setValue(DEFAULT_WEEKS)
        self.weeks.setSuffix(" " + _(N_("weeks")))
        controls.addWidget(self.weeks)
        self.service = QComboBox()
        self.service.setObjectName("planService")
        self.service.addItem(_(N_("All services")), None)
        controls.addWidget(self.service)
        self.make_button = QPushButton(_(N_("Make the plan")))
        self.make_button.setObjectName("planMake")
        controls.addWidget(self.make_button)
        self.title = QLabel("")
        self.title.setObjectName("planTitle")
        self.title.setWordWrap(True)
        controls.addWidget(self.title, 1)
        layout.addLayout(controls)

        self.status = QLabel("")
        self.status.setObjectName("planStatus")
        self.status.setWordWrap(True)
        self.status.hide()
        layout.addWidget(self.status)
        self.heat_map = PlanHeatMap()
        layout.addWidget(self.heat_map, 1)
        self.legend = QLabel(
            _(
                N_(
                    "Big number: counters to open · small number: visitors expected in the"
                    " half hour · +1: added after the simulation · grey: too little history."
                    " Point at a cell for details; click it to ask what if."
                )
            )
        )
        self.legend.setObjectName("planLegend")
        self.legend.setProperty("role", "caption")
        self.legend.setWordWrap(True)
        layout.addWidget(self.legend)

        self.ask_row = QWidget()
        ask = QHBoxLayout(self.ask_row)
        ask.setContentsMargins(0, 0, 0, 0)
        ask.addWidget(QLabel(_(N_("What if we open only"))))
        self.what_counters = QSpinBox()
        self.what_counters.setObjectName("whatIfCounters")
        self.what_counters.setRange(0, 50)
        self.what_counters.setValue(2)
        ask.addWidget(self.what_counters)
        ask.addWidget(QLabel(_(N_("counters on"))))
        self.what_weekday = QComboBox()
        self.what_weekday.setObjectName("whatIfWeekday")
        self.what_weekday.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        ask.addWidget(self.what_weekday)
        self.what_from = QComboBox()
        self.what_from.setObjectName("whatIfFrom")
        ask.addWidget(self.what_from)
        ask.addWidget(QLabel("–"))
        self.what_to = QComboBox()
        self.what_to.setObjectName("whatIfTo")
        ask.addWidget(self.what_to)
        self.what_button = QPushButton(_(N_("Work it out")))
        self.what_button.setObjectName("whatIfAsk")
        ask.addWidget(self.what_button)
        ask.addStretch(1)
        layout.addWidget(self.ask_row)
        self.what_answer = QLabel("")
        self.what_answer.setObjectName("whatIfAnswer")
        self.what_answer.setWordWrap(True)
        self.what_answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.what_answer)

        self.make_button.clicked.connect(self.request_plan)
        self.what_button.clicked.connect(self.ask_what_if)
        self.what_weekday.currentIndexChanged.connect(self._fill_times)
        self.heat_map.cell_clicked.connect(self._on_cell_clicked)
        self._set_asking(False)

    # -- choices ----------------------------------------------------------------------

    def set_choices(self, today: str, services: list[dict]) -> None:
        """Remember today and offer the services (keeping the one chosen)."""
        self.today = today
        wanted = [(None, _(N_("All services")))] + [
            (s["code"], f"{s['code']} · {s['name_id']}") for s in services
        ]
        if [
            (self.service.itemData(i), self.service.itemText(i))
            for i in range(self.service.count())
        ] == wanted:
            return
        chosen = self.service.currentData()
        self.service.blockSignals(True)
        self.service.clear()
        for data, text in wanted:
            self.service.addItem(text, data)
        self.service.setCurrentIndex(max(0, self.service.findData(chosen)))
        self.service.blockSignals(False)

    def request_plan(self) -> None:
        if self.today is None:
            return
        self.set_status(_(N_("Making the plan from the history…")))
        self.make_button.setEnabled(False)
        self.plan_requested.emit(
            PlanRequest(self.today, self.weeks.value(), self.service.currentData(), language())
        )

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.plan is None and self.make_button.isEnabled() and self.today:
            self.request_plan()

    # -- results ----------------------------------------------------------------------

    def set_status(self, text: str, *, error: bool = False) -> None:
        show_status(self.status, text, error=error)

    def show_failure(self, message: str) -> None:
        self.make_button.setEnabled(True)
        self.set_status(message, error=True)

    def show_plan(self, plan: dict[str, Any]) -> None:
        """Show a plan made by the worker."""
        from shared.planning.export import heading, thin_sentence

        self.plan = plan
        self.answer = None
        lang = plan.get("language", language())
        self.make_button.setEnabled(True)
        head = heading(plan, lang)
        self.title.setText(f"{head['period']} · {head['filter']}")
        self.set_status(thin_sentence(plan, lang))
        self.heat_map.set_plan(plan)
        self.what_weekday.blockSignals(True)
        self.what_weekday.clear()
        for w in plan["weekdays"]:
            if w["enough"]:
                self.what_weekday.addItem(w["name"], w["weekday"])
        self.what_weekday.blockSignals(False)
        self._fill_times()
        self.what_answer.setText("")
        self._set_asking(self.what_weekday.count() > 0)

    def _weekday_plan(self) -> dict[str, Any] | None:
        if self.plan is None:
            return None
        wanted = self.what_weekday.currentData()
        return next((w for w in self.plan["weekdays"] if w["weekday"] == wanted), None)

    def _fill_times(self) -> None:
        w = self._weekday_plan()
        chosen = (self.what_from.currentData(), self.what_to.currentData())
        for combo in (self.what_from, self.what_to):
            combo.blockSignals(True)
            combo.clear()
        if w is not None:
            for s in w["slots"]:
                self.what_from.addItem(s["start"], _minutes(s["start"]))
                self.what_to.addItem(s["end"], _minutes(s["end"]))
            first = self.what_from.findData(chosen[0])
            self.what_from.setCurrentIndex(first if first >= 0 else 0)
            last = self.what_to.findData(chosen[1])
            self.what_to.setCurrentIndex(last if last >= 0 else min(3, self.what_to.count() - 1))
        for combo in (self.what_from, self.what_to):
            combo.blockSignals(False)

    def _set_asking(self, enabled: bool) -> None:
        # Without a plan there is nothing to ask: the question is not even offered.
        self.ask_row.setVisible(enabled)
        self.what_answer.setVisible(enabled)
        for widget in (
            self.what_counters,
            self.what_weekday,
            self.what_from,
            self.what_to,
            self.what_button,
        ):
            widget.setEnabled(enabled)

    def _on_cell_clicked(self, weekday: int, start: int) -> None:
        index = self.what_weekday.findData(weekday)
        if index < 0:
            return
        self.what_weekday.setCurrentIndex(index)
        self.what_from.setCurrentIndex(max(0, self.what_from.findData(start)))
        end = self.what_to.findData(start + 30)
        if end >= 0 and (self.what_to.currentData() or 0) <= start:
            self.what_to.setCurrentIndex(end)
        self.heat_map.set_span(weekday, start, self.what_to.currentData() or start + 30)

    def choose_what_if(self, weekday: int, start: str, end: str, counters: int) -> None:
        """Set the what-if controls as a person would (tests, and the cell clicks)."""
        self.what_weekday.setCurrentIndex(max(0, self.what_weekday.findData(weekday)))
        self.what_from.setCurrentIndex(max(0, self.what_from.findText(start)))
        self.what_to.setCurrentIndex(max(0, self.what_to.findText(end)))
        self.what_counters.setValue(counters)

    def ask_what_if(self) -> None:
        weekday = self.what_weekday.currentData()
        start, end = self.what_from.currentData(), self.what_to.currentData()
        if weekday is None or start is None or end is None:
            return
        if end <= start:
            self.what_answer.setText(_(N_("Choose an end after the start.")))
            return
        self.heat_map.set_span(weekday, start, end)
        self.what_answer.setText(_(N_("Working it out…")))
        self.what_button.setEnabled(False)
        self.what_if_requested.emit(WhatIfRequest(weekday, start, end, self.what_counters.value()))

    def show_what_if(self, answer: dict[str, Any]) -> None:
        """Say what the chosen counters would give, by Erlang C and by simulation."""
        if self.plan is None:
            return  # the plan was cleared (log-out) while the answer was worked out
        self.answer = answer
        self.what_button.setEnabled(True)
        lang = self.plan.get("language", language()) if self.plan else language()
        weekday = next(
            (
                w["name"]
                for w in (self.plan or {}).get("weekdays", [])
                if w["weekday"] == answer["weekday"]
            ),
            "",
        )
        minutes = f"{self.plan['wait_minutes']:g}" if self.plan else "10"
        self.what_answer.setText(
            ngettext(
                "With {n} counter on {weekday} {start}–{end}: {erlang} of about {visitors}"
                " visitors called within {minutes} minutes by Erlang C, {simulated} in the"
                " simulation of the weeks counted. The plan has {planned} there.",
                "With {n} counters on {weekday} {start}–{end}: {erlang} of about {visitors}"
                " visitors called within {minutes} minutes by Erlang C, {simulated} in the"
                " simulation of the weeks counted. The plan has {planned} there.",
                answer["counters"],
                weekday=weekday,
                start=answer["from"],
                end=answer["to"],
                erlang=fmt(_pct(answer["erlang_level"]), "pct", lang),
                visitors=fmt(answer["visitors"], "minutes", lang),
                minutes=minutes,
                simulated=fmt(_pct(answer["simulated_level"]), "pct", lang),
                planned="–".join(
                    str(n) for n in sorted({min(answer["planned"]), max(answer["planned"])})
                ),
            )
        )

    def show_what_if_failure(self, message: str) -> None:
        self.what_button.setEnabled(True)
        self.what_answer.setText(message)

    def clear(self) -> None:
        """Forget the plan shown (at log-out)."""
        self.plan = None
        self.answer = None
        self.title.setText("")
        self.set_status("")
        self.heat_map.set_plan(None)
        self.what_weekday.clear()
        self.what_answer.setText("")
        self.make_button.setEnabled(True)
        self._set_asking(False)
