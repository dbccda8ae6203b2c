"""What every Pengaturan tab does with a change: check it, send it, answer beside the field.

:class:`SettingsForm` is the part of the page the tabs build on: the red sentence
beside each field (``errors``), the status line, sending a change to the window's
worker (``change_requested``) and following other PCs' changes in fields nobody is
editing (:meth:`SettingsForm._follow`). :func:`check_setting` is the one place where a
value is checked before it is sent (the core checks it again).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLabel, QPushButton

from counter.settings.fields import error_label
from shared.errors import ValidationError
from shared.i18n import N_, Msg, _
from shared.office import servicehours, settings
from shared.office.channels import CHANNEL_KINDS

# A change: (operations, acting administrator's id) → result. Run by the window's worker.
Change = Callable[[Any, int | None], Any]


def check_setting(key: str, value: Any) -> None:
    """Check a setting's value before it is sent; raise :class:`ValidationError`.

    The one place the page checks values: first what a form says best (the weekday by
    name, an empty name, a list value written twice, a percentage), then the core's
    settings schema — the same sentence ``pst-admin setting set`` gives; the store checks
    it again.
    """
    if key == "hours":
        servicehours.check_hours(value, key)
    elif key in ("office_name", "office_unit") and not value.strip():
        raise ValidationError(key, N_("This name is printed on tickets and reports: write it."))
    elif key == "running_text" and not value.strip():
        raise ValidationError(key, N_("Write the text the waiting-room display runs."))
    elif key == "complaint_channels":
        for channel in value:
            if not channel["label"]:
                raise ValidationError(key, N_("Every complaint channel needs a name."))
            if channel["kind"] not in CHANNEL_KINDS:
                raise ValidationError(
                    key, N_("Unknown kind of channel {kind}."), kind=channel["kind"]
                )
    elif key == "lists":
        for values in value.values():
            if not values:
                raise ValidationError(key, N_("A guest-book list needs at least one value."))
            if len(set(values)) != len(values):
                raise ValidationError(key, N_("A value appears twice in the list."))
    elif settings.SCHEMA[key].kind == "fraction":
        setting = settings.SCHEMA[key]
        if not setting.minimum / 100 <= value <= setting.maximum / 100:
            raise ValidationError(
                key,
                N_("{label}: give a percentage from {minimum} to {maximum}, e.g. 90 %."),
                label=Msg(setting.label),
                minimum=setting.minimum,
                maximum=setting.maximum,
            )
    settings.check(key, value)


class SettingsForm:
    """The plumbing of the settings page, shared by its tabs (a mixin of the page).

    The page provides ``status`` (the status line), ``change_requested`` and
    ``change_refused`` (its signals) and ``SAVED_WHAT`` (what a confirmation names, by
    the change's name).
    """

    def _init_form(self) -> None:
        self.errors: dict[str, QLabel] = {}
        self.saved_buttons: dict[str, QPushButton] = {}
        self.data: dict[str, Any] = {"services": [], "counters": [], "officers": []}
        self.office: dict[str, Any] = {}
        # Setting values as last shown: a field still showing them follows other PCs'
        # changes; a field someone is editing keeps what they typed.
        self._shown: dict[str, Any] = {}

    def _error(self, name: str) -> QLabel:
        label = error_label(name)
        self.errors[name] = label
        return label

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def _request(self, name: str, change: Change) -> None:
        self.errors[name].hide()
        self._say(_(N_("Saving…")))
        self.change_requested.emit(name, change)

    def _refuse(self, name: str, message: str) -> None:
        self.show_error(name, message)
        self.change_refused.emit(message)

    def show_error(self, name: str, message: str) -> None:
        """Show a refused change's sentence beside its field; what was typed stays."""
        label = self.errors.get(name)
        if label is not None:
            label.setText(message)
            label.show()
        self._say("")

    def show_saved(self, name: str, time: str) -> str:
        """Confirm a saved change, naming what and when; return the sentence.

        The time makes a second save of the same thing a new, visible confirmation.
        """
        label = self.errors.get(name)
        if label is not None:
            label.hide()
        what = _(self.SAVED_WHAT.get(name, N_("The change")))
        text = _(
            N_("{what} saved at {time}. Other PCs show the change within a few seconds."),
            what=what,
            time=time,
        )
        self._say(text)
        return text

    def _setting(self, name: str, key: str, value: Any) -> None:
        """Check setting ``key``'s new value and send it; ``name`` is where errors show."""
        try:
            check_setting(key, value)
        except ValidationError as exc:
            self._refuse(name, exc.message)
            return
        self._request(name, lambda ops, actor: ops.save_setting(key, value, actor=actor))

    def _follow(
        self, key: str, value: Any, show: Callable[[Any], None], field: Callable[[], Any]
    ) -> None:
        """Show setting ``key``'s stored ``value`` unless its field is being edited.

        ``field`` reads what the field holds, comparable with the value: a field that
        still holds what was last shown, or the stored value (it was just saved), follows.
        """
        if key not in self._shown or field() in (self._shown[key], value):
            show(value)
            self._shown[key] = value
