"""Rows of single office settings, each with its own Save: the queue rules and office tabs.

A tab lists its settings as ``(key, label, hint)`` msgids; the field follows the
setting's kind in the core's schema (``shared.office.settings.SCHEMA``): a whole number, a
percentage for a ``fraction`` (``90 %`` is stored as 0.9), a check box for a
``boolean``, else a line of text. The hint, when there is one, is shown under the row.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from counter.settings.fields import caption, shown_percent, typed_percent
from shared.i18n import N_, _
from shared.office import settings

# One row: (setting key, label msgid, hint msgid or "").
Row = tuple[str, str, str]
Field = QLineEdit | QCheckBox


def schema_row(key: str, hint: str | None = None) -> Row:
    """A row labelled as the settings schema labels the setting; ``hint`` replaces its hint."""
    setting = settings.SCHEMA[key]
    return key, setting.label, setting.hint if hint is None else hint


class SettingRows:
    """Build, save and fill rows of single settings (a mixin of the settings page)."""

    def _setting_rows(
        self, rows: tuple[Row, ...], edits: dict[str, Field], name: str, save_name: str
    ) -> QWidget:
        """Lay out one row per setting: label, field, its own Save, hint and error below.

        The fields land in ``edits`` by key, named ``{name}_{key}``; the buttons are named
        ``{save_name}_{key}``.
        """
        page = QWidget()
        grid = QGridLayout(page)
        row = 0
        for key, label, hint in rows:
            setting = settings.SCHEMA[key]
            if setting.kind == "boolean":
                edit: Field = QCheckBox(_(label))
                grid.addWidget(edit, row, 0, 1, 2)
            else:
                edit = QLineEdit()
                grid.addWidget(QLabel(_(label)), row, 0)
                grid.addWidget(edit, row, 1)
            edit.setObjectName(f"{name}_{key}")
            save = QPushButton(_(N_("Save")))
            save.setObjectName(f"{save_name}_{key}")
            save.clicked.connect(lambda _c=False, k=key: self._save_field(k, edits[k]))
            grid.addWidget(save, row, 2)
            if hint:
                row += 1
                text = (
                    _(hint, minimum=setting.minimum, maximum=setting.maximum)
                    if setting.kind == "fraction"
                    else _(hint)
                )
                grid.addWidget(caption(text), row, 0, 1, 3)
            grid.addWidget(self._error(key), row + 1, 0, 1, 3)
            edits[key] = edit
            row += 2
        grid.setRowStretch(row, 1)
        return page

    def _show_setting_rows(self, edits: dict[str, Field], office: dict[str, Any]) -> None:
        for key, edit in edits.items():
            self._follow(
                key,
                office[key],
                lambda value, k=key, e=edit: show_field(e, k, value),
                lambda k=key, e=edit: field_value(e, k),
            )

    def _save_field(self, key: str, edit: Field) -> None:
        kind = settings.SCHEMA[key].kind
        if isinstance(edit, QCheckBox):
            self._setting(key, key, edit.isChecked())
            return
        text = edit.text().strip()
        if kind == "integer":
            try:
                value: Any = int(text)
            except ValueError:
                self._refuse(key, _(N_("Write a whole number, e.g. 3.")))
                return
        elif kind == "fraction":
            value = typed_percent(text)
            if value is None:
                self._refuse(key, _(N_("Write a percentage, e.g. 90 %.")))
                return
        else:
            value = text
        self._setting(key, key, value)


def show_field(edit: Field, key: str, value: Any) -> None:
    """Show setting ``key``'s value in its field, as the office reads it."""
    if isinstance(edit, QCheckBox):
        edit.setChecked(bool(value))
    elif settings.SCHEMA[key].kind == "fraction":
        edit.setText(shown_percent(value))
    else:
        edit.setText(str(value))


def field_value(edit: Field, key: str) -> Any:
    """What setting ``key``'s field holds, comparable with the value it last showed."""
    kind = settings.SCHEMA[key].kind
    if isinstance(edit, QCheckBox):
        return edit.isChecked()
    if kind == "fraction":
        value = typed_percent(edit.text())
        return edit.text() if value is None else value
    if kind == "integer":
        text = edit.text().strip()
        return int(text) if text.lstrip("-").isdigit() else text
    return edit.text()
