"""The Pengaturan page: the office's settings for the administrator, without a terminal.

Services, counters, officers (never deleted: deactivated, so history keeps their name),
opening hours, holidays (the national list of the ``holidays`` package with cuti
bersama, plus the office's own days), running text, complaint channels with a live QR
preview, guest-book lists and the queue rules. Every change is one core operation
(``save_service``, ``save_counter``, ``save_officer``, ``save_setting``) run by the
window's worker with the administrator as actor, so it is one event with who and when;
other PCs see it at their next poll. A refused value is shown beside its field.

Turning typed text into values is this page's job; :func:`check_setting` is the one
place where a value is checked before it is sent (the core checks it again).
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable
from typing import Any

import qrcode
from PySide6.QtCore import QDate, QRegularExpression, Qt, QTime, Signal
from PySide6.QtGui import QImage, QPixmap, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from counter import texts
from counter.widgets import table
from shared import servicehours, settings
from shared.channels import CHANNEL_KINDS, channel_link
from shared.errors import ValidationError
from shared.i18n import N_, Msg, _
from shared.reporting.period import WEEKDAYS

# A change: (operations, acting administrator's id) → result. Run by the window's worker.
Change = Callable[[Any, int | None], Any]


def _schema(key: str, hint: str | None = None) -> tuple[str, str, str]:
    """A field labelled as the settings schema labels it; ``hint`` replaces its hint."""
    setting = settings.SCHEMA[key]
    return key, setting.label, setting.hint if hint is None else hint


# The setting rows of a tab: (key, label, hint) — msgids. The field follows the setting's
# kind in the schema: a whole number, a percentage (``fraction``), a check box
# (``boolean``) or a text.
RULES = (
    ("recall_limit", N_("Recall limit (calls again before “not present”)"), ""),
    ("no_show_grace_minutes", N_("Minutes a visitor marked not present may come back"), ""),
    ("regular_per_priority", N_("Regular calls between two priority calls (0 = at once)"), ""),
    (
        "priority_max_streak",
        N_("Most priority calls in a row while others wait (0 = no limit)"),
        "",
    ),
    ("retention_days", N_("Days guest-book records are kept before anonymising"), ""),
    # The target of the Rencana page's counter plan.
    _schema("plan_wait_minutes"),
    _schema("plan_level", N_("A percentage from {minimum} to {maximum}, e.g. 90 %.")),
)
OFFICE_FIELDS = (
    ("office_name", N_("Office name (on tickets and reports)"), ""),
    ("office_unit", N_("Unit (on reports)"), ""),
    _schema("office_code"),
    ("office_address", N_("Address"), ""),
    ("office_website", N_("Website"), ""),
    # pst-web: tickets' QR codes open the ticket's page on a visitor's phone.
    ("status_page_url", N_("Status page address for visitors' phones"), ""),
    ("status_page_wifi", N_("Office Wi-Fi for visitors"), ""),
    # Publishing to the province's central database (docs/province.md).
    _schema("central_url"),
    _schema(
        "publish_after_close",
        N_(
            "A counter console publishes once the service day is closed, with the password"
            " from its own PC's password file (pgpass.conf)."
        ),
    ),
)
LISTS = (
    ("sex", N_("Sex")),
    ("education", N_("Education")),
    ("occupation", N_("Occupation")),
    ("institution_category", N_("Institution category")),
    ("purpose", N_("Purpose of use")),
)
ROLES = ("officer", "supervisor", "admin")
# What a save confirmation names, by the change's name on this page.
SAVED_WHAT = {
    "service": N_("The service"),
    "counter": N_("The counter"),
    "officer": N_("The officer"),
    "hours": N_("Opening hours"),
    "holidays": N_("The days off"),
    "running_text": N_("The running text"),
    "complaint_channels": N_("The complaint channels"),
    "lists": N_("The guest-book list"),
    **{key: N_("The queue rules") for key, _label, _hint in RULES},
    "plan_wait_minutes": N_("The counter plan"),
    "plan_level": N_("The counter plan"),
    **{key: N_("The office details") for key, _label, _hint in OFFICE_FIELDS},
    "central_url": N_("The central database settings"),
    "publish_after_close": N_("The central database settings"),
}


def check_setting(key: str, value: Any) -> None:
    """Check a setting's value before it is sent; raise :class:`ValidationError`.

    The one place the page checks values: first what a form says best (the weekday by
    name, an empty name, a list value written twice), then the core's settings schema —
    the same sentence ``pst-admin setting set`` gives; the store checks it again.
    """
    if key == "hours":
        servicehours.check_hours(value, key)
    elif key in ("office_name", "office_unit") and not value.strip():
        raise ValidationError(key, N_("This name is printed on tickets and reports: write it."))
    elif key == "running_text" and not value.strip():
        raise ValidationError(key, N_("Write the text the waiting-room display runs."))
    elif key == "complaint_channels":
        for channel in value:
            if not channel["label"]:
                raise ValidationError(key, N_("Every complaint channel needs a name."))
            if channel["kind"] not in CHANNEL_KINDS:
                raise ValidationError(
                    key, N_("Unknown kind of channel {kind}."), kind=channel["kind"]
                )
    elif key == "lists":
        for values in value.values():
            if not values:
                raise ValidationError(key, N_("A guest-book list needs at least one value."))
            if len(set(values)) != len(values):
                raise ValidationError(key, N_("A value appears twice in the list."))
    elif settings.SCHEMA[key].kind == "fraction":
        setting = settings.SCHEMA[key]
        if not setting.minimum / 100 <= value <= setting.maximum / 100:
            raise ValidationError(
                key,
                N_("{label}: give a percentage from {minimum} to {maximum}, e.g. 90 %."),
                label=Msg(setting.label),
                minimum=setting.minimum,
                maximum=setting.maximum,
            )
    settings.check(key, value)


def typed_percent(text: str) -> float | None:
    """Read a percentage as people type it (``90``, ``90 %``, ``87,5%``) as a fraction.

    Returns None when the text is no number.
    """
    raw = text.strip().removesuffix("%").strip().replace(",", ".")
    try:
        number = float(raw)
    except ValueError:
        return None
    return round(number / 100, 4) if math.isfinite(number) else None


def shown_percent(fraction: float) -> str:
    """Show a fraction as a percentage: ``0.9`` as ``90 %``, ``0.875`` as ``87,5 %``."""
    return f"{round(fraction * 100, 2):g} %".replace(".", ",")


def typed_time(text: str) -> str:
    """Read a time as people type it (``16:00``, ``16.00``, ``1600``, ``930``, ``16``).

    Returns ``HH:MM``, or the text as typed when it is no time at all: the check of the
    setting then says what is wrong, and what was typed stays in the field.
    """
    raw = text.strip()
    digits = raw.replace(":", "").replace(".", "")
    if not digits.isdigit() or len(digits) > 4:
        return raw
    if ":" in raw or "." in raw:
        hour, _sep, minute = raw.replace(".", ":").partition(":")
    elif len(digits) <= 2:
        hour, minute = digits, "00"
    else:
        hour, minute = digits[:-2], digits[-2:]
    if not (hour.isdigit() and minute.isdigit() and len(minute) == 2 and len(hour) <= 2):
        return raw
    return f"{int(hour):02d}:{minute}"


class TimeField(QLineEdit):
    """A time of day typed as ``HH:MM``; whatever is typed replaces what was there.

    Clicking or tabbing in selects the whole time, so typing ``16:00`` gives 16:00
    wherever the click landed (a QTimeEdit typed into its minutes instead). Leaving the
    field shows the time as understood (``1600`` becomes ``16:00``).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaxLength(5)
        self.setPlaceholderText("HH:MM")
        self.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9:.]{0,5}")))
        self.setFixedWidth(self.fontMetrics().horizontalAdvance("00:00") + 28)
        self.editingFinished.connect(self._on_editing_finished)

    def setTime(self, value: QTime) -> None:
        self.setText(value.toString("HH:mm"))

    def time(self) -> QTime:
        """The time in the field (invalid when the text is no time)."""
        return QTime.fromString(typed_time(self.text()), "HH:mm")

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        # The click that brings the focus selects the whole time once it is over (tabbing
        # in already selects it); a second click places the cursor as usual.
        self._select_on_release = event.reason() == Qt.FocusReason.MouseFocusReason

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if getattr(self, "_select_on_release", False):
            self._select_on_release = False
            self.selectAll()

    def _on_editing_finished(self) -> None:
        understood = typed_time(self.text())
        if understood != self.text() and QTime.fromString(understood, "HH:mm").isValid():
            self.setText(understood)


