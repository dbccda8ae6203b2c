"""Wire the display together: change poller → board reader → screen and announcer."""

from __future__ import annotations

import logging
import time
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from display.announcer import (
    CHIME,
    Announcement,
    Announcer,
    ClipVoice,
    SilentVoice,
    Voice,
)
from display.board import Board, Call
from display.reader import BoardReader
from display.speech import EngineProcessVoice
from display.window import DisplayWindow
from shared.clock import Clock, service_day
from shared.install.config import DisplaySection
from shared.storage.store import Store

log = logging.getLogger(__name__)

POLL_INTERVAL_MS = 100
# "More than a few seconds": a share that hiccups for a moment should not alarm the room.
CONNECTION_GRACE_MS = 3000


def make_voice(settings: DisplaySection, engine: str = "") -> Voice:
    """The voice the configuration asks for (``qt``, ``clips`` or ``none``).

    The PC's speech engine runs in a helper process (see :mod:`display.speech`).
    """
    if settings.voice == "qt":
        return EngineProcessVoice(engine)
    if settings.voice == "clips":
        return ClipVoice(Path(settings.clips_folder).expanduser())
    return SilentVoice()


class DisplayController(QObject):
    """Keep the screen and the loudspeaker in step with the shared database.

    ``call_shown(Call)`` fires when a number becomes "now calling" on the screen;
    ``board_shown(Board)`` after every board, the first one included.
    """

    call_shown = Signal(object)
    board_shown = Signal(object)

    def __init__(
        self,
        store: Store,
        clock: Clock,
        settings: DisplaySection,
        *,
        voice: Voice | None = None,
        chime: Path | None = CHIME,
        poll_interval_ms: int = POLL_INTERVAL_MS,
        grace_ms: int = CONNECTION_GRACE_MS,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.grace_ms = grace_ms
        self.window = DisplayWindow(
            clock, history=settings.history_size, media_folder=settings.media_folder
        )
        self.announcer = Announcer(
            voice or make_voice(settings),
            chime=chime,
            timeout_seconds=settings.announce_timeout_seconds,
            parent=self,
        )
        self.reader = BoardReader(
            store,
            clock,
            interval_ms=poll_interval_ms,
            grace_ms=grace_ms,
            history=settings.history_size,
            parent=self,
        )
        self.board: Board | None = None
        self._started_at = time.monotonic()
        self._voice_started = False
        self._recoveries: list[float] = []
        self._screen_resets: dict = {}
        self._clock = clock
        # Calls of the board being shown that are not queued for the loudspeaker yet.
        self._unannounced: list[Call] = []

        self.reader.board_read.connect(self._on_reader_board_read)
        self.reader.unavailable.connect(self._on_reader_unavailable)
        self.reader.available.connect(self._on_reader_available)
        self.announcer.busy_changed.connect(self.window.set_announcing)
        self.announcer.announcement_finished.connect(self._on_announcer_announcement_finished)

    @property
    def connection_lost(self) -> bool:
        return self.window.banner.isVisibleTo(self.window)

    def start(self) -> None:
        self._started_at = time.monotonic()
        self.reader.start()

    def stop(self) -> None:
        """Stop polling and reading and silence the loudspeaker (blocks briefly)."""
        self.announcer.voice.shutdown()
        self.reader.stop()
        self.announcer.clear()

    def heartbeat_status(self) -> dict:
        """What the heartbeat tells the consoles: the voice's state (``ok``, ``off``,
        ``starting``, ``unavailable``)."""
        return {"voice": self.announcer.voice.status, **self._screen_resets}

    def _on_reader_board_read(self, board: Board) -> None:
        self.board = board
        self._unannounced = list(board.new_calls)
        self._after_board(self.window.show_board(board))

    def _after_board(self, shown: Call | None) -> None:
        board = self.board
        if not self._voice_started:
            # The board is on the wall: only now may the speech engine start.
            self._voice_started = True
            self.announcer.voice.start()
            log.info(
                "board shown %.0f ms after start: %d counters, %d services",
                (time.monotonic() - self._started_at) * 1000,
                len(board.counters),
                len(board.queues),
            )
        while self._unannounced:
            self._announce(self._unannounced.pop(0))
        if shown is not None:
            log.info("now calling %s at %s", shown.number, shown.counter)
            self.call_shown.emit(shown)
        self.board_shown.emit(board)

    def recover(self) -> None:
        """Put the last board back on the wall after an unexpected error in a slot.

        The board the failure interrupted is shown again from the start (its calls not
        yet announced are announced, once), a call stuck in the announcer ends, and a
        fresh board is read from the database. The sixth recovery in 30 seconds raises:
        the program then ends for a fresh start (see :mod:`shared.qt.recovery`).
        """
        now = time.monotonic()
        self._recoveries = [t for t in self._recoveries if now - t < 30] + [now]
        if len(self._recoveries) > 5:
            # The fault comes back at once: the program ends and its autostart starts it.
            raise RuntimeError("the display failed again and again within 30 seconds")
        day = service_day(
            self._clock.now_ms(), self.board.timezone if self.board else "Asia/Jakarta"
        )
        count = self._screen_resets.get("screen_resets", 0)
        if self._screen_resets.get("screen_resets_day") != day:
            count = 0
        # The supervisor sees how often the display reset its screen today.
        self._screen_resets = {"screen_resets": count + 1, "screen_resets_day": day}
        self.announcer.recover()
        if self.board is not None:
            self.window.forget_call()
            self._after_board(self.window.show_board(self.board))
        self.reader.request()

    def _announce(self, call: Call) -> None:
        self.announcer.enqueue(
            Announcement.for_call(
                call.number,
                call.counter,
                recall=call.recall,
                reading=self.settings.number_reading,
                english=self.settings.english_announcement,
            )
        )

    def _on_announcer_announcement_finished(self, announcement: Announcement, how: str) -> None:
        # What the room heard, never more: a call the voice could not say is not "announced".
        line = self.announcer.describe(announcement, how)
        if how in ("spoken", "chime_only") or self.announcer.voice.status == "off":
            log.info("%s", line)
        else:
            log.warning("%s", line)

    def _on_reader_unavailable(self, message: str) -> None:
        log.warning("queue database unreachable: %s", message)
        self.window.set_connection_lost(True)

    def _on_reader_available(self) -> None:
        log.info("queue database reachable again")
        self.window.set_connection_lost(False)
