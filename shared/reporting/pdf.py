"""The monthly PST report as a PDF (reportlab platypus and reportlab.graphics charts).

A4 portrait: a title block (report, office, unit, period, filter), the headline figures,
three charts (tickets per day, compliance per service, IKM per element), then every
section's tables; page numbers in the footer. Text is set in DejaVu Sans, found on the
machine (Debian: fonts-dejavu-core), so every Indonesian letter and sign prints.
"""

from __future__ import annotations

import math
import os
import sys
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from assets import path as asset_path
from shared.errors import PSTError
from shared.i18n import N_, translate
from shared.reporting import tables as rt
from shared.reporting.ikm import ELEMENTS
from shared.reporting.period import MONTHS

FONT, BOLD = "PST-DejaVuSans", "PST-DejaVuSans-Bold"
# (regular, bold) font files that carry every letter and sign of the report, best first:
# DejaVu Sans (Debian: fonts-dejavu-core), then what a Linux desktop or Windows has.
FONT_CHOICES = (
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
)
BLUE = colors.HexColor("#1F4E79")
LIGHT = colors.HexColor("#DCE6F1")
MET, MISSED = colors.HexColor("#2E7D32"), colors.HexColor("#C62828")
PAGE_W, PAGE_H = A4
MARGIN = 16 * mm
WIDTH = PAGE_W - 2 * MARGIN


class ReportFontMissing(PSTError):
    """No font that carries Indonesian text was found for the PDF."""


def font_folders() -> list[Path]:
    """Folders searched for the report's font, most specific first."""
    folders = []
    if os.environ.get("PST_FONT_DIR"):
        folders.append(Path(os.environ["PST_FONT_DIR"]))
    folders.append(asset_path("fonts"))
    home = Path.home()
    folders += [
        Path("/usr/share/fonts/truetype/dejavu"),
        Path("/usr/share/fonts/dejavu"),
        Path("/usr/share/fonts/truetype/liberation"),
        Path("/usr/share/fonts/TTF"),
        Path("/usr/local/share/fonts"),
        home / ".local/share/fonts",
        home / ".fonts",
        Path("/Library/Fonts"),
        home / "Library/Fonts",
    ]
    if sys.platform == "win32":
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        folders.append(windir / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            folders.append(Path(local) / "Microsoft/Windows/Fonts")
    return folders


def find_font(filename: str) -> Path | None:
    for folder in font_folders():
        candidate = folder / filename
        if candidate.is_file():
            return candidate
        if folder.is_dir():
            # Some distributions nest fonts one folder deeper.
            for found in folder.glob(f"*/{filename}"):
                return found
    return None


def register_fonts() -> None:
    """Register the report's font (regular and bold) with reportlab, once."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    for regular, bold in FONT_CHOICES:
        paths = (find_font(regular), find_font(bold))
        if None not in paths:
            break
    else:
        regular = FONT_CHOICES[0][0]
        raise ReportFontMissing(
            N_(
                "The PDF needs the font {font}, which was not found on this PC (looked in"
                " {folders}). Install DejaVu Sans (Debian: fonts-dejavu-core) or put"
                " {font} into one of those folders."
            ),
            font=regular,
            folders=", ".join(str(f) for f in font_folders()[:4]),
        )
    pdfmetrics.registerFont(TTFont(FONT, str(paths[0])))
    pdfmetrics.registerFont(TTFont(BOLD, str(paths[1])))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=FONT, boldItalic=BOLD)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=8.5, leading=11)
    return {
        "base": base,
        "title": ParagraphStyle(
            "title", base, fontName=BOLD, fontSize=16, leading=20, textColor=BLUE
        ),
        "office": ParagraphStyle("office", base, fontName=BOLD, fontSize=12, leading=15),
        "line": ParagraphStyle("line", base, fontSize=10, leading=13),
        "section": ParagraphStyle(
            "section",
            base,
            fontName=BOLD,
            fontSize=12.5,
            leading=16,
            textColor=BLUE,
            spaceBefore=8,
            spaceAfter=3,
        ),
        "table": ParagraphStyle(
            "table", base, fontName=BOLD, fontSize=9.5, leading=12, spaceBefore=6, spaceAfter=2
        ),
        "note": ParagraphStyle(
            "note", base, fontSize=7.5, leading=9.5, textColor=colors.HexColor("#444444")
        ),
        "cell": ParagraphStyle("cell", base, fontSize=7.5, leading=9.5),
        "num": ParagraphStyle("num", base, fontSize=7.5, leading=9.5, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", base, fontName=BOLD, fontSize=7.5, leading=9.5),
        "head_small": ParagraphStyle("head_small", base, fontName=BOLD, fontSize=6.5, leading=8),
    }


class _NumberedCanvas(pdfcanvas.Canvas):
    """Write "page X of Y" on every page once the number of pages is known."""

    footer = ""
    page_text = "{page}/{pages}"

    def __init__(self, *args, **kwargs):
        # Without this every page also names Helvetica, which cannot print "ę" or "≤".
        kwargs["initialFontName"] = kwargs.get("initialFontName") or FONT
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.HexColor("#555555"))
            self.drawString(MARGIN, 10 * mm, self.footer)
            self.drawRightString(
                PAGE_W - MARGIN, 10 * mm, self.page_text.format(page=self._pageNumber, pages=total)
            )
            super().showPage()
        super().save()


def _table(table: rt.Table, lang: str, st: dict[str, ParagraphStyle]) -> list:
    numbers = ("int", "pct", "minutes", "decimal", "nrr")
    head_style = st["head_small"] if len(table.columns) > 7 else st["head"]
    head = [Paragraph(escape(c.title), head_style) for c in table.columns]
    rows = [head]
    for values in table.rows:
        row = []
        for value, column in zip(values, table.columns, strict=True):
            v, kind = rt.cell(value, column.kind)
            style = st["num"] if kind in numbers else st["cell"]
            row.append(Paragraph(escape(rt.fmt(v, kind, lang)), style))
        rows.append(row)
    if len(rows) == 1:
        rows.append([Paragraph("—", st["cell"])] + [""] * (len(head) - 1))
    n = len(table.columns)
    # The first column gets the room it needs; the others share the rest.
    first = WIDTH * (0.24 if n > 7 else 0.34 if n > 4 else 0.5)
    if table.key in ("ikm_elements", "integrity_list", "longest_waits"):
        first = WIDTH * 0.17
    widths = [first] + [(WIDTH - first) / (n - 1)] * (n - 1) if n > 1 else [WIDTH]
    if table.key == "summary":
        widths = [WIDTH * 0.5, WIDTH * 0.22]
    if table.key == "ikm_elements":
        widths = [WIDTH * 0.07, WIDTH * 0.41] + [WIDTH * 0.13] * 4
    if table.key == "offices":
        shares = (0.245, 0.075, 0.085, 0.10, 0.11, 0.10, 0.07, 0.07, 0.145)
        widths = [WIDTH * f for f in shares]
    grid = Table(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    grid.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, BLUE),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F5F7FA")]),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#C8CED6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    flow = [Paragraph(escape(table.title), st["table"]), grid]
    if table.note:
        flow.append(Spacer(1, 2))
        flow.append(Paragraph(escape(table.note), st["note"]))
    return flow


def nice_axis(top: float, ticks: int = 5) -> tuple[float, float]:
    """Return ``(maximum, step)`` of an axis from 0 that reads well: steps of 1, 2 or 5 × 10ⁿ."""
    raw = max(top, 1) / ticks
    power = 10 ** math.floor(math.log10(raw))
    # Counts: never a step below one. The maximum stays above the highest bar.
    step = max(1, next(m * power for m in (1, 2, 5, 10) if m * power >= raw))
    return (math.floor(top / step) + 1) * step, step


def _axis_font(axis, size: float = 7) -> None:
    axis.labels.fontName = FONT
    axis.labels.fontSize = size


def _chart_box(title: str, chart, height: float) -> Drawing:
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height - 11, title, fontName=BOLD, fontSize=9.5, fillColor=BLUE))
    drawing.add(chart)
    return drawing


def _month_short(key: str, lang: str) -> str:
    return translate(MONTHS[int(key[5:7]) - 1], lang)[:3]


def visits_chart(report: dict[str, Any], lang: str) -> Drawing:
    kind, series = rt.visits_series(report)
    height = 58 * mm
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 28
    chart.width, chart.height = WIDTH - 40, height - 52
    chart.data = [[n for _k, n in series] or [0]]
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    chart.barLabels.fontName = FONT
    names = [k[8:].lstrip("0") if kind == "date" else _month_short(k, lang) for k, _n in series]
    chart.categoryAxis.categoryNames = names or [""]
    _axis_font(chart.categoryAxis, 6 if len(names) > 20 else 7)
    _axis_font(chart.valueAxis)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax, chart.valueAxis.valueStep = nice_axis(
        max([n for _k, n in series] or [0])
    )
    title = (
        translate(N_("Tickets per day"), lang)
        if kind == "date"
        else translate(N_("Tickets per month"), lang)
    )
    return _chart_box(title, chart, height)


def compliance_chart(report: dict[str, Any], lang: str) -> Drawing:
    # Services with no decided ticket have no compliance to draw (the table says "—").
    rows = [r for r in report["promise"]["by_service"] if r["compliance"] is not None]
    bar_h = 13
    height = max(40 * mm, 36 + bar_h * len(rows) + 20)
    chart = HorizontalBarChart()
    chart.x, chart.y = 200, 20
    chart.width, chart.height = WIDTH - 240, height - 44
    chart.data = [[r["compliance"] or 0 for r in reversed(rows)] or [0]]
    chart.bars[0].fillColor = MET
    chart.bars[0].strokeColor = None
    chart.categoryAxis.categoryNames = [
        f"{r['key']} · {r['label']}"[:40] for r in reversed(rows)
    ] or [""]
    _axis_font(chart.categoryAxis)
    chart.categoryAxis.labels.dx = -4
    _axis_font(chart.valueAxis)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.barLabelFormat = lambda v: rt.fmt(v, "pct", lang)
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    return _chart_box(translate(N_("Compliance per service"), lang), chart, height)


def ikm_chart(report: dict[str, Any], lang: str) -> Drawing:
    ikm = report["satisfaction"]["ikm"]
    height = 52 * mm
    chart = VerticalBarChart()
    chart.x, chart.y = 28, 22
    chart.width, chart.height = WIDTH - 40, height - 44
    chart.data = [[ikm["elements"][k]["nrr"] if ikm else 0 for k in ELEMENTS]]
    chart.bars[0].fillColor = colors.HexColor("#5B9BD5")
    chart.bars[0].strokeColor = None
    chart.categoryAxis.categoryNames = [f"U{i}" for i in range(1, 10)]
    _axis_font(chart.categoryAxis)
    _axis_font(chart.valueAxis)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 4, 1
    chart.barLabelFormat = lambda v: rt.fmt(v, "decimal", lang)
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    return _chart_box(translate(N_("IKM per element (NRR, 1–4)"), lang), chart, height)


def write_pdf(report: dict[str, Any], path: str | Path, lang: str, progress=None) -> None:
    """Write the PDF to ``path``; raise :class:`ReportFontMissing` without DejaVu Sans."""
    register_fonts()
    st = _styles()
    head = rt.heading(report, lang)
    story: list = [
        Paragraph(escape(head["title"]), st["title"]),
        Paragraph(escape(head["office"]), st["office"]),
        Paragraph(escape(head["unit"]), st["line"]),
        Paragraph(escape(head["period"]), st["line"]),
        Paragraph(escape(head["filter"]), st["line"]),
    ]
    if head["made"]:
        story.append(Paragraph(escape(head["made"]), st["note"]))
    story.append(Spacer(1, 6))
    parts = rt.sections(report, lang)
    summary = parts[0]
    story += _table(summary.tables[0], lang, st)
    story.append(Spacer(1, 6))
    story.append(KeepTogether([visits_chart(report, lang)]))
    story.append(Spacer(1, 4))
    story.append(KeepTogether([compliance_chart(report, lang)]))
    if report["satisfaction"]["ikm"]:
        story.append(Spacer(1, 4))
        story.append(KeepTogether([ikm_chart(report, lang)]))
    if progress:
        progress(0.3)
    for i, section in enumerate(parts[1:], 1):
        story.append(CondPageBreak(60 * mm))
        story.append(Paragraph(escape(section.title), st["section"]))
        for table in section.tables:
            story.append(
                KeepTogether(_table(table, lang, st))
                if len(table.rows) < 25
                else _table(table, lang, st)[0]
            )
            if len(table.rows) >= 25:
                story += _table(table, lang, st)[1:]
        if progress:
            progress(0.3 + 0.4 * i / (len(parts) - 1))
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=18 * mm,
        title=f"{head['title']} — {report['period']['label']}",
        author=head["office"],
        subject=head["unit"],
    )

    class Canvas(_NumberedCanvas):
        footer = f"{head['office']} · {head['unit']} · {report['period']['label']}"
        page_text = translate(N_("Page {page} of {pages}"), lang)

    doc.build(story, canvasmaker=Canvas)
