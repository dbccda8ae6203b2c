"""The real program windows on the loopback share: outage, a frozen PC, clocks, the exit PIN.

Each program is built as it runs in the office (offscreen Qt), with its database on a
FUSE mount of the lab's Samba share, i.e. on an emulated office PC. The tests drive the
windows like a visitor or an officer would and then judge the database itself.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from counter import actions
from counter.window import ConsoleWindow
from shared.clock import FakeClock
from shared.devices.printing import TicketPrinter
from shared.install.config import DisplaySection, KioskSection
from shared.qt.app import context_from_args, parser
from shared.queue import heartbeat
from shared.queue.operations import Operations
from shared.storage.rows import fetch_all
from shared.storage.store import Store
from tests.gui.counter.conftest import log_in, press, write_config
from tests.gui.kiosk.conftest import click, fill_guest_book, open_guest_book, type_into
from tests.share.checks import read_journals
from tests.share.workload import (
    OFFICE_MORNING_MS,
    Workers,
    hold,
    office_clock_offset,
    standard_specs,
)

ROOT = Path(__file__).resolve().parents[2]
# Qt Multimedia without a sound server, and the offscreen platform without a window
# manager, say so once; that is the situation here, not a failure.
QT_NOISE = (
    r"propagateSizeHints",
    r"pipewire",
    r"PulseAudioService",
    r"QSoundEffect",
    r"Using Qt multimedia with FFmpeg",
)
pytestmark = [pytest.mark.share, pytest.mark.qt_log_ignore(*QT_NOISE)]

OUTAGE_SECONDS = 10
DAY = "2026-11-25"


# -- the office and the programs ----------------------------------------------------------


def prepare(db: Path, clock: FakeClock) -> dict:
    """One counter serving KS and PS, an officer, a supervisor and an administrator."""
    store = Store(db, busy_timeout_ms=5000, retry_seconds=30)
    try:
        ops = Operations(store, clock=clock, machine="setup", program="pst-admin")
        ops.initialise()
        counter = ops.save_counter("Loket 1", services=["KS", "PS"])
        return {
            "counter": counter["id"],
            "officer": ops.save_officer("budi", full_name="Budi Santoso", pin="1234"),
            "supervisor": ops.save_officer(
                "sari", full_name="Sari Dewi", pin="5678", role="supervisor"
            ),
            "admin": ops.save_officer("admin", full_name="Admin TI", pin="999999", role="admin"),
        }
    finally:
        store.close()


class Programs:
    """The windows a test made; all stopped (threads, pollers, stores) in ``close``."""

    def __init__(self, qtbot, tmp_path: Path, clock: FakeClock) -> None:
        self.qtbot = qtbot
        self.tmp_path = tmp_path
        self.clock = clock
        self.kiosks: list = []
        self.consoles: list[ConsoleWindow] = []
        self.displays: list = []

    def kiosk(self, db: Path, machine: str, *, windowed: bool = True):
        from kiosk.backend import KioskBackend
        from kiosk.window import KioskWindow

        store = Store(db, busy_timeout_ms=3000, retry_seconds=1, create=False)
        ops = Operations(store, clock=self.clock, machine=machine, program="kiosk")
        backend = KioskBackend(ops, TicketPrinter("dummy", "80mm"), poll_interval_ms=100)
        # The visitor takes a number before the officer has opened a counter (the
        # office's choice; by default the kiosk offers only services a counter serves).
        config = KioskSection(
            printer="dummy",
            idle_seconds_form=600,
            idle_seconds_ticket=600,
            issue_without_open_counter=True,
        )
        window = KioskWindow(backend, config, windowed=windowed)
        self.qtbot.addWidget(window)
        self.kiosks.append(window)
        window.resize(1920, 1080)
        window.show()
        backend.start()
        self.qtbot.waitUntil(lambda: backend.overview is not None, timeout=10_000)
        return window

    def console(self, db: Path, machine: str) -> ConsoleWindow:
        # The office default: on the share a write waits seconds, not 200 ms, for a lock.
        config = write_config(self.tmp_path / machine, db, machine, busy_timeout_ms=3000)
        args = parser("pst-counter", "").parse_args(["--config", str(config), "--windowed"])
        ctx = context_from_args(args, "counter", clock=self.clock)
        window = ConsoleWindow(ctx, tick_ms=200, poller_grace_ms=300)
        self.qtbot.addWidget(window)
        self.consoles.append(window)
        window.resize(1366, 768)
        window.show()
        window.start()
        self.qtbot.waitUntil(lambda: window.snapshot is not None, timeout=10_000)
        return window

    def display(self, db: Path):
        from display.announcer import SpeechVoice
        from display.controller import DisplayController

        store = Store(db, busy_timeout_ms=1000, retry_seconds=0.5, create=False)
        controller = DisplayController(
            store,
            self.clock,
            DisplaySection(voice="qt"),
            voice=SpeechVoice("mock"),
            poll_interval_ms=100,
            grace_ms=1000,
        )
        self.displays.append((controller, store))
        self.qtbot.addWidget(controller.window)
        controller.window.resize(1280, 720)
        controller.window.show()
        with self.qtbot.waitSignal(controller.board_shown, timeout=10_000):
            controller.start()
        return controller

    def close(self) -> None:
        for window in self.kiosks:
            window.backend.stop()
            window.backend.store.close()
            window._may_close = True
            window.close()
        for window in self.consoles:
            window.close()
            window.ctx.store.close()
        for controller, store in self.displays:
            controller.stop()
            store.close()


@pytest.fixture
def programs(qtbot, tmp_path):
    made = Programs(qtbot, tmp_path, FakeClock(OFFICE_MORNING_MS))
    yield made
    made.close()


def rows(db: Path, sql: str, params: tuple = ()) -> list[dict]:
    store = Store(db, busy_timeout_ms=5000, retry_seconds=30, create=False)
    try:
        return store.read(lambda c: fetch_all(c, sql, params))
    finally:
        store.close()


def log_in_at_counter(qtbot, console: ConsoleWindow, office: dict) -> None:
    log_in(qtbot, console, "budi", "1234", office["counter"])
    qtbot.waitUntil(
        lambda: (
            console.officer is not None
            and console.snapshot.counter is not None
            and console.snapshot.counter["status"] == "open"
        ),
        timeout=10_000,
    )


def no_dialog_open() -> bool:
    """No message box or dialog (a traceback, an error popup) appeared anywhere."""
    return not [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, (QMessageBox, QDialog)) and w.isVisible()
    ]


def shows(controller, number: str, counter: str) -> bool:
    card = controller.window.now_calling
    return card.number.text() == number and counter in card.counter.text()


# -- 1. the file server gone for ten seconds -------------------------------------------------


def test_server_outage_kiosk_counter_and_display(lab, programs, qtbot):
    """Stop Samba for 10 s while a visitor fills the guest book and an officer types notes.

    Every program says what is wrong, keeps what people typed, disables what cannot work,
    and comes back by itself; afterwards the database holds exactly the confirmed work.
    """
    pc1, pc2 = lab.pcs
    office = prepare(pc1.db, programs.clock)
    kiosk = programs.kiosk(pc1.db, "kiosk-pc1")
    console = programs.console(pc2.db, "loket-1-pc2")
    display = programs.display(pc1.db)
    issued: list[dict] = []
    kiosk.guest_book.ticket_issued.connect(issued.append)
    finished: list[tuple[str, bool]] = []
    console.action_finished.connect(lambda name, ok: finished.append((name, ok)))

    # Before the outage: one visitor gets KS-001, the officer calls and starts serving.
    open_guest_book(qtbot, kiosk)
    fill_guest_book(qtbot, kiosk)
    click(qtbot, kiosk.guest_book.submit)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=10_000)
    click(qtbot, kiosk.ticket.done)
    log_in_at_counter(qtbot, console, office)
    press(qtbot, console, actions.CALL_NEXT, timeout=10_000)
    press(qtbot, console, actions.START, timeout=10_000)
    qtbot.waitUntil(lambda: shows(display, "KS-001", "Loket 1"), timeout=10_000)
    notes = console.officer_view.card.notes
    qtbot.keyClicks(notes, "Minta tabel PDRB. ")
    # The next visitor is half-way through the guest book.
    book = kiosk.guest_book
    open_guest_book(qtbot, kiosk, "PS")
    fill_guest_book(qtbot, kiosk, name="Rahmat Hidayat", email="rahmat@contoh.id", phone="")
    type_into(qtbot, book.edits["institution_name"], "Dinas Kominfo")

    lab.server.stop()
    down_at = time.monotonic()
    try:
        # Kiosk: the submit cannot get through; the form stays filled and says why.
        click(qtbot, book.submit)
        qtbot.waitUntil(lambda: "Data Anda tetap tersimpan" in book.message.text(), timeout=15_000)
        # Words for a visitor; the share's details are in the log.
        assert "hubungi petugas" in book.message.text()
        assert book.submit.text() == "Coba lagi"
        assert kiosk.current is book
        assert book.edits["name"].text() == "Rahmat Hidayat"
        assert book.edits["email"].text() == "rahmat@contoh.id"
        assert book.edits["institution_name"].text() == "Dinas Kominfo"
        assert book.consent.isChecked()
        op_id = book.op_id
        qtbot.waitUntil(lambda: not kiosk.backend.storage_ok, timeout=10_000)
        assert kiosk.welcome.storage_message  # Welcome will say it too

        # Counter: the banner, every action disabled with the reason, notes kept locally.
        qtbot.waitUntil(console.banner.isVisible, timeout=10_000)
        assert "Tindakan dinonaktifkan" in console.banner.text()
        for name in (actions.FINISH, actions.TRANSFER, actions.CALL_NEXT, actions.NO_SHOW):
            button = console.officer_view.buttons[name]
            assert not button.isEnabled()
            assert "tunggu sampai tersambung kembali" in button.toolTip()
        qtbot.keyClicks(notes, "Kirim lewat surel.")
        ticket_code = console.snapshot.current["code"]
        assert console.drafts.load(ticket_code) == "Minta tabel PDRB. Kirim lewat surel."
        qtbot.keyClick(console, Qt.Key.Key_F5)  # a shortcut does nothing while offline

        # Display: the last state stays on the wall, with the banner.
        banner = display.window.banner
        qtbot.waitUntil(banner.isVisible, timeout=10_000)
        assert "koneksi terputus" in banner.text().lower()
        assert shows(display, "KS-001", "Loket 1")
        assert no_dialog_open()

        # Hold the outage for its full length, the event loop running.
        qtbot.wait(max(0, int((down_at + OUTAGE_SECONDS - time.monotonic()) * 1000)))
        assert book.edits["name"].text() == "Rahmat Hidayat" and kiosk.current is book
    finally:
        lab.server.start()
    up_at = time.monotonic()
    print(f"server down for {up_at - down_at:.1f} s")

    # Everyone recovers by themselves.
    qtbot.waitUntil(lambda: not console.banner.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: not display.window.banner.isVisible(), timeout=30_000)
    qtbot.waitUntil(lambda: kiosk.backend.storage_ok, timeout=30_000)
    assert not kiosk.welcome.storage_message
    # The kiosk retries on its own every few seconds; the visitor may also tap "Try again".
    qtbot.waitUntil(
        lambda: kiosk.current is kiosk.ticket or book.submit.isEnabled(), timeout=30_000
    )
    if kiosk.current is book:
        qtbot.mouseClick(book.submit, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: kiosk.current is kiosk.ticket, timeout=30_000)
    qtbot.waitUntil(lambda: kiosk.backend.db_worker.pending == 0, timeout=10_000)
    assert kiosk.ticket.number.text() == "PS-001"
    print(f"kiosk issued PS-001 {time.monotonic() - up_at:.1f} s after the server came back")

    qtbot.waitUntil(console.officer_view.buttons[actions.FINISH].isEnabled, timeout=10_000)
    assert notes.toPlainText() == "Minta tabel PDRB. Kirim lewat surel."
    press(qtbot, console, actions.FINISH, timeout=10_000)
    press(qtbot, console, actions.CALL_NEXT, timeout=10_000)
    qtbot.waitUntil(lambda: shows(display, "PS-001", "Loket 1"), timeout=10_000)
    assert no_dialog_open()

    # The database holds exactly what was confirmed: two tickets, one of each action.
    tickets = rows(pc2.db, "SELECT * FROM tickets ORDER BY id")
    assert [(t["number"], t["status"]) for t in tickets] == [
        ("KS-001", "done"),
        ("PS-001", "called"),
    ]
    assert tickets[0]["notes"] == "Minta tabel PDRB. Kirim lewat surel."
    assert [t["number"] for t in issued] == ["KS-001", "PS-001"]
    confirmed = [name for name, ok in finished if ok and name != "login"]
    assert confirmed == [actions.CALL_NEXT, actions.START, actions.FINISH, actions.CALL_NEXT]
    events = rows(
        pc1.db,
        "SELECT kind, op_id, ticket_id FROM events"
        " WHERE kind IN ('issue', 'call', 'start', 'finish') ORDER BY id",
    )
    assert [(e["kind"], e["ticket_id"]) for e in events] == [
        ("issue", tickets[0]["id"]),
        ("call", tickets[0]["id"]),
        ("start", tickets[0]["id"]),
        ("issue", tickets[1]["id"]),
        ("finish", tickets[0]["id"]),
        ("call", tickets[1]["id"]),
    ]
    assert events[3]["op_id"] == op_id  # the kept submission, applied once
    visitor = rows(
        pc1.db,
        "SELECT v.name, v.institution_name FROM tickets t JOIN visits s ON s.id = t.visit_id"
        " JOIN visitors v ON v.id = s.visitor_id WHERE t.id = ?",
        (tickets[1]["id"],),
    )
    assert visitor == [{"name": "Rahmat Hidayat", "institution_name": "Dinas Kominfo"}]
    assert rows(pc1.db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]


# -- 2. a PC frozen inside a write transaction ----------------------------------------------


@pytest.mark.parametrize("ending", ["resumed", "killed"])
def test_frozen_pc_makes_call_next_busy_not_a_crash(ending, lab, programs, qtbot, tmp_path):
    """A kiosk process on PC 1 is stopped (SIGSTOP) holding BEGIN IMMEDIATE.

    The officer on PC 2 presses "call next": the console says the database is busy on
    another computer — no crash, no dialog — and the call goes through once the frozen
    process is resumed or killed.
    """
    pc1, pc2 = lab.pcs
    office = prepare(pc1.db, programs.clock)
    setup = Operations(Store(pc1.db), clock=programs.clock, machine="setup", program="kiosk")
    first = setup.issue_ticket("KS")
    setup.store.close()
    console = programs.console(pc2.db, "loket-1-pc2")
    log_in_at_counter(qtbot, console, office)
    call = console.officer_view.buttons[actions.CALL_NEXT]
    qtbot.waitUntil(call.isEnabled, timeout=10_000)
    results: list[tuple[str, bool]] = []
    console.action_finished.connect(lambda name, ok: results.append((name, ok)))

    logs = tmp_path / "logs"
    marker = tmp_path / "held"
    offset = office_clock_offset()
    # The worker issues two tickets, then stalls 2 s inside its third transaction.
    extra = {"pc1-kiosk0": (*hold(marker, 2, 2), "--pause", "1")}
    with Workers(logs, 60, offset) as workers:
        frozen = workers.start(standard_specs([pc1.db], [office["counter"]], 1, 0, extra)[0])
        deadline = time.monotonic() + 60
        while not marker.exists():  # bounded: the worker's start-up over the share
            assert time.monotonic() < deadline, "the worker never held its transaction"
            assert frozen.poll() is None, workers.stderr("pc1-kiosk0")
            qtbot.wait(20)
        os.kill(frozen.pid, signal.SIGSTOP)
        qtbot.wait(2500)  # past its own 2 s hold: only the freeze keeps the lock now
        held = [
            r
            for r in map(json.loads, (logs / "pc1-kiosk0.jsonl").read_text().splitlines())
            if r["t"] == "pending"
        ][-1]["op"]

        # The officer presses "call next" (the button was enabled: reads still work).
        qtbot.waitUntil(call.isEnabled, timeout=10_000)
        with qtbot.waitSignal(console.action_finished, timeout=15_000) as outcome:
            qtbot.mouseClick(call, Qt.MouseButton.LeftButton)
        assert outcome.args == [actions.CALL_NEXT, False]
        qtbot.waitUntil(lambda: not console.saving, timeout=10_000)
        message = console.message.text()
        print(f"console says: {message!r}; banner: {console.banner.isVisible()}")
        assert "sedang dipakai komputer lain" in message, message
        assert console.message.property("error") is True
        assert no_dialog_open()
        assert console.isVisible() and console.officer_view.card.ticket is None
        assert rows(pc2.db, "SELECT status FROM tickets WHERE id = ?", (first["id"],)) == [
            {"status": "waiting"}
        ]

        os.kill(frozen.pid, signal.SIGCONT if ending == "resumed" else signal.SIGKILL)
        if ending == "killed":
            frozen.wait(10)
        resumed_at = time.monotonic()
        qtbot.waitUntil(call.isEnabled, timeout=10_000)
        press(qtbot, console, actions.CALL_NEXT, timeout=10_000)
        print(f"{ending}: call went through {time.monotonic() - resumed_at:.2f} s later")
        assert results[-1] == (actions.CALL_NEXT, True)
        qtbot.waitUntil(lambda: console.officer_view.card.number.text() == "KS-001")
        if ending == "resumed":
            deadline = time.monotonic() + 30
            while held not in read_journals(logs)[0]:
                assert time.monotonic() < deadline, "the frozen worker never committed"
                qtbot.wait(50)
        workers.kill_all()

    calls = rows(pc1.db, "SELECT ticket_id FROM events WHERE kind = 'call'")
    assert calls == [{"ticket_id": first["id"]}]  # one call, of the first ticket
    assert len(rows(pc1.db, "SELECT id FROM events WHERE op_id = ?", (held,))) == (
        1 if ending == "resumed" else 0
    )
    assert rows(pc1.db, "PRAGMA integrity_check") == [{"integrity_check": "ok"}]


# -- 3. clocks that differ between PCs -----------------------------------------------------


def test_clock_skew_is_reported_by_admin_check_and_in_the_supervisor_view(
    lab, programs, qtbot, tmp_path
):
    pc1, pc2 = lab.pcs
    office = prepare(pc1.db, programs.clock)
    skew_ms = 120_000
    clock1 = FakeClock(OFFICE_MORNING_MS)
    clock2 = FakeClock(OFFICE_MORNING_MS + skew_ms)
    a = Operations(Store(pc1.db), clock=clock1, machine="kiosk-pc1", program="kiosk")
    b = Operations(Store(pc2.db), clock=clock2, machine="display-pc2", program="display")
    try:
        for _ in range(3):
            heartbeat.beat(a)
            heartbeat.beat(b)
            for clock in (clock1, clock2):
                clock.advance(seconds=10)
    finally:
        a.store.close()
        b.store.close()

    # pst-admin check, run by IT from a third place, as its own process.
    config = tmp_path / "it.toml"
    config.write_text('[machine]\nname = "it-pc"\nlanguage = "id"\n', encoding="utf-8")
    command = [sys.executable, "-m", "shared.cli.main", "--config", str(config)]
    result = subprocess.run(
        [*command, "--db", str(pc1.db), "check", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=ROOT,
    )
    assert result.returncode != 0, result.stdout
    report = json.loads(result.stdout)
    assert report["ok"] is False and report["integrity"] == ["ok"]
    pairs = {(r["machine"], r["other"]): r for r in report["clock_skew"]}
    assert set(pairs) == {("kiosk-pc1", "display-pc2"), ("display-pc2", "kiosk-pc1")}
    for r in pairs.values():
        assert abs(abs(r["offset_ms"]) - skew_ms) <= r["uncertainty_ms"]

    # The supervisor, logged in on PC 2 (its clock agrees with PC 1), sees the pair.
    console = programs.console(pc2.db, "supervisi-pc2")
    log_in(qtbot, console, "sari", "5678", None)
    qtbot.waitUntil(lambda: console.pages.currentWidget() is console.supervisor_view)
    warning = console.supervisor_view.clock_skew
    qtbot.waitUntil(warning.isVisible, timeout=10_000)
    text = warning.text()
    print(text)
    assert text.startswith("Jam antar-PC berselisih: jam display-pc2 ")
    assert "detik lebih cepat dari kiosk-pc1." in text
    seconds = int(text.split("jam display-pc2 ")[1].split(" detik")[0])
    assert abs(seconds * 1000 - skew_ms) <= pairs[("display-pc2", "kiosk-pc1")]["uncertainty_ms"]
    assert text.count("lebih cepat") == 1  # one line per pair of PCs
    # This PC's own clock is fine, so its own banner stays away.
    assert not console.skew_banner.isVisible()
    assert office["supervisor"]["role"] == "supervisor"


# -- 4. leaving the kiosk --------------------------------------------------------------------


def test_kiosk_exit_needs_a_supervisor_pin_and_wrong_pins_are_recorded(lab, programs, qtbot):
    pc1, pc2 = lab.pcs
    office = prepare(pc1.db, programs.clock)
    kiosk = programs.kiosk(pc2.db, "kiosk-pc2", windowed=False)
    admin = kiosk.admin
    kiosk.close()
    assert kiosk.isVisible(), "a locked kiosk closed without the PIN"

    def tap_logo(times: int) -> None:
        for _tap in range(times):
            qtbot.mouseClick(kiosk.header.logo, Qt.MouseButton.LeftButton)

    def unlock(username: str, pin: str) -> None:
        admin.username.clear()
        type_into(qtbot, admin.username, username)
        type_into(qtbot, admin.pin, pin)
        click(qtbot, admin.login_button)
        qtbot.waitUntil(admin.login_button.isEnabled, timeout=15_000)

    tap_logo(4)
    assert kiosk.current is kiosk.welcome
    tap_logo(1)
    assert kiosk.current is admin and not admin.unlocked
    unlock("sari", "0000")
    assert admin.login_error.text() == "Petugas tidak dikenal atau PIN salah."
    assert not admin.unlocked and admin.pages.currentIndex() == 0
    assert not admin.exit_kiosk.isVisible()
    unlock("budi", "1234")  # a counter officer's right PIN does not open the kiosk
    assert admin.login_error.text() == (
        "Hanya supervisor atau administrator yang dapat masuk di sini."
    )
    assert not admin.unlocked and not admin.exit_kiosk.isVisible()
    unlock("sari", "5678")
    assert admin.unlocked and admin.exit_kiosk.isVisible()

    # Leaving the panel locks it again: the next visit asks for a PIN anew.
    click(qtbot, admin.back)
    assert kiosk.current is kiosk.welcome
    tap_logo(5)
    assert kiosk.current is admin and not admin.unlocked
    unlock("admin", "999999")
    with qtbot.waitSignal(kiosk.exit_requested, timeout=5000):
        click(qtbot, admin.exit_kiosk)
    assert not kiosk.isVisible()

    events = rows(
        pc1.db,
        "SELECT kind, officer_id, machine, program FROM events"
        " WHERE kind IN ('login', 'login_failed', 'login_refused') ORDER BY id",
    )
    sari, boss = office["supervisor"]["id"], office["admin"]["id"]
    budi = office["officer"]["id"]
    assert events == [
        {"kind": "login_failed", "officer_id": sari, "machine": "kiosk-pc2", "program": "kiosk"},
        {"kind": "login_refused", "officer_id": budi, "machine": "kiosk-pc2", "program": "kiosk"},
        {"kind": "login", "officer_id": sari, "machine": "kiosk-pc2", "program": "kiosk"},
        {"kind": "login", "officer_id": boss, "machine": "kiosk-pc2", "program": "kiosk"},
    ]
