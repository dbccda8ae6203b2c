"""Reports for the head of PST: one model for every period, exported in five formats.

* :mod:`~shared.reporting.period` — day, Monday week, month, quarter, semester, year, range;
* :mod:`~shared.reporting.model` — :func:`build_report`, every figure of a period;
* :mod:`~shared.reporting.summary` — the short figures of a day or a month per service;
* :mod:`~shared.reporting.ikm` — the IKM exactly as PermenPANRB 14/2017;
* :mod:`~shared.reporting.tables` — the model as translated tables;
* :mod:`~shared.reporting.export` — text, JSON, CSV, and XLSX/PDF (openpyxl, reportlab).
"""

from shared.reporting.model import ReportFilter, build_report
from shared.reporting.period import KINDS, Period

__all__ = ["KINDS", "Period", "ReportFilter", "build_report"]
