"""A call really makes a sound: the display under Xvfb, playing into a null audio sink."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.gui.display.conftest import ROOT
from tests.integration.test_end_to_end import DisplayProcess
from tests.procs import stop

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

NEEDED = ("Xvfb", "pulseaudio", "pactl", "parec", "sox")


def wait_until(check, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def desktop(tmp_path):
    """A private X server and sound server, with the environment that reaches them."""
    missing = [tool for tool in NEEDED if not shutil.which(tool)]
    if missing:
        pytest.skip(
            f"needs {', '.join(missing)} (apt-get install xvfb pulseaudio pulseaudio-utils sox)"
        )
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    env = {
        **os.environ,
        "XDG_RUNTIME_DIR": str(runtime),
        "HOME": str(tmp_path),
        "PULSE_SERVER": f"unix:{runtime}/pulse/native",
    }
    read_fd, write_fd = os.pipe()
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1280x720x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    with os.fdopen(read_fd) as numbers:
        display_number = numbers.readline().strip()
    pulse = subprocess.Popen(
        [
            *("pulseaudio", "--daemonize=no", "--exit-idle-time=-1", "-n"),
            "--load=module-native-protocol-unix",
            "--load=module-null-sink sink_name=nullsink",
            "--load=module-always-sink",
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        if not display_number:
            pytest.skip("Xvfb did not start")

        def pulse_ready() -> bool:
            if pulse.poll() is not None:
                pytest.skip("pulseaudio did not start in this environment")
            probe = subprocess.run(["pactl", "info"], env=env, capture_output=True)
            return probe.returncode == 0

        wait_until(pulse_ready, 10, "pulseaudio")
        subprocess.run(["pactl", "set-default-sink", "nullsink"], env=env, check=True)
        env.update({"DISPLAY": f":{display_number}", "QT_QPA_PLATFORM": "xcb"})
        yield env
    finally:
        stop(pulse)
        stop(xvfb)


def loudness(recording: Path) -> tuple[float, float]:
    stat = subprocess.run(["sox", str(recording), "-n", "stat"], capture_output=True, text=True)
    peak = float(re.search(r"Maximum amplitude:\s+([-\d.]+)", stat.stderr).group(1))
    rms = float(re.search(r"RMS\s+amplitude:\s+([-\d.]+)", stat.stderr).group(1))
    return peak, rms


def test_a_call_sounds_through_the_speakers(
    desktop, busy_office, db_path, tmp_path, monkeypatch, clock
):
    config = tmp_path / "display.toml"
    config.write_text('[display]\nvoice = "none"\n')
    for key, value in desktop.items():
        monkeypatch.setenv(key, value)
    recording = tmp_path / "room.wav"
    display = DisplayProcess(db_path, config, at_ms=clock.now_ms())
    recorder = None
    try:
        display.wait_for("board shown", timeout=20)
        recorder = subprocess.Popen(
            ["parec", "-d", "nullsink.monitor", "--file-format=wav", str(recording)],
            env=desktop,
        )
        called = subprocess.run(
            [
                *(sys.executable, "-m", "tests.gui.display.other_pc", str(db_path)),
                *(str(clock.now_ms()), json.dumps([["call", busy_office["counter2"]]])),
            ],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
        )
        assert '"ok": true' in called.stdout
        display.wait_for("now calling KS-002 at Loket 2")
        line = display.wait_for("call KS-002 at Loket 2 shown and chimed", timeout=10)
        assert "not spoken: no voice is configured" in line
    finally:
        if recorder is not None:
            stop(recorder)
        display.close()
    peak, rms = loudness(recording)
    assert peak > 0.2, f"the chime did not reach the speakers (peak {peak}, rms {rms})"
    assert rms > 0.005
