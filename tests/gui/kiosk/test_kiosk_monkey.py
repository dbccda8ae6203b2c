"""A monkey plays a day at the kiosk: a seeded random walk with the real keyboard loaded.

At each office screen size the kiosk runs full screen on Xvfb under openbox with Qt
Virtual Keyboard (:mod:`tests.gui.kiosk.monkey_child`): taps on whatever a finger can
reach, typing on the keyboard's keys, language changes, visitors who walk away, printer
failures, a share that goes away and comes back, unexpected errors in slots. After
every step: nothing logged but the deliberate errors, each of them answered by an empty
welcome within a second; every visible text in the chosen language; nothing cut off or
overlapping; Welcome empty of the last visitor. The walk's seed is printed, and a
failure gives the one line that replays it. The figures go to
``artifacts/monkey/kiosk-<size>.json``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS
from tests.gui.monkey import replay_command, seed_and_steps
from tests.gui.xdesktop import python_path, x_desktop

ROOT = Path(__file__).resolve().parents[3]
SIZES = ["1366x768", "1920x1080", "1080x1920"]
#: Steps at each size: together about three minutes on a two-core machine.
STEPS_PER_SIZE = 500
#: Under libfaketime (CI's second and third runs) the walk only proves it still runs.
STEPS_UNDER_FAKETIME = 60

pytestmark = [pytest.mark.xvfb, pytest.mark.slow, pytest.mark.timeout(900)]
SEED, STEPS = seed_and_steps(STEPS_UNDER_FAKETIME if os.environ.get("FAKETIME") else STEPS_PER_SIZE)


@pytest.mark.parametrize("size", SIZES)
def test_a_day_at_the_kiosk(size, request, tmp_path):
    print(f"kiosk monkey at {size}: seed {SEED}, {STEPS} steps")
    with x_desktop(size, tmp_path / "home") as env:
        done = subprocess.run(
            [
                *(sys.executable, "-m", "tests.gui.kiosk.monkey_child"),
                *(str(ARTIFACTS), size, str(SEED), str(STEPS)),
            ],
            cwd=ROOT,
            env={**env, "PYTHONPATH": python_path(env)},
            capture_output=True,
            text=True,
            timeout=60 + STEPS,  # far more than a step takes
        )
    replay = replay_command(request.node.nodeid, SEED, STEPS)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, (
        f"the walk said nothing (status {done.returncode}); replay: {replay}\n"
        + (done.stderr[-3000:])
    )
    result = json.loads(lines[-1])
    assert "error" not in result, f"{result['error']}\nreplay: {replay}"
    if "failure" in result:
        failing = replay_command(request.node.nodeid, SEED, result["step"])
        pytest.fail(
            f"{result['failure']}\nscreen: {result['picture']}\nstep log: {result['log']}"
            f"\nreplay: {failing}",
            pytrace=False,
        )
    figures = ARTIFACTS / "monkey" / f"kiosk-{size}.json"
    figures.parent.mkdir(parents=True, exist_ok=True)
    figures.write_text(json.dumps(dict(result, seed=SEED, size=size), indent=2) + "\n")
    print(json.dumps(result))
    assert result["steps"] == STEPS
    # The walk did what a day does, not only taps.
    for action in ("type", "language", "take a number"):
        assert result["actions"].get(action, 0) > 0 or STEPS < 200, (action, result["actions"])
