"""Entry point of ``pst-counter``: start the console on this PC's configuration."""

from __future__ import annotations

import logging
import sys

from assets import path as asset_path
from shared.errors import PSTError
from shared.qt.app import bootstrap

log = logging.getLogger(__name__)


def style_sheet() -> str:
    """Return the console's Qt style sheet (empty when the file is missing)."""
    try:
        return asset_path("counter", "console.qss").read_text(encoding="utf-8")
    except OSError:
        log.warning("console.qss not found: the console uses Qt's plain look")
        return ""


def main(argv: list[str] | None = None) -> int:
    """Run the counter console until its window is closed."""
    app, ctx = bootstrap(
        "pst-counter", "Antrian PST counter console", sys.argv[1:] if argv is None else argv
    )
    from counter.window import ConsoleWindow

    try:
        ctx.store.quick_check()
    except PSTError as exc:
        # The share may be down at start (or the database not yet upgraded): the console
        # still opens, shows the banner and waits for the database to come back.
        log.warning("database not ready at start: %s", exc.message)
    app.setStyleSheet(style_sheet())
    window = ConsoleWindow(ctx)
    if ctx.recovery is not None:
        ctx.recovery.on_error(window.recover)
    if ctx.windowed:
        window.resize(1366, 768)
        window.show()
    else:
        window.showFullScreen()
    window.start()
    code = app.exec()
    window.stop()
    return code


if __name__ == "__main__":
    sys.exit(main())
