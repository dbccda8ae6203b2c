"""Find the Antrian PST programs a shell block calls and check them against their parsers.

A Windows block cannot run here, and a Linux block marked as not run does not run: both
are still read line by line, every ``pst-*`` program they call is found (also inside a
quoted command such as ``schtasks /TR "…pst-admin.exe … backup …"``), and its
arguments go through the program's real argument parser: an unknown program option,
sub-command or choice is a failure.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import re
import shlex
import tomllib
from collections.abc import Callable, Iterator

from tests.docs.markdown import ROOT


def entry_points() -> dict[str, str]:
    """The programs the project installs (pyproject.toml): name → ``module:function``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {**project.get("scripts", {}), **project.get("gui-scripts", {})}


NAMES = "|".join(re.escape(name) for name in sorted(entry_points(), key=len, reverse=True))
PROGRAM = re.compile(rf"(?:^|[\\/])({NAMES})(?:\.exe)?$", re.I)
MENTION = re.compile(rf"(?<![\w-])(?:{NAMES})\b", re.I)
# Where one command ends and another begins on a line.
SEPARATORS = {"&&", "||", "|", "&", ";", ">", ">>", "2>", "2>&1", "<"}


def parsers() -> dict[str, Callable[[], argparse.ArgumentParser]]:
    """Each program's real argument parser (built on demand: the windows import Qt parts)."""

    def window(name: str) -> Callable[[], argparse.ArgumentParser]:
        def build() -> argparse.ArgumentParser:
            from shared.qt.app import parser

            built = parser(name, "")
            if name == "pst-display":
                # display/app.py starts its voice helper on this option before parsing.
                built.add_argument("--speech-helper", action="store_true")
            return built

        return build

    def admin() -> argparse.ArgumentParser:
        from shared.cli.main import build_parser

        return build_parser()

    def setup() -> argparse.ArgumentParser:
        from setup_wizard.app import build_parser

        return build_parser()

    known = {
        "pst-admin": admin,
        "pst-kiosk": window("pst-kiosk"),
        "pst-counter": window("pst-counter"),
        "pst-display": window("pst-display"),
        "pst-setup": setup,
    }
    for name, target in entry_points().items():
        if name not in known:
            known[name] = _module_parser(name, target.split(":")[0])
    return known


def _module_parser(name: str, module: str) -> Callable[[], argparse.ArgumentParser]:
    """Another program's parser: its entry module's ``build_parser()``."""

    def build() -> argparse.ArgumentParser:
        found = getattr(importlib.import_module(module), "build_parser", None)
        if found is None:
            raise LookupError(
                f"{name}: its module {module} has no build_parser(), so the docs test cannot"
                " check its options: give it one (see shared/cli/main.py), or add it to"
                " parsers() in tests/docs/commands.py"
            )
        return found()

    return build


def check(program: str, args: list[str]) -> str | None:
    """Parse ``args`` with ``program``'s parser; return what it refused, or None."""
    parser = parsers()[program.lower()]()
    err = io.StringIO()
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            parser.parse_args(args)
    except SystemExit as stop:
        if stop.code not in (0, None):  # --help and --version end with 0
            return err.getvalue().strip().splitlines()[-1] if err.getvalue() else str(stop)
    except Exception as exc:  # pst-admin's parser raises its UsageError
        return getattr(exc, "message", str(exc))
    return None


# -- words of a command line, the way each shell splits them ---------------------------


