"""``pst-setup``: the first-run wizard of a PC (also started from the programs' settings).

Options: ``--config FILE`` (default: this PC's usual configuration file) and
``--lang id|en``. Writes the configuration, an autostart entry for the PC's role and,
if asked, desktop shortcuts; running it again edits them.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

DESCRIPTION = "Set up this PC for Antrian PST: its role, the shared database, its devices."


def desktop_folder() -> Path:
    """Return this user's desktop folder."""
    import platformdirs

    return Path(platformdirs.user_desktop_dir())


def build_parser() -> argparse.ArgumentParser:
    """Return pst-setup's command line (nothing of Qt is imported)."""
    from shared import __version__, i18n

    parser = argparse.ArgumentParser(prog="pst-setup", description=DESCRIPTION)
    parser.add_argument("--config", help="configuration file to write (default: this PC's)")
    parser.add_argument("--lang", choices=i18n.LANGUAGES, help="language (id or en)")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the wizard until it is finished or cancelled; return the exit status (0)."""
    from shared.clock import Clock
    from shared.errors import ConfigError
    from shared.install.config import Config, default_config_path, load_config
    from shared.qt.app import exit_after_first_paint, has_display

    args = build_parser().parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=os.environ.get("PST_LOG_LEVEL", "INFO"))
    if not has_display():
        sys.exit("pst-setup: no display found (DISPLAY is not set). Start it on the PC's desktop.")
    config_path = Path(args.config) if args.config else default_config_path()
    try:
        config = load_config(config_path) if config_path.exists() else Config()
    except ConfigError as exc:
        # A broken file is replaced by what the wizard writes; start from the defaults.
        logging.getLogger(__name__).warning("%s", exc.message)
        config = Config()
    if args.lang:
        config.machine.language = args.lang

    from PySide6.QtWidgets import QApplication

    from setup_wizard.wizard import SetupWizard

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("pst-setup")
    exit_after_first_paint(app)
    wizard = SetupWizard(
        config,
        config_path,
        clock=Clock(),
        desktop=desktop_folder(),
        speech_engine=os.environ.get("PST_SPEECH_ENGINE", ""),
    )
    wizard.resize(900, 640)
    wizard.show()
    code = app.exec()
    wizard.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
