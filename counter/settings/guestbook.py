"""The Buku tamu tab: the value lists the kiosk's guest book offers."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shared.i18n import N_, _

LISTS = (
    ("sex", N_("Sex")),
    ("education", N_("Education")),
    ("occupation", N_("Occupation")),
    ("institution_category", N_("Institution category")),
    ("purpose", N_("Purpose of use")),
)
SAVED = {"lists": N_("The guest-book list")}


class GuestBookTab:
    """Build and fill the guest-book lists tab (a mixin of the settings page)."""

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
        save.clicked.connect(
            lambda: self._setting("lists", "lists", self.typed_lists(self.office.get("lists", {})))
        )
        layout.addWidget(save, 0, Qt.AlignmentFlag.AlignLeft)
        return page

    def _show_lists(self, office: dict[str, Any]) -> None:
        self._follow(
            "lists",
            office["lists"],
            lambda _v: self._show_list(),
            lambda: self.typed_lists(self._shown["lists"]),
        )

    def typed_lists(self, lists: dict[str, list[str]]) -> dict[str, list[str]]:
        """``lists`` with the chosen list as typed: one value a line, empty lines left out."""
        key = self.list_choice.currentData()
        values = [v.strip() for v in self.list_values.toPlainText().splitlines() if v.strip()]
        return {**lists, key: values}

    def _show_list(self) -> None:
        key = self.list_choice.currentData()
        self.list_values.setPlainText("\n".join(self.office.get("lists", {}).get(key, [])))
