"""A real ``pst-web`` process over a test database, and a headless Chromium to look at it."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests import timeshift
from tests.procs import stop

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WebServer:
    """``python -m status_page`` on a free port; its clock starts at ``at_ms`` (libfaketime)."""

    def __init__(self, db_path: Path, tmp_path: Path, at_ms: int | None = None) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_dir = tmp_path / "web-log"
        self.log_dir.mkdir(exist_ok=True)
        config = tmp_path / "web.toml"
        config.write_text(
            '[machine]\nname = "pc-status"\n\n[database]\npoll_interval_ms = 100\n\n'
            f'[status_page]\nhost = "127.0.0.1"\nport = {self.port}\n'
        )
        env = {**os.environ, "PST_LOG_DIR": str(self.log_dir), "PYTHONUNBUFFERED": "1"}
        if at_ms is not None:
            env = timeshift.at(env, at_ms)
        self.env = env
        self.started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "status_page", "--db", str(db_path), "--config", str(config)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.ready_after = self.wait_ready()

    def wait_ready(self, timeout: float = 20) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"pst-web ended at start: {self.process.stdout.read()}")
            with contextlib.suppress(OSError):
                status, _body = self.get("/api/board")
                if status in (200, 503):
                    return time.monotonic() - self.started
            time.sleep(0.05)
        raise AssertionError("pst-web did not answer in time")

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=5) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def json(self, path: str) -> tuple[int, dict]:
        status, body = self.get(path)
        return status, json.loads(body)

    def log(self) -> str:
        file = self.log_dir / "pst-web.log"
        return file.read_text(encoding="utf-8") if file.exists() else ""

    def close(self) -> None:
        stop(self.process)


def admin(db_path: Path, at_ms: int, *args: str) -> dict:
    """Run a real ``pst-admin --json`` process on the test's day; return its answer."""
    env = timeshift.at({**os.environ}, at_ms)
    done = subprocess.run(
        [sys.executable, "-m", "shared.cli.main", "--db", str(db_path), "--json", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return json.loads(done.stdout)


def browser_missing() -> str | None:
    """Why no browser test can run here, or None; with CI=true a missing browser fails."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if not missing:
        return None
    reason = (
        f"{', '.join(missing)} not installed: Debian's chromium and chromium-driver"
        " (scripts/setup.sh --test installs them)"
    )
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    return reason


def chromium(tmp_path: Path, width: int, height: int):
    """A headless Chromium that downloads nothing, with a fresh profile."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
        f"--window-size={width},{height}",
        "--lang=id",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    # Exactly the phone's (or the TV's) viewport, whatever the window decorations take.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 800},
    )
    # Record the page's calls to navigator.vibrate (a headless browser has no motor).
    driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument",
        {
            "source": "window.__vibrations = [];"
            " navigator.vibrate = (p) => { window.__vibrations.push(p); return true; };"
        },
    )
    return driver
