"""The Pengaturan page's office code, central database and counter plan fields: each
saved through the core, a wrong value refused beside its field with what was typed kept,
and an address never shown with a password."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPushButton

from counter.settings.fields import shown_percent, typed_percent
from tests.gui.counter.test_counter_settings import click, last_event, open_settings, setting

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")

RULES_TAB, OFFICE_TAB = 6, 7


@pytest.fixture
def admin(ops, office):
    return ops.save_officer("admin", full_name="Admin PST", pin="0000", role="admin")


def save_button(view, name: str) -> QPushButton:
    return view.findChild(QPushButton, name)


def refused(qtbot, view, key: str, button: QPushButton) -> str:
    """Click Save on a value the page refuses before sending; return the sentence shown."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    error = view.errors[key]
    assert not error.isHidden()
    return error.text()


def test_the_office_code_and_the_central_database(qtbot, make_console, store, admin):
    window = make_console()
    view = open_settings(qtbot, window)
    view.tabs.setCurrentIndex(OFFICE_TAB)

    code = view.office_edits["office_code"]
    save_code = save_button(view, "officeSave_office_code")
    code.setText("16 71")
    assert refused(qtbot, view, "office_code", save_code) == (
        "Kode kantor (BPS): berikan kode wilayah BPS empat angka, mis. 1600 (provinsi)"
        " atau 1671 (Kota Palembang)."
    )
    assert code.text() == "16 71" and setting(store, "office_code") == ""
    code.setText("1671")
    click(qtbot, window, save_code)
    assert setting(store, "office_code") == "1671"
    assert last_event(store, "admin_setting")["officer_id"] == admin["id"]
    assert view.errors["office_code"].isHidden()
    assert window.message.text().startswith("Data kantor disimpan pukul")

    url = view.office_edits["central_url"]
    save_url = save_button(view, "officeSave_central_url")
    with_password = "postgresql://pst_publish:rahasia@db.sumsel.example/antrian_pst"
    url.setText(with_password)
    sentence = refused(qtbot, view, "central_url", save_url)
    assert sentence.startswith("Jangan menulis kata sandi di dalam alamat"), sentence
    assert "rahasia" not in sentence and "rahasia" not in window.message.text()
    assert url.text() == with_password and setting(store, "central_url") == ""
    url.setText("http://db.sumsel.example")
    assert "bukan alamat PostgreSQL" in refused(qtbot, view, "central_url", save_url)
    address = "postgresql://pst_publish@db.sumsel.example/antrian_pst?sslmode=require"
    url.setText(address)
    click(qtbot, window, save_url)
    assert setting(store, "central_url") == address
    assert window.message.text().startswith("Pengaturan basis data pusat disimpan pukul")

    publish = view.office_edits["publish_after_close"]
    assert not publish.isChecked()
    publish.setChecked(True)
    click(qtbot, window, save_button(view, "officeSave_publish_after_close"))
    assert setting(store, "publish_after_close") is True
    keys = store.read(
        lambda c: [
            json.loads(r[0])["key"]
            for r in c.execute("SELECT data FROM events WHERE kind = 'admin_setting'")
        ]
    )
    assert keys == ["office_code", "central_url", "publish_after_close"]


def test_an_address_with_a_password_is_never_shown(qtbot, make_console, store, ops, admin):
    # Written by hand past the check: the office reads it as not set, the page shows none.
    stored = json.dumps("postgresql://pst_publish:rahasia@db.sumsel.example/antrian_pst")
    store.write(
        lambda c: c.execute(
            "INSERT INTO settings(key, value) VALUES ('central_url', ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (stored,),
        )
    )
    window = make_console()
    view = open_settings(qtbot, window)
    view.tabs.setCurrentIndex(OFFICE_TAB)
    assert view.office_edits["office_name"].text()  # the office's values are shown
    assert view.office_edits["central_url"].text() == ""
    shown = [w.text() for w in view.findChildren(QLineEdit) + view.findChildren(QLabel)]
    assert not [text for text in shown if "rahasia" in text]


def test_the_counter_plan_is_a_percentage_and_minutes(qtbot, make_console, store, ops, admin):
    window = make_console()
    view = open_settings(qtbot, window)
    view.tabs.setCurrentIndex(RULES_TAB)
    level = view.rule_edits["plan_level"]
    assert level.text() == "90 %"
    save_level = save_button(view, "ruleSave_plan_level")
    level.setText("sembilan puluh")
    assert refused(qtbot, view, "plan_level", save_level) == "Tulis persentase, mis. 90 %."
    level.setText("0,8")  # a fraction typed where a percentage is asked
    assert refused(qtbot, view, "plan_level", save_level) == (
        "Rencana loket: bagian pengunjung yang dipanggil tepat waktu: berikan persentase"
        " dari 50 sampai 99, mis. 90 %."
    )
    assert level.text() == "0,8" and setting(store, "plan_level") == 0.9
    level.setText("80 %")
    click(qtbot, window, save_level)
    assert setting(store, "plan_level") == 0.8
    assert window.message.text().startswith("Rencana loket disimpan pukul")
    qtbot.waitUntil(lambda: level.text() == "80 %", timeout=5000)

    minutes = view.rule_edits["plan_wait_minutes"]
    save_minutes = save_button(view, "ruleSave_plan_wait_minutes")
    assert minutes.text() == "10"
    minutes.setText("121")
    assert refused(qtbot, view, "plan_wait_minutes", save_minutes) == (
        "Rencana loket: menit pengunjung boleh menunggu: berikan bilangan bulat dari 1 sampai 120."
    )
    minutes.setText("15")
    click(qtbot, window, save_minutes)
    assert setting(store, "plan_wait_minutes") == 15

    # Another PC's change shows in a field nobody is typing in.
    ops.save_setting("plan_level", 0.875)
    qtbot.waitUntil(lambda: level.text() == "87,5 %", timeout=5000)


def test_a_percentage_as_people_type_it():
    assert [typed_percent(t) for t in ("90", "90 %", " 87,5% ", "87.5", "x", "", "nan")] == [
        0.9,
        0.9,
        0.875,
        0.875,
        None,
        None,
        None,
    ]
    assert [shown_percent(v) for v in (0.9, 0.875, 0.5, 0.99)] == [
        "90 %",
        "87,5 %",
        "50 %",
        "99 %",
    ]


def test_office_and_rules_screenshots(qtbot, make_console, admin, artifacts):
    window = make_console(machine="admin-pc", size=(1366, 768))
    view = open_settings(qtbot, window)
    view.tabs.setCurrentIndex(OFFICE_TAB)
    view.office_edits["central_url"].setText("postgresql://pst_publish:rahasia@db/antrian_pst")
    qtbot.mouseClick(save_button(view, "officeSave_central_url"), Qt.MouseButton.LeftButton)
    for index, name in ((OFFICE_TAB, "office"), (RULES_TAB, "rules")):
        view.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        # Every row, with its hint and error line, inside the window.
        bottom = max(
            edit.mapTo(window, edit.rect().bottomLeft()).y()
            for edit in (view.office_edits if name == "office" else view.rule_edits).values()
        )
        assert bottom < window.height(), name
        window.grab().save(str(artifacts / f"counter-settings-{name}-1366x768.png"))