def _error_label(name: str) -> QLabel:
    label = QLabel("")
    label.setObjectName(f"error_{name}")
    label.setProperty("role", "fieldError")
    label.setStyleSheet("color: #C62828; font-weight: bold;")
    label.setWordWrap(True)
    label.hide()
    return label


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    keep = table.currentRow()
    table.blockSignals(True)
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.blockSignals(False)
    if 0 <= keep < len(rows):
        table.selectRow(keep)


def _yes(flag: Any) -> str:
    return _(N_("yes")) if flag else _(N_("no"))


class SettingsView(QWidget):
    """Emit ``change_requested(name, change)``; the window runs it and reports back."""

    change_requested = Signal(str, object)
    # A change refused on this page before it was sent: the sentence beside the field.
    change_refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsView")
        self.errors: dict[str, QLabel] = {}
        self.saved_buttons: dict[str, QPushButton] = {}
        self.data: dict[str, Any] = {"services": [], "counters": [], "officers": []}
        self.office: dict[str, Any] = {}
        # Setting values as last shown: a field still showing them follows other PCs'
        # changes; a field someone is editing keeps what they typed.
        self._shown: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel("")
        self.status.setObjectName("settingsStatus")
        # Always there, one line high: the tabs below never move when it speaks.
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() + 4)
        layout.addWidget(self.status)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._services_tab(), _(N_("Services")))
        self.tabs.addTab(self._counters_tab(), _(N_("Counters")))
        self.tabs.addTab(self._officers_tab(), _(N_("Officers")))
        self.tabs.addTab(self._hours_tab(), _(N_("Hours and holidays")))
        self.tabs.addTab(self._texts_tab(), _(N_("Running text and complaints")))
        self.tabs.addTab(self._lists_tab(), _(N_("Guest book")))
        self.tabs.addTab(self._rules_tab(), _(N_("Queue rules")))
        self.tabs.addTab(self._office_tab(), _(N_("Office")))

    # -- plumbing ---------------------------------------------------------------------------

    def _error(self, name: str) -> QLabel:
        label = _error_label(name)
        self.errors[name] = label
        return label

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _request(self, name: str, change: Change) -> None:
        self.errors[name].hide()
        self._say(_(N_("Saving…")))
        self.change_requested.emit(name, change)

    def _refuse(self, name: str, message: str) -> None:
        self.show_error(name, message)
        self.change_refused.emit(message)

    def show_error(self, name: str, message: str) -> None:
        """Show a refused change's sentence beside its field; what was typed stays."""
        label = self.errors.get(name)
        if label is not None:
            label.setText(message)
            label.show()
        self._say("")

    def show_saved(self, name: str, time: str) -> str:
        """Confirm a saved change, naming what and when; return the sentence.

        The time makes a second save of the same thing a new, visible confirmation.
        """
        label = self.errors.get(name)
        if label is not None:
            label.hide()
        what = _(SAVED_WHAT.get(name, N_("The change")))
        text = _(
            N_("{what} saved at {time}. Other PCs show the change within a few seconds."),
            what=what,
            time=time,
        )
        self._say(text)
        return text

    def _setting(self, name: str, key: str, value: Any) -> None:
        try:
            check_setting(key, value)
        except ValidationError as exc:
            self._refuse(name, exc.message)
            return
        self._request(name, lambda ops, actor: ops.save_setting(key, value, actor=actor))

    # -- services -----------------------------------------------------------------------------

    def _services_tab(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        self.services_table = table(
            "settingsServices",
            (
                N_("Code"),
                N_("Name"),
                N_("Name in English"),
                N_("Target (min)"),
                N_("Order"),
                N_("Active"),
            ),
        )
        self.services_table.itemSelectionChanged.connect(self._on_service_selected)
        layout.addWidget(self.services_table, 5)
        form_box = QWidget()
        form = QFormLayout(form_box)
        self.service_code = QLineEdit()
        self.service_code.setObjectName("serviceCode")
        self.service_code.setMaxLength(5)
        self.service_name_id = QLineEdit()
        self.service_name_id.setObjectName("serviceNameId")
        self.service_name_en = QLineEdit()
        self.service_name_en.setObjectName("serviceNameEn")
        self.service_target = QSpinBox()
        self.service_target.setObjectName("serviceTarget")
        self.service_target.setRange(1, 240)
        self.service_target.setValue(10)
        self.service_order = QSpinBox()
        self.service_order.setObjectName("serviceOrder")
        self.service_order.setRange(0, 99)
        self.service_own_hours = QCheckBox(
            _(N_("Own hours, the same on every day the office opens"))
        )
        self.service_own_hours.setObjectName("serviceOwnHours")
        self.service_opens = TimeField()
        self.service_opens.setObjectName("serviceOpens")
        self.service_closes = TimeField()
        self.service_closes.setObjectName("serviceCloses")
        for edit in (self.service_opens, self.service_closes):
            edit.setEnabled(False)
        self.service_own_hours.toggled.connect(self.service_opens.setEnabled)
        self.service_own_hours.toggled.connect(self.service_closes.setEnabled)
        own_hours = QHBoxLayout()
        own_hours.addWidget(self.service_opens)
        own_hours.addWidget(QLabel("–"))
        own_hours.addWidget(self.service_closes)
        self.service_active = QCheckBox(_(N_("Active (visitors can take a number)")))
        self.service_active.setObjectName("serviceActive")
        self.service_active.setChecked(True)
        form.addRow(_(N_("Code (ticket prefix)")), self.service_code)
        form.addRow(_(N_("Name")), self.service_name_id)
        form.addRow(_(N_("Name in English")), self.service_name_en)
        form.addRow(_(N_("Target (min)")), self.service_target)
        form.addRow(_(N_("Order")), self.service_order)
        form.addRow(self.service_own_hours)
        form.addRow(_(N_("Hours")), own_hours)
        form.addRow(self.service_active)
        form.addRow("", self._error("service"))
        buttons = QHBoxLayout()
        new = QPushButton(_(N_("New service")))
        new.setObjectName("serviceNew")
        new.clicked.connect(self._new_service)
        save = QPushButton(_(N_("Save service")))
        save.setObjectName("serviceSave")
        save.clicked.connect(self._save_service)
        buttons.addWidget(new)
        buttons.addWidget(save)
        form.addRow(buttons)
        self.saved_buttons["service"] = save
        form_box.setMaximumWidth(460)
        layout.addWidget(form_box, 3)
        return page

    def _on_service_selected(self) -> None:
        row = self.services_table.currentRow()
        if not 0 <= row < len(self.data["services"]):
            return
        s = self.data["services"][row]
        self.service_code.setText(s["code"])
        self.service_code.setReadOnly(True)
        self.service_name_id.setText(s["name_id"])
        self.service_name_en.setText(s["name_en"])
        self.service_target.setValue(s["target_minutes"])
        self.service_order.setValue(s["sort_order"])
        self.service_active.setChecked(bool(s["active"]))
        own = json.loads(s["hours"]) if s.get("hours") else {}
        slot = next((v for v in own.values() if v), None)
        self.service_own_hours.setChecked(slot is not None)
        first, last = slot or ("08:00", "12:00")
        self.service_opens.setTime(QTime.fromString(first, "HH:mm"))
        self.service_closes.setTime(QTime.fromString(last, "HH:mm"))
        self.errors["service"].hide()

    def _new_service(self) -> None:
        self.services_table.clearSelection()
        self.service_code.setReadOnly(False)
        for edit in (self.service_code, self.service_name_id, self.service_name_en):
            edit.clear()
        self.service_target.setValue(10)
        self.service_order.setValue(len(self.data["services"]))
        self.service_active.setChecked(True)
        self.service_own_hours.setChecked(False)
        self.service_code.setFocus()

    def _save_service(self) -> None:
        code = self.service_code.text()
        values = {
            "name_id": self.service_name_id.text(),
            "name_en": self.service_name_en.text() or None,
            "target_minutes": self.service_target.value(),
            "active": self.service_active.isChecked(),
            "sort_order": self.service_order.value(),
            "hours": self.service_hours(),
        }
        self._request("service", lambda ops, actor: ops.save_service(code, **values, actor=actor))

    def service_hours(self) -> dict[str, Any]:
        """The service's own hours on the office's open days, or {} to follow the office."""
        if not self.service_own_hours.isChecked():
            return {}
        slot = [typed_time(self.service_opens.text()), typed_time(self.service_closes.text())]
        office = self.office.get("hours", {})
        return {str(day): (list(slot) if office.get(str(day)) else None) for day in range(7)}

    # -- counters -----------------------------------------------------------------------------

    def _counters_tab(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        self.counters_table = table(
            "settingsCounters", (N_("Counter"), N_("Services"), N_("Active"))
        )
        self.counters_table.itemSelectionChanged.connect(self._on_counter_selected)
        layout.addWidget(self.counters_table, 5)
        form_box = QWidget()
        form = QFormLayout(form_box)
        self.counter_name = QLineEdit()
        self.counter_name.setObjectName("counterName")
        self.counter_services = QListWidget()
        self.counter_services.setObjectName("counterServices")
        self.counter_active = QCheckBox(_(N_("Active")))
        self.counter_active.setObjectName("counterActive")
        self.counter_active.setChecked(True)
        form.addRow(_(N_("Name")), self.counter_name)
        form.addRow(_(N_("Services it calls")), self.counter_services)
        form.addRow(self.counter_active)
        form.addRow("", self._error("counter"))
        buttons = QHBoxLayout()
        new = QPushButton(_(N_("New counter")))
        new.setObjectName("counterNew")
        new.clicked.connect(self._new_counter)
        save = QPushButton(_(N_("Save counter")))
        save.setObjectName("counterSave")
        save.clicked.connect(self._save_counter)
        buttons.addWidget(new)
        buttons.addWidget(save)
        form.addRow(buttons)
        form_box.setMaximumWidth(460)
        layout.addWidget(form_box, 2)
        self._counter_id: int | None = None
        return page

    def _set_counter_services(self, chosen: list[str]) -> None:
        self.counter_services.clear()
        for s in self.data["services"]:
            item = QListWidgetItem(f"{s['code']} · {s['name_id']}")
            item.setData(Qt.ItemDataRole.UserRole, s["code"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = s["code"] in chosen
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.counter_services.addItem(item)

    def _on_counter_selected(self) -> None:
        row = self.counters_table.currentRow()
        if not 0 <= row < len(self.data["counters"]):
            return
        c = self.data["counters"][row]
        self._counter_id = c["id"]
        self.counter_name.setText(c["name"])
        self._set_counter_services(c["services"])
        self.counter_active.setChecked(bool(c["active"]))
        self.errors["counter"].hide()

    def _new_counter(self) -> None:
        self.counters_table.clearSelection()
        self._counter_id = None
        self.counter_name.clear()
        self._set_counter_services([])
        self.counter_active.setChecked(True)
        self.counter_name.setFocus()

    def chosen_counter_services(self) -> list[str]:
        out = []
        for i in range(self.counter_services.count()):
            item = self.counter_services.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def _save_counter(self) -> None:
        name, counter_id = self.counter_name.text(), self._counter_id
        services, active = self.chosen_counter_services(), self.counter_active.isChecked()
        self._request(
            "counter",
            lambda ops, actor: ops.save_counter(
                name, counter_id=counter_id, services=services, active=active, actor=actor
            ),
        )

    # -- officers -----------------------------------------------------------------------------

    def _officers_tab(self) -> QWidget:
        page = QWidget()
        layout = QHBoxLayout(page)
        self.officers_table = table(
            "settingsOfficers",
            (N_("User name"), N_("Full name"), N_("Role"), N_("Active"), N_("Locked")),
        )
        self.officers_table.itemSelectionChanged.connect(self._on_officer_selected)
        layout.addWidget(self.officers_table, 5)
        form_box = QWidget()
        form = QFormLayout(form_box)
        self.officer_username = QLineEdit()
        self.officer_username.setObjectName("officerUsername")
        self.officer_full_name = QLineEdit()
        self.officer_full_name.setObjectName("officerFullName")
        self.officer_role = QComboBox()
        self.officer_role.setObjectName("officerRole")
        for role in ROLES:
            self.officer_role.addItem(texts.role(role), role)
        self.officer_pin = QLineEdit()
        self.officer_pin.setObjectName("officerPin")
        self.officer_pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.officer_pin.setPlaceholderText(_(N_("empty: keep the PIN")))
        self.officer_active = QCheckBox(_(N_("Active (may log in)")))
        self.officer_active.setObjectName("officerActive")
        self.officer_active.setChecked(True)
        form.addRow(_(N_("User name")), self.officer_username)
        form.addRow(_(N_("Full name")), self.officer_full_name)
        form.addRow(_(N_("Role")), self.officer_role)
        form.addRow(_(N_("New PIN")), self.officer_pin)
        form.addRow(self.officer_active)
        hint = QLabel(
            _(
                N_(
                    "Officers are never deleted: clear “Active” so they can no longer log in;"
                    " reports keep their name. A new PIN also unlocks a locked officer."
                )
            )
        )
        hint.setWordWrap(True)
        hint.setProperty("role", "caption")
        form.addRow(hint)
        form.addRow("", self._error("officer"))
        buttons = QHBoxLayout()
        new = QPushButton(_(N_("New officer")))
        new.setObjectName("officerNew")
        new.clicked.connect(self._new_officer)
        save = QPushButton(_(N_("Save officer")))
        save.setObjectName("officerSave")
        save.clicked.connect(self._save_officer)
        buttons.addWidget(new)
        buttons.addWidget(save)
        form.addRow(buttons)
        form_box.setMaximumWidth(460)
        layout.addWidget(form_box, 2)
        return page

    def _on_officer_selected(self) -> None:
        row = self.officers_table.currentRow()
        if not 0 <= row < len(self.data["officers"]):
            return
        o = self.data["officers"][row]
        self.officer_username.setText(o["username"])
        self.officer_username.setReadOnly(True)
        self.officer_full_name.setText(o["full_name"])
        self.officer_role.setCurrentIndex(max(0, self.officer_role.findData(o["role"])))
        self.officer_pin.clear()
        self.officer_active.setChecked(bool(o["active"]))
        self.errors["officer"].hide()

    def _new_officer(self) -> None:
        self.officers_table.clearSelection()
        self.officer_username.setReadOnly(False)
        for edit in (self.officer_username, self.officer_full_name, self.officer_pin):
            edit.clear()
        self.officer_role.setCurrentIndex(0)
        self.officer_active.setChecked(True)
        self.officer_username.setFocus()

    def _save_officer(self) -> None:
        username = self.officer_username.text()
        pin = self.officer_pin.text() or None
        if pin is not None and not (pin.isdigit() and 4 <= len(pin) <= 8):
            self._refuse("officer", _(N_("A PIN is 4 to 8 digits.")))
            return
        values = {
            "full_name": self.officer_full_name.text() or None,
            "role": self.officer_role.currentData(),
            "pin": pin,
            "active": self.officer_active.isChecked(),
        }
        self.officer_pin.clear()
        self._request(
            "officer", lambda ops, actor: ops.save_officer(username, **values, actor=actor)
        )

    # -- hours and holidays -----------------------------------------------------------------

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
        save.clicked.connect(self._save_hours)
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

    def _save_hours(self) -> None:
        hours = {}
        for day, (open_box, start, end) in enumerate(self.hours_rows):
            hours[str(day)] = (
                [typed_time(start.text()), typed_time(end.text())] if open_box.isChecked() else None
            )
        self._setting("hours", "hours", hours)

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
            day = added.get("date") if isinstance(added, dict) else added
            name = added.get("name", "") if isinstance(added, dict) else ""
            if str(day).startswith(str(year)):
                rows.append({"date": day, "name": name, "source": "office", "closed": True})
        return sorted(rows, key=lambda r: r["date"])

    def _show_holidays(self) -> None:
        self._holidays = self.holidays_of_year()
        _fill(
            self.holidays_table,
            [
                [
                    r["date"],
                    r["name"],
                    _(N_("national")) if r["source"] == "national" else _(N_("this office")),
                    _yes(r["closed"]),
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
            added = [
                a
                for a in self.office.get("holidays_added", [])
                if (a.get("date") if isinstance(a, dict) else a) != chosen["date"]
            ]
            self._setting("holidays", "holidays_added", added)
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
        added = [
            a
            for a in self.office.get("holidays_added", [])
            if (a.get("date") if isinstance(a, dict) else a) != day
        ]
        added.append({"date": day, "name": name})
        self._setting(
            "holidays",
            "holidays_added",
            sorted(added, key=lambda a: a["date"] if isinstance(a, dict) else a),
        )

    # -- running text and complaint channels ---------------------------------------------------

    def _texts_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(_(N_("Running text on the waiting-room display"))))
        self.running_text = QPlainTextEdit()
        self.running_text.setObjectName("runningText")
        self.running_text.setMaximumHeight(90)
        layout.addWidget(self.running_text)
        layout.addWidget(self._error("running_text"))
        save = QPushButton(_(N_("Save running text")))
        save.setObjectName("runningTextSave")
        save.clicked.connect(
            lambda: self._setting(
                "running_text", "running_text", self.running_text.toPlainText().strip()
            )
        )
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignLeft)

        layout.addWidget(QLabel(_(N_("Complaint channels (shown on the kiosk with a QR code)"))))
        row = QHBoxLayout()
        self.channels_table = QTableWidget(0, 3)
        self.channels_table.setObjectName("channelsTable")
        self.channels_table.setHorizontalHeaderLabels(
            [_(N_("Kind")), _(N_("Name")), _(N_("Address or number"))]
        )
        self.channels_table.verticalHeader().setVisible(False)
        self.channels_table.horizontalHeader().setStretchLastSection(True)
        self.channels_table.setColumnWidth(0, 170)
        self.channels_table.setColumnWidth(1, 260)
        self.channels_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.channels_table.itemChanged.connect(lambda _i: self._preview_channel())
        self.channels_table.itemSelectionChanged.connect(self._preview_channel)
        row.addWidget(self.channels_table, 3)
        preview = QVBoxLayout()
        self.channel_qr = QLabel()
        self.channel_qr.setObjectName("channelQr")
        self.channel_qr.setFixedSize(170, 170)
        self.channel_qr.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.channel_link = QLabel("")
        self.channel_link.setObjectName("channelLink")
        self.channel_link.setWordWrap(True)
        self.channel_link.setMaximumWidth(220)
        preview.addWidget(self.channel_qr)
        preview.addWidget(self.channel_link)
        preview.addStretch(1)
        row.addLayout(preview, 1)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        add = QPushButton(_(N_("Add channel")))
        add.setObjectName("channelAdd")
        add.clicked.connect(self._add_channel)
        remove = QPushButton(_(N_("Remove channel")))
        remove.setObjectName("channelRemove")
        remove.clicked.connect(
            lambda: self.channels_table.removeRow(self.channels_table.currentRow())
        )
        save = QPushButton(_(N_("Save complaint channels")))
        save.setObjectName("channelsSave")
        save.clicked.connect(self._save_channels)
        for b in (add, remove, save):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self._error("complaint_channels"))
        return page

    def _channel_row(self, r: int, channel: dict[str, Any]) -> None:
        kind = QComboBox()
        for key, label in CHANNEL_KINDS.items():
            kind.addItem(_(label), key)
        kind.setCurrentIndex(max(0, kind.findData(channel.get("kind", "web"))))
        kind.currentIndexChanged.connect(lambda _i: self._preview_channel())
        self.channels_table.setCellWidget(r, 0, kind)
        self.channels_table.setItem(r, 1, QTableWidgetItem(channel.get("label", "")))
        self.channels_table.setItem(r, 2, QTableWidgetItem(channel.get("target", "")))

    def _show_channels(self, channels: list[dict[str, Any]]) -> None:
        self.channels_table.blockSignals(True)
        self.channels_table.setRowCount(len(channels))
        for r, channel in enumerate(channels):
            self._channel_row(r, channel)
        self.channels_table.blockSignals(False)
        self._preview_channel()

    def _add_channel(self) -> None:
        r = self.channels_table.rowCount()
        self.channels_table.insertRow(r)
        self._channel_row(r, {"kind": "web", "label": "", "target": ""})
        self.channels_table.selectRow(r)

    def channels(self) -> list[dict[str, str]]:
        out = []
        for r in range(self.channels_table.rowCount()):
            kind = self.channels_table.cellWidget(r, 0)
            label = self.channels_table.item(r, 1)
            target = self.channels_table.item(r, 2)
            out.append(
                {
                    "kind": kind.currentData() if kind else "web",
                    "label": (label.text() if label else "").strip(),
                    "target": (target.text() if target else "").strip(),
                }
            )
        return out

    def _preview_channel(self) -> None:
        row = max(0, self.channels_table.currentRow())
        channels = self.channels()
        link = channel_link(channels[row]) if row < len(channels) else ""
        self.channel_link.setText(link or _(N_("No link: this channel has no QR code.")))
        if link:
            self.channel_qr.setPixmap(_qr_pixmap(link, 160))
        else:
            self.channel_qr.setPixmap(QPixmap())

    def _save_channels(self) -> None:
        self._setting("complaint_channels", "complaint_channels", self.channels())

    # -- guest-book lists ---------------------------------------------------------------------

    def _lists_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        top = QHBoxLayout()
        top.addWidget(QLabel(_(N_("List"))))
        self.list_choice = QComboBox()
        self.list_choice.setObjectName("listChoice")
        for key, label in LISTS:
            self.list_choice.addItem(_(label), key)
        self.list_choice.currentIndexChanged.connect(lambda _i: self._show_list())
        top.addWidget(self.list_choice)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(QLabel(_(N_("One value a line, in the order the kiosk shows them."))))
        self.list_values = QPlainTextEdit()
        self.list_values.setObjectName("listValues")
        layout.addWidget(self.list_values, 1)
        layout.addWidget(self._error("lists"))
        save = QPushButton(_(N_("Save list")))
        save.setObjectName("listSave")
        save.clicked.connect(self._save_list)
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _show_list(self) -> None:
        key = self.list_choice.currentData()
        self.list_values.setPlainText("\n".join(self.office.get("lists", {}).get(key, [])))

    def _save_list(self) -> None:
        key = self.list_choice.currentData()
        values = [v.strip() for v in self.list_values.toPlainText().splitlines() if v.strip()]
        lists = {**self.office.get("lists", {}), key: values}
        self._setting("lists", "lists", lists)

    # -- queue rules, the counter plan and the office ---------------------------------------------

    def _rules_tab(self) -> QWidget:
        self.rule_edits: dict[str, QLineEdit] = {}
        page = self._setting_rows(RULES, self.rule_edits, "rule", "ruleSave")
        page.layout().setColumnStretch(3, 1)
        for edit in self.rule_edits.values():
            edit.setMaximumWidth(120)
        return page

    def _office_tab(self) -> QWidget:
        self.office_edits: dict[str, QLineEdit | QCheckBox] = {}
        page = self._setting_rows(OFFICE_FIELDS, self.office_edits, "office", "officeSave")
        page.layout().setColumnStretch(1, 1)
        return page

    def _setting_rows(
        self, fields: tuple[tuple[str, str, str], ...], edits: dict, name: str, save_name: str
    ) -> QWidget:
        """Lay out one row per setting: label, field, its own Save, hint and error below."""
        page = QWidget()
        grid = QGridLayout(page)
        row = 0
        for key, label, hint in fields:
            setting = settings.SCHEMA[key]
            if setting.kind == "boolean":
                edit = QCheckBox(_(label))
                grid.addWidget(edit, row, 0, 1, 2)
            else:
                edit = QLineEdit()
                grid.addWidget(QLabel(_(label)), row, 0)
                grid.addWidget(edit, row, 1)
            edit.setObjectName(f"{name}_{key}")
            save = QPushButton(_(N_("Save")))
            save.setObjectName(f"{save_name}_{key}")
            save.clicked.connect(lambda _c=False, k=key: self._save_field(k, edits[k]))
            grid.addWidget(save, row, 2)
            if hint:
                row += 1
                caption = QLabel(
                    _(hint, minimum=setting.minimum, maximum=setting.maximum)
                    if setting.kind == "fraction"
                    else _(hint)
                )
                caption.setWordWrap(True)
                caption.setProperty("role", "caption")
                grid.addWidget(caption, row, 0, 1, 3)
            grid.addWidget(self._error(key), row + 1, 0, 1, 3)
            edits[key] = edit
            row += 2
        grid.setRowStretch(row, 1)
        return page

    def _save_field(self, key: str, edit: QLineEdit | QCheckBox) -> None:
        kind = settings.SCHEMA[key].kind
        if isinstance(edit, QCheckBox):
            self._setting(key, key, edit.isChecked())
            return
        text = edit.text().strip()
        if kind == "integer":
            try:
                value: Any = int(text)
            except ValueError:
                self._refuse(key, _(N_("Write a whole number, e.g. 3.")))
                return
        elif kind == "fraction":
            value = typed_percent(text)
            if value is None:
                self._refuse(key, _(N_("Write a percentage, e.g. 90 %.")))
                return
        else:
            value = text
        self._setting(key, key, value)

    def _show_field(self, key: str, value: Any) -> None:
        """Show a setting's value in its field, as the office reads it."""
        edit = self.rule_edits.get(key) or self.office_edits[key]
        kind = settings.SCHEMA[key].kind
        if isinstance(edit, QCheckBox):
            edit.setChecked(bool(value))
        elif kind == "fraction":
            edit.setText(shown_percent(value))
        else:
            edit.setText(str(value))

    def _field_of(self, key: str) -> Any:
        """What a setting's field holds, comparable with the value it last showed."""
        edit = self.rule_edits.get(key) or self.office_edits[key]
        kind = settings.SCHEMA[key].kind
        if isinstance(edit, QCheckBox):
            return edit.isChecked()
        if kind == "fraction":
            value = typed_percent(edit.text())
            return edit.text() if value is None else value
        if kind == "integer":
            text = edit.text().strip()
            return int(text) if text.lstrip("-").isdigit() else text
        return edit.text()

    # -- showing the database ---------------------------------------------------------------------

    def show_data(
        self, administration: dict[str, Any], office: dict[str, Any], today: str, now: int
    ) -> None:
        """Show what the database holds; fields being edited keep what was typed."""
        first = not self.office
        self.data = administration
        self.office = office
        _fill(
            self.services_table,
            [
                [
                    s["code"],
                    s["name_id"],
                    s["name_en"],
                    str(s["target_minutes"]),
                    str(s["sort_order"]),
                    _yes(s["active"]),
                ]
                for s in administration["services"]
            ],
        )
        names = {s["code"]: s["code"] for s in administration["services"]}
        _fill(
            self.counters_table,
            [
                [c["name"], ", ".join(names.get(x, x) for x in c["services"]), _yes(c["active"])]
                for c in administration["counters"]
            ],
        )
        _fill(
            self.officers_table,
            [
                [
                    o["username"],
                    o["full_name"],
                    texts.role(o["role"]),
                    _yes(o["active"]),
                    _yes((o["locked_until"] or 0) > now),
                ]
                for o in administration["officers"]
            ],
        )
        if first:
            year = int(today[:4])
            self.holiday_year.setValue(year)
            self.holiday_date.setDate(QDate.fromString(today, "yyyy-MM-dd"))
            self._set_counter_services([])
        self._show_holidays()
        self._follow("hours", office["hours"], self._show_hours)
        self._follow("running_text", office["running_text"], self.running_text.setPlainText)
        self._follow("complaint_channels", office["complaint_channels"], self._show_channels)
        self._follow("lists", office["lists"], lambda _v: self._show_list())
        for key, _label, _hint in RULES + OFFICE_FIELDS:
            self._follow(key, office[key], lambda v, k=key: self._show_field(k, v))

    def _follow(self, key: str, value: Any, show: Callable[[Any], None]) -> None:
        # A field that holds the stored value (it was just saved) follows again.
        if key not in self._shown or self._field_value(key) in (self._shown[key], value):
            show(value)
            self._shown[key] = value

    def _field_value(self, key: str) -> Any:
        if key == "hours":
            return {
                str(d): ([typed_time(s.text()), typed_time(e.text())] if o.isChecked() else None)
                for d, (o, s, e) in enumerate(self.hours_rows)
            }
        if key == "running_text":
            return self.running_text.toPlainText()
        if key == "complaint_channels":
            return self.channels()
        if key == "lists":
            choice = self.list_choice.currentData()
            values = [v.strip() for v in self.list_values.toPlainText().splitlines() if v.strip()]
            return {**self._shown["lists"], choice: values}
        return self._field_of(key)

    def _show_hours(self, hours: dict[str, Any]) -> None:
        for day, (open_box, start, end) in enumerate(self.hours_rows):
            slot = hours.get(str(day))
            open_box.setChecked(bool(slot))
            start.setEnabled(bool(slot))
            end.setEnabled(bool(slot))
            first, last = slot if slot else ("08:00", "15:30")
            start.setTime(QTime.fromString(first, "HH:mm"))
            end.setTime(QTime.fromString(last, "HH:mm"))


def _qr_pixmap(payload: str, side: int) -> QPixmap:
    code = qrcode.QRCode(border=2, box_size=8, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    image = QImage.fromData(buffer.getvalue(), "PNG")
    return QPixmap.fromImage(image).scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )
