"""``pst-admin``: the command line for IT staff and scripts. Imports no Qt.

Every command takes ``--db PATH`` (or ``$PST_DB``, or the machine's configuration) and
``--json`` (print exactly one JSON object, errors included). Errors are one translated
sentence, never a traceback; each kind of error has its own exit code (:data:`KINDS`).

Only ``init`` creates a database or upgrades its schema (``demo`` creates one on a new
path). Reading commands (``check``, ``report``, ``backup``, every ``list`` and
``get``) never take the write lock.

The sub-commands live with their group: :mod:`shared.cli.office` (init, service,
counter, officer, setting), :mod:`shared.cli.tickets` (ticket, day),
:mod:`shared.cli.maintenance` (check, backup, purge-pii), :mod:`shared.cli.reports`
(report, plan, publish) and :mod:`shared.cli.demo`; what they share (errors, exit codes,
output, opening the database) is :mod:`shared.cli.common`.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import socket
import sys
from typing import Any

from shared import __version__, errors, i18n
from shared.cli import maintenance, office, reports, tickets
from shared.cli.common import (
    EXIT_REFUSED,
    EXIT_USAGE,
    KINDS,
    Command,
    Parser,
    UsageError,
    error_kind,
    print_result,
    resolve_db,
    say_error,
)
from shared.cli.demo import DEMO
from shared.clock import Clock
from shared.i18n import N_, _
from shared.install.config import load_config
from shared.install.logs import log_file, setup_logging
from shared.office import settings
from shared.queue.operations import Operations

# What scripts and tests of pst-admin use: its exit codes, its usage error, its parser.
__all__ = ["EXIT_REFUSED", "EXIT_USAGE", "KINDS", "UsageError", "build_parser", "main"]

log = logging.getLogger(__name__)

# Every sub-command, in the order ``pst-admin --help`` lists them.
COMMANDS: dict[str, Command] = {
    command.name: command
    for command in (
        office.INIT,
        DEMO,
        office.SERVICE,
        office.COUNTER,
        office.OFFICER,
        tickets.TICKET,
        tickets.DAY,
        maintenance.CHECK,
        maintenance.BACKUP,
        maintenance.PURGE_PII,
        office.SETTING,
        reports.REPORT,
        reports.PLAN,
        reports.PUBLISH,
    )
}


def build_parser() -> argparse.ArgumentParser:
    """Build ``pst-admin``'s parser: the common options, then each command's own."""
    p = Parser(
        prog="pst-admin",
        allow_abbrev=False,
        description="Administer the Antrian PST queue database (no window needed).",
        epilog=(
            f"Exit codes: {', '.join(f'{code} {kind}' for kind, code in KINDS.items())}.\n"
            f"Log file: {log_file('pst-admin')}"
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    # The common options are accepted before or after the command.
    common = Parser(add_help=False, allow_abbrev=False)
    for target, default in ((p, None), (common, argparse.SUPPRESS)):
        target.add_argument(
            "--db", default=default, help="database file (default: $PST_DB, then the configuration)"
        )
        target.add_argument("--config", default=default, help="configuration file (TOML)")
        target.add_argument(
            "--json", action="store_true", default=default or False, help="print one JSON object"
        )
        target.add_argument(
            "--lang", default=default, choices=i18n.LANGUAGES, help="language of messages"
        )
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=Parser)
    for command in COMMANDS.values():
        parser = sub.add_parser(
            command.name, help=command.help, parents=[common], allow_abbrev=False
        )
        command.add_options(parser)
    return p


def _language(argv: list[str]) -> str | None:
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def _run(argv: list[str], clock: Clock | None) -> tuple[dict[str, Any], str, Command]:
    args = build_parser().parse_args(argv)
    for name, value in vars(args).items():
        # No file, setting or name can hold a NUL character; the OS would refuse it later.
        if isinstance(value, str) and "\x00" in value:
            option = "--" + name.replace("_", "-")
            raise UsageError(N_("{option} contains a NUL character."), option=option)
    config = load_config(args.config)
    i18n.set_language(args.lang or config.machine.language)
    command = COMMANDS[args.command]
    if command.run_alone is not None:
        done = command.run_alone(args, config, clock)
        if done is not None:
            return done[0], done[1], command
    assert command.run is not None, command.name
    path = resolve_db(args, config)
    store = command.open(path, args, config)
    try:
        ops = Operations(
            store,
            clock=clock,
            machine=config.machine.name or socket.gethostname(),
            program="pst-admin",
        )
        result = command.run(ops, args, config)
        tz = store.read(lambda c: settings.get(c, "timezone"))
    finally:
        store.close()
    return result, tz, command


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    """Run ``pst-admin`` with ``argv``; return its exit code (see :data:`KINDS`)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in argv
    if not logging.getLogger().handlers:
        # Sentences go to the terminal; details of the unexpected go to the log file.
        setup_logging("pst-admin", stderr=False)
    lang = _language(argv)
    if lang in i18n.LANGUAGES:
        i18n.set_language(lang)
    try:
        try:
            result, tz, command = _run(argv, clock)
        except errors.PSTError as exc:
            kind = error_kind(exc)
            return say_error(kind, exc.message, as_json, exc)
        except RecursionError:
            return say_error("usage", _("The input is nested too deeply."), as_json, None)
        except KeyboardInterrupt:
            return 130
        except Exception as exc:
            log.exception("pst-admin failed: %s", argv)
            message = _(
                "Something went wrong inside pst-admin ({error}). Please report it with the log {path}.",
                error=type(exc).__name__,
                path=str(log_file("pst-admin")),
            )
            return say_error("internal", message, as_json, exc)
        print_result(result, tz, as_json=as_json)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader (``| head``) has gone: the rest of the output is not wanted.
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 0
    if command.refuses_unless_ok and not result["ok"]:
        return EXIT_REFUSED
    return 0


if __name__ == "__main__":
    sys.exit(main())
