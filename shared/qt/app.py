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

from shared import __version__, i18n
from shared.clock import Clock
from shared.config import Config, load_config
from shared.errors import ConfigError, PSTError
from shared.operations import Operations
from shared.store import Store

log = logging.getLogger(__name__)


@dataclass
class AppContext:
    config: Config
    config_path: Path | None
    store: Store
    ops: Operations
    windowed: bool
    args: argparse.Namespace


def parser(program: str, description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog=program, description=description)
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
    """Parse arguments, configure logging and create the QApplication.

    Exits with a clear message (not a Qt abort) when there is no display or the
    configuration is wrong. Returns ``(app, context)``.
    """
    args = parser(program, description).parse_args(argv)
    logging.basicConfig(
        level=os.environ.get("PST_LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not has_display():
        sys.exit(
            f"{program}: no display found (DISPLAY is not set). Start it on the PC's desktop,"
            " or set QT_QPA_PLATFORM=offscreen for a test run."
        )
    try:
        ctx = context_from_args(args, program)
    except (ConfigError, PSTError) as exc:
        sys.exit(f"{program}: {exc.message}")

    from PySide6.QtGui import QFontDatabase
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName(program)
    app.setApplicationVersion(__version__)
    if not QFontDatabase.families():
        log.warning("no fonts found: text will not be readable (install fonts-dejavu-core)")
    return app, ctx
