"""Fixtures for the waiting-room display: a busy office and the real display on it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from shared.install.config import DisplaySection
from shared.storage.store import Store

ROOT = Path(__file__).resolve().parents[3]

# Guest-book entries whose every field is unique enough to be found anywhere on screen.
GUESTS = [
    {
        "name": "Kartika Wulandari Rahasia",
        "email": "kartika.rahasia@contoh.id",
        "phone": "081377700011",
        "institution_name": "Universitas Rahasiaku Palembang",
        "occupation": "Peneliti/Dosen",
        "topic": "Inflasi kecamatan Seberang Ulu rahasia",
        "consent": True,
    },
    {
        "name": "Hendro Prasetyo Sembunyi",
        "email": "hendro.sembunyi@contoh.id",
        "phone": "081377700022",
        "institution_name": "PT Sembunyi Sejahtera Abadi",
        "occupation": "Pegawai Swasta",
        "topic": "Ekspor karet tersembunyi",
        "consent": True,
    },
]
PERSONAL_STRINGS = [
    value
    for guest in GUESTS
    for key, value in guest.items()
    if key in ("name", "email", "phone", "institution_name", "topic")
] + ["Budi Santoso", "Sari Dewi"]

MULTIMEDIA_NOISE = (
    r"pipewire",
    r"PulseAudioService",
    r"QSoundEffect",
    r"Using Qt multimedia with FFmpeg",
    r"propagateSizeHints",
)


def pytest_collection_modifyitems(items):
    # A PC without PipeWire or a sound server makes Qt Multimedia say so once; that is
    # the situation these tests are about, not a failure.
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE))


@pytest.fixture
def busy_office(ops, office):
    """Both counters open, visitors with guest-book records waiting, one already called."""
    c1, c2 = office["counter1"]["id"], office["counter2"]["id"]
    ops.set_counter_status(c1, "open", office["officer"]["id"])
    ops.set_counter_status(c2, "open")
    tickets = [ops.issue_ticket("KS", guest) for guest in GUESTS]
    tickets += [ops.issue_ticket("KS", GUESTS[0]), ops.issue_ticket("PS", GUESTS[1])]
    tickets.append(ops.issue_ticket("KS"))
    first = ops.call_next(c1, office["officer"]["id"])
    return {"counter1": c1, "counter2": c2, "tickets": tickets, "first_call": first}


class OtherPC:
    """A counter or kiosk PC in its own process, driven one JSON command at a time."""

    def __init__(self, db_path: Path, at_ms: int) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.gui.display.other_pc", str(db_path), str(at_ms)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )

    def __call__(self, *command) -> dict:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(json.dumps(list(command)) + "\n")
        self.process.stdin.flush()
        reply = json.loads(self.process.stdout.readline())
        assert reply["ok"], reply
        return reply["result"]

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def other_pc(db_path, clock, busy_office):
    pc = OtherPC(db_path, clock.now_ms())
    yield pc
    pc.close()


@pytest.fixture
def make_display(qtbot, db_path, clock):
    """Build the real display on the test database; it polls fast and speaks mock."""
    from display.announcer import SpeechVoice
    from display.controller import DisplayController

    made = []

    def make(*, voice=None, grace_ms=3000, start=True, size=(1280, 720), **settings):
        options = {"voice": "qt", **settings}
        store = Store(db_path, busy_timeout_ms=1000, retry_seconds=0.5, create=False)
        controller = DisplayController(
            store,
            clock,
            DisplaySection(**options),
            voice=voice if voice is not None else SpeechVoice("mock"),
            poll_interval_ms=50,
            grace_ms=grace_ms,
        )
        made.append((controller, store))
        qtbot.addWidget(controller.window)
        controller.window.resize(*size)
        controller.window.show()
        if start:
            with qtbot.waitSignal(controller.board_shown, timeout=5000):
                controller.start()
        return controller

    yield make
    for controller, store in made:
        controller.stop()
        store.close()
