"""The accounts of docs/province.md, created by its very SQL, can do their job and no more."""

from __future__ import annotations

import re
from pathlib import Path

import psycopg
import pytest

from shared.central.publish import publish
from shared.cli import main as admin

ROOT = Path(__file__).resolve().parents[2]


def guide_sql() -> list[str]:
    text = (ROOT / "docs" / "province.md").read_text(encoding="utf-8")
    block = re.search(r"```sql\n(.*?)```", text, re.S).group(1)
    lines = [line for line in block.splitlines() if not line.strip().startswith("--")]
    statements, current = [], []
    for line in lines:
        if line.startswith("\\c "):
            statements.append(line.strip())
            continue
        current.append(line)
        if line.rstrip().endswith(";"):
            statements.append(" ".join(current).strip().rstrip(";"))
            current = []
    return [s for s in statements if s]


def passwords(statements: list[str]) -> dict[str, str]:
    return dict(re.findall(r"CREATE ROLE (\w+)\s+LOGIN PASSWORD '([^']+)'", " ".join(statements)))


def test_the_guides_accounts_publish_and_read_and_nothing_more(
    pg_server, office_files, tmp_path, capsys
):
    statements = guide_sql()
    secret = passwords(statements)
    assert set(secret) == {"pst_publish", "pst_report"}
    pg_server.sql("DROP DATABASE IF EXISTS antrian_pst WITH (FORCE)")
    for role in ("pst_publish", "pst_report"):
        pg_server.sql(f"DROP ROLE IF EXISTS {role}")
    database = "postgres"
    for statement in statements:
        if statement.startswith("\\c "):
            database = statement.split()[1]
            continue
        pg_server.sql(statement, database)

    def url(role: str) -> str:
        return pg_server.url("antrian_pst", role)

    publish_pass = tmp_path / "publish.pass"
    publish_pass.write_text(secret["pst_publish"] + "\n")
    result = publish(office_files["1601"], url("pst_publish"), password=secret["pst_publish"])
    assert result["migrated"] and result["sent"]["tickets"] > 0

    report_pass = tmp_path / "report.pass"
    report_pass.write_text(secret["pst_report"] + "\n")
    code = admin.main(
        [
            "--json",
            "report",
            "--central",
            url("pst_report"),
            "--password-file",
            str(report_pass),
            "--period",
            "month",
            "--date",
            "2026-10-01",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert '"tickets":' in out and '"1601"' in out

    with (
        psycopg.connect(url("pst_report"), password=secret["pst_report"]) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("DELETE FROM antrian_pst.tickets")
    with (
        psycopg.connect(url("pst_publish"), password=secret["pst_publish"]) as conn,
        pytest.raises(psycopg.errors.InsufficientPrivilege),
    ):
        conn.execute("CREATE TABLE public.elsewhere (x int)")
    # The reading account cannot publish: one sentence, its own exit code.
    code = admin.main(
        [
            "--db",
            str(office_files["1671"]),
            "publish",
            "--to",
            url("pst_report"),
            "--password-file",
            str(report_pass),
        ]
    )
    err = capsys.readouterr().err
    assert code == admin.KINDS["auth"], err
    assert "tidak berhak" in err
