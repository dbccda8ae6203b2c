"""Every command the README and the guides show works: the docs' code blocks are tests.

* Every fenced block has a language, so nothing escapes being read.
* Linux shell blocks (``sh``, ``bash``, ``shell``, ``console``) run, each on its own copy
  of the demo database under a fixed fake date (see
  :mod:`tests.docs.runner`); a block fails when a command exits non-zero, when it prints
  a Python traceback, or when it takes more than :data:`TIMEOUT` seconds.
* A block that must not run says why on the line right above its fence, in italics:
  ``*Not run by the docs test: it installs a service.*``
* Windows blocks (``bat``, ``cmd``, ``powershell``) and the Linux blocks that do not run
  are read: every ``pst-*`` program they call must accept its arguments (program
  options, sub-commands, choices) in its real argument parser.
* ``toml`` blocks are machine configurations: the configuration loader must accept them.
  ``ini`` blocks (Samba) must parse.
"""

from __future__ import annotations

import configparser
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from tests.docs import commands, runner
from tests.docs.markdown import (
    LINUX,
    NOT_RUN,
    WINDOWS,
    Block,
    all_blocks,
    documents,
    parse,
    where,
)

# The day every block runs on: a Wednesday, the demo made half an hour earlier.
DEMO_AT = "2026-11-25 09:30:00"
RUN_AT = "2026-11-25 10:00:00"
TIMEOUT = 60

BLOCKS = all_blocks()
SHELL = [b for b in BLOCKS if b.language in LINUX + WINDOWS]
RUNNABLE = [b for b in BLOCKS if b.language in LINUX and b.not_run is None]
HOW_TO_MARK = (
    f"if it must not run, put an italic sentence '{NOT_RUN} <why>.*' on the line right"
    " above its fence"
)


def ids(blocks: list[Block]) -> list[str]:
    return [block.name for block in blocks]


