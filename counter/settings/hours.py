"""The Jam dan hari libur tab: the office's opening hours and its days off.

Days off are the national list of the ``holidays`` package with cuti bersama (the
office may open on one: ``holidays_removed``) plus the office's own days
(``holidays_added``).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QTime
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from counter.settings.fields import TimeField, fill, typed_time, yes
from counter.widgets import table
from shared.i18n import N_, _
from shared.office import servicehours
from shared.reporting.period import WEEKDAYS

SAVED = {"hours": N_("Opening hours"), "holidays": N_("The days off")}


def added_day(added: dict[str, str] | str) -> str:
    """The date of one of the office's own days off (a date, or a date with a name)."""
    return added.get("date") if isinstance(added, dict) else added


class HoursTab:
    """Build and fill the hours and holidays tab on the settings page (a mixin of the page)."""

    def _hours_tab(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        hours_box = QWidget()
        grid = QGridLayout(hours_box)
        grid.addWidget(QLabel(_(N_("Opening hours (local time)"))), 0, 0, 1, 4)
        self.hours_rows: list[tuple[QCheckBox, TimeField, TimeField]] = []
        for day in range(7):
            open_box = QCheckBox(_(WEEKDAYS[day]))
            open_box.setObjectName(f"hoursOpen{day}")
            start, end = TimeField(), TimeField()
            start.setObjectName(f"hoursFrom{day}")
            end.setObjectName(f"hoursTo{day}")
            open_box.toggled.connect(
                lambda on, s=start, e=end: (s.setEnabled(on), e.setEnabled(on))
            )
            grid.addWidget(open_box, day + 1, 0)
            grid.addWidget(start, day + 1, 1)
            grid.addWidget(QLabel("–"), day + 1, 2)
            grid.addWidget(end, day + 1, 3)
            self.hours_rows.append((open_box, start, end))
        grid.addWidget(self._error("hours"), 8, 0, 1, 4)
        save = QPushButton(_(N_("Save opening hours")))
        save.setObjectName("hoursSave")
        save.clicked.connect(lambda: self._setting("hours", "hours", self.typed_hours()))
        grid.addWidget(save, 9, 0, 1, 4)
        grid.setRowStretch(10, 1)
        layout.addWidget(hours_box, 2)

        holidays_box = QWidget()
        column = QVBoxLayout(holidays_box)
        top = QHBoxLayout()
        top.addWidget(QLabel(_(N_("Holidays and joint leave days of"))))
        self.holiday_year = QSpinBox()
        self.holiday_year.setObjectName("holidayYear")
        self.holiday_year.setRange(2020, 2100)
        self.holiday_year.valueChanged.connect(lambda _y: self._show_holidays())
        top.addWidget(self.holiday_year)
        top.addStretch(1)
        column.addLayout(top)
        self.holidays_table = table(
            "settingsHolidays", (N_("Date"), N_("Holiday"), N_("Source"), N_("Office closed"))
        )
        column.addWidget(self.holidays_table, 1)
        row = QHBoxLayout()
        self.holiday_toggle = QPushButton(_(N_("Open / close on the selected day")))
        self.holiday_toggle.setObjectName("holidayToggle")
        self.holiday_toggle.clicked.connect(self._toggle_holiday)
        row.addWidget(self.holiday_toggle)
        column.addLayout(row)
        add = QHBoxLayout()
        self.holiday_date = QDateEdit()
        self.holiday_date.setObjectName("holidayDate")
        self.holiday_date.setCalendarPopup(True)
        self.holiday_date.setDisplayFormat("dd-MM-yyyy")
        self.holiday_name = QLineEdit()
        self.holiday_name.setObjectName("holidayName")
        self.holiday_name.setPlaceholderText(_(N_("e.g. Cuti bersama Idulfitri")))
        self.holiday_add = QPushButton(_(N_("Add a day off")))
        self.holiday_add.setObjectName("holidayAdd")
        self.holiday_add.clicked.connect(self._add_holiday)
        add.addWidget(self.holiday_date)
        add.addWidget(self.holiday_name, 1)
        add.addWidget(self.holiday_add)
        column.addLayout(add)
        column.addWidget(self._error("holidays"))
        layout.addWidget(holidays_box, 3)
        return page

    def _show_hours_and_holidays(self, office: dict[str, Any], today: str, first: bool) -> None:
        if first:
            self.holiday_year.setValue(int(today[:4]))
            self.holiday_date.setDate(QDate.fromString(today, "yyyy-MM-dd"))
        self._show_holidays()
        self._follow("hours", office["hours"], self._show_hours, self.typed_hours)

    def typed_hours(self) -> dict[str, Any]:
        """The opening hours as the grid shows them, by weekday (``"0"`` is Monday)."""
        return {
            str(day): [typed_time(start.text()), typed_time(end.text())]
            if open_box.isChecked()
            else None
            for day, (open_box, start, end) in enumerate(self.hours_rows)
        }

    def _show_hours(self, hours: dict[str, Any]) -> None:
        for day, (open_box, start, end) in enumerate(self.hours_rows):
            slot = hours.get(str(day))
            open_box.setChecked(bool(slot))
            start.setEnabled(bool(slot))
            end.setEnabled(bool(slot))
            first, last = slot if slot else ("08:00", "15:30")
            start.setTime(QTime.fromString(first, "HH:mm"))
            end.setTime(QTime.fromString(last, "HH:mm"))

    def holidays_of_year(self) -> list[dict[str, Any]]:
        """The year's days off as the page lists them: national and the office's own."""
        year = self.holiday_year.value()
        country = self.office.get("holiday_country", "ID")
        removed = set(self.office.get("holidays_removed", []))
        rows = [
            {
                "date": d.isoformat(),
                "name": name,
                "source": "national",
                "closed": d.isoformat() not in removed,
            }
            for d, name in servicehours.national_holidays(country, year)
        ]
        for added in self.office.get("holidays_added", []):
            day = added_day(added)
            name = added.get("name", "") if isinstance(added, dict) else ""
            if str(day).startswith(str(year)):
                rows.append({"date": day, "name": name, "source": "office", "closed": True})
        return sorted(rows, key=lambda r: r["date"])

    def _show_holidays(self) -> None:
        self._holidays = self.holidays_of_year()
        fill(
            self.holidays_table,
            [
                [
                    r["date"],
                    r["name"],
                    _(N_("national")) if r["source"] == "national" else _(N_("this office")),
                    yes(r["closed"]),
                ]
                for r in self._holidays
            ],
        )

    def _toggle_holiday(self) -> None:
        row = self.holidays_table.currentRow()
        if not 0 <= row < len(self._holidays):
            self._refuse("holidays", _(N_("Select a day in the list first.")))
            return
        chosen = self._holidays[row]
        if chosen["source"] == "office":
            self._setting("holidays", "holidays_added", self._added_without(chosen["date"]))
            return
        removed = list(self.office.get("holidays_removed", []))
        if chosen["date"] in removed:
            removed.remove(chosen["date"])
        else:
            removed.append(chosen["date"])
        self._setting("holidays", "holidays_removed", sorted(removed))

    def _add_holiday(self) -> None:
        day = self.holiday_date.date().toString("yyyy-MM-dd")
        name = self.holiday_name.text().strip()
        if not name:
            self._refuse("holidays", _(N_("Give the day off a name.")))
            return
        added = [*self._added_without(day), {"date": day, "name": name}]
        self._setting("holidays", "holidays_added", sorted(added, key=added_day))

    def _added_without(self, day: str) -> list[dict[str, str] | str]:
        return [a for a in self.office.get("holidays_added", []) if added_day(a) != day]
