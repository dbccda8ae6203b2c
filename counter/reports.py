"""The Laporan page: a period's report with charts, and its export to XLSX, PDF or CSV.

For supervisors and administrators. The report is computed and exported by a
:class:`ReportWorker` on its own thread and its own database connection, so neither the
console's window nor its queue refreshes wait for a year of history. The page shows the
figures of :mod:`shared.reporting` — the same tables every export has — and draws
tickets per day, compliance per service and the IKM per element with QtCharts.
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter import texts
from counter.planning import PlanView
from counter.widgets import DialogSlot, figure, show_status
from shared.clock import Clock
from shared.errors import PSTError
from shared.i18n import N_, _, language
from shared.reporting import KINDS, Period, ReportFilter, build_report
from shared.reporting import export as report_export
from shared.reporting import tables as rt
from shared.reporting.ikm import ELEMENTS
from shared.reporting.period import KIND_LABELS
from shared.storage.store import Store

log = logging.getLogger(__name__)

EXPORT_FORMATS = (
    ("xlsx", N_("Excel workbook")),
    ("pdf", N_("PDF document")),
    ("csv", N_("CSV file")),
)
_STOP = object()


@dataclass(frozen=True)
class ReportRequest:
    """What the page asks for: a period, a filter and whether the integrity list is shown."""

    period: Period
    where: ReportFilter
    integrity_list: bool
    lang: str


class ReportWorker(QObject):
    """Compute reports and write exports on one background thread with its own connection.

    Only the newest waiting request is computed: choosing three periods quickly computes
    the last one, not all three.
    """

    report_ready = Signal(object)  # [report]
    report_failed = Signal(str)
    export_progress = Signal(int)  # 0…100
    export_done = Signal(str)  # the file written
    export_failed = Signal(str)

    def __init__(self, store_factory: Callable[[], Store], clock: Clock, parent=None) -> None:
        super().__init__(parent)
        self._store_factory = store_factory
        self._store: Store | None = None
        self._clock = clock
        self._jobs: queue.Queue = queue.Queue()
        self._latest: ReportRequest | None = None
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="counter-reports", daemon=True)
        self._thread.start()

    def compute(self, request: ReportRequest) -> None:
        with self._lock:
            self._latest = request
        self._jobs.put(("report", None))

    def export(self, report: dict[str, Any], fmt: str, path: str, lang: str) -> None:
        self._jobs.put(("export", (report, fmt, path, lang)))

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
            if kind == "report":
                with self._lock:
                    request, self._latest = self._latest, None
                if request is not None:
                    self._do_report(request)
            else:
                self._do_export(*payload)

    def _do_report(self, request: ReportRequest) -> None:
        try:
            if self._store is None:
                self._store = self._store_factory()
            now = self._clock.now_ms()
            report = self._store.read(
                lambda conn: build_report(
                    conn,
                    request.period,
                    request.where,
                    lang=request.lang,
                    integrity_list=request.integrity_list,
                    now_ms=now,
                )
            )
        except PSTError as exc:
            self.report_failed.emit(exc.message)
        except Exception:
            log.exception("computing the report failed")
            self.report_failed.emit(
                _(N_("Something went wrong. The problem was written to the log."))
            )
        else:
            self.report_ready.emit([report])

    def _do_export(self, report: dict[str, Any], fmt: str, path: str, lang: str) -> None:
        try:
            written = report_export.write(
                report, fmt, path, lang, lambda f: self.export_progress.emit(int(f * 100))
            )
        except PSTError as exc:
            self.export_failed.emit(exc.message)
        except OSError as exc:
            self.export_failed.emit(
                _(
                    N_("The report could not be saved as {path}: {problem}"),
                    path=path,
                    problem=exc.strerror or exc,
                )
            )
        except Exception:
            log.exception("exporting the report failed")
            self.export_failed.emit(
                _(N_("Something went wrong. The problem was written to the log."))
            )
        else:
            self.export_done.emit(str(written))


def _chart_view(name: str) -> QChartView:
    view = QChartView()
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(200)
    return view


def _bar_chart(
    title: str, labels: list[str], values: list[float], colour: str, top: float
) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.legend().hide()
    chart.setMargins(QMargins(4, 4, 4, 4))
    bars = QBarSet(title)
    bars.setColor(QColor(colour))
    for value in values:
        bars.append(float(value))
    series = QBarSeries()
    series.append(bars)
    chart.addSeries(series)
    x_axis = QBarCategoryAxis()
    x_axis.append(labels or [""])
    chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(x_axis)
    y_axis = QValueAxis()
    y_axis.setRange(0, top)
    y_axis.applyNiceNumbers()
    y_axis.setLabelFormat("%d")
    chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(y_axis)
    return chart


def _table_widget(table: rt.Table, lang: str) -> QTableWidget:
    numbers = ("int", "pct", "minutes", "decimal", "nrr")
    widget = QTableWidget(len(table.rows), len(table.columns))
    widget.setObjectName(f"report_{table.key}")
    widget.setHorizontalHeaderLabels([c.title for c in table.columns])
    widget.verticalHeader().setVisible(False)
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    for r, values in enumerate(table.rows):
        for c, (value, column) in enumerate(zip(values, table.columns, strict=True)):
            v, kind = rt.cell(value, column.kind)
            item = QTableWidgetItem(rt.fmt(v, kind, lang))
            if kind in numbers:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            widget.setItem(r, c, item)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    widget.resizeColumnsToContents()
    for c, column in enumerate(table.columns):
        if column.kind in numbers:
            widget.setColumnWidth(c, max(widget.columnWidth(c), 90))
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    # As wide as its columns: a figure does not drift to the far edge of a wide screen.
    width = sum(widget.columnWidth(c) for c in range(widget.columnCount()))
    widget.setMaximumWidth(width + 2 * widget.frameWidth() + 20)
    # Show every row: the section scrolls as a whole, not each small table.
    height = widget.horizontalHeader().sizeHint().height() + 4
    height += sum(widget.rowHeight(r) for r in range(widget.rowCount())) or 24
    widget.setMinimumHeight(min(height, 420))
    widget.setMaximumHeight(min(height, 420))
    return widget


class ReportsView(QWidget):
    """Pick a period and a filter, see the figures and charts, export the report.

    Emits ``report_requested(ReportRequest)`` and ``export_requested(fmt, path)``; the
    window runs them on the :class:`ReportWorker` and hands back results.
    """

    report_requested = Signal(object)
    export_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reportsView")
        self.report: dict[str, Any] | None = None
        self.integrity_list = False
        self.saved_path: str | None = None
        self._dialogs = DialogSlot()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)

        controls = QHBoxLayout()
        self.period_kind = QComboBox()
        self.period_kind.setObjectName("reportPeriod")
        for kind in KINDS:
            self.period_kind.addItem(_(KIND_LABELS[kind]), kind)
        self.anchor = self._date_edit("reportDate")
        self.date_from = self._date_edit("reportFrom")
        self.date_to = self._date_edit("reportTo")
        self.service = QComboBox()
        self.service.setObjectName("reportService")
        self.counter = QComboBox()
        self.counter.setObjectName("reportCounter")
        self.officer = QComboBox()
        self.officer.setObjectName("reportOfficer")
        self.show_button = QPushButton(_(N_("Show report")))
        self.show_button.setObjectName("reportShow")
        self.from_label = QLabel(_(N_("from")))
        self.to_label = QLabel(_(N_("to")))
        for widget in (
            QLabel(_(N_("Period"))),
            self.period_kind,
            self.anchor,
            self.from_label,
            self.date_from,
            self.to_label,
            self.date_to,
            self.service,
            self.counter,
            self.officer,
            self.show_button,
        ):
            controls.addWidget(widget)
        controls.addStretch(1)
        layout.addLayout(controls)

        exports = QHBoxLayout()
        self.title = QLabel("")
        self.title.setObjectName("reportTitle")
        self.title.setProperty("role", "section")
        self.title.setWordWrap(True)
        exports.addWidget(self.title, 1)
        self.export_buttons: dict[str, QPushButton] = {}
        for fmt, _label in EXPORT_FORMATS:
            button = QPushButton(_(N_("Save as {format}…"), format=fmt.upper()))
            button.setObjectName(f"reportExport_{fmt}")
            button.setToolTip(_(_label))
            button.clicked.connect(lambda _c=False, f=fmt: self.ask_export(f))
            self.export_buttons[fmt] = button
            exports.addWidget(button)
        self.progress = QProgressBar()
        self.progress.setObjectName("reportProgress")
        self.progress.setRange(0, 100)
        self.progress.setMaximumWidth(160)
        self.progress.hide()
        exports.addWidget(self.progress)
        layout.addLayout(exports)
        self.status = QLabel("")
        self.status.setObjectName("reportStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status)

        figures = QHBoxLayout()
        frame, self.tickets_value = figure("reportTickets", _(N_("Tickets issued")), tight=True)
        figures.addWidget(frame)
        frame, self.compliance_value = figure(
            "reportCompliance", _(N_("Target compliance")), tight=True
        )
        figures.addWidget(frame)
        frame, self.wait_value = figure(
            "reportWait", _(N_("Mean wait from arrival (min)")), tight=True
        )
        figures.addWidget(frame)
        frame, self.ikm_value = figure("reportIkm", _(N_("IKM")), tight=True)
        figures.addWidget(frame)
        frame, self.integrity_value = figure(
            "reportIntegrity", _(N_("Integrity answers “yes”")), tight=True
        )
        figures.addWidget(frame)
        layout.addLayout(figures)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("reportTabs")
        charts_page = QWidget()
        grid = QGridLayout(charts_page)
        grid.setContentsMargins(0, 0, 0, 0)
        self.visits_chart = _chart_view("visitsChart")
        self.compliance_chart = _chart_view("complianceChart")
        self.ikm_chart = _chart_view("ikmChart")
        grid.addWidget(self.visits_chart, 0, 0, 1, 2)
        grid.addWidget(self.compliance_chart, 1, 0)
        grid.addWidget(self.ikm_chart, 1, 1)
        self.tabs.addTab(charts_page, _(N_("Charts")))
        # The counter plan is not about the period chosen above: it stays the last tab
        # whatever report is shown (counter/planning.py).
        self.plan_view = PlanView()
        self.tabs.addTab(self.plan_view, _(N_("Counter plan")))
        layout.addWidget(self.tabs, 1)
        self.section_tables: dict[str, QTableWidget] = {}
        self._section_pages: list[QWidget] = []

        self.period_kind.currentIndexChanged.connect(self._on_kind_changed)
        self.show_button.clicked.connect(self.request_report)
        self._set_export_enabled(False)
        self._on_kind_changed()

    @staticmethod
    def _date_edit(name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("dd-MM-yyyy")
        return edit

    # -- choices -------------------------------------------------------------------------

    def set_choices(
        self, today: str, services: list[dict], counters: list[dict], officers: list[dict]
    ) -> None:
        """Fill the filters (keeping what is chosen) and, the first time, today's month."""
        if not self.anchor.property("initialised"):
            day = QDate.fromString(today, "yyyy-MM-dd")
            for edit in (self.anchor, self.date_from, self.date_to):
                edit.setDate(day)
            self.date_from.setDate(QDate(day.year(), day.month(), 1))
            self.period_kind.setCurrentIndex(KINDS.index("month"))
            self.anchor.setProperty("initialised", True)
        self._fill(
            self.service,
            _(N_("All services")),
            [(s["code"], f"{s['code']} · {texts.service_name(s)}") for s in services],
        )
        self._fill(self.counter, _(N_("All counters")), [(c["id"], c["name"]) for c in counters])
        self._fill(
            self.officer, _(N_("All officers")), [(o["id"], o["full_name"]) for o in officers]
        )
        self.plan_view.set_choices(today, services)

    @staticmethod
    def _fill(combo: QComboBox, everything: str, items: list[tuple[Any, str]]) -> None:
        chosen = combo.currentData()
        wanted = [(None, everything), *items]
        if [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())] == wanted:
            return
        combo.blockSignals(True)
        combo.clear()
        for data, text in wanted:
            combo.addItem(text, data)
        index = combo.findData(chosen)
        combo.setCurrentIndex(max(0, index))
        combo.blockSignals(False)

    def _on_kind_changed(self) -> None:
        custom = self.period_kind.currentData() == "custom"
        self.anchor.setVisible(not custom)
        for widget in (self.from_label, self.date_from, self.to_label, self.date_to):
            widget.setVisible(custom)

    def choose(
        self,
        kind: str,
        anchor: str | None = None,
        start: str | None = None,
        end: str | None = None,
        service: str | None = None,
        counter_id: int | None = None,
        officer_id: int | None = None,
    ) -> None:
        """Set the controls as a person would (used by tests and the window)."""
        self.period_kind.setCurrentIndex(KINDS.index(kind))
        for edit, text in ((self.anchor, anchor), (self.date_from, start), (self.date_to, end)):
            if text:
                edit.setDate(QDate.fromString(text, "yyyy-MM-dd"))
        for combo, data in (
            (self.service, service),
            (self.counter, counter_id),
            (self.officer, officer_id),
        ):
            combo.setCurrentIndex(max(0, combo.findData(data)))

    def current_request(self) -> ReportRequest:
        """The report the controls describe; raises ValidationError for a bad range."""
        kind = self.period_kind.currentData()

        def iso(edit: QDateEdit) -> str:
            return edit.date().toString("yyyy-MM-dd")

        if kind == "custom":
            period = Period.custom(
                date.fromisoformat(iso(self.date_from)), date.fromisoformat(iso(self.date_to))
            )
        else:
            period = Period.containing(kind, date.fromisoformat(iso(self.anchor)))
        where = ReportFilter(
            service=self.service.currentData(),
            counter_id=self.counter.currentData(),
            officer_id=self.officer.currentData(),
        )
        return ReportRequest(period, where, self.integrity_list, language())

    def request_report(self) -> None:
        try:
            request = self.current_request()
        except PSTError as exc:
            self.set_status(exc.message, error=True)
            return
        self.set_status(_(N_("Computing the report…")))
        self.show_button.setEnabled(False)
        self.report_requested.emit(request)

    # -- results -------------------------------------------------------------------------

    def set_status(self, text: str, *, error: bool = False) -> None:
        show_status(self.status, text, error=error)

    def show_failure(self, message: str) -> None:
        self.show_button.setEnabled(True)
        self.set_status(message, error=True)

    def show_report(self, report: dict[str, Any]) -> None:
        """Show the figures, charts and tables of a computed report."""
        self.report = report
        lang = report.get("language", language())
        self.show_button.setEnabled(True)
        head = rt.heading(report, lang)
        self.title.setText(f"{head['period']} · {head['filter']}")
        self.set_status("")
        v, p, t, s = report["visits"], report["promise"], report["times"], report["satisfaction"]
        self.tickets_value.setText(rt.fmt(v["tickets"], "int", lang))
        self.compliance_value.setText(rt.fmt(p["compliance"], "pct", lang))
        self.wait_value.setText(rt.fmt(t["wait"]["mean"], "minutes", lang))
        ikm = s["ikm"]
        self.ikm_value.setText(
            f"{rt.fmt(ikm['ikm'], 'decimal', lang)} ({ikm['grade']})" if ikm else "—"
        )
        self.integrity_value.setText(rt.fmt(s["integrity"]["flagged"], "int", lang))
        self._draw_charts(report, lang)
        self._show_sections(report, lang)
        self._set_export_enabled(True)

    def _draw_charts(self, report: dict[str, Any], lang: str) -> None:
        kind, series = rt.visits_series(report)
        labels = [
            k[8:].lstrip("0") if kind == "date" else rt.fmt(k, "month", lang)[:3]
            for k, _n in series
        ]
        counts = [n for _k, n in series]
        title = _(N_("Tickets per day")) if kind == "date" else _(N_("Tickets per month"))
        self._set_chart(
            self.visits_chart,
            _bar_chart(title, labels, counts, "#1F4E79", max(5, max(counts or [0]) + 1)),
        )
        rows = [r for r in report["promise"]["by_service"] if r["compliance"] is not None]
        self._set_chart(
            self.compliance_chart,
            _bar_chart(
                _(N_("Compliance per service")) + " (%)",
                [r["key"] for r in rows],
                [r["compliance"] for r in rows],
                "#2E7D32",
                100,
            ),
        )
        ikm = report["satisfaction"]["ikm"]
        chart = _bar_chart(
            _(N_("IKM per element (NRR, 1–4)")),
            [f"U{i}" for i in range(1, 10)],
            [ikm["elements"][k]["nrr"] if ikm else 0 for k in ELEMENTS],
            "#5B9BD5",
            4,
        )
        self._set_chart(self.ikm_chart, chart)

    @staticmethod
    def _set_chart(view: QChartView, chart: QChart) -> None:
        old = view.chart()
        view.setChart(chart)
        if old is not None:
            old.deleteLater()

    def _remove_sections(self) -> None:
        for page in self._section_pages:
            self.tabs.removeTab(self.tabs.indexOf(page))
            page.deleteLater()
        self._section_pages = []
        self.section_tables = {}

    def _show_sections(self, report: dict[str, Any], lang: str) -> None:
        self._remove_sections()
        for section in rt.sections(report, lang):
            body = QWidget()
            column = QVBoxLayout(body)
            for table in section.tables:
                caption = QLabel(table.title)
                caption.setProperty("role", "section")
                column.addWidget(caption)
                widget = _table_widget(table, lang)
                self.section_tables[table.key] = widget
                column.addWidget(widget)
                if table.note:
                    note = QLabel(table.note)
                    note.setWordWrap(True)
                    note.setProperty("role", "caption")
                    column.addWidget(note)
            column.addStretch(1)
            scroll = QScrollArea()
            scroll.setObjectName(f"reportSection_{section.key}")
            scroll.setWidgetResizable(True)
            scroll.setWidget(body)
            self.tabs.insertTab(self.tabs.indexOf(self.plan_view), scroll, section.title)
            self._section_pages.append(scroll)

    # -- export --------------------------------------------------------------------------

    def _set_export_enabled(self, enabled: bool) -> None:
        for button in self.export_buttons.values():
            button.setEnabled(enabled)
            button.setToolTip("" if enabled else _(N_("Show a report first.")))

    def suggested_name(self, fmt: str) -> str:
        period = self.report["period"] if self.report else {"start": "", "end": ""}
        span = (
            period["start"]
            if period["start"] == period["end"]
            else f"{period['start']}_{period['end']}"
        )
        return f"laporan-pst-{span}.{fmt}"

    def ask_export(self, fmt: str) -> None:
        """Ask where to save (a non-blocking dialog), then export there."""
        if self.report is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        dialog = QFileDialog(
            self, _(N_("Save the report")), str(Path(folder) / self.suggested_name(fmt))
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setDefaultSuffix(fmt)
        dialog.setNameFilter(f"{_(dict(EXPORT_FORMATS)[fmt])} (*.{fmt})")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        # Qt's default size cuts the file list's columns: take most of the console.
        window = self.window()
        dialog.resize(max(800, window.width() * 2 // 3), max(500, window.height() * 2 // 3))
        dialog.fileSelected.connect(lambda path: self.export_to(fmt, path))
        self._dialogs.open(dialog)

    @property
    def dialog(self) -> QFileDialog | None:
        """The save dialog waiting for an answer, if any."""
        return self._dialogs.dialog

    def export_to(self, fmt: str, path: str) -> None:
        """Export the report shown to ``path``; progress and the saved name are shown."""
        if self.report is None or not path:
            return
        self.saved_path = None
        self.progress.setValue(0)
        self.progress.show()
        self._set_export_enabled(False)
        self.set_status(_(N_("Saving the report as {name}…"), name=Path(path).name))
        self.export_requested.emit(fmt, path)

    def show_progress(self, percent: int) -> None:
        self.progress.setValue(percent)

    def show_exported(self, path: str) -> None:
        self.saved_path = path
        self.progress.setValue(100)
        self.progress.hide()
        self._set_export_enabled(True)
        self.set_status(_(N_("Report saved: {path}"), path=path))

    def clear(self) -> None:
        """Forget the report shown (at log-out: the next person may not see it)."""
        self.report = None
        self.saved_path = None
        self.title.setText("")
        self.set_status("")
        for value in (
            self.tickets_value,
            self.compliance_value,
            self.wait_value,
            self.ikm_value,
            self.integrity_value,
        ):
            value.setText("—")
        self._remove_sections()
        self.plan_view.clear()
        for view in (self.visits_chart, self.compliance_chart, self.ikm_chart):
            self._set_chart(view, QChart())
        self._set_export_enabled(False)

    def show_export_failure(self, message: str) -> None:
        self.progress.hide()
        self._set_export_enabled(True)
        self.set_status(message, error=True)