def script_of(block: Block) -> str:
    """The commands of a block; a console block's output lines become blank lines."""
    if block.language != "console":
        return block.text
    lines = block.text.splitlines()
    return "".join(
        (line.lstrip()[2:] if line.lstrip().startswith("$ ") else "") + "\n" for line in lines
    )


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("docs-demo")
    env = runner.environment(folder, DEMO_AT, None)
    made = subprocess.run(
        ["pst-admin", "--db", str(folder / "demo.db"), "demo"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=folder,
    )
    assert made.returncode == 0, made.stderr
    return folder / "demo.db"


def test_every_block_says_its_language():
    unnamed = [b.name for b in BLOCKS if not b.language]
    assert not unnamed, (
        "code blocks without a language (write ```sh, ```bat, ```powershell, ```toml,"
        f" ```text…): {', '.join(unnamed)}"
    )


def test_the_docs_have_blocks_to_run():
    # A broken reader would make every other test here pass without checking anything.
    assert len(RUNNABLE) >= 3 and len(SHELL) >= 20


@pytest.mark.parametrize("block", RUNNABLE, ids=ids(RUNNABLE))
def test_linux_block_runs(block: Block, demo_database: Path, tmp_path: Path):
    database = tmp_path / "demo.db"
    shutil.copy(demo_database, database)
    env = runner.environment(tmp_path, RUN_AT, database)
    outcome = runner.run(script_of(block), tmp_path, env, TIMEOUT)
    output = outcome.output.strip()
    shown = "\n".join(f"    {line}" for line in output.splitlines()[-40:])
    if outcome.timed_out:
        pytest.fail(
            f"{block.name}: the {block.language} block did not finish within {TIMEOUT} s"
            f" ({HOW_TO_MARK} — e.g. it waits for a window or for input).\n{shown}"
        )
    failed = outcome.failed_line()
    if outcome.status != 0 or failed:
        if failed:
            line, status, command = failed
            place = where(block.path, block.line + line)
            said = f"{place}: `{command}` exited with {status}"
        else:
            said = f"{block.name}: the block exited with {outcome.status}"
        pytest.fail(f"{said} (the {block.language} block of {block.name}).\n{shown}")
    assert "Traceback (most recent call last)" not in output, (
        f"{block.name}: a command printed a Python traceback.\n{shown}"
    )


@pytest.mark.parametrize("block", SHELL, ids=ids(SHELL))
def test_programs_called_accept_their_arguments(block: Block):
    problems = []
    for line, program, args in commands.calls(block.language, block.lines()):
        refused = commands.check(program, args)
        if refused:
            shown = " ".join([program, *args])
            problems.append(f"{where(block.path, line)}: `{shown}`: {refused}")
    assert not problems, "\n".join(problems)


def test_programs_named_in_the_prose_accept_their_arguments():
    problems, seen = [], 0
    for path in documents():
        for prose in parse(path)[1]:
            text = "\n".join(prose.lines)
            for offset, program, args in commands.inline_calls(text):
                seen += 1
                refused = commands.check_mention(program, args)
                if refused:
                    line = prose.line + text[:offset].count("\n")
                    shown = " ".join([program, *args])
                    problems.append(f"{where(path, line)}: `{shown}`: {refused}")
    assert seen >= 50, "the prose's commands were not found"
    assert not problems, "\n".join(problems)


def test_programs_are_found_in_every_kind_of_block():
    # The reader must see the programs where the guides put them, or the check above
    # would pass on blocks it cannot read.
    found = {
        (b.language, program)
        for b in SHELL
        for _, program, _ in commands.calls(b.language, b.lines())
    }
    assert {("sh", "pst-admin"), ("bat", "pst-admin"), ("powershell", "pst-kiosk")} <= found


def test_every_installed_program_has_a_parser_to_check_against():
    for name in commands.entry_points():
        assert commands.parsers()[name]().prog == name


def test_a_console_block_runs_its_commands_only():
    block = Block(Path("x.md"), 1, "console", "$ pst-admin check\nok: True\n$ ls\n", None)
    assert script_of(block) == "pst-admin check\n\nls\n"
    assert list(commands.calls("console", block.lines())) == [(2, "pst-admin", ["check"])]


def test_a_wrong_option_or_command_is_caught():
    assert commands.check("pst-admin", ["report", "--period", "year", "--date", "2026"]) is None
    assert commands.check("pst-admin", ["--version"]) is None
    assert "--bogus" in commands.check("pst-admin", ["backup", "D:\\x", "--bogus"])
    assert commands.check("pst-admin", ["repot"]) is not None
    assert commands.check("pst-kiosk", ["--windowed", "--lang", "xx"]) is not None
    line = r'schtasks /TR "\"C:\Program Files\antrian-pst\pst-admin.exe\" --db \\S\a.db backup D:\b --keep 30"'
    assert list(commands.calls("bat", [(1, line)])) == [
        (1, "pst-admin", ["--db", r"\\S\a.db", "backup", r"D:\b", "--keep", "30"])
    ]


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.language == "toml"], ids=lambda b: b.name)
def test_configuration_examples_load(block: Block, tmp_path: Path):
    import dataclasses

    from shared.install.config import Config, load_config

    try:
        data = tomllib.loads(block.text)
    except tomllib.TOMLDecodeError as exc:
        pytest.fail(f"{block.name}: not valid TOML: {exc}")
    sections = {f.name for f in dataclasses.fields(Config)}
    if not sections & set(data):
        return  # not a PC's configuration (another file shown as TOML): parsing is all
    file = tmp_path / "pst.toml"
    file.write_text(block.text, encoding="utf-8")
    load_config(file)  # raises ConfigError with the setting's name and what is allowed


@pytest.mark.parametrize("block", [b for b in BLOCKS if b.language == "ini"], ids=lambda b: b.name)
def test_ini_examples_parse(block: Block):
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    try:
        parser.read_string(block.text, source=block.name)
    except configparser.Error as exc:
        pytest.fail(f"{block.name}: {exc}")
    assert parser.sections()
