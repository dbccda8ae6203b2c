"""The PC's speech engine in a helper process, so a wedged engine never holds the screen.

Creating a ``QTextToSpeech`` connects to the speech service of the PC, and on Linux
that call (``spd_open``) waits forever when speech-dispatcher accepts the connection
but never answers — it happens after a client was killed mid-sentence. A thread
blocked there cannot be interrupted, and it keeps the process from quitting. So the
engine lives in its own small process (``pst-display --speech-helper``), which the
display starts after its board is on the wall, gives a start-up limit, kills when it
does not answer, and starts again later. Until then the chime and the picture call.

The two talk in JSON lines. Display → helper: ``{"say": text, "language": "id",
"id": n}``; a sentence that overruns is stopped by replacing the helper. Helper → display: ``{"event": "ready"}`` or
``{"event": "unavailable", "error": text}`` once, then ``{"event": "finished", "id": n,
"spoke": true|false}`` after each sentence (false: the engine ended without speaking). The helper quits when its input closes (the display went away).
"""

from __future__ import annotations

import json
import logging
import os
import sys
import threading

from PySide6.QtCore import QObject, QProcess, QTimer, Signal

from display.announcer import Voice

log = logging.getLogger(__name__)

HELPER_FLAG = "--speech-helper"
START_TIMEOUT_MS = 10_000
RETRY_MS = 60_000

# What the heartbeat reports under "voice", so a console can tell the supervisor.
VOICE_OFF = "off"
VOICE_STARTING = "starting"
VOICE_OK = "ok"
VOICE_UNAVAILABLE = "unavailable"


def helper_command(engine: str = "") -> list[str]:
    """The command line that starts the speech helper next to this program."""
    if getattr(sys, "frozen", False):  # a bundled program: the executable is pst-display
        command = [sys.executable, HELPER_FLAG]
    else:
        command = [sys.executable, "-m", "display", HELPER_FLAG]
    return [*command, engine] if engine else command


