"""Get back to a consistent screen after an exception in a slot.

Qt does not stop on an exception raised in a slot: PySide6 hands it to
``sys.excepthook`` and the event loop goes on, with whatever the slot had half done still
on screen (a language half switched, a form half wiped). Each program registers how it
returns to a consistent view (the kiosk: an empty welcome screen in its default
language; the console and the display: their last consistent view, read again from the
database) with :meth:`Recovery.on_error`. The hook logs the traceback once, counts the
recovery and runs the handlers on the next turn of the event loop, outside the failed
slot. A handler that fails itself leaves no safe screen, and an error that comes back
again and again (six in 30 seconds) is not healed by reading the screen again: the program
then ends with status 70, so that its supervisor (or the office's autostart) starts it
afresh.
"""

from __future__ import annotations

import logging
import sys
import time
from collections import deque
from collections.abc import Callable

log = logging.getLogger(__name__)

#: Exit status when even the recovery failed (EX_SOFTWARE).
RECOVERY_FAILED = 70
#: This many errors within :data:`STORM_SECONDS` end the program instead.
STORM_ERRORS = 6
STORM_SECONDS = 30.0


def _reached_the_top(traceback) -> bool:
    """Tell whether an exception unwound the whole stack (rather than ending in a slot).

    A slot is called by Qt from inside ``exec()``, so its frame still has callers below
    it; an exception that ends the program has unwound every frame down to the first.
    """
    return traceback is None or traceback.tb_frame.f_back is None


class Recovery:
    """The program's answer to an unexpected exception in its user interface."""

    def __init__(self, program: str, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.program = program
        self._monotonic = monotonic
        self._recent: deque[float] = deque(maxlen=STORM_ERRORS)
        #: Recoveries since the program started.
        self.count = 0
        self._handlers: list[Callable[[], None]] = []
        self._pending = False
        self._previous = None

    def on_error(self, handler: Callable[[], None]) -> None:
        """Run ``handler`` after an unexpected error, to put the screen back in order."""
        self._handlers.append(handler)

    def install(self) -> Recovery:
        """Become ``sys.excepthook`` (Ctrl+C still goes to the previous hook)."""
        self._previous = sys.excepthook
        sys.excepthook = self.handle
        return self

    def uninstall(self) -> None:
        if self._previous is not None and sys.excepthook == self.handle:
            sys.excepthook = self._previous
        self._previous = None

    def handle(self, kind, value, traceback) -> None:
        """Log the error once and schedule the recovery (the ``sys.excepthook``)."""
        if issubclass(kind, KeyboardInterrupt) and self._previous is not None:
            self._previous(kind, value, traceback)
            return
        from PySide6.QtCore import QCoreApplication, QTimer

        if QCoreApplication.instance() is None or _reached_the_top(traceback):
            # Not raised in a slot: it went through the whole stack and ends the program.
            log.critical(
                "%s stopped by an unexpected error", self.program, exc_info=(kind, value, traceback)
            )
            return
        self.count += 1
        log.error(
            "%s: unexpected error in the user interface; the program goes on and returns"
            " to a consistent screen (recovery %d since start)",
            self.program,
            self.count,
            exc_info=(kind, value, traceback),
        )
        if self._pending:
            return  # one recovery answers every error of the same turn of the event loop
        self._recent.append(self._monotonic())
        if len(self._recent) == STORM_ERRORS and self._recent[-1] - self._recent[0] < STORM_SECONDS:
            log.critical(
                "%s stopped: %d unexpected errors within %d seconds; it ends so that it is"
                " started afresh",
                self.program,
                STORM_ERRORS,
                STORM_SECONDS,
            )
            QCoreApplication.exit(RECOVERY_FAILED)
            return
        self._pending = True
        QTimer.singleShot(0, self.recover)

    def recover(self) -> None:
        """Run every handler now; end the program if one of them fails."""
        self._pending = False
        for handler in list(self._handlers):
            try:
                handler()
            except Exception:
                log.critical(
                    "%s stopped: it could not return to a consistent screen after an"
                    " unexpected error",
                    self.program,
                    exc_info=True,
                )
                from PySide6.QtCore import QCoreApplication

                QCoreApplication.exit(RECOVERY_FAILED)
                return
        log.info("%s: screen back in a consistent state", self.program)
