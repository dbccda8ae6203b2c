"""The supervisor's page: every counter, every queue, the day's target and warnings."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from counter import texts
from counter.officer import LEVEL_COLOURS, set_level
from counter.planning import outlook_text
from counter.snapshot import at_instant
from counter.widgets import figure, table
from shared.i18n import N_, _, ngettext
from shared.queue import supervision


class SupervisorView(QWidget):
    """Emit ``counter_status_requested(counter_id, status)`` and
    ``service_active_requested(code, active)``; the window runs them."""

    counter_status_requested = Signal(int, str)
    service_active_requested = Signal(str, bool)

    COUNTER_COLUMNS = (N_("Counter"), N_("Status"), N_("Officer"), N_("Now serving"), N_("Idle"))
    QUEUE_COLUMNS = (
        N_("Service"),
        N_("Open"),
        N_("Waiting"),
        N_("Oldest wait"),
        N_("Next"),
        N_("Target"),
    )

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisorView")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # Today's expected visitors and counters, from the counter plan (once a day).
        self.outlook = QLabel("")
        self.outlook.setObjectName("dayOutlook")
        self.outlook.setWordWrap(True)
        self.outlook.hide()
        layout.addWidget(self.outlook)
        self.forecast = QLabel("")
        self.forecast.setObjectName("forecastWarning")
        self.forecast.setWordWrap(True)
        layout.addWidget(self.forecast)
        self.clock_skew = QLabel("")
        self.clock_skew.setObjectName("clockSkewWarning")
        self.clock_skew.setWordWrap(True)
        self.clock_skew.hide()
        layout.addWidget(self.clock_skew)
        self.screen_resets = QLabel("")
        self.screen_resets.setObjectName("screenResetsWarning")
        self.screen_resets.setWordWrap(True)
        self.screen_resets.hide()
        layout.addWidget(self.screen_resets)

        figures = QHBoxLayout()
        frame, self.compliance = figure("complianceValue", _(N_("Called within the target today")))
        figures.addWidget(frame)
        frame, self.called = figure("calledValue", _(N_("Visitors called today")))
        figures.addWidget(frame)
        frame, self.missed = figure("missedValue", _(N_("Called past the target")))
        figures.addWidget(frame)
        frame, self.overdue = figure("overdueValue", _(N_("Waiting past the target now")))
        figures.addWidget(frame)
        frame, self.waiting = figure("waitingValue", _(N_("Waiting now")))
        figures.addWidget(frame)
        layout.addLayout(figures)

        grid = QGridLayout()
        grid.setSpacing(10)
        grid.addWidget(self._caption(N_("Counters")), 0, 0)
        self.counters = table("counterTable", self.COUNTER_COLUMNS)
        grid.addWidget(self.counters, 1, 0)
        row = QHBoxLayout()
        self.open_counter = QPushButton(_(N_("Open counter")))
        self.open_counter.setObjectName("superOpenCounter")
        self.pause_counter = QPushButton(_(N_("Pause counter")))
        self.pause_counter.setObjectName("superPauseCounter")
        self.close_counter = QPushButton(_(N_("Close counter")))
        self.close_counter.setObjectName("superCloseCounter")
        for b in (self.open_counter, self.pause_counter, self.close_counter):
            row.addWidget(b)
        grid.addLayout(row, 2, 0)
        grid.addWidget(self._caption(N_("Queues")), 0, 1)
        self.queues = table("serviceTable", self.QUEUE_COLUMNS)
        grid.addWidget(self.queues, 1, 1)
        row = QHBoxLayout()
        self.open_service = QPushButton(_(N_("Open service")))
        self.open_service.setObjectName("superOpenService")
        self.close_service = QPushButton(_(N_("Close service")))
        self.close_service.setObjectName("superCloseService")
        row.addWidget(self.open_service)
        row.addWidget(self.close_service)
        grid.addLayout(row, 2, 1)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(1, 3)
        layout.addLayout(grid, 3)
        self.flagged_title = self._caption(N_("Integrity answers to follow up (today)"))
        layout.addWidget(self.flagged_title)
        self.flagged = QListWidget()
        self.flagged.setObjectName("flaggedList")
        self.flagged.setMaximumHeight(140)
        layout.addWidget(self.flagged, 1)

        self._overview: supervision.Overview | None = None
        self.open_counter.clicked.connect(lambda: self._on_counter_button("open"))
        self.pause_counter.clicked.connect(lambda: self._on_counter_button("paused"))
        self.close_counter.clicked.connect(lambda: self._on_counter_button("closed"))
        self.open_service.clicked.connect(lambda: self._on_service_button(True))
        self.close_service.clicked.connect(lambda: self._on_service_button(False))
        self.counters.itemSelectionChanged.connect(self._update_buttons)
        self.queues.itemSelectionChanged.connect(self._update_buttons)
        self._online = True
        self._update_buttons()

    @staticmethod
    def _caption(msgid: str) -> QLabel:
        label = QLabel(_(msgid))
        label.setProperty("role", "section")
        return label

    def set_online(self, online: bool) -> None:
        self._online = online
        self._update_buttons()

    def selected_counter(self) -> supervision.CounterState | None:
        rows = self.counters.selectionModel().selectedRows()
        if not rows or self._overview is None:
            return None
        return self._overview.counters[rows[0].row()]

    def selected_service(self) -> supervision.QueueState | None:
        rows = self.queues.selectionModel().selectedRows()
        if not rows or self._overview is None:
            return None
        return self._overview.queues[rows[0].row()]

    def show_overview(self, overview: supervision.Overview) -> None:
        keep_counter = getattr(self.selected_counter(), "id", None)
        keep_service = getattr(self.selected_service(), "service_code", None)
        self._overview = overview
        c = overview.compliance
        self.compliance.setText("—" if c.percent is None else f"{c.percent:.0f}%")
        self.called.setText(str(c.called))
        self.missed.setText(str(c.missed))
        self.overdue.setText(str(c.overdue_waiting))
        set_level(self.overdue, "breached" if c.overdue_waiting else "none")
        self.waiting.setText(str(sum(q.length for q in overview.queues)))
        f = overview.forecast
        if f.count:
            self.forecast.setText(
                ngettext(
                    "At the current pace, {n} visitor will wait past {minutes} minutes: open another counter.",
                    "At the current pace, {n} visitors will wait past {minutes} minutes: open another counter.",
                    f.count,
                    minutes=f.target_minutes,
                )
            )
        self.forecast.setVisible(bool(f.count))
        self.show_screen_resets(overview.screen_resets)

        self.counters.blockSignals(True)
        self.counters.setRowCount(len(overview.counters))
        for row, counter in enumerate(overview.counters):
            status = texts.counter_status(counter.status)
            if counter.status == "paused" and counter.pause_reason:
                status = f"{status}: {counter.pause_reason}"
            current = (
                f"{counter.current_number} ({texts.ticket_state(counter.current_status)})"
                if counter.current_number
                else ""
            )
            values = (
                counter.name,
                status,
                counter.officer_name or "",
                current,
                texts.minutes_seconds(counter.idle_ms) if counter.idle_ms is not None else "",
            )
            for col, value in enumerate(values):
                self.counters.setItem(row, col, QTableWidgetItem(value))
            if counter.id == keep_counter:
                self.counters.selectRow(row)
        self.counters.blockSignals(False)

        self.queues.blockSignals(True)
        self.queues.setRowCount(len(overview.queues))
        for row, q in enumerate(overview.queues):
            live = at_instant(q.head_target, overview.at)
            values = (
                f"{q.service_code} · {q.service_name}"
                + ("" if q.active else "  " + _(N_("(closed)"))),
                str(q.open_counters),
                str(q.length),
                texts.minutes_seconds(q.oldest_wait_ms) if q.length else "",
                q.head_number or "",
                texts.live_target(live) if q.head_number else "",
            )
            level = live.level if live and q.head_number else "none"
            colour = LEVEL_COLOURS.get(level)
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole + 1, level)
                if colour and col == 5:
                    item.setBackground(QBrush(QColor(colour)))
                    item.setForeground(
                        QBrush(QColor("#FFFFFF" if level == "breached" else "#1B1B1B"))
                    )
                self.queues.setItem(row, col, item)
            if q.service_code == keep_service:
                self.queues.selectRow(row)
        self.queues.blockSignals(False)

        # Only the head of office sees integrity answers (the core leaves them out for
        # anyone else); the others do not even see an empty list that could mislead.
        self.flagged_title.setVisible(overview.integrity_visible)
        self.flagged.setVisible(overview.integrity_visible)
        self.flagged.clear()
        for r in overview.flagged:
            what = []
            if r["gratification"]:
                what.append(_(N_("gratification")))
            if r["extortion"]:
                what.append(_(N_("illegal charge")))
            self.flagged.addItem(
                _(
                    N_(
                        "{number} · {counter} · {officer}: visitor answered yes to {what}. {comment}"
                    ),
                    number=r["number"],
                    counter=r["counter_name"] or "—",
                    officer=r["officer_name"] or "—",
                    what=", ".join(what),
                    comment=r["comment"] or "",
                ).strip()
            )
        if not overview.flagged:
            self.flagged.addItem(_(N_("None today.")))
        self._update_buttons()

    def show_outlook(self, outlook) -> None:
        """Show today's outlook (:class:`shared.planning.plan.DayOutlook`; None: closed)."""
        # A brand-new office has nothing to say yet; a thin history says so quietly.
        fresh = outlook is not None and not outlook.enough and outlook.comparable_days == 0
        text = "" if fresh else outlook_text(outlook)
        self.outlook.setText(text)
        self.outlook.setProperty("thin", outlook is not None and not outlook.enough)
        self.outlook.style().unpolish(self.outlook)
        self.outlook.style().polish(self.outlook)
        self.outlook.setVisible(bool(text))

    def show_screen_resets(self, resets: list[dict]) -> None:
        """Say which programs reset their screen after an unexpected error today."""
        lines = []
        for reset in resets:
            if reset["program"] == "kiosk":
                lines.append(
                    ngettext(
                        "Kiosk {machine} reset its screen {n}× today after an unexpected"
                        " error: ask IT to look at its log file.",
                        "Kiosk {machine} reset its screen {n}× today after unexpected"
                        " errors: ask IT to look at its log file.",
                        reset["count"],
                        machine=reset["machine"],
                    )
                )
            else:
                lines.append(
                    ngettext(
                        "{program} on {machine} reset its screen {n}× today after an"
                        " unexpected error: ask IT to look at its log file.",
                        "{program} on {machine} reset its screen {n}× today after"
                        " unexpected errors: ask IT to look at its log file.",
                        reset["count"],
                        program=reset["program"],
                        machine=reset["machine"],
                    )
                )
        self.screen_resets.setText("\n".join(lines))
        self.screen_resets.setVisible(bool(lines))

    def show_clock_skew(self, pairs: list[dict]) -> None:
        """List the PCs whose clocks differ (pairs of :func:`shared.queue.heartbeat.skew_report`)."""
        seen: set[frozenset[str]] = set()
        parts = []
        for pair in pairs:
            key = frozenset((pair["machine"], pair["other"]))
            if key in seen:
                continue  # each PC of a pair reports the other
            seen.add(key)
            ahead, behind = pair["machine"], pair["other"]
            if pair["offset_ms"] < 0:
                ahead, behind = behind, ahead
            parts.append(
                _(
                    N_("{ahead} is {seconds} seconds ahead of {behind}"),
                    ahead=ahead,
                    seconds=abs(pair["offset_ms"]) // 1000,
                    behind=behind,
                )
            )
        if parts:
            self.clock_skew.setText(
                _(
                    N_(
                        "PC clocks differ: {pairs}. The 10-minute countdowns and reports may be"
                        " wrong: ask IT to set the time automatically on these PCs."
                    ),
                    pairs="; ".join(parts),
                )
            )
        self.clock_skew.setVisible(bool(parts))

    def _update_buttons(self) -> None:
        counter = self.selected_counter()
        service = self.selected_service()
        why_counter = "" if counter else _(N_("Select a counter in the list first."))
        why_service = "" if service else _(N_("Select a service in the list first."))
        if not self._online:
            why_counter = why_service = _(
                N_("The queue database cannot be reached; wait until it is back.")
            )
        # Pausing or closing a counter while its visitor is called or served would leave
        # the visitor (and the TV) pointing at an empty desk.
        busy = counter is not None and counter.current_number is not None
        why_busy = (
            _(
                N_("{number} is at this counter: it must be finished or returned first."),
                number=counter.current_number,
            )
            if busy
            else ""
        )
        for button, allowed, why in (
            (self.open_counter, counter is not None and counter.status != "open", ""),
            (
                self.pause_counter,
                counter is not None and counter.status == "open" and not busy,
                why_busy,
            ),
            (
                self.close_counter,
                counter is not None and counter.status != "closed" and not busy,
                why_busy,
            ),
        ):
            button.setEnabled(self._online and allowed)
            button.setToolTip(why_counter or ("" if allowed else why or _(N_("Already so."))))
        for button, allowed in (
            (self.open_service, service is not None and not service.active),
            (self.close_service, service is not None and service.active),
        ):
            button.setEnabled(self._online and allowed)
            button.setToolTip(why_service or ("" if allowed else _(N_("Already so."))))

    def _on_counter_button(self, status: str) -> None:
        counter = self.selected_counter()
        if counter is not None:
            self.counter_status_requested.emit(counter.id, status)

    def _on_service_button(self, active: bool) -> None:
        service = self.selected_service()
        if service is not None:
            self.service_active_requested.emit(service.service_code, active)
