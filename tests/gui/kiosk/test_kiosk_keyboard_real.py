"""A visitor who types with the real Qt Virtual Keyboard, at the office's screen sizes.

Offscreen the keyboard's window never exists, so this runs the kiosk full screen on
Xvfb under openbox (:mod:`tests.gui.kiosk.keyboard_child`): the language switched back
and forth with the keyboard open, the phone keypad, an error below the fold, the idle
wipe of an English visitor with the keyboard open, and an unexpected error mid-visit.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ARTIFACTS
from tests.gui.xdesktop import python_path, x_desktop

ROOT = Path(__file__).resolve().parents[3]
# Under libfaketime (CI's runs on other dates) one size shows it still works: the kiosk
# here runs on its own fake clock, so the date changes nothing else.
SIZES = ["1366x768"] if os.environ.get("FAKETIME") else ["1366x768", "1920x1080", "1080x1920"]
# The form a visitor types into keeps at least this much of the screen above the keyboard.
MIN_FORM_PX = {"1366x768": 260, "1920x1080": 360, "1080x1920": 700}

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]


@pytest.fixture(scope="module", params=SIZES)
def walk(request, tmp_path_factory):
    """Run the child once per screen size; the tests below read what it saw."""
    size = request.param
    home = tmp_path_factory.mktemp(f"home-{size}")
    with x_desktop(size, home) as env:
        done = subprocess.run(
            [sys.executable, "-m", "tests.gui.kiosk.keyboard_child", str(ARTIFACTS), size],
            cwd=ROOT,
            env={**env, "PYTHONPATH": python_path(env)},
            capture_output=True,
            text=True,
            timeout=150,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, done.stderr[-3000:]
    result = json.loads(lines[-1])
    assert "error" not in result, result["error"]
    result["stderr"] = done.stderr
    return result


def test_typing_opens_the_keyboard_and_leaves_room_for_the_form(walk):
    # The keyboard starts a name with a capital letter by itself.
    assert walk["keyboard_opened"] and walk["typed"] == "siti" and walk["name"] == "Siti"
    assert walk["form_px"] >= MIN_FORM_PX[walk["size"]], walk["form_px"]


def test_the_language_switches_both_ways_with_the_keyboard_open(walk):
    assert len(walk["rounds"]) == 6
    name = "Siti"
    for seen in walk["rounds"]:
        note = seen["note"]
        assert seen["errors"] == [] and seen["recoveries"] == 0, (note, seen["errors"])
        language = note.split(": ")[1]
        assert seen["language"] == language and seen["screen"] == "guest_book", seen
        assert seen["wrong_language"] == [], (note, seen["wrong_language"])
        assert seen["layout"] == [], (note, seen["layout"])
        # The keyboard speaks the kiosk's language, space bar included.
        assert seen["keyboard"], note
        assert seen["keyboard_locale"] == {"en": "en_US", "id": "id_ID"}[language], seen
        assert ("English" if language == "en" else "Indonesia") in seen["space_bar"], seen
        # What was typed stays, and the keyboard goes on typing.
        name += "a"
        assert seen["typed"] == "a" and seen["name"] == name, seen


def test_the_phone_keypad_types_a_plus(walk):
    plus = walk["phone_plus"]
    assert plus["on_keyboard"] or plus["quick_key"], plus
    assert plus["typed"] == "+", plus


def test_an_error_below_the_fold_is_brought_into_view(walk):
    assert walk["at_key_reachable"] and walk["email"] == "siti@gmail.com", walk
    error = walk["consent_error"]
    assert error["shown"] and error["in_view"], error
    assert error["checkbox_reachable"], "the consent box is under the keyboard"


def test_an_error_under_a_box_stays_above_the_keyboard(walk):
    """The box typed in and the sentence under it that says what is wrong with it."""
    assert walk["birth_year_typed"] == "1800", walk["birth_year_typed"]
    error = walk["birth_year_error"]
    assert error["shown"] and error["keyboard"], error
    assert error["box_in_view"] and error["in_view"], error


def test_the_still_there_warning_is_above_the_keyboard(walk):
    warning = walk["warning"]
    assert warning["shown"], warning
    assert not warning["keyboard"] or warning["box_bottom"] <= warning["keyboard_top"], warning
    assert warning["button_reachable"], "'Yes, I am still here' is under the keyboard"
    assert "second" in warning["countdown"], warning
    assert warning["layout"] == [], warning["layout"]


def test_an_english_visitor_who_walks_away_leaves_an_empty_indonesian_welcome(walk):
    idle = walk["idle"]
    assert idle["wiped"] and idle["screen"] == "welcome" and idle["warning_hidden"], idle
    assert idle["language"] == "id" and idle["wrong_language"] == [], idle
    assert idle["left"] == [] and idle["keyboard_hidden"], idle
    assert idle["errors"] == [] and idle["recoveries"] == 0, idle["errors"]


def test_an_unexpected_error_mid_visit_gives_an_empty_welcome_within_a_second(walk, artifacts):
    fault = walk["fault"]
    # Within a second of the kiosk's own processor time; the wall clock of a test machine
    # shared with other work only gets a looser bound.
    assert fault["recovered"] and fault["cpu_seconds"] < 1.0 and fault["seconds"] < 3.0, fault
    assert fault["screen"] == "welcome" and fault["language"] == "id", fault
    assert fault["keyboard_hidden"] and fault["wrong_language"] == [], fault
    assert fault["recoveries"] == 1, fault
    assert len(fault["logged"]) == 1 and "deliberate" in fault["logged"][0], fault["logged"]
    assert walk["stderr"].count("Traceback") == 1, walk["stderr"][-3000:]
    for name in ("language-after-keyboard-en", "language-after-keyboard-id", "still-there"):
        assert (artifacts / f"kiosk-{name}-{walk['size']}.png").exists(), name
