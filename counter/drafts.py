"""Officer notes kept on this PC while they are typed, so neither a crash nor the share
going away loses them.

One small file per ticket, written atomically on every change; removed once the notes
reached the database with *finish* or *transfer*. The folder is local on purpose: the
draft must be writable exactly when the shared folder is not.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from pathlib import Path

import platformdirs

from shared.install.config import APP_NAME

log = logging.getLogger(__name__)


def default_folder(config_path: Path | None) -> Path:
    """Return the drafts folder: beside the machine's config file, else the user data dir."""
    if config_path is not None:
        return config_path.resolve().parent / "counter-drafts"
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "counter-drafts"


class DraftBook:
    """Notes drafts keyed by ticket code (unique across days, unlike the number)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _file(self, ticket_code: str) -> Path:
        safe = "".join(ch for ch in ticket_code if ch.isalnum())
        return self.folder / f"{safe}.json"

    def save(self, ticket_code: str, number: str, text: str) -> bool:
        """Write the draft; return False (and log) when even the local disk refuses."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            file = self._file(ticket_code)
            tmp = file.with_suffix(".tmp")
            tmp.write_text(
                json.dumps({"code": ticket_code, "number": number, "notes": text}),
                encoding="utf-8",
            )
            os.replace(tmp, file)
        except OSError:
            log.exception("could not save the notes draft of %s", number)
            return False
        return True

    def load(self, ticket_code: str) -> str | None:
        """Return the draft of a ticket, or None when there is none."""
        try:
            data = json.loads(self._file(ticket_code).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        notes = data.get("notes") if isinstance(data, dict) else None
        return notes if isinstance(notes, str) else None

    def discard(self, ticket_code: str) -> None:
        with contextlib.suppress(OSError):
            self._file(ticket_code).unlink()
