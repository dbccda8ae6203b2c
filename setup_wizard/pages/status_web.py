"""The status page's page: where pst-web listens, the port checked, the phones' address."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from setup_wizard.pages.base import SUMMARY_PAGE, Page, help_label, set_level, status_label
from shared.i18n import _
from shared.install.config import Config
from status_page.app import this_pc_addresses


class StatusWebPage(Page):
    """Where pst-web listens, a check that the port is free, and the address for phones."""

    ALL = "0.0.0.0"

    def __init__(self, config: Config) -> None:
        super().__init__()
        section = config.status_page
        self.host = QComboBox()
        self.host.setObjectName("status_host")
        self.host.addItem("", self.ALL)
        self.addresses = this_pc_addresses()
        for address in self.addresses:
            self.host.addItem(address, address)
        self.host.addItem("", "127.0.0.1")
        if self.host.findData(section.host) < 0:
            self.host.addItem(section.host, section.host)
        self.host.setCurrentIndex(self.host.findData(section.host))
        self.port = QSpinBox()
        self.port.setObjectName("status_port")
        self.port.setRange(1, 65535)
        self.port.setValue(section.port)
        self.check = QPushButton()
        self.check.setObjectName("check_port")
        self.check.clicked.connect(self.check_port)
        self.status = status_label("status_port_status")
        self.address = status_label("status_address")
        self.help = help_label("status_help")
        self.host_label = QLabel()
        self.port_label = QLabel()
        form = QFormLayout()
        form.addRow(self.host_label, self.host)
        row = QHBoxLayout()
        row.addWidget(self.port)
        row.addWidget(self.check)
        row.addStretch(1)
        form.addRow(self.port_label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addSpacing(12)
        layout.addWidget(self.address)
        layout.addWidget(self.help)
        layout.addStretch(1)
        self.host.currentIndexChanged.connect(self._show_address)
        self.port.valueChanged.connect(self._show_address)

    def initializePage(self) -> None:
        self.check_port()

    def nextId(self) -> int:
        return SUMMARY_PAGE

    def host_text(self) -> str:
        return str(self.host.currentData() or self.ALL)

    def phone_address(self) -> str:
        """The address phones open (for the Pengaturan page's status page address)."""
        host = self.host_text()
        if host in (self.ALL, "127.0.0.1"):
            host = self.addresses[0] if self.addresses else "ALAMAT-PC-INI"
        return f"http://{host}:{self.port.value()}"

    def check_port(self) -> None:
        """Say whether pst-web could listen on the chosen address and port now."""
        level, text = port_check(self.host_text(), self.port.value())
        set_level(self.status, level, text)
        self._show_address()

    def _show_address(self) -> None:
        self.address.setText(_("Phones open: {address}", address=self.phone_address()))
        self.help.setText(
            _(
                "Put this address in the counter console: Pengaturan → Office → Status page"
                " address. On Windows, allow the port in the firewall once (as administrator):"
                ' netsh advfirewall firewall add rule name="Antrian PST status page"'
                " dir=in action=allow protocol=TCP localport={port} profile=private,domain",
                port=self.port.value(),
            )
        )

    def retranslate(self) -> None:
        self.setTitle(_("The status page for visitors' phones"))
        self.setSubTitle(
            _("pst-web only reads the shared database; phones on the office Wi-Fi open it.")
        )
        self.host_label.setText(_("Listen on:"))
        self.port_label.setText(_("Port:"))
        self.host.setItemText(0, _("All network connections of this PC (recommended)"))
        self.host.setItemText(
            self.host.findData("127.0.0.1"), _("This PC only (127.0.0.1, for a test)")
        )
        self.check.setText(_("Check the port"))
        self._show_address()


def port_check(host: str, port: int) -> tuple[str, str]:
    """Try to listen on ``host``:``port``; return (level, sentence)."""
    import socket
    import urllib.request

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as exc:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                if b"snapshot_reads" in r.read(4096):
                    return "ok", _("The status page already runs on this port.")
        except (OSError, ValueError):
            pass
        return "error", _(
            "Port {port} cannot be used on this address ({error}). Choose another port.",
            port=port,
            error=exc.strerror or exc,
        )
    return "ok", _("Port {port} is free.", port=port)
