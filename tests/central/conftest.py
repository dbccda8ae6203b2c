"""A real PostgreSQL server for the central-database tests, and three offices' histories.

The server (Debian's ``postgresql``) is started once per session in a temporary folder,
on a Unix socket only. Without PostgreSQL the tests are skipped with the reason —
except in CI (``CI=true``), where they must run and a missing server is a failure.
"""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bench.history import copy_history, template_database, working_days
from tests.pgserver import start_server

# Three offices, three months of history each (September to November 2026). Each gets
# its own selection of the working days (the second starts a day later, the third is
# closed every seventh working day), so the template day each date receives differs and
# their figures are not copies of each other.
OFFICES = (
    ("1600", "BPS Provinsi Sumatera Selatan", 0),
    ("1671", "BPS Kota Palembang", 1),
    ("1601", "BPS Kabupaten Ogan Komering Ulu", 7),
)


def office_days(days: list, variant: int) -> list:
    """The working days an office of ``variant`` (see :data:`OFFICES`) was open."""
    if variant == 7:
        return [d for i, d in enumerate(days) if i % 7 != 3]
    return days[variant:]


FIRST, LAST = date(2026, 9, 1), date(2026, 11, 30)
MONTHS = (date(2026, 9, 1), date(2026, 10, 1), date(2026, 11, 1))


@pytest.fixture(scope="session")
def pg_server():
    server = start_server()
    if server is None:
        reason = (
            "PostgreSQL is not installed (Debian package postgresql, from"
            " scripts/setup.sh --test): the central-database tests cannot run"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason + " — and in CI they must.")
        pytest.skip(reason)
    yield server
    server.stop()


@pytest.fixture
def central(pg_server) -> str:
    """A fresh, empty central database for one test: its URL (the superuser)."""
    return pg_server.create_database(f"central_{uuid.uuid4().hex[:10]}")


def set_office(path: Path, code: str, name: str) -> None:
    """Give a generated office file its code and name (as ``pst-admin setting set`` would)."""
    import json

    conn = sqlite3.connect(path)
    with conn:
        for key, value in (("office_code", code), ("office_name", name)):
            conn.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                (key, json.dumps(value)),
            )
    conn.close()


@pytest.fixture(scope="session")
def office_files(tmp_path_factory) -> dict[str, Path]:
    """Three office databases with three months of history: {office code: path}.

    Made by the five-year benchmark's generator (real operations for the template days,
    then copied day by day), so they hold events, calls, transfers, ratings and a
    guest book with returning visitors. Copy a file before writing to it.
    """
    template, grown = template_database()
    days = working_days(FIRST, LAST)
    folder = tmp_path_factory.mktemp("offices")
    files = {}
    for code, name, skip in OFFICES:
        path = folder / f"{code}.db"
        copy_history(template, path, office_days(days, skip), grown=grown)
        set_office(path, code, name)
        files[code] = path
    return files


JAKARTA_NOON = datetime(2026, 11, 25, 12, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def guest(name: str, email: str, born: int) -> dict:
    """A guest-book record with everything a visitor may fill in."""
    return {
        "name": name,
        "email": email,
        "phone": "081234567890",
        "sex": "Perempuan",
        "birth_year": born,
        "education": "S1/D4",
        "occupation": "Pegawai Swasta",
        "institution_category": "Swasta",
        "institution_name": "PT Sriwijaya Data Nusantara",
        "purpose": "Penelitian",
        "topic": "Inflasi bulanan",
        "consent": True,
    }