class EngineProcessVoice(Voice):
    """Speak through the helper process; ``status_changed(str)`` reports its state.

    ``start()`` launches the helper; it must report within ``start_timeout_ms`` or it
    is killed and tried again after ``retry_ms``. While it is not ready, :meth:`say`
    finishes at once, so the chime and the picture carry the call on their own.
    """

    status_changed = Signal(str)

    def __init__(
        self,
        engine: str = "",
        *,
        command: list[str] | None = None,
        start_timeout_ms: int = START_TIMEOUT_MS,
        retry_ms: int = RETRY_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._command = command or helper_command(engine)
        self.status = VOICE_OFF
        self.error = ""
        self._process: QProcess | None = None
        self._buffer = b""
        self._speaking: int | None = None
        self._count = 0
        self._closing = False
        self._start_limit = QTimer(self)
        self._start_limit.setSingleShot(True)
        self._start_limit.setInterval(start_timeout_ms)
        self._start_limit.timeout.connect(self._on_start_limit_timeout)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(retry_ms)
        self._retry.timeout.connect(self.start)

    # -- life of the helper ---------------------------------------------------------------

    def start(self) -> None:
        """Launch the helper (again); returns at once."""
        if self._closing:
            return
        self._retry.stop()
        self._kill()
        process = QProcess(self)
        process.setProgram(self._command[0])
        process.setArguments(self._command[1:])
        process.setProcessChannelMode(QProcess.ProcessChannelMode.ForwardedErrorChannel)
        process.readyReadStandardOutput.connect(self._on_process_ready_read)
        process.finished.connect(self._on_process_finished)
        process.errorOccurred.connect(self._on_process_error)
        process.started.connect(self._on_process_started)
        self._process = process
        self._buffer = b""
        self._set_status(VOICE_STARTING)
        self._start_limit.start()
        process.start()

    def shutdown(self) -> None:
        """Stop the helper for good (the display is closing); waits at most a moment."""
        self._closing = True
        self._retry.stop()
        self._start_limit.stop()
        self._kill()

    def _kill(self) -> None:
        process, self._process = self._process, None
        self._start_limit.stop()
        if process is None:
            return
        for signal in (
            process.readyReadStandardOutput,
            process.finished,
            process.errorOccurred,
            process.started,
        ):
            signal.disconnect()
        if process.state() != QProcess.ProcessState.NotRunning:
            # A helper stuck inside the engine's connect cannot be asked: kill it.
            process.kill()
            process.waitForFinished(2000)
        process.deleteLater()
        self._finish_sentence()

    def _give_up(self, error: str) -> None:
        """Mark the voice unavailable, stop the helper and try again later."""
        self.error = error
        if self.status != VOICE_UNAVAILABLE:
            log.warning("display voice unavailable: %s; calling with chime and picture", error)
        self._kill()
        self._set_status(VOICE_UNAVAILABLE)
        if not self._closing:
            self._retry.start()

    def _set_status(self, status: str) -> None:
        if status != self.status:
            self.status = status
            self.status_changed.emit(status)

    def _on_start_limit_timeout(self) -> None:
        seconds = self._start_limit.interval() / 1000
        self._give_up(f"the speech engine did not answer within {seconds:g} s")

    def _on_process_started(self) -> None:
        if self._process is not None:
            log.info("speech helper started (pid %d)", self._process.processId())

    def _on_process_error(self, error: QProcess.ProcessError) -> None:
        if error == QProcess.ProcessError.FailedToStart:
            self._give_up(f"the speech helper could not start ({self._command[0]})")

    def _on_process_finished(self, code: int, _status: QProcess.ExitStatus) -> None:
        self._give_up(f"the speech helper stopped (exit code {code})")

    def _on_process_ready_read(self) -> None:
        process = self._process
        if process is None:
            return
        self._buffer += bytes(process.readAllStandardOutput().data())
        *lines, self._buffer = self._buffer.split(b"\n")
        for line in lines:
            try:
                message = json.loads(line)
            except ValueError:
                continue  # a library printing on stdout: not for us
            if isinstance(message, dict):
                self._on_message(message)

    def _on_message(self, message: dict) -> None:
        event = message.get("event")
        if event == "ready":
            self._start_limit.stop()
            self.error = ""
            if self.status != VOICE_OK:
                log.info("display voice ready")
            self._set_status(VOICE_OK)
        elif event == "unavailable":
            self._give_up(str(message.get("error") or "no speech engine"))
        elif event == "finished" and message.get("id") == self._speaking:
            self._speaking = None
            spoke = bool(message.get("spoke", True))
            QTimer.singleShot(0, self._said if spoke else self._say_nothing)

    # -- speaking ---------------------------------------------------------------------------

    def say(self, text: str, language: str) -> None:
        process = self._process
        if self.status != VOICE_OK or process is None:
            QTimer.singleShot(0, self._say_nothing)
            return
        self._count += 1
        self._speaking = self._count
        line = json.dumps({"say": text, "language": language, "id": self._count}) + "\n"
        process.write(line.encode("utf-8"))

    def why_silent(self) -> str:
        if self.status == VOICE_UNAVAILABLE and self.error:
            return f"the voice is unavailable ({self.error})"
        return f"the voice is {self.status}"

    def stop(self) -> None:
        """Silence the sentence; an engine that overran is replaced by a fresh helper."""
        if self._speaking is None:
            return
        self._speaking = None
        # A sentence that overran its limit means a stuck engine: start a fresh one.
        if not self._closing:
            self.start()

    def _finish_sentence(self) -> None:
        if self._speaking is not None:
            self._speaking = None
            QTimer.singleShot(0, self._say_nothing)


# -- the helper process ---------------------------------------------------------------------


def _send(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


class _Commands(QObject):
    """Lines read from standard input by a thread, handed to the Qt thread by a signal."""

    received = Signal(dict)
    closed = Signal()

    def read_forever(self) -> None:
        for line in sys.stdin:
            try:
                command = json.loads(line)
            except ValueError:
                continue
            if isinstance(command, dict):
                self.received.emit(command)
        self.closed.emit()


def helper_main(engine: str = "") -> int:
    """Run the speech engine and obey the display's lines until its input closes."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtTextToSpeech import QTextToSpeech

    from display.announcer import SpeechVoice

    if sys.platform == "linux":
        # Die with the display even when it is killed outright: a helper stuck in the
        # engine's connect would otherwise stay behind, holding the wedged engine.
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    # This may block forever inside the engine's connect; the display then kills us.
    voice = SpeechVoice(engine)
    if voice.speech.state() == QTextToSpeech.State.Error:
        _send({"event": "unavailable", "error": voice.speech.errorString() or "engine error"})
        return 1
    _send({"event": "ready", "engine": voice.speech.engine()})

    current: list[int] = []

    def on_command(command: dict) -> None:
        if "say" in command:
            current[:] = [int(command.get("id", 0))]
            voice.say(str(command["say"]), str(command.get("language", "id")))

    def on_finished() -> None:
        if current:
            _send({"event": "finished", "id": current.pop(), "spoke": voice.spoke})

    commands = _Commands()
    commands.received.connect(on_command)
    commands.closed.connect(app.quit)
    voice.finished.connect(on_finished)
    threading.Thread(target=commands.read_forever, name="speech-commands", daemon=True).start()
    app.exec()
    # Never wait for an engine on the way out: the display is gone or wants us gone.
    sys.stdout.flush()
    os._exit(0)
