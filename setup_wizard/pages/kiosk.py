"""The kiosk's page: the receipt printer, the paper width and a test print."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from setup_wizard import devices, install
from setup_wizard.pages.base import Background, Page, failure, set_level, status_label
from shared import i18n
from shared.errors import ConfigError
from shared.i18n import N_, _
from shared.install.config import Config


class KioskPage(Page):
    """The receipt printer: where it is, the paper width, and a test print."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.background = Background(self)
        self.kinds = QButtonGroup(self)
        self.kind: dict[str, QRadioButton] = {}
        for kind in ("usb", "network", "windows", "none"):
            button = QRadioButton()
            button.setObjectName(f"printer_{kind}")
            self.kinds.addButton(button)
            self.kind[kind] = button
            button.toggled.connect(self._on_changed)
        self.usb = QComboBox()
        self.usb.setObjectName("usb_printer")
        self.usb.setEditable(True)
        self.usb.currentTextChanged.connect(self._on_changed)
        self.search = QPushButton()
        self.search.setObjectName("search_usb")
        self.search.clicked.connect(self.find_printers)
        self.host = QLineEdit()
        self.host.setObjectName("printer_host")
        self.host.setPlaceholderText("192.168.1.50")
        self.host.textChanged.connect(self._on_changed)
        self.port = QSpinBox()
        self.port.setObjectName("printer_port")
        self.port.setRange(1, 65535)
        self.port.setValue(9100)
        self.port.valueChanged.connect(self._on_changed)
        self.windows = QComboBox()
        self.windows.setObjectName("windows_printer")
        self.windows.currentIndexChanged.connect(self._on_changed)
        self.paper = QButtonGroup(self)
        self.paper_buttons = {58: QRadioButton("58 mm"), 80: QRadioButton("80 mm")}
        for width, button in self.paper_buttons.items():
            button.setObjectName(f"paper_{width}")
            self.paper.addButton(button, width)
        self.paper_label = QLabel()
        self.test = QPushButton()
        self.test.setObjectName("test_print")
        self.test.clicked.connect(self._on_test_clicked)
        self.status = status_label("printer_status")

        usb_row = QHBoxLayout()
        usb_row.addWidget(self.usb, 1)
        usb_row.addWidget(self.search)
        network_row = QHBoxLayout()
        network_row.addWidget(self.host, 1)
        network_row.addWidget(QLabel(":"))
        network_row.addWidget(self.port)
        form = QFormLayout()
        form.addRow(self.kind["usb"], usb_row)
        form.addRow(self.kind["network"], network_row)
        form.addRow(self.kind["windows"], self.windows)
        form.addRow(self.kind["none"], QWidget())
        paper_row = QHBoxLayout()
        paper_row.addWidget(self.paper_label)
        for button in self.paper_buttons.values():
            paper_row.addWidget(button)
        paper_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addLayout(paper_row)
        layout.addSpacing(8)
        layout.addWidget(self.test, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._load(config)

    def _load(self, config: Config) -> None:
        self.windows_found = devices.windows_printers()
        for found in self.windows_found:
            self.windows.addItem(found.label, found.spec)
        if not self.windows_found:
            # Not Windows, or no printer installed there: nothing to choose from.
            self.kind["windows"].setEnabled(False)
            self.windows.setEnabled(False)
        self.find_printers()
        spec = config.kiosk.printer
        kind = spec.partition(":")[0]
        if kind == "usb":
            self.usb.setCurrentText(spec)
            self.kind["usb"].setChecked(True)
        elif kind == "network":
            rest = spec.partition(":")[2]
            host, _sep, port = rest.rpartition(":")
            self.host.setText(host if port.isdigit() else rest)
            if port.isdigit():
                self.port.setValue(int(port))
            self.kind["network"].setChecked(True)
        elif kind == "win32" and self.windows.findData(spec) >= 0:
            self.windows.setCurrentIndex(self.windows.findData(spec))
            self.kind["windows"].setChecked(True)
        else:
            self.kind["none"].setChecked(True)
        width = install.paper_width(config.kiosk.printer_profile) or 80
        self.paper_buttons[58 if width == 58 else 80].setChecked(True)

    def find_printers(self) -> None:
        """List the USB printers on this PC again (keeps what was typed)."""
        typed = self.usb.currentText()
        self.usb.clear()
        for found in devices.usb_printers():
            self.usb.addItem(found.label, found.spec)
        self.usb.setCurrentText(typed)

    def printer_spec(self) -> str:
        """The printer as the configuration writes it (may be invalid; see :meth:`problem`)."""
        if self.kind["usb"].isChecked():
            text = self.usb.currentText().strip()
            index = self.usb.findText(text)
            if index >= 0 and self.usb.itemData(index):
                return str(self.usb.itemData(index))
            text = text.split()[0] if text.split() else ""
            return text if text.startswith("usb:") else f"usb:{text}"
        if self.kind["network"].isChecked():
            return f"network:{self.host.text().strip()}:{self.port.value()}"
        if self.kind["windows"].isChecked():
            return str(self.windows.currentData() or "win32:")
        return "none"

    def paper_mm(self) -> int:
        return self.paper.checkedId() if self.paper.checkedId() in (58, 80) else 80

    def problem(self) -> str:
        """The sentence that says why the printer cannot be used as given ('' if fine)."""
        from shared.devices.printing import parse_printer_spec

        try:
            parse_printer_spec(self.printer_spec())
        except ConfigError as exc:
            return exc.message
        return ""

    def isComplete(self) -> bool:
        return not self.problem()

    def nextId(self) -> int:
        return self.setup().after_role_pages()

    def _on_changed(self) -> None:
        problem = self.problem()
        set_level(self.status, "error" if problem else "", problem)
        self.test.setEnabled(not problem and not self.kind["none"].isChecked())
        self.completeChanged.emit()

    def _on_test_clicked(self) -> None:
        spec, paper = self.printer_spec(), self.paper_mm()
        language = i18n.language()
        self.test.setEnabled(False)
        set_level(self.status, "", _("Printing a test ticket…"))

        def done(_result: Any, error: BaseException | None) -> None:
            self.test.setEnabled(True)
            sentence = failure(error, "test print", N_("The test print failed: {error}"))
            if sentence is not None:
                set_level(self.status, "error", sentence)
            else:
                set_level(
                    self.status,
                    "ok",
                    _("The test ticket was sent. Check that it came out whole and readable."),
                )

        self.background.run(lambda: print_test_ticket(spec, paper, language), done)

    def retranslate(self) -> None:
        self.setTitle(_("The ticket printer"))
        self.setSubTitle(_("Where the kiosk prints the queue numbers."))
        self.kind["usb"].setText(_("USB printer"))
        self.kind["network"].setText(_("Network printer (address : port)"))
        self.kind["windows"].setText(_("Windows printer"))
        self.kind["none"].setText(_("No printer (numbers only on the screen)"))
        self.search.setText(_("Search again"))
        self.usb.lineEdit().setPlaceholderText(_("none found: type VID:PID, e.g. 04b8:0e15"))
        self.paper_label.setText(_("Paper width:"))
        self.test.setText(_("Print a test ticket"))
        self._on_changed()


def sample_slip(spec: str, paper_mm: int, language: str):
    """Return the slip of a test print: it says it is a test, the printer and the paper."""
    from shared.devices.printing import TicketSlip
    from shared.i18n import translate

    return TicketSlip(
        office_name="Antrian PST",
        office_unit=translate(N_("Printer test"), language),
        number="TES-001",
        service_name=translate(N_("Paper width {width} mm"), language, width=paper_mm),
        issued_at=spec,
        code="TEST0001",
        language=language,
    )


def print_test_ticket(spec: str, paper_mm: int, language: str) -> bytes:
    """Print the test slip on the printer of ``spec``; return the bytes sent."""
    from shared.devices.printing import TicketPrinter

    printer = TicketPrinter(spec, install.PAPER_PROFILES[paper_mm])
    return printer.print_slip(sample_slip(spec, paper_mm, language))
