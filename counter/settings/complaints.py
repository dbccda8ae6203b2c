"""The Teks berjalan dan pengaduan tab: the display's running text and the complaint
channels the kiosk shows, each with a live preview of its QR code."""

from __future__ import annotations

import io
from typing import Any

import qrcode
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shared.i18n import N_, _
from shared.office.channels import CHANNEL_KINDS, channel_link

SAVED = {
    "running_text": N_("The running text"),
    "complaint_channels": N_("The complaint channels"),
}


class ComplaintsTab:
    """Build and fill the running text and complaints tab (a mixin of the settings page)."""

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
        save.clicked.connect(
            lambda: self._setting("complaint_channels", "complaint_channels", self.channels())
        )
        for b in (add, remove, save):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self._error("complaint_channels"))
        return page

    def _show_texts(self, office: dict[str, Any]) -> None:
        self._follow(
            "running_text",
            office["running_text"],
            self.running_text.setPlainText,
            self.running_text.toPlainText,
        )
        self._follow(
            "complaint_channels", office["complaint_channels"], self._show_channels, self.channels
        )

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
        """The complaint channels as the table shows them, in its order."""
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
            self.channel_qr.setPixmap(qr_pixmap(link, 160))
        else:
            self.channel_qr.setPixmap(QPixmap())


def qr_pixmap(payload: str, side: int) -> QPixmap:
    """Draw ``payload`` as a QR code ``side`` pixels square."""
    code = qrcode.QRCode(border=2, box_size=8, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    buffer = io.BytesIO()
    code.make_image().save(buffer, format="PNG")
    image = QImage.fromData(buffer.getvalue(), "PNG")
    return QPixmap.fromImage(image).scaled(
        side, side, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )
