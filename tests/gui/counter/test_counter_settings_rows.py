"""The rows of single settings, driven alone on a bare widget: typed text becomes the
setting's value, a wrong value is refused beside its field and nothing is sent."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from counter.settings.form import SettingsForm
from counter.settings.setting_rows import SettingRows, schema_row
from shared.office import settings


class Rows(SettingRows, SettingsForm, QWidget):
    change_requested = Signal(str, object)
    change_refused = Signal(str)
    SAVED_WHAT: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        super().__init__()
        self._init_form()
        self.status = QLabel(self)
        self.edits: dict = {}
        self.page = self._setting_rows(
            (
                schema_row("plan_level", ""),
                schema_row("publish_after_close"),
                schema_row("recall_limit"),
            ),
            self.edits,
            "row",
            "rowSave",
        )
        self.page.setParent(self)


def test_rows_send_the_settings_value_and_refuse_a_wrong_one(qtbot, ops, store):
    rows = Rows()
    qtbot.addWidget(rows)
    rows._show_setting_rows(rows.edits, store.read(settings.get_all))
    assert rows.edits["plan_level"].text() == "90 %"
    sent, refused = [], []
    rows.change_requested.connect(lambda name, change: sent.append((name, change)))
    rows.change_refused.connect(refused.append)

    rows.edits["plan_level"].setText("75,5 %")
    qtbot.mouseClick(rows.findChild(QPushButton, "rowSave_plan_level"), Qt.MouseButton.LeftButton)
    rows.edits["publish_after_close"].setChecked(True)
    qtbot.mouseClick(
        rows.findChild(QPushButton, "rowSave_publish_after_close"), Qt.MouseButton.LeftButton
    )
    assert [name for name, _change in sent] == ["plan_level", "publish_after_close"]
    for _name, change in sent:
        change(ops, None)
    assert store.read(lambda c: settings.get(c, "plan_level")) == 0.755
    assert store.read(lambda c: settings.get(c, "publish_after_close")) is True

    rows.edits["recall_limit"].setText("tiga")
    qtbot.mouseClick(rows.findChild(QPushButton, "rowSave_recall_limit"), Qt.MouseButton.LeftButton)
    assert refused == ["Tulis bilangan bulat, mis. 3."]
    assert rows.errors["recall_limit"].text() == refused[0]
    assert len(sent) == 2 and rows.edits["recall_limit"].text() == "tiga"
