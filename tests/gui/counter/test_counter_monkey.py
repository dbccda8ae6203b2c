"""A seeded random walk over the real console on a real X desktop, across closing time.

Each run starts pst-counter full screen (Xvfb + openbox) at an office screen size and in
one language, with another process as the kiosk and a second console, and plays a walk
of :mod:`tests.gui.counter.monkey_child`: log-ins, every action key and button, dialogs,
settings saved and refused, reports, time moved across the day's close to the next
morning, and now and then a failing slot. After every step: no exception logged, every
visible text in the language, nothing cut, the screen what the database says.

A failing walk prints its seed and the line that replays it; ``PST_MONKEY_SEED`` and
``PST_MONKEY_STEPS`` choose them. The figures (steps a minute, the longest recovery)
are printed and written to ``counter-monkey-<size>-<lang>.json`` in the artifacts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gui.monkey import replay_command, seed_and_steps
from tests.gui.xdesktop import python_path, x_desktop

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
# Four walks of 250 steps (a thousand in all) take about 80 s on an idle machine.
STEPS = 250
CHILD = [sys.executable, "-m", "tests.gui.counter.monkey_child"]


@pytest.mark.parametrize(
    ("size", "lang"),
    [("1366x768", "id"), ("1366x768", "en"), ("1920x1080", "id"), ("1920x1080", "en")],
)
def test_the_console_survives_a_random_walk_through_the_day(
    request, tmp_path, artifacts, size, lang
):
    seed, steps = seed_and_steps(STEPS)
    replay = replay_command(request.node.nodeid, seed, steps)
    with x_desktop(size, tmp_path / "home") as env:
        done = subprocess.run(
            [*CHILD, str(artifacts), size, lang, str(seed), str(steps)],
            cwd=ROOT,
            env={**env, "PYTHONPATH": python_path(env)},
            capture_output=True,
            text=True,
            timeout=240,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, (
        f"the walk did not finish (replay: {replay})\n{done.stderr[-3000:]}"
    )
    outcome = json.loads(lines[-1])
    assert "failed" not in outcome, f"{outcome['failed']}\nreplay: {replay}"
    (artifacts / f"counter-monkey-{size}-{lang}.json").write_text(json.dumps(outcome, indent=1))
    print(
        f"\nconsole monkey {size} {lang}: seed {seed}, {outcome['steps']} steps in"
        f" {outcome['seconds']} s ({outcome['steps_per_minute']}/min), longest recovery"
        f" {outcome['longest_recovery_ms']} ms over {outcome['recoveries']}, clock at"
        f" {outcome['clock']}, days closed {outcome['days_closed']}"
    )
    assert outcome["steps"] == steps
