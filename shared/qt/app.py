"""Start-up shared by the three programs: arguments, configuration, Qt, fonts, logging.

Each program's ``main()`` calls :func:`bootstrap` and then builds its own window; the
returned :class:`AppContext` carries the configuration, store and operations.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from shared import __version__, i18n
from shared.clock import Clock
from shared.errors import ConfigError, PSTError
from shared.i18n import N_, _
from shared.install.config import Config, load_config
from shared.install.logs import log_file, setup_logging
from shared.qt.recovery import Recovery
from shared.queue.operations import Operations
from shared.storage.store import Store

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    config: Config
    config_path: Path | None
    store: Store
    ops: Operations
    windowed: bool
    args: argparse.Namespace
    #: Register with ``recovery.on_error(...)`` how the program's screen gets back to a
    #: consistent state after an exception in a slot.
    recovery: Recovery | None = None


def parser(program: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=program,
        description=description,
        epilog=f"Log file: {log_file(program)}",
        # A path broken over two lines cannot be copied.
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--db", help="database file (default: from the configuration)")
    p.add_argument("--config", help="configuration file (TOML)")
    p.add_argument("--windowed", action="store_true", help="normal window, not full screen")
    p.add_argument("--lang", choices=i18n.LANGUAGES, help="language (id or en)")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def has_display() -> bool:
    """Tell whether Qt can open a window here (Linux without X/Wayland cannot)."""
    if sys.platform != "linux":
        return True
    if os.environ.get("QT_QPA_PLATFORM", "").startswith(("offscreen", "minimal", "vnc")):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


FIRST_PAINT_ENV = "PST_EXIT_AFTER_FIRST_PAINT"


def exit_after_first_paint(app) -> None:
    """Quit ``app`` once a window has painted, when ``$PST_EXIT_AFTER_FIRST_PAINT`` is 1.

    For checking that a built bundle starts: it prints ``first paint: <window>`` and
    the program ends with status 0 the usual way.
    """
    if os.environ.get(FIRST_PAINT_ENV) != "1":
        return
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, watched, event) -> bool:
            if event.type() == QEvent.Type.Paint and getattr(watched, "isWindow", bool)():
                app.removeEventFilter(self)
                print(f"first paint: {watched.objectName() or type(watched).__name__}", flush=True)
                # exit(), not quit(): a locked kiosk refuses the close that quit() asks for.
                QTimer.singleShot(0, lambda: app.exit(0))
            return False

    app._first_paint = FirstPaint(app)
    app.installEventFilter(app._first_paint)


def start_detached(command: list[str]) -> bool:
    """Start a program that outlives this one (e.g. ``pst-setup``); tell whether it started."""
    from PySide6.QtCore import QProcess

    started, _pid = QProcess.startDetached(command[0], command[1:])
    return bool(started)


def context_from_args(
    args: argparse.Namespace, program: str, clock: Clock | None = None
) -> AppContext:
    """Load configuration and open the store without any Qt (testable on its own)."""
    config = load_config(args.config)
    if args.lang:
        config.machine.language = args.lang
    if args.db:
        config.database.path = args.db
    i18n.set_language(config.machine.language)
    store = Store(
        config.database_path(),
        busy_timeout_ms=config.database.busy_timeout_ms,
        retry_seconds=config.database.retry_seconds,
        allow_wal_on_local_disk=config.database.allow_wal_on_local_disk,
        # A program never creates or upgrades the database (only pst-admin init does):
        # a PC that starts before its share is connected waits instead of starting a
        # second, empty queue.
        create=False,
    )
    ops = Operations(store, clock=clock, machine=config.machine.name, program=program)
    return AppContext(
        config, Path(args.config) if args.config else None, store, ops, args.windowed, args
    )


def bootstrap(program: str, description: str, argv: list[str] | None = None):
    """Parse arguments, start the log file and create the QApplication.

    A wrong configuration or a missing display ends the program with one clear
    sentence, written to the log file and, where a window can open, shown in a dialog
    (a PC without a console must never fail silently). Returns ``(app, context)``.
    """
    args = parser(program, description).parse_args(argv)
    setup_logging(program)
    recovery = Recovery(program).install()
    if not has_display():
        fatal(
            program,
            f"{program}: no display found (DISPLAY is not set). Start it on the PC's desktop,"
            " or set QT_QPA_PLATFORM=offscreen for a test run.",
        )
    try:
        ctx = context_from_args(args, program)
    except (ConfigError, PSTError) as exc:
        fatal(program, exc.message)
    ctx.recovery = recovery

    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(program)
    app.setApplicationVersion(__version__)
    # Qt's own dialogs and menus (save dialog, Yes/No, Copy/Paste) in the person's language.
    from shared.qt.translator import install_qt_translations

    install_qt_translations(app, ctx.config.machine.language)
    if not QFontDatabase.families():
        log.warning("no fonts found: text will not be readable (install fonts-dejavu-core)")
    log.info("%s %s started; database %s", program, __version__, ctx.config.database_path())
    exit_after_first_paint(app)
    return app, ctx


def fatal(program: str, message: str) -> NoReturn:
    """End the program at start-up: log ``message``, show it in a dialog, exit with 1.

    ``$PST_DIALOG_TIMEOUT_SECONDS`` closes the dialog by itself after that many
    seconds (for unattended starts); by default it waits for OK.
    """
    log.critical("%s cannot start: %s", program, message)
    print(f"{program}: {message}", file=sys.stderr)
    if has_display():
        try:
            show_fatal_dialog(program, message)
        except Exception:  # the dialog is a courtesy: the log already has the sentence
            log.exception("could not show the start-up error dialog")
    raise SystemExit(1)


def show_fatal_dialog(program: str, message: str) -> None:
    """Show why the program cannot start, and where its log file is."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    app = QApplication.instance() or QApplication(sys.argv[:1])
    box = QMessageBox(QMessageBox.Icon.Critical, program, message)
    box.setObjectName("fatalDialog")
    box.setInformativeText(
        _(N_("{program} cannot start. Log file: {path}"), program=program, path=log_file(program))
    )
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    timeout = float(os.environ.get("PST_DIALOG_TIMEOUT_SECONDS", "0") or 0)
    if timeout > 0:
        QTimer.singleShot(int(timeout * 1000), box.accept)
    box.exec()
    del app
