"""The Pengaturan page: every change through the core, one event with who, errors beside
the field, and only the administrator sees it."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QDate, Qt, QTime

from shared.errors import AuthError
from shared.office import settings
from shared.storage.rows import fetch_all, fetch_one
from tests.gui.counter.conftest import log_in

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def admin(ops, office):
    return ops.save_officer("admin", full_name="Admin PST", pin="0000", role="admin")


def open_settings(qtbot, window):
    log_in(qtbot, window, "admin", "0000", None)
    qtbot.waitUntil(window.settings_page_button.isVisible, timeout=5000)
    qtbot.mouseClick(window.settings_page_button, Qt.MouseButton.LeftButton)
    view = window.settings_view
    qtbot.waitUntil(lambda: view.services_table.rowCount() == 5, timeout=5000)
    return view


def click(qtbot, window, button, ok=True):
    with qtbot.waitSignal(window.action_finished, timeout=5000) as done:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert done.args[1] is ok, window.message.text()
    qtbot.waitUntil(lambda: not window.saving, timeout=5000)


def last_event(store, kind):
    return store.read(
        lambda c: fetch_one(
            c, "SELECT * FROM events WHERE kind = ? ORDER BY id DESC LIMIT 1", (kind,)
        )
    )


def setting(store, key):
    return store.read(lambda c: settings.get(c, key))


def test_services_counters_and_officers(qtbot, make_console, store, ops, admin, office):
    window = make_console()
    view = open_settings(qtbot, window)
    # A bad code is refused beside the form and what was typed stays.
    view.tabs.setCurrentIndex(0)
    qtbot.mouseClick(
        view.findChild(type(view.saved_buttons["service"]), "serviceNew"), Qt.MouseButton.LeftButton
    )
    qtbot.keyClicks(view.service_code, "K1")
    qtbot.keyClicks(view.service_name_id, "Konsultasi Tata Kelola")
    click(qtbot, window, view.saved_buttons["service"], ok=False)
    error = view.errors["service"]
    assert (
        error.isVisible()
        and error.text() == "Kode layanan terdiri dari satu sampai tiga huruf, misalnya KS."
    )
    assert view.service_name_id.text() == "Konsultasi Tata Kelola"
    view.service_code.setText("KT")
    view.service_target.setValue(15)
    click(qtbot, window, view.saved_buttons["service"])
    row = store.read(lambda c: fetch_one(c, "SELECT * FROM services WHERE code = 'KT'"))
    assert (row["name_id"], row["target_minutes"], row["active"]) == (
        "Konsultasi Tata Kelola",
        15,
        1,
    )
    event = last_event(store, "admin_service")
    assert event["officer_id"] == admin["id"] and event["machine"] == "loket-1-pc"
    qtbot.waitUntil(lambda: view.services_table.rowCount() == 6)
    assert not error.isVisible()

    # A counter with two services.
    view.tabs.setCurrentIndex(1)
    qtbot.mouseClick(
        view.findChild(type(view.saved_buttons["service"]), "counterNew"), Qt.MouseButton.LeftButton
    )
    qtbot.keyClicks(view.counter_name, "Meja Konsultasi")
    for i in range(view.counter_services.count()):
        item = view.counter_services.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in ("KS", "KT"):
            item.setCheckState(Qt.CheckState.Checked)
    click(qtbot, window, view.findChild(type(view.saved_buttons["service"]), "counterSave"))
    counter = store.read(
        lambda c: fetch_one(c, "SELECT * FROM counters WHERE name = 'Meja Konsultasi'")
    )
    links = store.read(
        lambda c: [
            r[0]
            for r in c.execute(
                "SELECT service_code FROM counter_services WHERE counter_id = ? ORDER BY 1",
                (counter["id"],),
            )
        ]
    )
    assert links == ["KS", "KT"]
    assert last_event(store, "admin_counter")["officer_id"] == admin["id"]
    # Deactivate it: it stays in the list (and in history), marked inactive.
    qtbot.waitUntil(lambda: view.counters_table.rowCount() == 3)
    view.counters_table.selectRow(2)
    view.counter_active.setChecked(False)
    click(qtbot, window, view.findChild(type(view.saved_buttons["service"]), "counterSave"))
    assert store.read(
        lambda c: c.execute("SELECT active FROM counters WHERE id = ?", (counter["id"],)).fetchone()
    ) == (0,)
    qtbot.waitUntil(lambda: view.counters_table.item(2, 2).text() == "tidak")

    # Officers: add one, reset a locked officer's PIN, deactivate — never delete.
    view.tabs.setCurrentIndex(2)
    qtbot.mouseClick(
        view.findChild(type(view.saved_buttons["service"]), "officerNew"), Qt.MouseButton.LeftButton
    )
    qtbot.keyClicks(view.officer_username, "rina")
    qtbot.keyClicks(view.officer_full_name, "Rina Marlina")
    qtbot.keyClicks(view.officer_pin, "12")
    save = view.findChild(type(view.saved_buttons["service"]), "officerSave")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert view.errors["officer"].text() == "PIN terdiri dari 4 sampai 8 angka."
    view.officer_pin.setText("2468")
    view.officer_role.setCurrentIndex(view.officer_role.findData("supervisor"))
    click(qtbot, window, save)
    rina = store.read(lambda c: fetch_one(c, "SELECT * FROM officers WHERE username = 'rina'"))
    assert (rina["full_name"], rina["role"], rina["active"]) == ("Rina Marlina", "supervisor", 1)
    assert "2468" not in rina["pin_hash"]
    for _ in range(5):
        with pytest.raises(AuthError):
            ops.login("budi", "0000")
    qtbot.waitUntil(
        lambda: any(
            view.officers_table.item(r, 0).text() == "budi"
            and view.officers_table.item(r, 4).text() == "ya"
            for r in range(view.officers_table.rowCount())
        ),
        timeout=5000,
    )
    budi_row = next(
        r
        for r in range(view.officers_table.rowCount())
        if view.officers_table.item(r, 0).text() == "budi"
    )
    view.officers_table.selectRow(budi_row)
    view.officer_pin.setText("4321")
    click(qtbot, window, save)
    assert ops.login("budi", "4321")["username"] == "budi"
    view.officers_table.selectRow(budi_row)
    view.officer_active.setChecked(False)
    click(qtbot, window, save)
    budi = store.read(lambda c: fetch_one(c, "SELECT * FROM officers WHERE username = 'budi'"))
    assert budi is not None and budi["active"] == 0 and budi["full_name"] == "Budi Santoso"
    events = store.read(
        lambda c: fetch_all(
            c,
            "SELECT officer_id, data FROM events WHERE kind = 'admin_officer' AND officer_id IS NOT NULL",
        )
    )
    assert len(events) == 3 and all(e["officer_id"] == admin["id"] for e in events)
    assert all("4321" not in e["data"] and "2468" not in e["data"] for e in events)


def test_hours_holidays_texts_lists_and_rules(qtbot, make_console, store, admin):
    window = make_console()
    view = open_settings(qtbot, window)
    view.tabs.setCurrentIndex(3)
    # Saturday mornings open; a closing time before the opening is refused beside the grid.
    saturday = view.hours_rows[5]
    saturday[0].setChecked(True)
    saturday[1].setTime(QTime(8, 0))
    saturday[2].setTime(QTime(12, 0))
    view.hours_rows[0][2].setTime(QTime(7, 0))
    save_hours = view.findChild(type(view.saved_buttons["service"]), "hoursSave")
    qtbot.mouseClick(save_hours, Qt.MouseButton.LeftButton)
    assert view.errors["hours"].text() == "Pada hari Senin jam tutup harus setelah jam buka."
    view.hours_rows[0][2].setTime(QTime(15, 30))
    click(qtbot, window, save_hours)
    hours = setting(store, "hours")
    assert hours["5"] == ["08:00", "12:00"] and hours["0"] == ["08:00", "15:30"]
    assert last_event(store, "admin_setting")["officer_id"] == admin["id"]

    # The national list of 2026 with cuti bersama; open on one of them; add an office day.
    names = {
        view.holidays_table.item(r, 0).text(): r for r in range(view.holidays_table.rowCount())
    }
    assert "2026-08-17" in names and view.holidays_table.rowCount() > 15
    view.holidays_table.selectRow(names["2026-08-17"])
    click(qtbot, window, view.holiday_toggle)
    assert setting(store, "holidays_removed") == ["2026-08-17"]
    qtbot.waitUntil(lambda: view.holidays_table.item(names["2026-08-17"], 3).text() == "tidak")
    view.holiday_date.setDate(QDate(2026, 12, 31))
    qtbot.keyClicks(view.holiday_name, "Tutup buku akhir tahun")
    click(qtbot, window, view.holiday_add)
    assert setting(store, "holidays_added") == [
        {"date": "2026-12-31", "name": "Tutup buku akhir tahun"}
    ]

    # Running text and complaint channels with the QR preview.
    view.tabs.setCurrentIndex(4)
    view.running_text.setPlainText("Layanan PST gratis. Antrean dipanggil sesuai nomor.")
    click(qtbot, window, view.findChild(type(view.saved_buttons["service"]), "runningTextSave"))
    assert setting(store, "running_text") == "Layanan PST gratis. Antrean dipanggil sesuai nomor."
    wa_row = next(r for r, ch in enumerate(view.channels()) if ch["kind"] == "whatsapp")
    view.channels_table.selectRow(wa_row)
    view.channels_table.item(wa_row, 2).setText("0812-1111-2222")
    assert view.channel_link.text() == "https://wa.me/6281211112222"
    assert not view.channel_qr.pixmap().isNull()
    click(qtbot, window, view.findChild(type(view.saved_buttons["service"]), "channelsSave"))
    channels = setting(store, "complaint_channels")
    assert {"kind": "whatsapp", "label": "WhatsApp", "target": "0812-1111-2222"} in channels

    # A guest-book list.
    view.tabs.setCurrentIndex(5)
    view.list_choice.setCurrentIndex(view.list_choice.findData("education"))
    view.list_values.setPlainText("≤ SMA/sederajat\nD1/D2/D3\nS1/D4\nS2\nS3\nLainnya")
    click(qtbot, window, view.findChild(type(view.saved_buttons["service"]), "listSave"))
    assert setting(store, "lists")["education"][-1] == "Lainnya"
    assert setting(store, "lists")["purpose"][0] == "Tugas sekolah/kuliah"  # others untouched

    # Queue rules: bad values beside the field, from this page and from the core.
    view.tabs.setCurrentIndex(6)
    edit = view.rule_edits["recall_limit"]
    save_rule = view.findChild(type(view.saved_buttons["service"]), "ruleSave_recall_limit")
    edit.setText("dua")
    qtbot.mouseClick(save_rule, Qt.MouseButton.LeftButton)
    assert view.errors["recall_limit"].text() == "Tulis bilangan bulat, mis. 3."
    edit.setText("-1")  # the settings schema's sentence, before anything is sent
    qtbot.mouseClick(save_rule, Qt.MouseButton.LeftButton)
    assert view.errors["recall_limit"].text() == (
        "Panggilan ulang sebelum dianggap tidak hadir: berikan bilangan bulat dari 1 sampai 9."
    )
    assert setting(store, "recall_limit") == 3  # nothing stored
    assert edit.text() == "-1"  # what was typed stays
    edit.setText("2")
    click(qtbot, window, save_rule)
    assert setting(store, "recall_limit") == 2
    assert not view.errors["recall_limit"].isVisible()
    kinds = store.read(
        lambda c: [r[0] for r in c.execute("SELECT data FROM events WHERE kind = 'admin_setting'")]
    )
    assert [json.loads(k)["key"] for k in kinds] == [
        "hours",
        "holidays_removed",
        "holidays_added",
        "running_text",
        "complaint_channels",
        "lists",
        "recall_limit",
    ]


def test_another_pcs_change_shows_without_losing_typing(qtbot, make_console, store, ops, admin):
    window = make_console()
    view = open_settings(qtbot, window)
    view.tabs.setCurrentIndex(6)
    view.rule_edits["retention_days"].setText("400")  # being typed, not saved
    ops.save_setting("recall_limit", 5)  # another PC
    ops.save_setting("retention_days", 180)
    qtbot.waitUntil(lambda: view.rule_edits["recall_limit"].text() == "5", timeout=5000)
    assert view.rule_edits["retention_days"].text() == "400"


def test_only_the_administrator_has_settings(qtbot, make_console, office, admin):
    window = make_console()
    log_in(qtbot, window, "sari", "5678", None)
    qtbot.waitUntil(lambda: window.officer is not None, timeout=5000)
    assert window.reports_page_button.isVisible()
    assert not window.settings_page_button.isVisible()
    window.show_settings_page()
    assert window.pages.currentWidget() is not window.settings_view
    window.settings_view.change_requested.emit(
        "recall_limit", lambda ops, actor: ops.save_setting("recall_limit", 9, actor=actor)
    )
    with qtbot.waitSignal(window.snapshot_shown, timeout=5000):
        window.worker.refresh()  # runs after anything the emit could have queued
    assert setting(window.ctx.store, "recall_limit") == 3
    assert last_event(window.ctx.store, "admin_setting") is None


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_settings_screenshots(qtbot, make_console, admin, artifacts, size):
    from PySide6.QtWidgets import QApplication

    window = make_console(machine="admin-pc", size=size)
    view = open_settings(qtbot, window)
    label = f"{size[0]}x{size[1]}"
    assert window.width() == size[0] and window.height() == size[1]
    for index, name in ((0, "services"), (3, "hours"), (4, "complaints")):
        view.tabs.setCurrentIndex(index)
        if name == "services":
            view.services_table.selectRow(0)
        if name == "complaints":
            view.channels_table.selectRow(1)
        QApplication.processEvents()
        QApplication.processEvents()
        window.grab().save(str(artifacts / f"counter-settings-{name}-{label}.png"))


def test_a_service_gets_its_own_hours(qtbot, make_console, store, admin):
    window = make_console()
    view = open_settings(qtbot, window)
    view.services_table.selectRow(1)  # PS, the library
    assert view.service_code.text() == "PS" and not view.service_own_hours.isChecked()
    view.service_own_hours.setChecked(True)
    view.service_opens.setTime(QTime(13, 0))
    view.service_closes.setTime(QTime(9, 0))
    click(qtbot, window, view.saved_buttons["service"], ok=False)
    assert view.errors["service"].text() == "Pada hari Senin jam tutup harus setelah jam buka."
    view.service_opens.setTime(QTime(9, 0))
    view.service_closes.setTime(QTime(12, 0))
    click(qtbot, window, view.saved_buttons["service"])
    hours = store.read(
        lambda c: c.execute("SELECT hours FROM services WHERE code = 'PS'").fetchone()
    )
    assert json.loads(hours[0]) == {
        **{str(d): ["09:00", "12:00"] for d in range(5)},
        "5": None,
        "6": None,
    }
    view.services_table.selectRow(1)
    view.service_own_hours.setChecked(False)
    click(qtbot, window, view.saved_buttons["service"])
    hours = store.read(
        lambda c: c.execute("SELECT hours FROM services WHERE code = 'PS'").fetchone()
    )
    assert hours == (None,)


def test_the_office_name_on_reports(qtbot, make_console, store, admin):
    window = make_console()
    view = open_settings(qtbot, window)
    view.tabs.setCurrentIndex(7)
    assert view.tabs.tabText(7) == "Kantor"
    unit = view.office_edits["office_unit"]
    assert unit.text() == "Pelayanan Statistik Terpadu (PST)"
    unit.setText("   ")
    save = view.findChild(type(view.saved_buttons["service"]), "officeSave_office_unit")
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert view.errors["office_unit"].text().startswith("Nama ini dicetak")
    unit.setText("Unit PST BPS Provinsi Sumatera Selatan")
    click(qtbot, window, save)
    assert setting(store, "office_unit") == "Unit PST BPS Provinsi Sumatera Selatan"
    assert last_event(store, "admin_setting")["officer_id"] == admin["id"]
