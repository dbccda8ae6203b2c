"""The report as an Excel workbook (openpyxl): one sheet per section, native charts.

Each sheet starts with the office, unit, period and filter; its tables stand side by
side under one header row, which is frozen. Cells hold real numbers, percentages as
fractions with a percent format, and real dates. The Visits sheet charts tickets per
day (per month for long periods), the promise sheet compliance per service and the
satisfaction sheet the NRR of each IKM element.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shared.i18n import N_, translate
from shared.reporting.tables import Section, Table, cell, heading, sections

TITLE_ROW, HEADER_ROW = 6, 7
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
FORMATS = {
    "int": "#,##0",
    "pct": "0.0%",
    "minutes": "0.0",
    "decimal": "0.00",
    "nrr": "0.000",
    "date": "dd/mm/yyyy",
    "month": "mmm yyyy",
}


def _sheet_name(title: str, used: set[str]) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "-", title)[:31]
    base, n = name, 2
    while name in used:
        suffix = f" {n}"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    used.add(name)
    return name


def _value(value: Any, kind: str) -> Any:
    if value is None or value == "":
        return None
    if kind == "pct":
        return float(value) / 100
    if kind == "date":
        return date.fromisoformat(value)
    if kind == "month":
        return date.fromisoformat(value + "-01")
    if kind == "int":
        return int(value)
    if kind in ("minutes", "decimal", "nrr"):
        return float(value)
    return value


def _write_table(ws, table: Table, col: int) -> tuple[int, int]:
    """Write ``table`` from column ``col``; return (first data row, last data row)."""
    ws.cell(TITLE_ROW, col, table.title).font = Font(bold=True)
    for i, column in enumerate(table.columns):
        c = ws.cell(HEADER_ROW, col + i, column.title)
        c.font = Font(bold=True)
        c.fill = HEADER_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    row = HEADER_ROW + 1
    for values in table.rows:
        for i, (value, column) in enumerate(zip(values, table.columns, strict=True)):
            v, kind = cell(value, column.kind)
            c = ws.cell(row, col + i, _value(v, kind))
            if kind in FORMATS:
                c.number_format = FORMATS[kind]
        row += 1
    if table.note:
        note = ws.cell(row + 1, col, table.note)
        note.alignment = Alignment(wrap_text=False)
        note.font = Font(italic=True, size=9)
    for i, column in enumerate(table.columns):
        letter = get_column_letter(col + i)
        longest = max(
            [len(column.title)]
            + [len(str(cell(r[i], column.kind)[0] or "")) for r in table.rows[:400]]
        )
        width = min(48, max(9, longest + 2))
        if column.kind in ("date", "month"):
            width = max(width, 12)
        ws.column_dimensions[letter].width = max(ws.column_dimensions[letter].width or 0, width)
    return HEADER_ROW + 1, row - 1


def _bar_chart(title: str, y_title: str, percent: bool = False) -> BarChart:
    chart = BarChart()
    chart.type = "col"
    chart.title = title
    chart.y_axis.title = y_title
    chart.legend = None
    chart.height = 8
    chart.width = 18
    if percent:
        chart.y_axis.number_format = "0%"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 1
    # openpyxl 3.1 hides axes unless told otherwise (Excel then draws no labels).
    chart.x_axis.delete = False
    chart.y_axis.delete = False
    return chart


def _section_sheet(wb: Workbook, section: Section, head: dict[str, str], used: set[str], lang: str):
    ws = wb.create_sheet(_sheet_name(section.title, used))
    ws["A1"] = head["office"]
    ws["A1"].font = Font(bold=True, size=13)
    ws["A2"] = head["unit"]
    ws["A3"] = f"{head['period']} · {head['filter']}"
    ws["A4"] = section.title
    ws["A4"].font = Font(bold=True, size=12)
    col = 1
    placed: dict[str, tuple[int, int, int]] = {}
    for table in section.tables:
        first, last = _write_table(ws, table, col)
        placed[table.key] = (col, first, last)
        col += len(table.columns) + 1
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    anchor = f"{get_column_letter(col + 1)}{TITLE_ROW}"

    def chart_from(key: str, value_col: int, title: str, y_title: str, percent=False) -> None:
        if key not in placed:
            return
        c, first, last = placed[key]
        if last < first:
            return
        chart = _bar_chart(title, y_title, percent)
        chart.add_data(
            Reference(ws, min_col=c + value_col, min_row=HEADER_ROW, max_row=last),
            titles_from_data=True,
        )
        chart.set_categories(Reference(ws, min_col=c, min_row=first, max_row=last))
        ws.add_chart(chart, anchor)

    tickets = translate(N_("Tickets"), lang)
    if section.key == "visits":
        key = "visits_by_day" if "visits_by_day" in placed else "visits_by_month"
        title = section.tables[0].title
        chart_from(key, 1, title, tickets)
    elif section.key == "promise":
        # Every service but the last row ("all services").
        c, first, last = placed["promise_by_service"]
        if last > first:
            chart = _bar_chart(section.tables[0].title, translate(N_("Compliance"), lang), True)
            chart.add_data(
                Reference(ws, min_col=c + 5, min_row=HEADER_ROW, max_row=last - 1),
                titles_from_data=True,
            )
            chart.set_categories(Reference(ws, min_col=c, min_row=first, max_row=last - 1))
            ws.add_chart(chart, anchor)
    elif section.key == "satisfaction":
        c, first, last = placed["ikm_elements"]
        chart = _bar_chart(translate(N_("IKM per element"), lang), translate(N_("NRR"), lang))
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = 4
        chart.add_data(
            Reference(ws, min_col=c + 4, min_row=HEADER_ROW, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(ws, min_col=c, min_row=first, max_row=last))
        ws.add_chart(chart, anchor)
    return ws


def write_xlsx(report: dict[str, Any], path: str | Path, lang: str, progress=None) -> None:
    """Write the workbook to ``path``."""
    head = heading(report, lang)
    title = f"{head['title']} — {report['period']['label']}"
    write_sections_xlsx(head, sections(report, lang), path, lang, title, progress)


def write_sections_xlsx(
    head: dict[str, str],
    parts: list[Section],
    path: str | Path,
    lang: str,
    title: str,
    progress=None,
) -> None:
    """Write a title block and sections as a workbook: a sheet per section."""
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for i, section in enumerate(parts):
        _section_sheet(wb, section, head, used, lang)
        if progress:
            progress(0.9 * (i + 1) / len(parts))
    wb.properties.title = title
    wb.properties.creator = head["office"]
    wb.save(str(path))
