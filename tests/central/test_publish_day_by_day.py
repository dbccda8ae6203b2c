"""Publishing a real office day by day, killed half-way, and when the central server
cannot be used: the central record follows every change, nothing is lost or doubled,
and every failure is one sentence with its exit code."""

from __future__ import annotations

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, datetime

import psycopg
import pytest

from shared.central.publish import publish
from shared.central.report import build_central_report
from shared.cli import main as admin
from shared.reporting import Period, build_report
from tests.central.conftest import JAKARTA_NOON, guest
from tests.central.test_publish_and_report import NOW, comparable
from tests.procs import stop


def day_report(store, period):
    return store.read(lambda c: build_report(c, period, integrity_list=True, now_ms=NOW))


def central_report(url, period, code="1671"):
    with psycopg.connect(url, autocommit=True) as conn:
        return build_central_report(conn, period, [code], integrity_list=True, now_ms=NOW)


def test_the_central_record_follows_the_office_day_by_day(ops, office, clock, central):
    ops.save_setting("office_code", "1671")
    ops.save_setting("office_name", "BPS Kota Palembang")
    officer, counter = office["officer"], office["counter1"]
    ops.login("budi", "1234", counter_id=counter["id"])
    ops.set_counter_status(counter["id"], "open", officer["id"])
    ani = ops.issue_ticket("KS", guest("Ani Wijaya", "ani@contoh.id", 1990))
    ops.issue_ticket("KS", guest("Bayu Saputra", "bayu@contoh.id", 1985))
    ops.issue_ticket("PS", guest("Cici Rahayu", "cici@contoh.id", 2001))
    clock.advance(minutes=3)
    called = ops.call_next(counter["id"], officer["id"])
    ops.start_service(called["id"], officer["id"])
    clock.advance(minutes=7)
    ops.finish(called["id"], officer["id"], notes="Data inflasi diberikan ke Ani")
    ops.record_rating(
        ani["code"], 5, ikm={f"u{i}": 4 for i in range(1, 10)}, comment="Terima kasih Pak Budi"
    )
    second = ops.call_next(counter["id"], officer["id"])
    ops.start_service(second["id"], officer["id"])
    clock.advance(minutes=4)
    ops.transfer(second["id"], "PS", officer["id"], notes="Bayu perlu perpustakaan")
    day = Period.containing("day", date(2026, 11, 25))

    first = publish(ops.store.path, central)
    assert first["sent"]["tickets"] == 4 and first["sent"]["ratings"] == 1
    assert comparable(central_report(central, day)) == comparable(day_report(ops.store, day))

    # The day closes: Cici and Bayu's new ticket were never called.
    clock.set(datetime(2026, 11, 25, 16, 30, tzinfo=JAKARTA_NOON.tzinfo))
    ops.close_day("2026-11-25")
    after_close = publish(ops.store.path, central)
    assert after_close["sent"]["tickets"] == 2  # the two tickets that became unserved
    report = central_report(central, day)
    assert report["visits"]["unserved"] == 2
    assert comparable(report) == comparable(day_report(ops.store, day))

    # Ani comes back a year later and gives another year of birth: her age band on the
    # first visit changes in the office's own report, and so it does centrally.
    clock.set(datetime(2027, 11, 24, 9, 0, tzinfo=JAKARTA_NOON.tzinfo))
    ops.issue_ticket("KS", guest("Ani Wijaya", "ani@contoh.id", 1960))
    before = central_report(central, day)["visitors"]["age"]
    publish(ops.store.path, central)
    after = central_report(central, day)
    assert after["visitors"]["age"] != before
    assert comparable(after) == comparable(day_report(ops.store, day))
    again = Period.containing("day", date(2027, 11, 24))
    back = central_report(central, again)
    assert back["visitors"]["returning"] == 1
    assert comparable(back) == comparable(day_report(ops.store, again))

    # Two years on, the guest book is anonymised: years of birth become decades.
    clock.set(datetime(2029, 12, 3, 9, 0, tzinfo=JAKARTA_NOON.tzinfo))
    purged = ops.purge_personal_data(400)
    assert purged["anonymised"] == 3
    publish(ops.store.path, central)
    assert comparable(central_report(central, day)) == comparable(day_report(ops.store, day))
    with psycopg.connect(central) as conn:
        text = str(conn.execute("SELECT * FROM antrian_pst.tickets").fetchall())
        text += str(conn.execute("SELECT * FROM antrian_pst.ratings").fetchall())
        text += str(conn.execute("SELECT * FROM antrian_pst.visits").fetchall())
    for secret in ("Ani", "contoh.id", "Pak Budi", "inflasi", "perpustakaan", ani["code"]):
        assert secret not in text


def run_admin(capsys, *argv):
    code = admin.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def office_db(ops, office):
    ops.save_setting("office_code", "1671")
    ops.issue_ticket("KS", guest("Ani Wijaya", "ani@contoh.id", 1990))
    return ops.store.path


