"""Small window-modal dialogs that ask for what an action needs (a reason, a service).

They are opened with ``open()``, never ``exec()``: the countdowns and the change poller
keep running while an officer types.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from shared.i18n import N_, _


class ReasonDialog(QDialog):
    """Ask for a one-line reason; OK stays disabled until something is written."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reasonDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        label = QLabel(prompt)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.reason_edit = QLineEdit()
        self.reason_edit.setObjectName("reasonEdit")
        self.reason_edit.setMaxLength(200)
        layout.addWidget(self.reason_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_(N_("OK")))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_(N_("Cancel")))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason_edit.textChanged.connect(self._on_text_changed)
        self._on_text_changed("")

    @property
    def reason(self) -> str:
        return self.reason_edit.text().strip()

    def _on_text_changed(self, text: str) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(text.strip()))


class TransferDialog(QDialog):
    """Choose the service a visitor goes on to; the notes travel with the ticket."""

    def __init__(
        self, services: list[tuple[str, str]], notes: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transferDialog")
        self.setWindowTitle(_(N_("Transfer to another service")))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(_(N_("Service"))))
        self.service_combo = QComboBox()
        self.service_combo.setObjectName("serviceCombo")
        for code, name in services:
            self.service_combo.addItem(f"{code} · {name}", code)
        layout.addWidget(self.service_combo)
        layout.addWidget(QLabel(_(N_("Notes for the next officer"))))
        self.notes_edit = QPlainTextEdit(notes)
        self.notes_edit.setObjectName("transferNotes")
        layout.addWidget(self.notes_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_(N_("Transfer")))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_(N_("Cancel")))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(services))

    @property
    def service_code(self) -> str:
        return self.service_combo.currentData()

    @property
    def notes(self) -> str:
        return self.notes_edit.toPlainText()


class ConfirmDialog(QDialog):
    """Ask before an action that is hard to undo; the safe answer is the default."""

    def __init__(self, title: str, text: str, confirm: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("confirmDialog")
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        label = QLabel(text)
        label.setObjectName("confirmText")
        label.setWordWrap(True)
        layout.addWidget(label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(confirm)
        ok.setObjectName("confirmButton")
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_(N_("Cancel")))
        # Enter or a second F6 by habit must not confirm: Cancel is the default.
        ok.setAutoDefault(False)
        cancel.setDefault(True)
        cancel.setFocus()
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)


class TransferDoneDialog(QDialog):
    """Show a transferred visitor's new number large, and offer to print it.

    ``print_requested`` fires when the officer asks for the slip; without a printer at
    this desk the dialog says how the visitor keeps the number instead.
    """

    print_requested = Signal()

    def __init__(
        self,
        old_number: str,
        new_number: str,
        service_name: str,
        *,
        can_print: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("transferDoneDialog")
        self.setWindowTitle(_(N_("Transferred: new number {number}"), number=new_number))
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                N_("{old} now waits for {service} with the new number:"),
                old=old_number,
                service=service_name,
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.number = QLabel(new_number)
        self.number.setObjectName("transferNumber")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.number)
        if can_print:
            hint = _(
                N_("Print the new number for the visitor, or tell them: {number}."),
                number=new_number,
            )
        else:
            hint = _(
                N_(
                    "This desk has no printer: write {number} down for the visitor. The TV"
                    " shows {number} and the counter to go to when it is called."
                ),
                number=new_number,
            )
        self.hint = QLabel(hint)
        self.hint.setObjectName("transferHint")
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)
        self.outcome = QLabel("")
        self.outcome.setObjectName("transferPrintOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        layout.addWidget(self.outcome)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(_(N_("Close")))
        self.print_button = self.buttons.addButton(
            _(N_("Print the new number")), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_button.setObjectName("printNewNumber")
        self.print_button.setVisible(can_print)
        self.print_button.clicked.connect(self.print_requested)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def show_outcome(self, text: str, *, error: bool) -> None:
        """Say how printing went; the button stays for another try."""
        self.outcome.setText(text)
        self.outcome.setProperty("error", error)
        self.outcome.style().unpolish(self.outcome)
        self.outcome.style().polish(self.outcome)
        self.outcome.show()
