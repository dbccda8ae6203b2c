"""Start ``pst-display``: the chosen screen, full screen, polling the shared database.

``pst-display --db PATH --config FILE --windowed --lang id|en``. The ``[display]``
section of the configuration picks the screen, the voice (``qt``, ``clips`` or
``none``), digits or words, an English second announcement and a media folder.
``PST_SPEECH_ENGINE`` names a QtTextToSpeech engine other than the platform's
default (``mock`` keeps a test run silent).
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
    from shared.qt.app import bootstrap  # importing shared.qt guards against PySide6 6.12

    app, ctx = bootstrap("pst-display", "Waiting-room display of Antrian PST", argv)

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
    controller.window.setWindowTitle(_("Queue display"))
    controller.window.show_on_screen(settings.screen, windowed=ctx.windowed)
    heartbeat = HeartbeatTimer(ctx.ops, seconds=10, parent=controller)
    controller.start()
    heartbeat.start()

    # Ctrl+C in a terminal and SIGTERM from the desktop session close the display cleanly.
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    wake = QTimer()
    wake.start(500)  # lets Python run its signal handlers while Qt's loop runs
    wake.timeout.connect(lambda: None)

    code = app.exec()
    heartbeat.stop()
    controller.stop()
    ctx.store.close()
    return code
