"""The Petugas tab: officers, their role and PIN; never deleted, only deactivated."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QWidget

from counter import texts
from counter.settings.fields import caption, fill, record_tab, yes
from counter.widgets import table
from shared.i18n import N_, _

ROLES = ("officer", "supervisor", "admin")
SAVED = {"officer": N_("The officer")}


class OfficersTab:
    """Build and fill the officers tab on the settings page (a mixin of the page)."""

    def _officers_tab(self) -> QWidget:
        self.officers_table = table(
            "settingsOfficers",
            (N_("User name"), N_("Full name"), N_("Role"), N_("Active"), N_("Locked")),
        )
        self.officers_table.itemSelectionChanged.connect(self._on_officer_selected)
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
        hint = caption(
            _(
                N_(
                    "Officers are never deleted: clear “Active” so they can no longer log in;"
                    " reports keep their name. A new PIN also unlocks a locked officer."
                )
            )
        )
        page, _save = record_tab(
            self.officers_table,
            [
                (_(N_("User name")), self.officer_username),
                (_(N_("Full name")), self.officer_full_name),
                (_(N_("Role")), self.officer_role),
                (_(N_("New PIN")), self.officer_pin),
                (self.officer_active,),
                (hint,),
                ("", self._error("officer")),
            ],
            new=(N_("New officer"), "officerNew", self._new_officer),
            save=(N_("Save officer"), "officerSave", self._save_officer),
            form_stretch=2,
        )
        return page

    def _show_officers(self, officers: list[dict[str, Any]], now: int) -> None:
        fill(
            self.officers_table,
            [
                [
                    o["username"],
                    o["full_name"],
                    texts.role(o["role"]),
                    yes(o["active"]),
                    yes((o["locked_until"] or 0) > now),
                ]
                for o in officers
            ],
        )

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
