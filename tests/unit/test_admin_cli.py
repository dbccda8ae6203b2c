"""``pst-admin``: every command, JSON output, clear errors, and no Qt loaded."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from shared.cli import main as admin


def run(capsys, *argv, clock=None):
    code = admin.main(list(argv), clock=clock)
    out, err = capsys.readouterr()
    return code, out, err


def js(capsys, db, *argv, clock=None):
    code, out, err = run(capsys, "--db", str(db), "--json", *argv, clock=clock)
    assert code == 0, err
    return json.loads(out)


def test_core_and_admin_load_no_qt(tmp_path):
    code = (
        "import sys, shared.queue.operations, shared.queue.queries, shared.reporting.summary, shared.cli.main;"
        "import status_page.app, status_page.server, status_page.snapshot, waitress;"
        f"rc = shared.cli.main.main(['--db', {str(tmp_path / 'a.db')!r}, 'init']);"
        "assert 'PySide6' not in sys.modules, 'PySide6 was imported';"
        "print('clean', rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "clean 0" in result.stdout
    helped = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "shared.cli.main", "--help"],
        capture_output=True,
        text=True,
    )
    assert helped.returncode == 0 and "pst-admin" in helped.stdout
    assert "PySide6" not in helped.stderr
    web = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "status_page", "--help"],
        capture_output=True,
        text=True,
    )
    assert web.returncode == 0 and "pst-web" in web.stdout
    assert "PySide6" not in web.stderr


def test_init_is_idempotent_and_seeds_services(tmp_path, capsys):
    db = tmp_path / "a.db"
    applied = js(capsys, db, "init")["applied"]
    assert applied[0] == "m001_initial" and applied[-1] == "m004_compact_results"
    assert js(capsys, db, "init")["applied"] == []
    codes = [s["code"] for s in js(capsys, db, "service", "list")["services"]]
    assert codes == ["KS", "PS", "PJ", "RS", "LA"]


def test_full_ticket_lifecycle_from_the_command_line(tmp_path, capsys, clock):
    db = tmp_path / "a.db"
    pin = tmp_path / "pin.txt"
    pin.write_text("2468\n")
    js(capsys, db, "init", clock=clock)
    counter = js(
        capsys,
        db,
        "counter",
        "add",
        "Loket 1",
        "--services",
        "KS,PS",
        "--status",
        "open",
        clock=clock,
    )["counter"]
    officer = js(
        capsys,
        db,
        "officer",
        "add",
        "rudi",
        "--full-name",
        "Rudi",
        "--pin-file",
        str(pin),
        clock=clock,
    )["officer"]
    guest = tmp_path / "guest.json"
    guest.write_text(json.dumps({"name": "Ani", "email": "ani@example.id", "consent": True}))
    t1 = js(capsys, db, "ticket", "issue", "--service", "KS", "--guest", str(guest), clock=clock)[
        "ticket"
    ]
    assert t1["number"] == "KS-001" and t1["status"] == "waiting" and t1["service"] == "KS"
    t2 = js(capsys, db, "ticket", "issue", "--service", "KS", "--priority", "elderly", clock=clock)[
        "ticket"
    ]
    called = js(
        capsys,
        db,
        "ticket",
        "call-next",
        "--counter",
        str(counter["id"]),
        "--officer",
        str(officer["id"]),
        clock=clock,
    )["ticket"]
    assert called["id"] == t2["id"]
    for action in ("recall", "start"):
        js(capsys, db, "ticket", action, str(t2["id"]), clock=clock)
    moved = js(
        capsys, db, "ticket", "transfer", "KS-002", "--to", "ps", "--notes", "buku", clock=clock
    )["ticket"]
    assert moved["number"] == "PS-001"
    js(
        capsys,
        db,
        "ticket",
        "call",
        t1["code"],
        "--counter",
        str(counter["id"]),
        "--reason",
        "janji temu",
        clock=clock,
    )
    js(capsys, db, "ticket", "no-show", str(t1["id"]), clock=clock)
    back = js(capsys, db, "ticket", "requeue", str(t1["id"]), clock=clock)["ticket"]
    assert back["status"] == "waiting"
    listed = js(capsys, db, "ticket", "list", clock=clock)["tickets"]
    assert {t["number"]: t["status"] for t in listed} == {
        "KS-001": "waiting",
        "KS-002": "transferred",
        "PS-001": "waiting",
    }


def test_errors_are_one_sentence_with_exit_codes(tmp_path, capsys, clock):
    db = tmp_path / "a.db"
    js(capsys, db, "init")
    code, out, err = run(capsys, "--db", str(db), "ticket", "finish", "42", clock=clock)
    assert code == admin.EXIT_REFUSED and out == ""
    assert err.strip() == "pst-admin: Tiket 42 tidak ada."
    code, _, err = run(
        capsys, "--db", str(db), "--lang", "en", "ticket", "issue", "--service", "ZZ", clock=clock
    )
    assert code == admin.EXIT_REFUSED and "no service with code ZZ" in err
    code, _, err = run(capsys, "--db", str(db), "officer", "add", "x", "--full-name", "X")
    assert code == admin.EXIT_USAGE and "--pin-file" in err
    code, _, err = run(capsys, "--db", str(tmp_path / "none" / "deeper" / "x.db"), "check")
    assert code == admin.KINDS["not_found"] and "tidak ditemukan" in err
    assert not (tmp_path / "none").exists()


def test_pin_is_never_an_argument():
    with pytest.raises(admin.UsageError):
        admin.build_parser().parse_args(["officer", "add", "x", "--pin", "1234"])


def test_check_backup_setting_and_report(tmp_path, capsys, clock):
    db = tmp_path / "a.db"
    js(capsys, db, "demo", clock=clock)
    check = js(capsys, db, "check")
    assert check["ok"] and check["integrity"] == ["ok"] and check["journal_mode"] == "delete"
    backup = js(capsys, db, "backup", str(tmp_path))
    assert backup["integrity"] == ["ok"]
    assert js(capsys, db, "setting", "set", "recall_limit", "2")["recall_limit"] == 2
    assert js(capsys, db, "setting", "get", "recall_limit")["recall_limit"] == 2
    code, _, err = run(capsys, "--db", str(db), "setting", "set", "recall_limit", '"many"')
    assert code == admin.KINDS["invalid"] and "Panggilan ulang" in err
    report = js(capsys, db, "report", clock=clock)
    assert report["visits"]["tickets"] >= 14
    preview = js(capsys, db, "purge-pii", clock=clock)
    assert preview["done"] is False and preview["would_anonymise"] == 0


def test_demo_has_tickets_in_every_state(tmp_path, capsys, clock):
    db = tmp_path / "demo.db"
    result = js(capsys, db, "demo", clock=clock)
    assert set(result["tickets"]) == {
        "waiting",
        "called",
        "serving",
        "done",
        "no_show",
        "transferred",
    }
    again = js(capsys, db, "demo", clock=clock)
    assert again["created"] is False
