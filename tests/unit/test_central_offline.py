"""The central database's parts that need no server: addresses, passwords, settings, and
the one list of what leaves the office (matched against the schema and the docs)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from shared.central import connection
from shared.central.outbound import NEVER, OUTBOUND
from shared.central.schema import MIGRATIONS
from shared.cli import main as admin
from shared.office import settings

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("postgresql://pst@db.sumsel.bps.go.id/antrian_pst", True),
        ("postgres://pst@10.16.0.5:5432/antrian_pst?sslmode=require", True),
        ("host=db.sumsel dbname=antrian_pst user=pst", True),
        ("postgresql://pst:rahasia@db/antrian_pst", False),
        ("postgresql://pst@db/antrian_pst?password=rahasia", False),
        ("host=db password=rahasia dbname=x", False),
        ("mysql://pst@db/x", False),
        ("", False),
    ],
)
def test_addresses_never_carry_a_password(url, ok):
    assert (connection.problem(url) is None) is ok
    assert (settings.problem("central_url", url) is None) is (ok or url == "")


def test_a_password_is_masked_wherever_it_is_shown():
    assert "rahasia" not in connection.shown("postgresql://pst:rahasia@db/antrian_pst")
    assert "rahasia" not in connection.shown("host=db password=rahasia dbname=x")
    assert "rahasia" not in connection.shown(
        "host=db password='rah asia' dbname=x".replace("rah asia", "rahasia")
    )
    error = connection.classify(
        Exception('password authentication failed for user "pst" rahasia'), "x @ db", "rahasia"
    )
    assert error.kind == "auth" and "rahasia" not in error.message


@pytest.mark.parametrize(
    ("code", "ok"),
    [("1600", True), ("1671", True), ("", True), ("16", False), ("0671", False), ("16a1", False)],
)
def test_the_office_code_is_four_digits_of_bps(code, ok):
    assert (settings.problem("office_code", code) is None) is ok


def test_settings_read_as_typed():
    assert settings.parse_text("office_code", "1671\n") == "1671"
    assert settings.parse_text("publish_after_close", "true") is True
    assert settings.problem("publish_after_close", "yes") is not None


def test_what_leaves_the_office_is_exactly_the_central_schema():
    sql = MIGRATIONS[0][1]
    for o in OUTBOUND:
        block = re.search(rf"CREATE TABLE \S+\.{o.table} \((.*?)\n\)", sql, re.S)
        assert block, o.table
        columns = [
            line.strip().split()[0]
            for line in block.group(1).splitlines()
            if line.strip() and not line.strip().startswith(("PRIMARY", "UNIQUE"))
        ]
        # The ratings' nine elements are written in one line.
        columns = [c for part in columns for c in part.split(",") if c]
        expected = ["office_code", *o.columns]
        if o.table == "ratings":
            columns = [c for c in columns if not re.fullmatch(r"u\d", c)]
            expected = [c for c in expected if not re.fullmatch(r"u\d", c)]
        assert columns == expected, o.table
    for never in NEVER:
        table, _, column = never.partition(".")
        if column:
            assert column not in {c for o in OUTBOUND if o.table == table for c in o.columns}


def test_the_province_guide_lists_what_leaves_and_what_never_does():
    text = (ROOT / "docs" / "province.md").read_text(encoding="utf-8")
    for o in OUTBOUND:
        row = next((line for line in text.splitlines() if line.startswith(f"| `{o.table}`")), "")
        assert row, f"docs/province.md has no row for {o.table}"
        for column in o.columns:
            if not re.fullmatch(r"u[2-8]", column):
                assert f"`{column}`" in row or column in row, (o.table, column)
    for never in NEVER:
        assert f"`{never}`" in text, never


def test_pst_admin_starts_without_loading_the_postgresql_driver(tmp_path):
    code = (
        "import sys; from shared.cli import main as admin;"
        "admin.main(['--help']) if False else None;"
        "assert 'psycopg' not in sys.modules, 'psycopg was imported'"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_office_without_central_is_a_sentence(ops, capsys):
    code = admin.main(["--db", str(ops.store.path), "report", "--office", "1671"])
    assert code == admin.KINDS["usage"]
    assert "--central" in capsys.readouterr().err
    code = admin.main(["--db", str(ops.store.path), "publish"])
    assert code == admin.KINDS["usage"]
    assert "central_url" in capsys.readouterr().err