def test_a_wrong_password_is_a_sentence(pg_server, central, office_db, tmp_path, capsys):
    pg_server.sql("DROP ROLE IF EXISTS pst_wrong")
    pg_server.sql("CREATE ROLE pst_wrong LOGIN PASSWORD 'benar-sekali'")
    url = central.replace("postgres@", "pst_wrong@")
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("salah-sekali\n")
    code, out, err = run_admin(
        capsys, "--db", str(office_db), "publish", "--to", url, "--password-file", str(wrong)
    )
    assert code == admin.KINDS["auth"]
    assert "menolak akun" in err and "salah-sekali" not in err + out
    assert "Traceback" not in err
    # No password at all: libpq finds none, and says so in one sentence too.
    code, _out, err = run_admin(capsys, "--db", str(office_db), "publish", "--to", url)
    assert code == admin.KINDS["auth"]
    assert "kata sandi" in err


def test_a_refused_connection_and_a_silent_server_are_sentences(office_db, capsys, tmp_path):
    code, _out, err = run_admin(
        capsys,
        "--db",
        str(office_db),
        "publish",
        "--to",
        "postgresql://pst@127.0.0.1:1/antrian_pst",
    )
    assert code == admin.KINDS["unavailable"]
    assert "menolak sambungan" in err and "kantor tetap berjalan" in err
    # A server that accepts the connection and never answers: the timeout ends it.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(5)
    port = silent.getsockname()[1]
    try:
        started = time.monotonic()
        code, out, err = run_admin(
            capsys,
            "--db",
            str(office_db),
            "--json",
            "publish",
            "--to",
            f"postgresql://pst@127.0.0.1:{port}/antrian_pst",
            "--timeout",
            "2",
        )
    finally:
        silent.close()
    assert code == admin.KINDS["unavailable"]
    assert time.monotonic() - started < 15
    assert '"kind": "unavailable"' in out and "tidak menjawab" in out


def test_a_newer_central_schema_is_refused_before_writing(central, office_db, capsys):
    publish(office_db, central)
    with psycopg.connect(central, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO antrian_pst.migrations (id, name) VALUES (99, 'm099_from_the_future')"
        )
        marks = conn.execute("SELECT last_event_id FROM antrian_pst.offices").fetchall()
    code, _out, err = run_admin(capsys, "--db", str(office_db), "publish", "--to", central)
    assert code == admin.KINDS["schema_newer"]
    assert "m099_from_the_future" in err and "lebih baru" in err
    code, _out, err = run_admin(
        capsys, "report", "--central", central, "--period", "month", "--date", "2026-11-01"
    )
    assert code == admin.KINDS["schema_newer"]
    with psycopg.connect(central) as conn:
        assert conn.execute("SELECT last_event_id FROM antrian_pst.offices").fetchall() == marks


def test_no_office_code_or_a_password_in_the_address_is_refused(ops, capsys, tmp_path):
    code, _out, err = run_admin(
        capsys, "--db", str(ops.store.path), "publish", "--to", "postgresql://pst@db/antrian_pst"
    )
    assert code == admin.KINDS["usage"] and "office_code" in err
    code, out, err = run_admin(
        capsys,
        "--db",
        str(ops.store.path),
        "publish",
        "--to",
        "postgresql://pst:rahasia@db/antrian_pst",
    )
    assert code == admin.KINDS["usage"] and "kata sandi" in err
    assert "rahasia" not in err + out


def table_counts(url: str, code: str) -> dict[str, int]:
    with psycopg.connect(url) as conn:
        return {
            t: conn.execute(
                f"SELECT count(*) FROM antrian_pst.{t} WHERE office_code = %s", (code,)
            ).fetchone()[0]
            for t in ("tickets", "calls", "ratings", "visits", "events")
        }


def local_counts(path) -> dict[str, int]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("tickets", "calls", "ratings", "visits", "events")
        }
    finally:
        conn.close()


def test_killed_mid_publish_then_run_again_loses_and_doubles_nothing(
    pg_server, office_files, tmp_path
):
    url = pg_server.create_database("central_killed")
    path = office_files["1671"]
    command = [
        sys.executable,
        "-m",
        "shared.cli.main",
        "--db",
        str(path),
        "publish",
        "--to",
        url,
        "--batch-events",
        "600",
    ]
    env = {**os.environ, "PST_LOG_DIR": str(tmp_path)}
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        mark = 0
        deadline = time.monotonic() + 60
        while mark < 3_000 and time.monotonic() < deadline and process.poll() is None:
            time.sleep(0.05)
            try:
                with psycopg.connect(url) as conn:
                    row = conn.execute(
                        "SELECT last_event_id FROM antrian_pst.offices WHERE office_code = '1671'"
                    ).fetchone()
                mark = row[0] if row else 0
            except psycopg.Error:
                continue  # the schema is being created
        assert process.poll() is None, "publish ended before it could be killed"
        process.send_signal(signal.SIGKILL)
        process.wait(10)
    finally:
        stop(process)
    assert process.returncode == -signal.SIGKILL
    partial = table_counts(url, "1671")
    expected = local_counts(path)
    assert 0 < partial["events"] < expected["events"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert table_counts(url, "1671") == expected
    again = subprocess.run(
        [*command, "--json"], env=env, capture_output=True, text=True, timeout=120
    )
    assert '"batches": 0' in again.stdout
    assert table_counts(url, "1671") == expected


def test_two_offices_publishing_at_once_take_turns(pg_server, office_files):
    url = pg_server.create_database("central_together")
    results, errors = {}, []

    def send(code):
        try:
            results[code] = publish(office_files[code], url, batch_events=5_000)
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=send, args=(c,)) for c in ("1600", "1601")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    for code in ("1600", "1601"):
        assert table_counts(url, code) == local_counts(office_files[code])
