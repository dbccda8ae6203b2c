"""Log files a person can find: one rotating file per program in the platform's log folder.

The programs are windowed applications without a console on Windows, so stderr goes
nowhere there; the log file is where a misconfigured kiosk says what went wrong.
``%LOCALAPPDATA%\\antrian-pst\\Logs\\pst-kiosk.log`` on Windows,
``~/.local/state/antrian-pst/log/pst-kiosk.log`` on Linux; ``$PST_LOG_DIR`` overrides
the folder. Each file is kept to 1 MB, with five older ones beside it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

import platformdirs

from shared.install.config import APP_NAME

MAX_BYTES = 1_000_000
BACKUPS = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_folder() -> Path:
    """The folder of this user's log files (not created here)."""
    override = os.environ.get("PST_LOG_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def log_file(program: str) -> Path:
    """The log file of ``program`` (``pst-kiosk``, ``pst-counter``, ``pst-display``…)."""
    return log_folder() / f"{program}.log"


def setup_logging(program: str, level: str | None = None, *, stderr: bool = True) -> Path | None:
    """Send this process's log to its rotating file (and to stderr); return the file.

    Returns None when the log folder cannot be written (the log then goes to stderr
    only, and the program still starts). ``stderr`` False keeps a command line tool's
    output to its own sentences.
    """
    root = logging.getLogger()
    root.setLevel(level or os.environ.get("PST_LOG_LEVEL", "INFO"))
    formatter = logging.Formatter(FORMAT)
    has_stream = any(getattr(h, "_pst_stderr", False) for h in root.handlers)
    if stderr and not has_stream and sys.stderr:
        stream = logging.StreamHandler()
        stream.setFormatter(formatter)
        stream._pst_stderr = True  # type: ignore[attr-defined]
        root.addHandler(stream)
    path = log_file(program)
    for handler in root.handlers:
        if getattr(handler, "baseFilename", None) == str(path.absolute()):
            return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=False
        )
    except OSError as exc:
        logging.getLogger(__name__).warning("cannot write the log file %s: %s", path, exc)
        return None
    handler.setFormatter(formatter)
    root.addHandler(handler)
    return path