def posix_words(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def windows_words(text: str) -> list[str]:
    """Split as a Windows program does (the C runtime's rules for quotes and backslashes)."""
    words: list[str] = []
    word, quoted, started, i = "", False, False, 0
    while i < len(text):
        c = text[i]
        if c == "\\":
            n = len(text) - i - len(text[i:].lstrip("\\"))
            if i + n < len(text) and text[i + n] == '"':
                word += "\\" * (n // 2)
                if n % 2:
                    word += '"'
                    i += n + 1
                else:
                    i += n
                started = True
                continue
            word += "\\" * n
            i += n
            started = True
            continue
        if c == '"':
            quoted = not quoted
            started = True
        elif c in " \t" and not quoted:
            if started:
                words.append(word)
            word, started = "", False
        else:
            word += c
            started = True
        i += 1
    if started:
        words.append(word)
    return words


def powershell_words(line: str) -> list[str]:
    """Split a PowerShell line: '…' and "…" strings, backtick escapes, # comments."""
    words: list[str] = []
    word, quote, started = "", "", False
    i = 0
    while i < len(line):
        c = line[i]
        if quote:
            if c == quote:
                quote = ""
            elif c == "`" and quote == '"' and i + 1 < len(line):
                i += 1
                word += line[i]
            else:
                word += c
        elif c in "'\"":
            quote, started = c, True
        elif c == "#" and not started:
            break
        elif c in " \t,()":
            if started:
                words.append(word)
            word, started = "", False
        else:
            word += c
            started = True
        i += 1
    if started:
        words.append(word)
    return words


# -- the calls a block makes -------------------------------------------------------------


def logical_lines(language: str, numbered: list[tuple[int, str]]) -> Iterator[tuple[int, str]]:
    """Join continued lines (\\, ^ or `) and drop comments and console output."""
    joiner = {"bat": "^", "cmd": "^", "batch": "^", "powershell": "`", "ps1": "`", "pwsh": "`"}
    mark = joiner.get(language, "\\")
    pending, first = "", 0
    for number, raw in numbered:
        text = raw.rstrip()
        if language == "console":
            if not text.lstrip().startswith("$ "):
                continue
            text = text.lstrip()[2:]
        if not pending:
            first = number
        if text.endswith(mark):
            pending += text[:-1] + " "
            continue
        line = (pending + text).strip()
        pending = ""
        lowered = line.lower()
        if not line or lowered.startswith(("rem ", "::", "#", "@rem ")) or lowered == "rem":
            continue
        yield first, line


def calls(language: str, numbered: list[tuple[int, str]]) -> Iterator[tuple[int, str, list[str]]]:
    """Yield (line, program, arguments) for each ``pst-*`` program the lines run."""
    if language in ("bat", "cmd", "batch"):
        split = windows_words
    elif language in ("powershell", "ps1", "pwsh"):
        split = powershell_words
    else:
        split = posix_words
    for number, line in logical_lines(language, numbered):
        if not MENTION.search(line):
            continue
        yield from ((number, program, args) for program, args in _find(split(line)))


def _find(words: list[str]) -> Iterator[tuple[str, list[str]]]:
    for k, word in enumerate(words):
        named = PROGRAM.search(word)
        if named:
            args = []
            for arg in words[k + 1 :]:
                if arg in SEPARATORS:
                    break
                args.append(arg)
            yield named.group(1).lower(), args
        elif MENTION.search(word) and " " in word.strip():
            # A whole command inside one argument (schtasks /TR "…", a PowerShell string).
            yield from _find(windows_words(word))


# -- commands named in the prose ---------------------------------------------------------

MISSING = "the following arguments are required"


def inline_calls(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """Yield (offset, program, arguments) for each `pst-…` code span of a prose text.

    Spans often name a command without all it needs (`pst-admin backup`) or show a usage
    (`day close [--day D]`): brackets are read as optional parts, and what is missing is
    not checked. A span that starts with a version number is --version's answer.
    """
    for span in re.finditer(r"`([^`]+)`", text):
        code = span.group(1).replace("\n", " ").replace("[", " ").replace("]", " ")
        if not MENTION.search(code):
            continue
        split = windows_words if "\\" in code else posix_words
        for program, args in _find(split(code)):
            if args and re.match(r"\d", args[0]):
                continue
            yield span.start(), program, args


def check_mention(program: str, args: list[str]) -> str | None:
    """Like :func:`check`, but a command named without its required arguments is fine."""
    refused = check(program, args)
    return None if refused and MISSING in refused else refused
