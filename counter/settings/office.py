"""The Kantor tab: the office's name and details, its BPS code and the central database.

Publishing to the province's central database (``docs/province.md``) takes the office
code, the central database's address (never with its password: the core refuses one)
and whether a counter console publishes once the day has closed.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from counter.settings.setting_rows import Field, Row, schema_row
from shared.i18n import N_

OFFICE_FIELDS: tuple[Row, ...] = (
    ("office_name", N_("Office name (on tickets and reports)"), ""),
    ("office_unit", N_("Unit (on reports)"), ""),
    schema_row("office_code"),
    ("office_address", N_("Address"), ""),
    ("office_website", N_("Website"), ""),
    # pst-web: tickets' QR codes open the ticket's page on a visitor's phone.
    ("status_page_url", N_("Status page address for visitors' phones"), ""),
    ("status_page_wifi", N_("Office Wi-Fi for visitors"), ""),
    schema_row("central_url"),
    schema_row(
        "publish_after_close",
        N_(
            "A counter console publishes once the service day is closed, with the password"
            " from its own PC's password file (pgpass.conf)."
        ),
    ),
)
SAVED = {
    **{key: N_("The office details") for key, _label, _hint in OFFICE_FIELDS},
    "central_url": N_("The central database settings"),
    "publish_after_close": N_("The central database settings"),
}


class OfficeTab:
    """Build the office tab (a mixin of the settings page, on :class:`SettingRows`)."""

    def _office_tab(self) -> QWidget:
        self.office_edits: dict[str, Field] = {}
        page = self._setting_rows(OFFICE_FIELDS, self.office_edits, "office", "officeSave")
        page.layout().setColumnStretch(1, 1)
        return page
