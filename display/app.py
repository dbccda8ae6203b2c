"""Start ``pst-display``: the chosen screen, full screen, polling the shared database.

``pst-display --db PATH --config FILE --windowed --lang id|en``. The ``[display]``
section of the configuration picks the screen, the voice (``qt``, ``clips`` or
``none``), digits or words, an English second announcement and a media folder.
``PST_SPEECH_ENGINE`` names a QtTextToSpeech engine other than the platform's
default (``mock`` keeps a test run silent). The engine runs in a helper process
(``pst-display --speech-helper``, started by the display itself), so a speech service
that never answers cannot keep the window from showing or the display from stopping.
"""

from __future__ import annotations

import logging
import os
import signal

from shared.errors import PSTError
from shared.i18n import _

log = logging.getLogger(__name__)


def main(argv: list[str] | None = None) -> int:
    """Run the display until it is closed; returns the exit code."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["--speech-helper"]:
        import shared.qt  # noqa: F401  (guards against PySide6 6.12 on Python 3.11)
        from display.speech import helper_main

        return helper_main(args[1] if len(args) > 1 else "")

    from shared.qt.app import bootstrap  # importing shared.qt guards against PySide6 6.12

    app, ctx = bootstrap("pst-display", "Waiting-room display of Antrian PST", argv)

    # Ctrl+C in a terminal and SIGTERM from the desktop session close the display cleanly,
    # also when they come while the window is still being built.
    stopping = []

    def on_signal(*_args) -> None:
        stopping.append(True)
        app.quit()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QFont

    from display.controller import DisplayController, make_voice
    from display.widgets import FONT_FAMILY
    from shared.qt.heartbeat import HeartbeatTimer

    # The display must never create an empty database where the share should be: a
    # missing file is an unreachable share, shown as such until it comes back.
    ctx.store.create = False
    try:
        ctx.store.quick_check()
    except PSTError as exc:
        # Not there yet (the share) or damaged: the board says so and keeps trying.
        log.warning("database not ready at start: %s", exc.message)
    app.setFont(QFont(FONT_FAMILY))
    settings = ctx.config.display
    controller = DisplayController(
        ctx.store,
        ctx.ops.clock,
        settings,
        voice=make_voice(settings, os.environ.get("PST_SPEECH_ENGINE", "")),
        poll_interval_ms=settings.poll_interval_ms,
    )
    if ctx.recovery is not None:
        ctx.recovery.on_error(controller.recover)
    controller.window.setWindowTitle(_("Queue display"))
    controller.window.show_on_screen(settings.screen, windowed=ctx.windowed)
    heartbeat = HeartbeatTimer(
        ctx.ops, seconds=10, status=controller.heartbeat_status, parent=controller
    )
    # A new voice state reaches the consoles now, not at the next beat.
    status_changed = getattr(controller.announcer.voice, "status_changed", None)
    if status_changed is not None:
        status_changed.connect(heartbeat.beat_now)
    controller.start()
    heartbeat.start()

    wake = QTimer()
    wake.start(200)  # lets Python run its signal handlers while Qt's loop runs
    wake.timeout.connect(lambda: None)

    code = 0 if stopping else app.exec()
    heartbeat.stop()
    controller.stop()
    ctx.store.close()
    return code
