"""No input makes ``pst-admin`` print a traceback: fuzzed arguments and input files."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from shared.cli import main as admin
from shared.clock import FakeClock
from tests.conftest import WEDNESDAY_0900
from tests.hostile import HOSTILE_TEXT

FOLDER = Path(tempfile.mkdtemp(prefix="pst-admin-fuzz-"))
TEMPLATE = FOLDER / "template.db"
CLOCK = FakeClock(WEDNESDAY_0900)
ALLOWED = set(admin.KINDS.values()) - {admin.KINDS["internal"]} | {0}


def _prepare() -> None:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        assert admin.main(["--db", str(TEMPLATE), "demo"], clock=CLOCK) == 0


_prepare()

WORDS = [
    "init",
    "demo",
    "service",
    "counter",
    "officer",
    "ticket",
    "check",
    "backup",
    "purge-pii",
    "setting",
    "report",
    "list",
    "add",
    "edit",
    "unlock",
    "get",
    "set",
    "describe",
    "issue",
    "call-next",
    "call",
    "recall",
    "start",
    "finish",
    "no-show",
    "requeue",
    "transfer",
    "print",
    "--json",
    "--lang",
    "id",
    "en",
    "xx",
    "--day",
    "--month",
    "--status",
    "--service",
    "--counter",
    "--officer",
    "--reason",
    "--notes",
    "--to",
    "--guest",
    "--from-file",
    "--printer",
    "--profile",
    "--op-id",
    "--older-than-days",
    "--yes",
    "--keep",
    "--ignore-hours",
    "--priority",
    "--id",
    "--services",
    "--active",
    "--name-id",
    "--target-minutes",
    "--sort-order",
    "--pin-file",
    "--full-name",
    "--role",
    "--config",
    "--reset",
    "--help",
    "--version",
    "KS",
    "ks",
    "ZZ",
    "KS-001",
    "KS-999",
    "1",
    "0",
    "-1",
    "99999999999999999999",
    "2026-11-25",
    "2026-13-45",
    "2026-02-30",
    "2026-11",
    "2026-13",
    "2026",
    "2026-Q3",
    "2026-s2",
    "2026-Q9",
    "9999-12-31",
    "year",
    "quarter",
    "semester",
    "%",
    "_",
    "timezone",
    "hours",
    "recall_limit",
    "retention_days",
    "holidays_added",
    "Mars/Olympus",
    '{"5": "sometimes"}',
    "[]",
    "{",
    "null",
    "yes",
    "no",
    "open",
    "paused",
    "closed",
    "waiting",
    "bogus",
    "budi",
    "Loket 1",
    "dummy",
    "none",
    "network:",
    "usb:zz",
    "elderly",
    "",
]


PREFIXES = [
    ["check"],
    ["report"],
    ["backup"],
    ["purge-pii"],
    ["demo"],
    ["init"],
    ["service", "list"],
    ["service", "add"],
    ["service", "edit", "KS"],
    ["counter", "list"],
    ["counter", "add"],
    ["counter", "edit"],
    ["officer", "list"],
    ["officer", "add", "rudi"],
    ["officer", "edit", "budi"],
    ["officer", "unlock"],
    ["setting", "list"],
    ["setting", "describe"],
    ["setting", "get"],
    ["setting", "set", "hours"],
    ["setting", "set", "timezone"],
    ["setting", "set", "recall_limit"],
    ["setting", "set", "holidays_added"],
    ["setting", "set", "office_name"],
    ["ticket", "list"],
    ["ticket", "issue"],
    ["ticket", "call-next"],
    ["ticket", "call"],
    ["ticket", "recall"],
    ["ticket", "start"],
    ["ticket", "finish"],
    ["ticket", "no-show"],
    ["ticket", "requeue"],
    ["ticket", "transfer"],
    ["ticket", "print"],
]


def _options_of(command: str) -> list[str]:
    parser = admin.build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[command]
    return sorted(
        o for a in sub._actions for o in a.option_strings if o not in ("-h", "--help", "--db")
    )


OPTIONS = {prefix[0]: _options_of(prefix[0]) for prefix in PREFIXES}


def _argv_strategy(files: dict[str, Path]):
    values = st.one_of(
        st.sampled_from([w for w in WORDS if not w.startswith("--")]),
        st.sampled_from(sorted(str(p) for p in files.values())),
        st.sampled_from(HOSTILE_TEXT),
        st.text(max_size=12),
    )

    def command(prefix: list[str]):
        option = st.sampled_from(OPTIONS[prefix[0]])
        extra = st.one_of(st.tuples(option, values), st.tuples(option), st.tuples(values))
        return st.lists(extra, max_size=4).map(
            lambda groups: [*prefix, *(token for group in groups for token in group)]
        )

    structured = st.sampled_from(PREFIXES).flatmap(command)
    loose = st.lists(st.one_of(st.sampled_from(WORDS), values), min_size=1, max_size=7)
    return st.one_of(structured, structured, structured, loose)


def _run(db: Path, argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # Relative paths in the fuzzed arguments (a backup named "x") land in the temp folder.
    with (
        contextlib.chdir(db.parent),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            code = admin.main(["--db", str(db), *argv], clock=CLOCK)
        except SystemExit as exc:  # --help and --version only
            assert exc.code in (0, None), argv
            code = 0
    return code, out.getvalue(), err.getvalue()


def _files(folder: Path) -> dict[str, Path]:
    files = {
        "guest": folder / "guest.json",
        "list": folder / "list.json",
        "utf16": folder / "utf16.json",
        "binary": folder / "noise.bin",
        "folder": folder / "a folder",
        "config": folder / "pst.toml",
        "backup": folder / "backups",
        "missing": folder / "missing" / "x.db",
    }
    files["guest"].write_text(json.dumps({"name": "Ani", "email": "ani@contoh.id", "consent": 1}))
    files["list"].write_text("[1, 2, 3]")
    files["utf16"].write_text('{"name": "Ani"}', encoding="utf-16")
    files["binary"].write_bytes(bytes(range(256)))
    files["folder"].mkdir()
    files["backup"].mkdir()
    files["config"].write_text('[kiosk]\nprinter = "dummy"\n')
    return files


@settings(
    max_examples=400,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_argument_list_gives_a_traceback(data):
    folder = Path(tempfile.mkdtemp(dir=FOLDER))
    try:
        db = folder / "antrian-pst.db"
        shutil.copy(TEMPLATE, db)
        files = _files(folder)
        argv = data.draw(_argv_strategy(files))
        as_json = "--json" in argv
        code, out, err = _run(db, argv)
        assert code in ALLOWED, (argv, out, err)
        assert "Traceback" not in out + err, argv
        if code != 0:
            if as_json:
                body = json.loads(out)["error"]
                assert body["message"] and admin.KINDS[body["kind"]] == code
            else:
                assert err.startswith("pst-admin: ") and err.count("\n") == 1, (argv, err)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=150)
@given(
    content=st.one_of(
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda t: t.encode("utf-8")),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
            lambda children: (
                st.lists(children, max_size=4)
                | st.dictionaries(st.text(max_size=10), children, max_size=4)
            ),
            max_leaves=12,
        ).map(lambda v: json.dumps(v).encode()),
        st.dictionaries(
            st.sampled_from(["name", "email", "phone", "birth_year", "consent", "sex", "topic"]),
            st.none() | st.booleans() | st.integers() | st.text(max_size=30),
        ).map(lambda v: json.dumps(v).encode()),
    ),
    command=st.sampled_from(
        [
            ["ticket", "issue", "--ignore-hours", "--guest"],
            ["setting", "set", "hours", "--from-file"],
            ["setting", "set", "holidays_added", "--from-file"],
            ["setting", "set", "office_name", "--from-file"],
            ["setting", "set", "lists", "--from-file"],
            ["officer", "add", "rudi", "--full-name", "Rudi", "--pin-file"],
            ["--config"],
        ]
    ),
)
def test_no_input_file_gives_a_traceback(content, command):
    folder = Path(tempfile.mkdtemp(dir=FOLDER))
    try:
        db = folder / "antrian-pst.db"
        shutil.copy(TEMPLATE, db)
        file = folder / "input"
        file.write_bytes(content)
        argv = [*command, str(file)] + (["check"] if command == ["--config"] else [])
        code, out, err = _run(db, ["--json", *argv])
        assert code in ALLOWED, (argv, content, out, err)
        if code:
            assert json.loads(out)["error"]["message"]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
