"""Say every call aloud: the chime, then the spoken sentence, one call at a time.

Calls are queued and never overlap. Every spoken sentence has its own time limit,
because a speech engine can sit in "speaking" forever (speech-dispatcher without a
working audio server does); when the limit passes the engine is stopped and replaced,
and the next call plays. Nothing here ever waits: every step is a signal or a timer,
so the screen keeps moving whatever the sound system does. Without a voice the chime
still plays; without a sound device the chime ends at once and the picture carries on.
"""

from __future__ import annotations

import logging
import tempfile
import wave
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QObject, QTimer, QUrl, Signal
from PySide6.QtMultimedia import QSoundEffect
from PySide6.QtTextToSpeech import QTextToSpeech

from assets import path as asset_path
from display.clips import MissingClips, join_clips
from shared.devices.announce import announcements

log = logging.getLogger(__name__)

CHIME = asset_path("sounds", "chime.wav")
LOCALES = {"id": "id_ID", "en": "en_US"}


def wav_seconds(path: Path) -> float:
    """Length of a WAV file in seconds (0 when it cannot be read)."""
    try:
        with wave.open(str(path), "rb") as clip:
            return clip.getnframes() / float(clip.getframerate())
    except (OSError, wave.Error, EOFError, ZeroDivisionError):
        return 0.0


@dataclass(frozen=True)
class Announcement:
    """One call to be said: the number, the counter and the sentences in order.

    ``sentences`` holds ``(language, text)`` pairs: Indonesian first, then English
    when the office wants it.
    """

    number: str
    counter: str
    recall: bool
    sentences: tuple[tuple[str, str], ...]

    @classmethod
    def for_call(
        cls,
        number: str,
        counter: str,
        *,
        recall: bool = False,
        reading: str = "digits",
        english: bool = False,
    ) -> Announcement:
        texts = announcements(number, counter, recall=recall, reading=reading, english=english)
        return cls(number, counter, recall, tuple(zip(("id", "en"), texts, strict=False)))


class SoundPlayer(QObject):
    """Play one WAV file; ``finished`` fires when it ends, fails, or overruns its length.

    The overrun guard matters: on a PC whose sound device vanished, a sound effect may
    never report that it stopped.
    """

    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        #: Whether the last sound really played (False: no device, a broken file).
        self.played = False
        self._effect = QSoundEffect(self)
        self._effect.playingChanged.connect(self._on_playing_changed)
        self._effect.statusChanged.connect(self._on_status_changed)
        self._guard = QTimer(self)
        self._guard.setSingleShot(True)
        self._guard.timeout.connect(self._on_guard_timeout)
        self._active = False
        self._started = False

    def play(self, path: Path) -> None:
        self._active = True
        self._started = False
        self.played = False
        self._guard.start(int((wav_seconds(path) + 1.5) * 1000))
        url = QUrl.fromLocalFile(str(path))
        if self._effect.source() != url:
            self._effect.setSource(url)
        if self._effect.status() == QSoundEffect.Status.Error:
            QTimer.singleShot(0, self._done)
            return
        self._effect.play()

    def stop(self) -> None:
        self._active = False
        self._guard.stop()
        self._effect.stop()

    def _on_playing_changed(self) -> None:
        if self._effect.isPlaying():
            self._started = True
        elif self._started:
            self.played = True
            self._done()

    def _on_status_changed(self) -> None:
        if self._effect.status() == QSoundEffect.Status.Error:
            self._done()

    def _on_guard_timeout(self) -> None:
        log.info("sound did not report its end; carrying on")
        # It did start: the room most likely heard it.
        self.played = self._started
        self._effect.stop()
        self._done()

    def _done(self) -> None:
        if not self._active:
            return
        self._active = False
        self._guard.stop()
        self.finished.emit()


class Voice(QObject):
    """Something that says a sentence and emits ``finished`` when it is done.

    ``status`` is what the display's heartbeat reports: ``ok``, ``off`` (no voice
    configured), or for a voice that needs an engine ``starting`` / ``unavailable``.
    """

    finished = Signal()
    status = "ok"
    #: Whether the sentence that just finished was really spoken.
    spoke = False

    def start(self) -> None:
        """Get ready to speak; called once the board is on the wall, returns at once."""

    def shutdown(self) -> None:
        """Release the voice for good (the display is closing)."""

    def say(self, text: str, language: str) -> None:
        QTimer.singleShot(0, self._say_nothing)

    def why_silent(self) -> str:
        """Say, for the log, why a sentence was not spoken."""
        return f"the voice is {self.status}"

    def _say_nothing(self) -> None:
        self.spoke = False
        self.finished.emit()

    def _said(self) -> None:
        self.spoke = True
        self.finished.emit()

    def stop(self) -> None:
        """Stop speaking now; no ``finished`` follows."""


class SilentVoice(Voice):
    """No voice at all (``voice = "none"``): the chime and the picture do the calling."""

    status = "off"

    def why_silent(self) -> str:
        return "no voice is configured"


