"""The Layanan tab: the services visitors take a number for, with their own hours."""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import QTime
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QWidget

from counter.settings.fields import TimeField, fill, record_tab, typed_time, yes
from counter.widgets import table
from shared.i18n import N_, _

SAVED = {"service": N_("The service")}


class ServicesTab:
    """Build and fill the services tab on the settings page (a mixin of the page)."""

    def _services_tab(self) -> QWidget:
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
        page, save = record_tab(
            self.services_table,
            [
                (_(N_("Code (ticket prefix)")), self.service_code),
                (_(N_("Name")), self.service_name_id),
                (_(N_("Name in English")), self.service_name_en),
                (_(N_("Target (min)")), self.service_target),
                (_(N_("Order")), self.service_order),
                (self.service_own_hours,),
                (_(N_("Hours")), own_hours),
                (self.service_active,),
                ("", self._error("service")),
            ],
            new=(N_("New service"), "serviceNew", self._new_service),
            save=(N_("Save service"), "serviceSave", self._save_service),
            form_stretch=3,
        )
        self.saved_buttons["service"] = save
        return page

    def _show_services(self, services: list[dict[str, Any]]) -> None:
        fill(
            self.services_table,
            [
                [
                    s["code"],
                    s["name_id"],
                    s["name_en"],
                    str(s["target_minutes"]),
                    str(s["sort_order"]),
                    yes(s["active"]),
                ]
                for s in services
            ],
        )

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
