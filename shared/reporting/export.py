"""Write a report as text, JSON, CSV, XLSX or PDF.

Text is aligned tables for a terminal or a plain e-mail; JSON is the model itself (for
scripts); CSV holds every table one after another (title row, header row, rows, blank
row) with real numbers; XLSX and PDF are in their own modules (openpyxl, reportlab).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from shared.i18n import N_
from shared.reporting.tables import Section, Table, cell, fmt, heading, sections

FORMATS = ("text", "json", "csv", "xlsx", "pdf")
PLAIN = ("text", "json", "csv")  # the formats of :func:`write_plain`
# Progress callbacks get a fraction 0…1.
Progress = Callable[[float], None]


def table_text(table: Table, lang: str) -> list[str]:
    """Render one table as aligned lines (numbers to the right)."""
    header = [c.title for c in table.columns]
    numbers = ("int", "pct", "minutes", "decimal", "nrr")
    numeric = [False] * len(header)
    body = []
    for row in table.rows:
        cells = []
        for i, (value, col) in enumerate(zip(row, table.columns, strict=True)):
            v, kind = cell(value, col.kind)
            cells.append(fmt(v, kind, lang))
            numeric[i] = numeric[i] or kind in numbers
        body.append(cells)
    widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]

    def line(values: list[str]) -> str:
        out = []
        for i, value in enumerate(values):
            out.append(value.rjust(widths[i]) if numeric[i] else value.ljust(widths[i]))
        return "  ".join(out).rstrip()

    lines = [table.title, "-" * len(table.title), line(header)]
    lines.append("  ".join("-" * w for w in widths))
    lines += [line(r) for r in body]
    if not body:
        lines.append("(—)")
    if table.note:
        lines.append(table.note)
    return lines


def laid_out(report: dict[str, Any], lang: str) -> tuple[dict[str, str], list[Section]]:
    """The report's title block and its sections of tables."""
    return heading(report, lang), sections(report, lang)


def to_text(report: dict[str, Any], lang: str) -> str:
    """The whole report as readable, aligned tables."""
    return sections_text(*laid_out(report, lang), lang)


def sections_text(head: dict[str, str], parts: list[Section], lang: str) -> str:
    """A title block (see :func:`~shared.reporting.tables.heading`) and sections as text."""
    lines = [head["title"], head["office"], head["unit"], head["period"], head["filter"]]
    if head["made"]:
        lines.append(head["made"])
    for section in parts:
        lines += ["", "=" * len(section.title), section.title, "=" * len(section.title)]
        for table in section.tables:
            lines.append("")
            lines += table_text(table, lang)
    return "\n".join(lines) + "\n"


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2, default=str)


def to_csv(report: dict[str, Any], lang: str) -> str:
    """Every table in one CSV: a title row, the header, the rows, then a blank row."""
    return sections_csv(*laid_out(report, lang))


def sections_csv(head: dict[str, str], parts: list[Section]) -> str:
    """A title block and sections as one CSV (see :func:`to_csv`)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    for key in ("title", "office", "unit", "period", "filter"):
        writer.writerow([head[key]])
    writer.writerow([])
    for section in parts:
        for table in section.tables:
            writer.writerow([f"{section.title} — {table.title}"])
            writer.writerow([c.title for c in table.columns])
            for row in table.rows:
                values = []
                for value, col in zip(row, table.columns, strict=True):
                    v, _kind = cell(value, col.kind)
                    values.append("" if v is None else v)
                writer.writerow(values)
            writer.writerow([])
    return buf.getvalue()


def write(
    report: dict[str, Any],
    fmt_name: str,
    path: str | Path,
    lang: str,
    progress: Progress | None = None,
) -> Path:
    """Write ``report`` to ``path`` in format ``fmt_name``; return the path written.

    The file is written next to its final name and renamed into place, so a reader never
    sees half a report.
    """
    from shared.errors import ValidationError

    if fmt_name not in FORMATS:
        raise ValidationError("format", N_("Unknown report format {name}."), name=fmt_name)
    step = progress or (lambda _f: None)
    step(0.0)

    def render(tmp: Path) -> None:
        if fmt_name in PLAIN:
            write_plain(tmp, fmt_name, report, lambda: laid_out(report, lang), lang)
        elif fmt_name == "xlsx":
            from shared.reporting.xlsx import write_xlsx

            write_xlsx(report, tmp, lang, step)
        else:
            from shared.reporting.pdf import write_pdf

            write_pdf(report, tmp, lang, step)

    written = write_file(path, render)
    step(1.0)
    return written


def write_plain(
    tmp: Path,
    fmt_name: str,
    data: Any,
    layout: Callable[[], tuple[dict[str, str], list[Section]]],
    lang: str,
) -> None:
    """Write a report or a plan to ``tmp`` as text, JSON (``data`` itself) or CSV.

    ``layout`` gives the title block and the sections; it is asked only for text and CSV.
    """
    if fmt_name == "json":
        tmp.write_text(to_json(data), encoding="utf-8")
    elif fmt_name == "text":
        tmp.write_text(sections_text(*layout(), lang), encoding="utf-8")
    else:
        # A byte-order mark lets Excel on Windows open the UTF-8 file with its accents.
        tmp.write_text(sections_csv(*layout()), encoding="utf-8-sig", newline="")


def write_file(path: str | Path, render: Callable[[Path], None]) -> Path:
    """Let ``render`` write a file next to ``path``, then rename it into place.

    A reader never sees half a file; a failed render leaves nothing behind.
    """
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    try:
        render(tmp)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    return path