class SpeechVoice(Voice):
    """The speech engine of the PC through QtTextToSpeech (speech-dispatcher on Linux).

    ``engine`` names a QtTextToSpeech engine; empty means the platform's default.
    Creating it may block (see :mod:`display.speech`): the display runs it in a helper
    process; only that helper and tests with the ``mock`` engine build it directly.
    """

    def __init__(self, engine: str = "", parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._engine = engine
        self._speaking = False
        self._heard = False
        self._warned: set[str] = set()
        self._speech = self._new_engine()

    @property
    def speech(self) -> QTextToSpeech:
        """The engine in use (replaced after it hangs)."""
        return self._speech

    def _new_engine(self) -> QTextToSpeech:
        speech = QTextToSpeech(self._engine, self) if self._engine else QTextToSpeech(self)
        speech.stateChanged.connect(self._on_state_changed)
        return speech

    def why_silent(self) -> str:
        error = self._speech.errorString()
        return f"the speech engine reports an error ({error})" if error else "the engine was silent"

    def say(self, text: str, language: str) -> None:
        self._speaking = True
        self._heard = False
        if self._speech.state() == QTextToSpeech.State.Error:
            self._warn_once("error", "speech engine unavailable (%s)", self._speech.errorString())
            QTimer.singleShot(0, self._finish)
            return
        self._choose_locale(language)
        self._speech.say(text)

    def _choose_locale(self, language: str) -> None:
        wanted = QLocale(LOCALES.get(language, "id_ID"))
        available = self._speech.availableLocales()
        if any(loc.name() == wanted.name() for loc in available):
            if self._speech.locale().name() != wanted.name():
                self._speech.setLocale(wanted)
        elif available:
            # Better a foreign accent than silence: keep the engine's own voice.
            self._warn_once(language, "speech engine has no %s voice", wanted.name())

    def _warn_once(self, key: str, message: str, *args: object) -> None:
        if key not in self._warned:
            self._warned.add(key)
            log.warning(message, *args)

    def _on_state_changed(self, state: QTextToSpeech.State) -> None:
        # A replaced engine may still report on its way out: only the current one counts.
        if not self._speaking or self.sender() is not self._speech:
            return
        if state == QTextToSpeech.State.Speaking:
            self._heard = True
        elif state == QTextToSpeech.State.Error or (
            state == QTextToSpeech.State.Ready and self._heard
        ):
            self._finish()

    def _finish(self) -> None:
        if self._speaking:
            self._speaking = False
            self.spoke = self._heard and self._speech.state() != QTextToSpeech.State.Error
            self.finished.emit()

    def stop(self) -> None:
        self._speaking = False
        old = self._speech
        old.stop()
        # An engine stuck in "speaking" rarely recovers by itself: start a fresh one.
        old.deleteLater()
        self._speech = self._new_engine()


class ClipVoice(Voice):
    """A recorded voice: one WAV per word in ``folder`` (see :mod:`display.clips`)."""

    def __init__(self, folder: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.folder = Path(folder)
        self._player = SoundPlayer(self)
        self._player.finished.connect(self._on_player_finished)
        self._scratch = tempfile.TemporaryDirectory(prefix="pst-display-")
        self._count = 0
        self._warned: set[str] = set()
        self._problem = ""

    def why_silent(self) -> str:
        return self._problem or "the recording could not play (no sound device?)"

    def _on_player_finished(self) -> None:
        self.spoke = self._player.played
        self.finished.emit()

    def say(self, text: str, language: str) -> None:
        self._count += 1
        # A new file name every time: a sound effect keeps the samples of a URL it knows.
        target = Path(self._scratch.name) / f"call-{self._count}.wav"
        old = Path(self._scratch.name) / f"call-{self._count - 2}.wav"
        old.unlink(missing_ok=True)
        try:
            join_clips(self.folder, text, target)
        except (MissingClips, OSError, wave.Error, EOFError) as exc:
            self._problem = f"the recorded voice cannot say it ({exc})"
            if str(exc) not in self._warned:
                self._warned.add(str(exc))
                log.warning("cannot say %r with the clips in %s: %s", text, self.folder, exc)
            QTimer.singleShot(0, self._say_nothing)
            return
        self._problem = ""
        self._player.play(target)

    def stop(self) -> None:
        self._player.stop()


class Announcer(QObject):
    """Queue calls and play each one: chime, then its sentences, then a short pause.

    ``announcement_finished`` carries how it ended, as the room heard it: ``"spoken"``
    (the voice said it), ``"chime_only"`` (the chime played, the voice said nothing),
    ``"silent"`` (neither sounded: no voice and no sound device), ``"timed_out"`` (the
    voice overran its limit and was stopped) or ``"interrupted"`` (cut short after an
    unexpected error). :meth:`describe` turns that into a sentence for the log.
    ``busy_changed(True)`` comes before the first chime and ``busy_changed(False)``
    after the last call in the queue, so a video can stay muted in between.
    """

    announcement_queued = Signal(object)
    announcement_started = Signal(object)
    announcement_finished = Signal(object, str)
    busy_changed = Signal(bool)

    def __init__(
        self,
        voice: Voice,
        *,
        chime: Path | None = CHIME,
        timeout_seconds: float = 12.0,
        pause_ms: int = 400,
        max_waiting: int = 10,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.voice = voice
        voice.setParent(self)
        self.chime = chime if chime and Path(chime).is_file() else None
        self.max_waiting = max_waiting
        self._waiting: deque[Announcement] = deque()
        self._current: Announcement | None = None
        self._sentence = 0
        self._spoken = 0
        self._chimed: bool | None = None
        self._player = SoundPlayer(self)
        self._player.finished.connect(self._on_chime_finished)
        voice.finished.connect(self._on_voice_finished)
        self._limit = QTimer(self)
        self._limit.setSingleShot(True)
        self._limit.setInterval(int(timeout_seconds * 1000))
        self._limit.timeout.connect(self._on_limit_timeout)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(pause_ms)
        self._pause.timeout.connect(self._start_next)

    @property
    def busy(self) -> bool:
        return self._current is not None or bool(self._waiting) or self._pause.isActive()

    @property
    def waiting(self) -> int:
        return len(self._waiting)

    def enqueue(self, announcement: Announcement) -> None:
        """Add a call to the queue; it plays after the calls before it."""
        was_busy = self.busy
        self._waiting.append(announcement)
        while len(self._waiting) > self.max_waiting:
            dropped = self._waiting.popleft()
            log.info("too many calls at once: %s is shown but not announced", dropped.number)
        self.announcement_queued.emit(announcement)
        if not was_busy:
            self.busy_changed.emit(True)
            self._start_next()

    def clear(self) -> None:
        """Forget waiting calls and silence the one playing (used when closing)."""
        self._waiting.clear()
        self._pause.stop()
        self._limit.stop()
        self._player.stop()
        if self._current is not None:
            self.voice.stop()
            self._current = None
            self.busy_changed.emit(False)

    def _start_next(self) -> None:
        if self._current is not None or not self._waiting:
            return
        self._current = self._waiting.popleft()
        self._sentence = 0
        self._spoken = 0
        self._chimed = None
        self.announcement_started.emit(self._current)
        if self.chime is not None:
            self._player.play(self.chime)
        else:
            self._speak_next()

    def _on_chime_finished(self) -> None:
        if self._current is not None:
            self._chimed = self._player.played
            self._speak_next()

    def _speak_next(self) -> None:
        current = self._current
        if current is None:
            return
        if self._sentence >= len(current.sentences):
            if self._spoken:
                self._finish("spoken")
            else:
                self._finish("chime_only" if self._chimed else "silent")
            return
        language, text = current.sentences[self._sentence]
        self._limit.start()
        self.voice.say(text, language)

    def _on_voice_finished(self) -> None:
        if self._current is None:
            return
        self._limit.stop()
        self._spoken += int(bool(self.voice.spoke))
        self._sentence += 1
        self._speak_next()

    def _on_limit_timeout(self) -> None:
        if self._current is None:
            return
        log.warning("speech for %s took too long; stopping it", self._current.number)
        self.voice.stop()
        self._finish("timed_out")

    def describe(self, announcement: Announcement, how: str) -> str:
        """Say in a log line what the room heard of ``announcement`` (just finished)."""
        call = f"call {announcement.number} at {announcement.counter}"
        chime = {True: "chime", False: "the chime did not play", None: "no chime"}[self._chimed]
        if how == "spoken":
            if self._chimed:
                return f"{call} announced: chime and voice"
            return f"{call} announced by voice ({chime})"
        if how == "chime_only":
            return f"{call} shown and chimed, not spoken: {self.voice.why_silent()}"
        if how == "silent":
            return (
                f"{call} shown only, nothing heard: {chime}; not spoken: {self.voice.why_silent()}"
            )
        if how == "timed_out":
            return f"{call}: the voice took too long and was stopped ({chime})"
        return f"{call}: its announcement was cut short by an unexpected error"

    def recover(self) -> None:
        """End the call being announced and go on with the next (after an unexpected error).

        A failure inside a call can leave the announcer waiting for a signal that never
        comes; the call stays on the screen, its sound stops, the queue moves on.
        """
        if self._current is not None:
            self._player.stop()
            self.voice.stop()
            self._finish("interrupted")
        elif self._waiting and not self._pause.isActive():
            self._pause.start()

    def _finish(self, outcome: str) -> None:
        done, self._current = self._current, None
        self._limit.stop()
        self.announcement_finished.emit(done, outcome)
        if self._waiting:
            self._pause.start()
        else:
            self.busy_changed.emit(False)
