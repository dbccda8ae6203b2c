"""The speech engine never holds the screen: the real display with engines that fail."""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import pytest

from display.speech import VOICE_OK, VOICE_STARTING, VOICE_UNAVAILABLE, EngineProcessVoice
from shared.queue import heartbeat
from shared.storage.store import Store
from tests.gui.display.conftest import OtherPC
from tests.integration.test_end_to_end import DisplayProcess

pytestmark = pytest.mark.slow


class MuteSpeechService:
    """A speech-dispatcher that accepts every connection and never says a word."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(16)
        self.held: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.held.append(connection)  # read nothing, answer nothing

    def close(self) -> None:
        self.server.close()
        for connection in self.held:
            connection.close()


@pytest.fixture
def mute_speech(tmp_path):
    service = MuteSpeechService(tmp_path / "speechd.sock")
    yield service
    service.close()


def display_config(tmp_path: Path) -> Path:
    config = tmp_path / "display.toml"
    config.write_text('[machine]\nname = "tv-ruang-tunggu"\n\n[display]\nvoice = "qt"\n')
    return config


def voice_status(db_path: Path) -> str | None:
    store = Store(db_path, create=False)
    try:
        rows = store.read(heartbeat.machines)
    finally:
        store.close()
    for row in rows:
        if row["machine"] == "tv-ruang-tunggu":
            return row["status"].get("voice")
    return None


def wait_for_status(db_path: Path, wanted: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while voice_status(db_path) != wanted:
        assert time.monotonic() < deadline, f"heartbeat voice is {voice_status(db_path)!r}"
        time.sleep(0.2)


def helper_pid(display: DisplayProcess) -> int:
    line = display.logged("speech helper started (pid")
    return int(line.rsplit("pid ", 1)[1].split(")")[0])


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    status = Path(f"/proc/{pid}/status")
    return not status.exists() or "State:\tZ" not in status.read_text()


def terminate_quickly(display: DisplayProcess, seconds: float = 5.0) -> float:
    started = time.monotonic()
    display.process.send_signal(signal.SIGTERM)
    display.process.wait(seconds)
    return time.monotonic() - started


def test_a_speech_engine_that_never_answers_does_not_hold_the_screen(
    ops, office, db_path, tmp_path, mute_speech
):
    counter = OtherPC(db_path, 0)
    display = DisplayProcess(
        db_path,
        display_config(tmp_path),
        env={"SPEECHD_ADDRESS": f"unix_socket:{mute_speech.path}", "PST_SPEECH_ENGINE": ""},
    )
    try:
        # The window and the board come first, whatever the engine does.
        display.wait_for("board shown")
        display.logged("first frame painted")
        pid = helper_pid(display)
        counter("issue", "KS")
        counter("open", office["counter2"]["id"])
        called = counter("call", office["counter2"]["id"])
        line = display.wait_for("now calling KS-001")
        assert "Loket 2" in line
        # The engine is given up after its start-up limit; the call is made with the chime,
        # and the log says it was not spoken.
        line = display.logged("call KS-001 at Loket 2 shown")
        assert "not spoken: the voice is" in line and "announced" not in line
        display.logged("display voice unavailable", timeout=20)
        wait_for_status(db_path, VOICE_UNAVAILABLE, timeout=15)
        assert not is_running(pid), "the stuck helper was killed"
        assert mute_speech.held, "the helper really did connect to the mute engine"
        # The screen keeps following the calls, and stopping takes seconds, not a SIGKILL.
        counter("recall", called["id"])
        display.wait_for("now calling KS-001 at Loket 2")
        assert terminate_quickly(display) < 5
    finally:
        counter.close()
        display.close()
    assert display.process.returncode == 0, "".join(display.seen)


def test_sigterm_ends_the_display_while_the_engine_is_stuck(
    ops, office, db_path, tmp_path, mute_speech
):
    display = DisplayProcess(
        db_path,
        display_config(tmp_path),
        env={"SPEECHD_ADDRESS": f"unix_socket:{mute_speech.path}", "PST_SPEECH_ENGINE": ""},
    )
    try:
        display.wait_for("board shown")
        pid = helper_pid(display)
        time.sleep(1)  # the helper is now inside the engine's connect
        assert is_running(pid)
        # Still inside the engine's connect: the display has not given up on it (it does
        # after 10 s; waiting here for a heartbeat could outlast that on a busy machine).
        assert voice_status(db_path) in (None, VOICE_STARTING)
        assert "display voice unavailable" not in "".join(display.seen)
        assert terminate_quickly(display) < 5
        deadline = time.monotonic() + 3
        while is_running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not is_running(pid), "no helper stays behind"
    finally:
        display.close()
    assert display.process.returncode == 0, "".join(display.seen)


def test_without_a_speech_service_the_display_falls_back_at_once(ops, office, db_path, tmp_path):
    display = DisplayProcess(
        db_path,
        display_config(tmp_path),
        env={
            "SPEECHD_ADDRESS": f"unix_socket:{tmp_path / 'nobody-listens.sock'}",
            "PST_SPEECH_ENGINE": "",
        },
    )
    try:
        display.wait_for("board shown")
        started = time.monotonic()
        line = display.wait_for("display voice unavailable", timeout=8)
        # Well inside the start-up limit: nothing waited for a timeout.
        assert time.monotonic() - started < 8
        assert "did not answer" not in line
        wait_for_status(db_path, VOICE_UNAVAILABLE, timeout=15)
        assert terminate_quickly(display) < 5
    finally:
        display.close()
    assert display.process.returncode == 0, "".join(display.seen)


def test_a_working_engine_speaks_through_the_helper(ops, office, db_path, tmp_path):
    counter = OtherPC(db_path, 0)
    display = DisplayProcess(db_path, display_config(tmp_path))  # the mock engine
    try:
        display.wait_for("display voice ready")
        wait_for_status(db_path, VOICE_OK, timeout=15)
        counter("issue", "KS")
        counter("open", office["counter2"]["id"])
        counter("call", office["counter2"]["id"])
        display.wait_for("call KS-001 at Loket 2 announced", timeout=15)
    finally:
        counter.close()
        display.close()
    assert display.process.returncode == 0, "".join(display.seen)


def test_a_helper_that_never_reports_is_killed_and_tried_again(qtbot):
    silent = [sys.executable, "-c", "import time; time.sleep(60)"]
    voice = EngineProcessVoice(command=silent, start_timeout_ms=500, retry_ms=300)
    statuses: list[str] = []
    voice.status_changed.connect(statuses.append)
    try:
        voice.start()
        qtbot.waitUntil(lambda: statuses.count(VOICE_STARTING) >= 2, timeout=5000)
        assert statuses[:3] == [VOICE_STARTING, VOICE_UNAVAILABLE, VOICE_STARTING]
        # While there is no engine, a sentence ends at once: the chime carries the call.
        with qtbot.waitSignal(voice.finished, timeout=1000):
            voice.say("Nomor antrean, K S, nol nol satu", "id")
    finally:
        voice.shutdown()
    assert voice.status in (VOICE_STARTING, VOICE_UNAVAILABLE)


def test_a_helper_that_dies_mid_sentence_ends_the_sentence_at_once(qtbot):
    # A helper that says it is ready, takes one sentence and falls over.
    dying = [
        sys.executable,
        "-c",
        'import sys; print(\'{"event": "ready"}\', flush=True); sys.stdin.readline()',
    ]
    voice = EngineProcessVoice(command=dying, start_timeout_ms=5000, retry_ms=60_000)
    try:
        with qtbot.waitSignal(voice.status_changed, timeout=5000, check_params_cb=VOICE_OK.__eq__):
            voice.start()
        with qtbot.waitSignal(voice.finished, timeout=3000):
            voice.say("Nomor antrean, K S, nol nol satu", "id")
        assert voice.status == VOICE_UNAVAILABLE  # and tried again in a minute
    finally:
        voice.shutdown()
