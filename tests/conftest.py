"""Fixtures shared by every test: a real, migrated database file and a fake clock."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

# Qt must never try to open a real display from the test run; tests that need one
# start Xvfb themselves and override this in their subprocess.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", tempfile.mkdtemp(prefix="pst-escpos-"))
os.environ.pop("PST_CONFIG", None)
os.environ.pop("PST_DB", None)

import pytest
from hypothesis import HealthCheck, settings

import shared.devices.printing  # noqa: F401  (writes python-escpos's profile copy whole, once)
from shared import i18n
from shared.clock import FakeClock
from shared.qt import keep_singletons_alive
from shared.queue.operations import Operations
from shared.storage.store import Store

# Property tests judge what they check, not how fast the machine is: a shared CI machine
# under load once took 1 s to draw one value and failed Hypothesis's speed check.
settings.register_profile(
    "shared-machine", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("shared-machine")

# PySide6 6.12 on Python 3.11 loses references to None/True/False on Qt calls.
keep_singletons_alive()

JAKARTA = ZoneInfo("Asia/Jakarta")
# A Wednesday that is not a holiday, mid-morning in Palembang.
WEDNESDAY_0900 = datetime(2026, 11, 25, 9, 0, tzinfo=JAKARTA)

ARTIFACTS = Path(
    os.environ.get("PST_ARTIFACTS", Path(__file__).resolve().parent.parent / "artifacts")
)


@pytest.fixture(autouse=True)
def _indonesian_by_default():
    i18n.set_language("id")
    yield
    i18n.set_language("id")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(WEDNESDAY_0900)


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "antrian.db"


@pytest.fixture
def store(db_path: Path):
    s = Store(db_path, busy_timeout_ms=2000, retry_seconds=5)
    yield s
    s.close()


@pytest.fixture
def ops(store: Store, clock: FakeClock) -> Operations:
    operations = Operations(store, clock=clock, machine="test-pc", program="test")
    operations.initialise()
    return operations


@pytest.fixture
def office(ops: Operations) -> dict:
    """Two counters (Loket 1: KS+PS, Loket 2: KS+PJ+RS+LA), an officer and a supervisor."""
    c1 = ops.save_counter("Loket 1", services=["KS", "PS"])
    c2 = ops.save_counter("Loket 2", services=["KS", "PJ", "RS", "LA"])
    budi = ops.save_officer("budi", full_name="Budi Santoso", pin="1234")
    sari = ops.save_officer("sari", full_name="Sari Dewi", pin="5678", role="supervisor")
    return {"counter1": c1, "counter2": c2, "officer": budi, "supervisor": sari}


@pytest.fixture
def artifacts() -> Path:
    """Folder for screenshots and other files a person should look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
