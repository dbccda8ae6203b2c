"""``pst-admin`` cannot fork, break or erase the queue by a slip, and says every error."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from shared.cli import main as admin
from shared.clock import FakeClock
from shared.office import settings
from shared.storage import schema
from tests.conftest import WEDNESDAY_0900

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv, clock=None):
    code = admin.main(list(argv), clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def js(capsys, db, *argv, clock=None, code=0):
    got, out, err = run(capsys, "--db", str(db), "--json", *argv, clock=clock)
    assert got == code, (out, err)
    assert err == ""
    return json.loads(out)


def error(capsys, db, *argv, clock=None):
    """Run with --json and return (exit code, kind, message) of the JSON error."""
    got, out, err = run(capsys, "--db", str(db), "--json", *argv, clock=clock)
    body = json.loads(out)["error"]
    assert set(body) == {"kind", "message"} and err == ""
    assert got == admin.KINDS[body["kind"]]
    return got, body["kind"], body["message"]


def cli(*argv, env=None, **kwargs):
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    full_env.pop("PST_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "shared.cli.main", *argv],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=60,
        **kwargs,
    )


@pytest.fixture
def db(tmp_path, capsys, clock):
    path = tmp_path / "antrian-pst.db"
    js(capsys, path, "init", clock=clock)
    return path


# -- a wrong path never makes a second queue ---------------------------------------------------


def test_every_command_refuses_a_missing_file_and_creates_nothing(tmp_path, capsys, clock):
    missing = tmp_path / "nothere" / "pst.db"
    for argv in (
        ["check"],
        ["ticket", "list"],
        ["ticket", "issue"],
        ["setting", "get", "timezone"],
        ["report"],
        ["backup", str(tmp_path)],
    ):
        code, kind, message = error(capsys, missing, *argv, clock=clock)
        assert kind == "not_found" and code == 7
        assert "tidak ditemukan" in message and "folder bersama" in message
    assert not missing.parent.exists()


def test_init_refuses_another_programs_database_and_a_missing_folder(tmp_path, capsys):
    other = tmp_path / "inventory.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE items(id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    assert error(capsys, other, "init")[1] == "not_a_database"
    assert other.read_bytes() == before
    _code, kind, message = error(capsys, tmp_path / "Z-drive" / "pst.db", "init")
    assert kind == "usage" and "Z-drive" in message
    assert not (tmp_path / "Z-drive").exists()


def test_no_database_named_is_a_question_not_a_private_file(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    code, out, _err = run(capsys, "--json", "init")
    assert code == admin.KINDS["usage"]
    assert "--db" in json.loads(out)["error"]["message"]
    assert not (tmp_path / "data").exists()


def test_an_old_schema_says_run_init_and_only_init_upgrades(db, capsys, clock):
    @schema.migrations(name="m997_admin_upgrade")
    def _upgrade(database):
        database.execute("CREATE TABLE admin_upgrade_marker(x)")

    try:
        for argv in (["ticket", "list"], ["check"], ["setting", "get", "timezone"]):
            _code, kind, message = error(capsys, db, *argv, clock=clock)
            assert kind == "schema_older" and "pst-admin init" in message
        assert js(capsys, db, "init")["applied"] == ["m997_admin_upgrade"]
        assert js(capsys, db, "ticket", "list", clock=clock)["tickets"] == []
    finally:
        schema.migrations._migrations.pop()


def test_a_newer_schema_is_refused_by_every_command(db, capsys, clock):
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA user_version = 50")
    conn.commit()
    conn.close()
    for argv in (["init"], ["check"], ["ticket", "issue"]):
        code, kind, message = error(capsys, db, *argv, clock=clock)
        assert (kind, code) == ("schema_newer", 9) and "Perbarui PC ini" in message


def test_reading_commands_work_while_another_pc_holds_the_write_lock(db, capsys, clock):
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO settings(key, value) VALUES ('running_text', '\"x\"')")
    try:
        before = db.read_bytes()
        assert js(capsys, db, "ticket", "list", clock=clock)["tickets"] == []
        assert js(capsys, db, "setting", "get", "recall_limit")["recall_limit"] == 3
        assert js(capsys, db, "report", clock=clock)["period"]["start"] == "2026-11-25"
        assert js(capsys, db, "service", "list")["services"]
        assert js(capsys, db, "check", clock=clock)["integrity"] == ["ok"]
        assert db.read_bytes() == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_check_is_not_ok_on_a_database_this_pc_cannot_write(db, capsys, monkeypatch):
    # As root every file is writable; this is what os.access answers on a read-only share.
    monkeypatch.setattr("shared.cli.common.writable", lambda path: False)
    code, out, _err = run(capsys, "--db", str(db), "--json", "check")
    result = json.loads(out)
    assert code == admin.KINDS["refused"] and result["ok"] is False
    assert result["writable"] is False and result["integrity"] == ["ok"]
    code, kind, _message = error(capsys, db, "ticket", "issue", "--ignore-hours")
    assert (code, kind) == (5, "read_only")


# -- settings -----------------------------------------------------------------------------------


def test_a_bad_setting_is_refused_and_stores_nothing(db, capsys, clock):
    for key, value in (
        ("timezone", "Mars/Olympus"),
        ("hours", '{"5": "sometimes"}'),
        ("hours", '{"1": ["25:00", "08:00"]}'),
        ("holidays_added", '[{"date":"2026-13-45"}]'),
        ("recall_limit", "0"),
        ("retention_days", "0"),
        ("hours", "{not json"),
    ):
        code, kind, message = error(capsys, db, "setting", "set", key, value)
        assert kind == "invalid" and code == 14, (key, value, message)
    assert js(capsys, db, "setting", "list")["settings"] == settings.DEFAULTS
    assert js(capsys, db, "ticket", "issue", "--ignore-hours", clock=clock)["ticket"]["number"]


def test_setting_values_come_from_a_file_without_shell_quoting(db, tmp_path, capsys):
    hours = {str(d): ["07:30", "15:00"] for d in range(4)}
    hours |= {"4": ["07:30", "16:30"], "5": None, "6": None}
    file = tmp_path / "jam.json"
    file.write_text("\ufeff" + json.dumps(hours), encoding="utf-8")
    assert js(capsys, db, "setting", "set", "hours", "--from-file", str(file))["hours"] == hours
    text = tmp_path / "running.txt"
    text.write_text("Selamat datang — layanan ini gratis.\n", encoding="utf-8")
    got = js(capsys, db, "setting", "set", "running_text", "--from-file", str(text))
    assert got["running_text"] == "Selamat datang — layanan ini gratis."
    utf16 = tmp_path / "utf16.json"
    utf16.write_text(json.dumps(hours), encoding="utf-16")
    _code, kind, message = error(capsys, db, "setting", "set", "hours", "--from-file", str(utf16))
    assert kind == "usage" and "UTF-16" in message
    assert error(capsys, db, "setting", "get", "nonsense")[1] == "usage"
    assert js(capsys, db, "setting", "get", "hours")["hours"] == hours


# -- administration that cannot erase -----------------------------------------------------------


def test_demo_never_touches_an_office_database(db, tmp_path, capsys, clock):
    before = db.read_bytes()
    for argv in (["demo"], ["demo", "--reset"]):
        _code, kind, message = error(capsys, db, *argv, clock=clock)
        assert kind == "refused" and "bukan basis data demo" in message
    assert db.read_bytes() == before
    demo = tmp_path / "demo.db"
    assert js(capsys, demo, "demo", clock=clock)["created"] is True
    assert js(capsys, demo, "demo", "--reset", clock=clock)["created"] is True


def test_add_refuses_an_existing_name_and_edit_a_missing_one(db, tmp_path, capsys):
    pin = tmp_path / "pin"
    pin.write_text("1234")
    other_pin = tmp_path / "pin2"
    other_pin.write_text("9999")
    assert error(capsys, db, "service", "edit", "ZZ", "--name-id", "Zat")[1] == "refused"
    assert error(capsys, db, "service", "add", "KS", "--name-id", "Lain")[1] == "refused"
    services = js(capsys, db, "service", "list")["services"]
    assert [s["code"] for s in services] == ["KS", "PS", "PJ", "RS", "LA"]
    assert services[0]["name_id"] == "Konsultasi Statistik"
    js(capsys, db, "officer", "add", "budi", "--full-name", "Budi", "--pin-file", str(pin))
    _code, kind, message = error(
        capsys, db, "officer", "add", "budi", "--full-name", "B", "--pin-file", str(other_pin)
    )
    assert kind == "refused" and "officer edit" in message
    assert error(capsys, db, "officer", "edit", "nobody", "--role", "admin")[1] == "refused"
    conn = sqlite3.connect(db)
    pin_hash = conn.execute("SELECT pin_hash FROM officers WHERE username = 'budi'").fetchone()[0]
    conn.close()
    from shared.queue.security import verify_pin

    assert verify_pin("1234", pin_hash) and not verify_pin("9999", pin_hash)
    assert error(capsys, db, "counter", "add", "")[1] == "usage"
    # No terminal to type a PIN in (a scheduled task): a sentence, not an echoed prompt.
    code, kind, message = error(
        capsys, db, "officer", "add", "x", "--full-name", "X", "--pin-prompt"
    )
    assert (code, kind) == (2, "usage") and "--pin-file" in message


def test_officer_unlock_lets_a_locked_officer_in_again(db, tmp_path, capsys, clock):
    from shared.errors import AuthError
    from shared.queue.operations import Operations
    from shared.storage.store import Store

    pin = tmp_path / "pin"
    pin.write_text("1234")
    js(capsys, db, "officer", "add", "budi", "--full-name", "Budi", "--pin-file", str(pin))
    store = Store(db, create=False)
    ops = Operations(store, clock=clock)
    for _ in range(5):
        with pytest.raises(AuthError):
            ops.login("budi", "0000")
    with pytest.raises(AuthError, match=r"Too many|Terlalu banyak"):
        ops.login("budi", "1234")
    unlocked = js(capsys, db, "officer", "unlock", "budi", clock=clock)["officer"]
    assert unlocked["failed_attempts"] == 0 and unlocked["locked_until"] is None
    assert ops.login("budi", "1234")["username"] == "budi"
    assert error(capsys, db, "officer", "unlock", "nobody")[1] == "refused"
    store.close()


def test_purge_shows_first_needs_yes_and_never_reaches_inside_the_floor(db, tmp_path, capsys):
    guest = tmp_path / "guest.json"
    long_ago = FakeClock(WEDNESDAY_0900 - timedelta(days=400))
    for name in ("Ani", "Budi"):
        guest.write_text(json.dumps({"name": name, "email": f"{name}@contoh.id", "consent": True}))
        js(capsys, db, "ticket", "issue", "--ignore-hours", "--guest", str(guest), clock=long_ago)
    now = FakeClock(WEDNESDAY_0900)
    # Budi came back today and is waiting: his record is not old, whatever his first visit.
    guest.write_text(json.dumps({"name": "Budi", "email": "Budi@contoh.id", "consent": True}))
    js(capsys, db, "ticket", "issue", "--ignore-hours", "--guest", str(guest), clock=now)
    for days in ("0", "-1", "29"):
        code, kind, message = error(capsys, db, "purge-pii", "--older-than-days", days, "--yes")
        assert kind == "invalid" and "30" in message
    preview = js(capsys, db, "purge-pii", "--older-than-days", "30", clock=now)
    assert preview["would_anonymise"] == 1 and preview["done"] is False
    names = lambda: sorted(  # noqa: E731
        r[0] for r in sqlite3.connect(db).execute("SELECT name FROM visitors").fetchall()
    )
    assert names() == ["Ani", "Budi"]
    done = js(capsys, db, "purge-pii", "--older-than-days", "30", "--yes", clock=now)
    assert done["anonymised"] == 1 and done["done"] is True
    assert names() == ["Budi", "anonim"]
    code, out, _err = run(capsys, "--db", str(db), "purge-pii", clock=now)
    assert code == 0 and "--yes" in out and "2025-" in out  # the cutoff as a local date


def test_backup_into_folders_never_over_the_live_file(db, tmp_path, capsys, clock):
    _code, kind, message = error(capsys, db, "backup", str(tmp_path / "nofolder") + "/")
    assert kind == "usage" and "tidak ada" in message
    assert not (tmp_path / "nofolder").exists()
    _code, kind, message = error(capsys, db, "backup", str(tmp_path / "no" / "x.db"))
    assert kind == "usage"
    assert error(capsys, db, "backup", str(db))[1] == "usage"
    assert error(capsys, db, "backup", str(tmp_path / "." / db.name))[1] == "usage"
    folder = tmp_path / "cadangan"
    folder.mkdir()
    made = []
    for minute in range(4):
        at = FakeClock(WEDNESDAY_0900 + timedelta(minutes=minute))
        result = js(capsys, db, "backup", str(folder), "--keep", "2", clock=at)
        made.append(Path(result["backup"]).name)
        assert result["integrity"] == ["ok"]
    assert made[0] == "antrian-pst-20261125-0900.db"
    assert sorted(p.name for p in folder.iterdir()) == made[-2:]
    copy = sqlite3.connect(folder / made[-1])
    assert copy.execute("SELECT COUNT(*) FROM services").fetchone()[0] == 5
    copy.close()
    assert error(capsys, db, "backup", str(tmp_path / "one.db"), "--keep", "2")[1] == "usage"


def test_op_id_makes_a_ticket_command_safe_to_retry(db, capsys, clock):
    first = js(capsys, db, "ticket", "issue", "--ignore-hours", "--op-id", "job-42", clock=clock)
    again = js(capsys, db, "ticket", "issue", "--ignore-hours", "--op-id", "job-42", clock=clock)
    assert first == again
    assert len(js(capsys, db, "ticket", "list", clock=clock)["tickets"]) == 1


def test_ticket_print_uses_the_configured_printer(db, tmp_path, capsys, clock):
    js(capsys, db, "ticket", "issue", "--ignore-hours", clock=clock)
    config = tmp_path / "pst.toml"
    config.write_text('[kiosk]\nprinter = "none"\n', encoding="utf-8")
    _code, kind, message = error(
        capsys, db, "--config", str(config), "ticket", "print", "KS-001", clock=clock
    )
    assert kind == "usage" and "--printer" in message
    out_file = tmp_path / "printer.bin"
    config.write_text(
        f'[kiosk]\nprinter = "file:{out_file}"\nprinter_profile = "POS-5890"\n', encoding="utf-8"
    )
    got = js(capsys, db, "--config", str(config), "ticket", "print", "KS-001", clock=clock)
    assert got["printed"] is True and got["bytes"] == out_file.stat().st_size > 0
    assert b"KS-001" in out_file.read_bytes()
    dummy = js(capsys, db, "ticket", "print", "KS-001", "--printer", "dummy", clock=clock)
    assert dummy["printed"] is False and dummy["bytes"] > 0


# -- every error is a sentence ------------------------------------------------------------------


def test_dates_months_and_states_are_checked(db, capsys, clock):
    for argv in (
        ["report", "--month", "2026-13"],
        ["report", "--month", "%"],
        ["report", "--day", "2026-02-30"],
        ["report", "--day", "2026-11-28", "--month", "2026-11"],
        ["ticket", "list", "--status", "bogus"],
        ["ticket", "list", "--day", "yesterday"],
    ):
        code, kind, _message = error(capsys, db, *argv, clock=clock)
        assert kind == "usage" and code == 2, argv


def test_guest_files_that_are_not_one_utf8_object_get_a_sentence(db, tmp_path, capsys, clock):
    cases = {
        "list.json": (b"[1, 2]", "satu objek JSON"),
        "utf16.json": ('{"name": "Ani"}'.encode("utf-16"), "UTF-16"),
        "latin1.json": ('{"name": "Andr\xe9"}'.encode("latin-1"), "UTF-8"),
        "broken.json": (b'{"name": ', "baris 1"),
        "deep.json": (b"[" * 100_000 + b"]" * 100_000, ""),
        "nested.json": (b'{"name": {"first": "Ani"}}', "name"),
    }
    for name, (data, words) in cases.items():
        file = tmp_path / name
        file.write_bytes(data)
        _code, kind, message = error(
            capsys, db, "ticket", "issue", "--ignore-hours", "--guest", str(file), clock=clock
        )
        assert kind == "usage" and words in message, (name, message)
    folder = tmp_path / "a-folder"
    folder.mkdir()
    assert error(capsys, db, "ticket", "issue", "--guest", str(folder), clock=clock)[1] == "usage"
    assert error(capsys, db, "ticket", "issue", "--guest", "nope.json", clock=clock)[1] == "usage"


def test_human_output_shows_local_times_and_one_sentence_per_error(db, capsys, clock):
    js(capsys, db, "ticket", "issue", "--ignore-hours", clock=clock)
    code, out, err = run(capsys, "--db", str(db), "ticket", "list", clock=clock)
    assert "KS-001" in out and "09:00" in out
    code, out, err = run(capsys, "--db", str(db), "--lang", "en", "ticket", "finish", "99")
    assert code == 1 and out == "" and err == "pst-admin: Ticket 99 does not exist.\n"


def test_wal_is_refused_once_in_the_chosen_language(db, capsys):
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    code, _out, err = run(capsys, "--db", str(db), "check")
    assert code == admin.KINDS["unsafe"]
    assert err.count("pst-admin:") == 1 and "tidak aman" in err and "unsafe" not in err


def test_help_names_every_option():
    parser = admin.build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command").choices
    for name, sub in subparsers.items():
        for action in sub._actions:
            if action.dest in ("help",):
                continue
            assert action.help, f"pst-admin {name}: {action.option_strings or action.dest}"
    assert "70 internal" in parser.epilog and "pst-admin.log" in parser.epilog


# -- real processes -----------------------------------------------------------------------------


def test_the_cli_works_without_any_system_time_zone_data(tmp_path):
    empty = tmp_path / "no-zoneinfo"
    empty.mkdir()
    db = tmp_path / "antrian-pst.db"
    env = {"PYTHONTZPATH": str(empty), "TZ": "Asia/Jakarta", "PST_LOG_DIR": str(tmp_path)}
    probe = subprocess.run(
        [sys.executable, "-c", "import zoneinfo; print(zoneinfo.TZPATH)"],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )
    assert probe.stdout.strip() == f"('{empty}',)"
    for argv in (
        ["--db", str(db), "init"],
        ["--db", str(db), "--json", "ticket", "issue", "--ignore-hours"],
        ["--db", str(db), "--json", "ticket", "list"],
        ["--db", str(db), "report"],
        ["--db", str(db), "setting", "set", "timezone", "Asia/Makassar"],
    ):
        done = cli(*argv, env=env)
        assert done.returncode == 0, (argv, done.stderr)
        assert "Traceback" not in done.stderr
        if "issue" in argv:
            day = json.loads(done.stdout)["ticket"]["service_day"]
    # By the ticket's own day: near midnight "today" in Makassar is already tomorrow.
    listed = cli("--db", str(db), "--json", "ticket", "list", "--day", day, env=env)
    assert [t["number"] for t in json.loads(listed.stdout)["tickets"]] == ["KS-001"]


def test_output_into_a_closed_pipe_ends_quietly(db, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PST_LOG_DIR": str(tmp_path)}
    done = subprocess.run(
        f"{sys.executable} -m shared.cli.main --db '{db}' setting describe | head -n 1",
        shell=True,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert done.stdout.startswith("settings:")
    assert done.stderr == ""


def test_a_json_error_from_a_real_process(tmp_path):
    done = cli(
        "--db",
        str(tmp_path / "x.db"),
        "--json",
        "--lang",
        "en",
        "check",
        env={"PST_LOG_DIR": str(tmp_path)},
    )
    assert done.returncode == 7 and done.stderr == ""
    assert json.loads(done.stdout) == {
        "error": {
            "kind": "not_found",
            "message": f"The queue database {tmp_path / 'x.db'} was not found — is the shared"
            " folder connected?",
        }
    }
