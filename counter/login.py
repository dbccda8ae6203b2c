"""The login page: who is at the desk, their PIN, and which counter this PC is."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from counter import texts
from counter.snapshot import Snapshot
from shared.i18n import N_, _

SUPERVISION_ONLY = 0


class LoginView(QWidget):
    """Emit ``login_requested(username, pin, counter_id)``; 0 means no counter."""

    login_requested = Signal(str, str, int)

    def __init__(self, office_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("loginView")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        card = QFrame()
        card.setObjectName("loginCard")
        card.setFixedWidth(520)
        outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        layout = QVBoxLayout(card)
        layout.setSpacing(14)
        title = QLabel(_(N_("Counter console")))
        title.setObjectName("loginTitle")
        layout.addWidget(title)
        office = QLabel(office_name)
        office.setObjectName("loginOffice")
        office.setWordWrap(True)
        layout.addWidget(office)
        form = QFormLayout()
        form.setSpacing(10)
        self.officer_combo = QComboBox()
        self.officer_combo.setObjectName("officerCombo")
        form.addRow(_(N_("Officer")), self.officer_combo)
        self.pin_edit = QLineEdit()
        self.pin_edit.setObjectName("pinEdit")
        self.pin_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin_edit.setMaxLength(12)
        self.pin_edit.setValidator(QRegularExpressionValidator(r"[0-9]{0,12}"))
        self.pin_edit.setPlaceholderText(_(N_("4 to 12 digits")))
        form.addRow(_(N_("PIN")), self.pin_edit)
        self.counter_combo = QComboBox()
        self.counter_combo.setObjectName("counterCombo")
        form.addRow(_(N_("Counter")), self.counter_combo)
        layout.addLayout(form)
        self.message = QLabel("")
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.login_button = QPushButton(_(N_("Log in  (Enter)")))
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        layout.addWidget(self.login_button)
        self.details = QLabel("")
        self.details.setObjectName("loginDetails")
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.details)
        self.login_button.clicked.connect(self._on_login_clicked)
        self.pin_edit.returnPressed.connect(self._on_login_clicked)
        self._remembered_officer = ""
        self._remembered_counter = 0

    def remember(self, username: str, counter_id: int) -> None:
        """Preselect the officer and counter this PC used last time."""
        self._remembered_officer = username
        self._remembered_counter = counter_id

    def show_snapshot(self, snapshot: Snapshot) -> None:
        """Fill the lists, keeping what the person has already chosen."""
        chosen_officer = self.officer_combo.currentData() or self._remembered_officer
        chosen_counter = self.counter_combo.currentData()
        if chosen_counter is None:
            chosen_counter = self._remembered_counter
        officers = [
            (o["username"], f"{o['full_name']} ({texts.role(o['role'])})")
            for o in snapshot.officers
        ]
        counters = [(c["id"], c["name"]) for c in snapshot.counters]
        self._fill(self.officer_combo, officers, chosen_officer)
        counter_items = [*counters, (SUPERVISION_ONLY, _(N_("No counter (supervision only)")))]
        self._fill(self.counter_combo, counter_items, chosen_counter)

    @staticmethod
    def _fill(combo: QComboBox, items: list[tuple[object, str]], chosen: object) -> None:
        current = [(combo.itemData(i), combo.itemText(i)) for i in range(combo.count())]
        if current != items:
            combo.blockSignals(True)
            combo.clear()
            for data, text in items:
                combo.addItem(text, data)
            combo.blockSignals(False)
        index = combo.findData(chosen)
        if index >= 0:
            combo.setCurrentIndex(index)

    def set_details(self, database: str, log: str) -> None:
        """Show IT where this PC's database and log file are."""
        self.details.setText(
            _(N_("Database: {path}"), path=database) + "\n" + _(N_("Log file: {path}"), path=log)
        )

    def set_message(self, text: str, *, error: bool = True) -> None:
        self.message.setText(text)
        # The card is centred at its own size: ask for the lines a long sentence needs.
        width = self.message.contentsRect().width() or self.message.width()
        self.message.setMinimumHeight(self.message.heightForWidth(width) if text else 0)
        self.message.setProperty("error", error)
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)

    def set_waiting(self, waiting: bool) -> None:
        self.login_button.setEnabled(not waiting)
        if waiting:
            self.set_message(_(N_("Checking the PIN…")), error=False)

    def reset(self) -> None:
        self.pin_edit.clear()
        self.set_message("")
        self.pin_edit.setFocus()

    def _on_login_clicked(self) -> None:
        username = self.officer_combo.currentData()
        if not username:
            self.set_message(_(N_("Choose an officer.")))
            return
        pin = self.pin_edit.text()
        if not pin:
            self.set_message(_(N_("Type your PIN.")))
            return
        counter = self.counter_combo.currentData()
        self.login_requested.emit(username, pin, int(counter or 0))
