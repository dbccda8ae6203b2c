"""The parts of pst-admin, each driven alone: the command table, one group's handler, the
shared output and error layer, and the one policy that opens the database."""

from __future__ import annotations

import importlib
import json
import pkgutil

import pytest

from shared import cli, errors
from shared.cli import common, tickets
from shared.cli.common import Command, UsageError, open_store, print_result, say_error
from shared.cli.main import COMMANDS, build_parser
from shared.install.config import Config


def parsed(*argv: str):
    return build_parser().parse_args(list(argv))


def test_every_command_a_group_declares_is_on_the_command_line():
    declared = {}
    for info in pkgutil.iter_modules(cli.__path__):
        module = importlib.import_module(f"shared.cli.{info.name}")
        for value in vars(module).values():
            if isinstance(value, Command):
                declared[value.name] = value
    assert declared == COMMANDS
    for command in COMMANDS.values():
        assert command.run or command.run_alone, command.name
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    assert list(sub.choices) == list(COMMANDS)


@pytest.mark.parametrize(
    ("argv", "writes"),
    [
        (["check"], False),
        (["report"], False),
        (["backup", "somewhere"], False),
        (["plan"], False),
        (["publish"], False),
        (["purge-pii"], False),
        (["purge-pii", "--yes"], True),
        (["ticket", "list"], False),
        (["ticket", "print", "KS-001"], False),
        (["ticket", "issue"], True),
        (["setting", "describe"], False),
        (["setting", "get", "recall_limit"], False),
        (["setting", "set", "recall_limit", "3"], True),
        (["service", "list"], False),
        (["officer", "unlock", "budi"], True),
        (["counter", "edit", "--id", "1"], True),
        (["day", "close"], True),
    ],
)
def test_each_command_says_whether_it_changes_the_database(argv, writes):
    args = parsed(*argv)
    assert COMMANDS[args.command].writes(args) is writes


def test_a_group_handler_runs_alone_on_operations(ops, office):
    issued = tickets.TICKET.run(ops, parsed("ticket", "issue", "--ignore-hours"), Config())
    assert issued["ticket"]["number"] == "KS-001" and issued["ticket"]["status"] == "waiting"
    listed = tickets.TICKET.run(ops, parsed("ticket", "list"), Config())
    assert [t["number"] for t in listed["tickets"]] == ["KS-001"]
    with pytest.raises(UsageError) as refused:
        tickets.TICKET.run(ops, parsed("ticket", "list", "--status", "lost"), Config())
    assert "lost" in refused.value.message


def test_only_a_writing_command_needs_a_file_this_pc_may_write(ops, monkeypatch):
    # As root every file is writable; this is what os.access answers on a read-only share.
    monkeypatch.setattr("shared.cli.common.writable", lambda path: False)
    with pytest.raises(errors.StorageReadOnly):
        open_store(ops.store.path, Config(), writes=True)
    reader = open_store(ops.store.path, Config(), writes=False)
    try:
        assert reader.read(lambda c: c.execute("SELECT COUNT(*) FROM services").fetchone()[0])
    finally:
        reader.close()


def test_results_print_as_lines_with_office_times_or_as_one_json_object(capsys):
    result = {"backup": "b.db", "cutoff": 1_795_000_000_000, "removed": [], "ok": True}
    print_result(result, "Asia/Jakarta", as_json=False)
    assert capsys.readouterr().out.splitlines() == [
        "backup: b.db",
        "cutoff: 2026-11-18 18:06:40",
        "removed: []",
        "ok: True",
    ]
    print_result(result, "Asia/Jakarta", as_json=True)
    assert json.loads(capsys.readouterr().out) == result
    print_result({common.TEXT_RESULT: "Laporan\n"}, "Asia/Jakarta", as_json=False)
    assert capsys.readouterr().out == "Laporan\n"


def test_an_error_is_one_sentence_and_the_exit_code_of_its_kind(capsys):
    problem = errors.StorageReadOnly()
    kind = common.error_kind(problem)
    assert say_error(kind, problem.message, False, problem) == common.KINDS["read_only"] == 5
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("pst-admin: ") and err.count("\n") == 1
    assert say_error("usage", "baris\x1b[2Jdua", True, None) == common.KINDS["usage"]
    body = json.loads(capsys.readouterr().out)
    assert body == {"error": {"kind": "usage", "message": "baris\x1b[2Jdua"}}
    assert common.printable("baris\x1b[2J\ndua") == "baris\\x1b[2J\\ndua"
