"""The Pengaturan page: the office's settings for the administrator, without a terminal.

Every change is one core operation (``save_service``, ``save_counter``,
``save_officer``, ``save_setting``) run by the window's worker with the administrator as
actor, so it is one event with who and when; other PCs see it at their next poll. A
refused value is shown beside its field.

:class:`SettingsView` only puts the tabs together: each tab is a mixin in its own
module of this package (it builds its widgets on the page, where the window and the
tests find them, e.g. ``view.rule_edits``), on the plumbing of
:class:`~counter.settings.form.SettingsForm`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from counter.settings import (
    complaints,
    counters,
    form,
    guestbook,
    hours,
    office,
    officers,
    rules,
    services,
    setting_rows,
)
from shared.i18n import N_, _


class SettingsView(
    services.ServicesTab,
    counters.CountersTab,
    officers.OfficersTab,
    hours.HoursTab,
    complaints.ComplaintsTab,
    guestbook.GuestBookTab,
    rules.RulesTab,
    office.OfficeTab,
    setting_rows.SettingRows,
    form.SettingsForm,
    QWidget,
):
    """Emit ``change_requested(name, change)``; the window runs it and reports back."""

    change_requested = Signal(str, object)
    # A change refused on this page before it was sent: the sentence beside the field.
    change_refused = Signal(str)
    # What a save confirmation names, by the change's name on this page.
    SAVED_WHAT: ClassVar[dict[str, str]] = {
        **services.SAVED,
        **counters.SAVED,
        **officers.SAVED,
        **hours.SAVED,
        **complaints.SAVED,
        **guestbook.SAVED,
        **rules.SAVED,
        **office.SAVED,
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("settingsView")
        self._init_form()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.status = QLabel("")
        self.status.setObjectName("settingsStatus")
        # Always there, one line high: the tabs below never move when it speaks.
        self.status.setMinimumHeight(self.status.fontMetrics().lineSpacing() + 4)
        layout.addWidget(self.status)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("settingsTabs")
        layout.addWidget(self.tabs, 1)
        self.tabs.addTab(self._services_tab(), _(N_("Services")))
        self.tabs.addTab(self._counters_tab(), _(N_("Counters")))
        self.tabs.addTab(self._officers_tab(), _(N_("Officers")))
        self.tabs.addTab(self._hours_tab(), _(N_("Hours and holidays")))
        self.tabs.addTab(self._texts_tab(), _(N_("Running text and complaints")))
        self.tabs.addTab(self._lists_tab(), _(N_("Guest book")))
        self.tabs.addTab(self._rules_tab(), _(N_("Queue rules")))
        self.tabs.addTab(self._office_tab(), _(N_("Office")))

    def show_data(
        self, administration: dict[str, Any], office: dict[str, Any], today: str, now: int
    ) -> None:
        """Show what the database holds; fields being edited keep what was typed."""
        first = not self.office
        self.data = administration
        self.office = office
        self._show_services(administration["services"])
        self._show_counters(administration, first)
        self._show_officers(administration["officers"], now)
        self._show_hours_and_holidays(office, today, first)
        self._show_texts(office)
        self._show_lists(office)
        self._show_setting_rows(self.rule_edits, office)
        self._show_setting_rows(self.office_edits, office)
