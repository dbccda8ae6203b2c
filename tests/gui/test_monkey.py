"""The monkey's engine: seeded choices, the language test, what a finger can reach."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import (
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tests.gui.monkey import (
    Action,
    MonkeyFailure,
    Walk,
    catalogue,
    reachable,
    replay_command,
    seed_and_steps,
    tappable,
    visible_texts,
)

# The offscreen platform has no window manager to pass size hints to.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


def test_the_language_test_knows_both_catalogues():
    words = catalogue()
    assert words.wrong_language("Selamat Datang", "en") == "Selamat Datang"
    assert words.wrong_language("Selamat Datang", "id") is None
    assert words.wrong_language("Welcome", "id") == "Welcome"
    assert words.wrong_language("Welcome", "en") is None
    # Sentences with placeholders, and one line of a two-line button.
    assert words.wrong_language("Konsultasi Statistik\n3 menunggu", "en") == "3 menunggu"
    assert words.wrong_language("Statistical consultation\n3 waiting", "id") == "3 waiting"
    # What the catalogues do not know (names, numbers, the office's own words) passes.
    assert words.wrong_language("BPS Provinsi Sumatera Selatan", "en") is None
    assert words.wrong_language("KS-009", "en") is None and words.wrong_language("12", "id") is None


def test_the_language_test_reads_what_a_window_shows(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    layout.addWidget(QLabel("Welcome"))
    layout.addWidget(QPushButton("Bahasa Indonesia"))
    hidden = QLabel("Selamat Datang")
    layout.addWidget(hidden)
    hidden.hide()
    typed = QLineEdit()
    typed.setPlaceholderText("Ticket code")
    layout.addWidget(typed)
    window.show()
    assert catalogue().problems(window, "en") == []
    assert [text for _, text in visible_texts(window)][-1] == "Ticket code"
    typed.setText("Ya")  # what a person typed is in their words, not the program's
    assert catalogue().problems(window, "en") == []
    assert [text for _, text in visible_texts(window, typed=True)][-1] == "Ya"
    problems = catalogue().problems(window, "id")
    assert len(problems) == 1 and "'Welcome'" in problems[0]


def test_a_walk_is_the_same_for_the_same_seed_and_says_how_to_replay_it(tmp_path):
    def play(seed: int) -> list[str]:
        seen: list[str] = []
        actions = [
            Action("left", lambda walk: seen.append("L") or "left"),
            Action("right", lambda walk: seen.append("R") or "right", weight=2),
            Action("never", lambda walk: seen.append("N") or "never", ready=lambda: False),
        ]
        Walk(seed, 40).run(actions, lambda walk: [])
        return seen

    assert play(7) == play(7)
    assert play(7) != play(8)
    assert "N" not in play(7)

    counter = {"n": 0}

    def count(walk: Walk) -> str:
        counter["n"] += 1
        return f"step {counter['n']}"

    walk = Walk(11, 100, log_path=tmp_path / "walk.log")
    with pytest.raises(MonkeyFailure) as failure:
        walk.run([Action("count", count)], lambda w: ["five"] if counter["n"] == 5 else [])
    assert failure.value.step == 5 and failure.value.seed == 11
    assert "seed 11, step 5" in str(failure.value) and "count: step 5" in str(failure.value)
    assert (tmp_path / "walk.log").read_text().count("\n") == 5
    line = replay_command("tests/gui/kiosk/test_kiosk_monkey.py::test_x[1366x768]", 11, 5)
    assert line.startswith("PST_MONKEY_SEED=11 PST_MONKEY_STEPS=5 ")
    assert "'tests/gui/kiosk/test_kiosk_monkey.py::test_x[1366x768]'" in line


def test_seed_and_steps_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("PST_MONKEY_SEED", "1234")
    monkeypatch.setenv("PST_MONKEY_STEPS", "77")
    assert seed_and_steps(500) == (1234, 77)
    monkeypatch.delenv("PST_MONKEY_SEED")
    monkeypatch.delenv("PST_MONKEY_STEPS")
    seed, steps = seed_and_steps(500)
    assert steps == 500 and seed > 0


def test_a_finger_reaches_only_what_is_on_top_and_in_view(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.resize(400, 300)
    free = QPushButton("free", window)
    free.setGeometry(10, 10, 100, 50)
    covered = QPushButton("covered", window)
    covered.setGeometry(10, 100, 100, 50)
    cover = QWidget(window)
    cover.setGeometry(0, 90, 400, 80)
    cover.setAutoFillBackground(True)
    disabled = QPushButton("disabled", window)
    disabled.setGeometry(200, 10, 100, 50)
    disabled.setEnabled(False)
    area = QScrollArea(window)
    area.setGeometry(200, 180, 180, 100)
    inner = QWidget()
    inner.resize(160, 600)
    top = QPushButton("top", inner)
    top.setGeometry(0, 0, 100, 50)
    below = QPushButton("below", inner)
    below.setGeometry(0, 500, 100, 50)
    area.setWidget(inner)
    window.show()
    qtbot.waitExposed(window)
    assert reachable(free) and reachable(top)
    assert not reachable(covered) and not reachable(disabled) and not reachable(below)
    assert {b.text() for b in tappable(window)} == {"free", "top"}
    area.ensureWidgetVisible(below)
    assert reachable(below) and not reachable(top)


def test_a_walk_driven_from_an_event_loop_passes_what_its_actions_yield():
    def wait_then_tap(walk: Walk):
        answer = yield ("wait until", "the keyboard shows")
        return f"tapped after {answer}"

    walk = Walk(3, 4)
    stepper = walk.stepper([Action("tap", wait_then_tap)], lambda w: [])
    requests = []
    request = next(stepper)
    try:
        while True:
            requests.append(request)
            request = stepper.send("300 ms")
    except StopIteration as done:
        result = done.value
    assert requests == [("wait until", "the keyboard shows")] * 4
    assert result.steps == 4 and walk.log[-1].endswith("tap: tapped after 300 ms")
    with pytest.raises(TypeError, match="stepper"):
        Walk(3, 4).run([Action("tap", wait_then_tap)], lambda w: [])
