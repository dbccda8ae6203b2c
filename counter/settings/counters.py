"""The Loket tab: the counters and the services each one calls."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLineEdit, QListWidget, QListWidgetItem, QWidget

from counter.settings.fields import fill, record_tab, yes
from counter.widgets import table
from shared.i18n import N_, _

SAVED = {"counter": N_("The counter")}


class CountersTab:
    """Build and fill the counters tab on the settings page (a mixin of the page)."""

    def _counters_tab(self) -> QWidget:
        self.counters_table = table(
            "settingsCounters", (N_("Counter"), N_("Services"), N_("Active"))
        )
        self.counters_table.itemSelectionChanged.connect(self._on_counter_selected)
        self.counter_name = QLineEdit()
        self.counter_name.setObjectName("counterName")
        self.counter_services = QListWidget()
        self.counter_services.setObjectName("counterServices")
        self.counter_active = QCheckBox(_(N_("Active")))
        self.counter_active.setObjectName("counterActive")
        self.counter_active.setChecked(True)
        page, _save = record_tab(
            self.counters_table,
            [
                (_(N_("Name")), self.counter_name),
                (_(N_("Services it calls")), self.counter_services),
                (self.counter_active,),
                ("", self._error("counter")),
            ],
            new=(N_("New counter"), "counterNew", self._new_counter),
            save=(N_("Save counter"), "counterSave", self._save_counter),
            form_stretch=2,
        )
        self._counter_id: int | None = None
        return page

    def _show_counters(self, administration: dict[str, Any], first: bool) -> None:
        names = {s["code"]: s["code"] for s in administration["services"]}
        fill(
            self.counters_table,
            [
                [c["name"], ", ".join(names.get(x, x) for x in c["services"]), yes(c["active"])]
                for c in administration["counters"]
            ],
        )
        if first:
            self._set_counter_services([])

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
        """The codes of the services checked in the counter's form."""
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
