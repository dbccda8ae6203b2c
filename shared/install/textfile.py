"""Read a text file an administrator wrote (a PIN, a password, settings), or say why not.

Notepad on Windows may save UTF-16 or a byte-order mark; a path may be a folder or name
no file. Each case is one translated sentence, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

from shared.errors import UsageError
from shared.i18n import N_, Msg


def read_text_file(path: str, what: str) -> str:
    """Read a UTF-8 text file an administrator wrote, or say plainly why it cannot be used."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise UsageError(
            N_("The {what} file {path} does not exist."), what=Msg(what), path=path
        ) from None
    except IsADirectoryError:
        raise UsageError(
            N_("{path} is a folder, not a {what} file."), what=Msg(what), path=path
        ) from None
    except OSError as exc:
        raise UsageError(
            N_("The {what} file {path} cannot be read ({problem})."),
            what=Msg(what),
            path=path,
            problem=exc.strerror or type(exc).__name__,
        ) from None
    except ValueError:  # a NUL character in the path: no file can have that name
        raise UsageError(
            N_("The {what} file {path} does not exist."), what=Msg(what), path=path
        ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data:
        raise UsageError(
            N_(
                "The {what} file {path} is not UTF-8 text (it looks like UTF-16). Save it as"
                " UTF-8, e.g. in Notepad: Save as → Encoding: UTF-8."
            ),
            what=Msg(what),
            path=path,
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            N_("The {what} file {path} is not UTF-8 text. Save it as UTF-8."),
            what=Msg(what),
            path=path,
        ) from None
