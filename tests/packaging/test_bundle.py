"""The bundle that needs no Python: build it, then start every program from it.

Builds with scripts/build-bundle.sh (PyInstaller) into a temporary folder and runs the
bundled programs in a clean environment: no virtual environment or project checkout on
the PATH, no PYTHONPATH, a fresh home folder, Qt offscreen. Each window program runs
until its first paint (``PST_EXIT_AFTER_FIRST_PAINT=1``) and must end with status 0.
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from shared import __version__
from shared.storage.store import Store
from tests.planning_history import Visit, weekdays, write

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.bundle,
    # The first test builds the bundle (about 2 minutes here, more on a busy machine).
    pytest.mark.timeout(1500),
    pytest.mark.skipif(sys.platform != "linux", reason="the Linux bundle is built here"),
    pytest.mark.skipif(
        importlib.util.find_spec("PyInstaller") is None,
        reason="PyInstaller is not installed (scripts/setup.sh --test installs it)",
    ),
]


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    # PST_BUNDLE_PREBUILT=dist/antrian-pst checks a bundle built before instead.
    prebuilt = os.environ.get("PST_BUNDLE_PREBUILT")
    if prebuilt:
        return Path(prebuilt)
    out = tmp_path_factory.mktemp("bundle")
    env = dict(
        os.environ,
        PYTHON=sys.executable,
        PST_BUNDLE_DIST=str(out / "dist"),
        PST_BUNDLE_WORK=str(out / "work"),
    )
    start = time.monotonic()
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "build-bundle.sh")],
        env=env,
        capture_output=True,
        text=True,
        timeout=1500,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    print(f"bundle built in {time.monotonic() - start:.0f} s")
    return out / "dist" / "antrian-pst"


@pytest.fixture
def clean_env(tmp_path) -> dict[str, str]:
    home = tmp_path / "home"
    runtime = tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir(mode=0o700)
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "XDG_RUNTIME_DIR": str(runtime),
        "QT_QPA_PLATFORM": "offscreen",
        "PST_EXIT_AFTER_FIRST_PAINT": "1",
        # The voice must not depend on a speech daemon in a test run.
        "PST_SPEECH_ENGINE": "mock",
    }


def run(bundle: Path, program: str, *args: str, env: dict, cwd: Path, timeout: float = 120):
    return subprocess.run(
        [str(bundle / program), *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_bundle_holds_the_runtime_qt_plugins_and_data(bundle):
    internal = bundle / "_internal"
    for program in ("pst-admin", "pst-kiosk", "pst-counter", "pst-display", "pst-setup", "pst-web"):
        assert (bundle / program).is_file(), program
    plugins = internal / "PySide6" / "Qt" / "plugins"
    for plugin in (
        "platforms/libqxcb.so",
        "platforms/libqoffscreen.so",
        "texttospeech/libqtexttospeech_speechd.so",
        "texttospeech/libqtexttospeech_mock.so",
        "multimedia/libffmpegmediaplugin.so",
        "platforminputcontexts/libqtvirtualkeyboardplugin.so",
    ):
        assert (plugins / plugin).is_file(), plugin
    assert (internal / "PySide6" / "Qt" / "qml" / "QtQuick" / "VirtualKeyboard").is_dir()
    assert (internal / "assets" / "locale" / "id" / "core.po").is_file()
    assert (internal / "assets" / "sounds" / "chime.wav").is_file()
    assert (internal / "tzdata" / "zoneinfo" / "Asia" / "Jakarta").is_file()
    assert (internal / "escpos" / "capabilities.json").is_file()
    assert (internal / "status_page" / "static" / "ticket.js").is_file()
    assert not list(internal.rglob("pytest*")), "test tools stay out of the bundle"


def test_bundled_admin_creates_and_checks_a_database(bundle, clean_env, tmp_path):
    version = run(bundle, "pst-admin", "--version", env=clean_env, cwd=tmp_path)
    assert version.returncode == 0 and version.stdout.strip() == f"pst-admin {__version__}"
    db = tmp_path / "share" / "antrian-pst.db"
    db.parent.mkdir()
    init = run(bundle, "pst-admin", "--db", str(db), "--json", "init", env=clean_env, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    assert db.is_file()
    check = run(bundle, "pst-admin", "--db", str(db), "check", env=clean_env, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    # Indonesian messages and the office's time zone come from the bundle, not the system.
    env = dict(clean_env, TZ="UTC", PYTHONTZPATH=str(tmp_path / "no-zones"))
    issued = run(
        bundle,
        "pst-admin",
        "--db",
        str(db),
        "ticket",
        "issue",
        "--service",
        "KS",
        "--ignore-hours",
        "--json",
        env=env,
        cwd=tmp_path,
    )
    assert issued.returncode == 0, issued.stderr
    assert '"number": "KS-001"' in issued.stdout
    # The counter plan simulates with Ciw (numpy, networkx): those come along too.
    store = Store(db)
    mondays = weekdays(date(2026, 10, 26), date(2026, 11, 23), 0)
    write(store, [Visit(day, f"08:{i:02d}", second=i) for day in mondays for i in range(12)])
    store.close()
    plan = run(
        bundle,
        "pst-admin",
        "--db",
        str(db),
        "plan",
        "--date",
        "2026-11-25",
        "--json",
        env=env,
        cwd=tmp_path,
    )
    assert plan.returncode == 0, plan.stderr
    assert '"ran": true' in plan.stdout


@pytest.mark.parametrize(
    "program, args",
    [
        ("pst-kiosk", ["--windowed"]),
        ("pst-kiosk", []),  # full screen: under its crash supervisor
        ("pst-counter", ["--windowed"]),
        ("pst-display", ["--windowed"]),
        ("pst-setup", []),
    ],
)
def test_bundled_window_programs_start_and_paint(bundle, clean_env, tmp_path, program, args):
    db = tmp_path / "antrian-pst.db"
    init = run(bundle, "pst-admin", "--db", str(db), "init", env=clean_env, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    extra = [] if program == "pst-setup" else ["--db", str(db)]
    done = run(bundle, program, *args, *extra, env=clean_env, cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-3000:]
    assert "first paint:" in done.stdout, done.stderr[-3000:]
    assert "Virtual Keyboard is not installed" not in done.stderr


def test_bundled_status_page_serves_and_stops(bundle, clean_env, tmp_path):
    db = tmp_path / "antrian-pst.db"
    init = run(bundle, "pst-admin", "--db", str(db), "init", env=clean_env, cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    web = subprocess.Popen(
        [str(bundle / "pst-web"), "--db", str(db), "--host", "127.0.0.1", "--port", str(port)],
        env=clean_env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        answer = b""
        while time.monotonic() < deadline and not answer:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/ticket.js") as got:
                    answer = got.read()
            except OSError:
                time.sleep(0.1)
        assert b"/api/t/" in answer
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/board") as got:
            assert b'"state":"today"' in got.read()
    finally:
        web.terminate()
        assert web.wait(10) == 0, web.stdout.read()
