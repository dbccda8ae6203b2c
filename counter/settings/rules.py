"""The Aturan antrean tab: recalls, no-shows, priority, retention and the counter plan."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit, QWidget

from counter.settings.setting_rows import Row, schema_row
from shared.i18n import N_

RULES: tuple[Row, ...] = (
    ("recall_limit", N_("Recall limit (calls again before “not present”)"), ""),
    ("no_show_grace_minutes", N_("Minutes a visitor marked not present may come back"), ""),
    ("regular_per_priority", N_("Regular calls between two priority calls (0 = at once)"), ""),
    (
        "priority_max_streak",
        N_("Most priority calls in a row while others wait (0 = no limit)"),
        "",
    ),
    ("retention_days", N_("Days guest-book records are kept before anonymising"), ""),
    # The target of the Rencana page's counter plan.
    schema_row("plan_wait_minutes"),
    schema_row("plan_level", N_("A percentage from {minimum} to {maximum}, e.g. 90 %.")),
)
SAVED = {
    **{key: N_("The queue rules") for key, _label, _hint in RULES},
    "plan_wait_minutes": N_("The counter plan"),
    "plan_level": N_("The counter plan"),
}


class RulesTab:
    """Build the queue rules tab (a mixin of the settings page, on :class:`SettingRows`)."""

    def _rules_tab(self) -> QWidget:
        self.rule_edits: dict[str, QLineEdit] = {}
        page = self._setting_rows(RULES, self.rule_edits, "rule", "ruleSave")
        page.layout().setColumnStretch(3, 1)
        for edit in self.rule_edits.values():
            edit.setMaximumWidth(120)
        return page
