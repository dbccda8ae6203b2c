"""A seeded random walk over a program's real widgets: the engine each program's walk uses.

A walk is a run of steps. At each step :class:`Walk` picks one :class:`Action` with
``random.Random(seed)`` (weighted, among those that can run now), runs it, lets the
program settle, then runs the program's checks; the first step after which a check
finds a problem ends the walk with :class:`MonkeyFailure`, which carries the seed, the
step and the last lines of the step log, and :func:`replay_command` gives the one line
that plays the same walk again.

Generic checks, for any program's window:

- :func:`tappable` — the buttons a finger could hit now (visible, enabled, inside the
  window and its scroll area's viewport, and not covered by another window or overlay);
- :class:`Catalogue` — every visible text in the chosen language, by the translation
  catalogues: in English no visible text may be an Indonesian translation, in Indonesian
  no visible text may be an English source sentence that has a different translation;
- :func:`fit_problems` — no clipped label or button text (:mod:`tests.gui.textfit`).

Choose the seed and the number of steps with ``PST_MONKEY_SEED`` and
``PST_MONKEY_STEPS`` (see :func:`seed_and_steps`); without a seed each run on a
developer's machine explores a new walk and says which, while continuous integration
(``CI=true``) always walks the same one.
"""

from __future__ import annotations

import inspect
import os
import random
import re
import shlex
import time
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polib
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from assets import path as asset_path
from shared.qt.recovery import STORM_ERRORS, STORM_SECONDS

SEED_ENV = "PST_MONKEY_SEED"
STEPS_ENV = "PST_MONKEY_STEPS"
#: The seed of every walk in continuous integration (CI=true) unless PST_MONKEY_SEED says.
CI_SEED = 20261204
#: Lines of the step log a failure shows (the whole log goes to a file).
LOG_TAIL = 25


class FaultPace:
    """How often a walk may make a deliberate error in a slot.

    A real fault is rare. The recovery rightly ends a program after
    :data:`~shared.qt.recovery.STORM_ERRORS` errors within
    :data:`~shared.qt.recovery.STORM_SECONDS`; a walk at ten steps a second could make
    that many by chance, so it keeps to half of them in the same window.
    """

    every_seconds = STORM_SECONDS / (STORM_ERRORS // 2)

    def __init__(self) -> None:
        self.last = -self.every_seconds

    def ready(self) -> bool:
        return time.monotonic() - self.last >= self.every_seconds

    def mark(self) -> float:
        """Note a fault made now; return the time noted."""
        self.last = time.monotonic()
        return self.last


def seed_and_steps(default_steps: int) -> tuple[int, int]:
    """Return the walk's seed and length: from the environment, the CI seed or a new one.

    ``PST_MONKEY_SEED`` replays a walk; ``PST_MONKEY_STEPS`` changes its length (a
    failure found after 900 steps replays with the same seed and ``900``).
    """
    raw = os.environ.get(SEED_ENV, "").strip()
    if raw:
        seed = int(raw)
    elif os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        seed = CI_SEED  # a red CI must mean a change broke something, not an unlucky walk
    else:
        seed = random.SystemRandom().randrange(1, 2**31)
    steps = int(os.environ.get(STEPS_ENV, "").strip() or default_steps)
    return seed, steps


def replay_command(test: str, seed: int, steps: int, **env: str) -> str:
    """Return the shell line that plays the same walk again (``test`` is a pytest node id)."""
    settings = {SEED_ENV: str(seed), STEPS_ENV: str(steps), **env}
    assignments = " ".join(f"{key}={shlex.quote(value)}" for key, value in settings.items())
    return f"{assignments} .venv/bin/python -m pytest -p no:cacheprovider -q {shlex.quote(test)}"


class MonkeyFailure(AssertionError):
    """A check failed after a step; the message says the seed, the step and what came before."""

    def __init__(self, seed: int, step: int, problems: Sequence[str], tail: Sequence[str]) -> None:
        self.seed, self.step, self.problems = seed, step, list(problems)
        lines = [f"seed {seed}, step {step}:", *(f"  {p}" for p in problems), "last steps:"]
        lines += [f"  {line}" for line in tail]
        super().__init__("\n".join(lines))


@dataclass
class Action:
    """Something a person (or the building) does: ``run(walk)`` returns what it did.

    ``weight`` is how often it is chosen among the actions whose ``ready()`` is true.
    ``run`` may return None when, after all, there was nothing to do; played with
    :meth:`Walk.stepper` it may be a generator (see there).
    """

    name: str
    run: Callable[[Walk], object]
    weight: float = 1.0
    ready: Callable[[], bool] = lambda: True


@dataclass
class WalkResult:
    seed: int
    steps: int
    seconds: float
    actions: Counter = field(default_factory=Counter)
    #: Seconds spent per action (its run, the settling and the checks after it).
    action_seconds: Counter = field(default_factory=Counter)
    #: Seconds spent in the checks.
    check_seconds: float = 0.0
    #: The longest time ``settle`` took after one step (s) and its step's description.
    slowest_step: tuple[float, str] = (0.0, "")

    @property
    def steps_per_minute(self) -> float:
        return 60.0 * self.steps / self.seconds if self.seconds else 0.0


class Walk:
    """One seeded walk: the random choices, the step log and the loop."""

    def __init__(self, seed: int, steps: int, *, log_path: Path | None = None) -> None:
        self.seed = seed
        self.steps = steps
        self.rng = random.Random(seed)
        self.step = 0
        self.log: list[str] = []
        self.log_path = log_path

    # -- choices, for the actions ----------------------------------------------------------

    def choice(self, options: Sequence):
        """Pick one of ``options`` (None when there is none)."""
        return self.rng.choice(list(options)) if options else None

    def chance(self, probability: float) -> bool:
        return self.rng.random() < probability

    def note(self, text: str) -> None:
        """Add a line to the step log (an action may note what it saw on the way)."""
        self.log.append(f"{self.step:5d} {text}")

    def tail(self, lines: int = LOG_TAIL) -> list[str]:
        return self.log[-lines:]

    def save_log(self) -> None:
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self.log_path.write_text("\n".join(self.log) + "\n", encoding="utf-8")

    # -- the loop ---------------------------------------------------------------------------

    def run(
        self,
        actions: Sequence[Action],
        check: Callable[[Walk], list[str]],
        settle: Callable[[], object] = lambda: None,
    ) -> WalkResult:
        """Run the walk; raise :class:`MonkeyFailure` at the first step a check fails.

        For actions that return their description at once. A program driven from its
        own event loop plays :meth:`stepper` instead.
        """
        walk = self.stepper(actions, check, settle)
        try:
            request = next(walk)
        except StopIteration as done:
            return done.value
        walk.close()
        raise TypeError(f"an action yielded {request!r}: drive the walk with stepper()")

    def stepper(
        self,
        actions: Sequence[Action],
        check: Callable[[Walk], list[str]],
        settle: Callable[[], object] = lambda: None,
    ) -> Generator[object, object, WalkResult]:
        """The walk as a generator, for a driver that runs it from the event loop.

        An action's ``run`` (and ``settle``) may be a generator itself: what it yields
        (e.g. "wait until the keyboard shows") goes to the driver, what the driver sends
        back goes to it, and its return value is the step's description. Returns the
        :class:`WalkResult`; raises :class:`MonkeyFailure` at the first failed check.
        """
        result = WalkResult(self.seed, 0, 0.0)
        started = time.monotonic()
        try:
            problems = check(self)
            if problems:
                raise MonkeyFailure(self.seed, 0, problems, ["(before the first step)"])
            for step in range(1, self.steps + 1):
                self.step = step
                ready = [a for a in actions if a.weight > 0 and a.ready()]
                if not ready:
                    raise MonkeyFailure(self.seed, self.step, ["no action can run"], self.tail())
                action = self.rng.choices(ready, weights=[a.weight for a in ready])[0]
                step_started = time.monotonic()
                done = action.run(self)
                if inspect.isgenerator(done):
                    done = yield from done
                self.note(f"{action.name}: {done}" if done else f"{action.name}: (nothing)")
                before = time.monotonic()
                settled = settle()
                if inspect.isgenerator(settled):
                    yield from settled
                took = time.monotonic() - before
                if took > result.slowest_step[0]:
                    result.slowest_step = (took, self.log[-1])
                result.actions[action.name] += 1
                checked = time.monotonic()
                problems = check(self)
                result.check_seconds += time.monotonic() - checked
                result.action_seconds[action.name] += time.monotonic() - step_started
                if problems:
                    raise MonkeyFailure(self.seed, self.step, problems, self.tail())
                result.steps = self.step
        finally:
            result.seconds = time.monotonic() - started
            self.save_log()
        return result


# -- what a finger can reach ----------------------------------------------------------------


def _scroll_viewport(widget: QWidget) -> QWidget | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent.viewport()
        parent = parent.parentWidget()
    return None


def reachable(widget: QWidget) -> bool:
    """Tell whether a finger on ``widget``'s centre would land on it now.

    Visible and enabled, its centre inside its window and its scroll area's viewport,
    and the topmost widget there (another window, such as an on-screen keyboard, or an
    overlay inside the window makes it unreachable).
    """
    if not (widget.isVisible() and widget.isEnabled() and widget.width() and widget.height()):
        return False
    centre = widget.rect().center()
    window = widget.window()
    if not window.rect().contains(widget.mapTo(window, centre)):
        return False
    viewport = _scroll_viewport(widget)
    if viewport is not None and not viewport.rect().contains(widget.mapTo(viewport, centre)):
        return False
    hit = QApplication.widgetAt(widget.mapToGlobal(centre))
    return hit is not None and (hit is widget or widget.isAncestorOf(hit))


def tappable(root: QWidget, kinds: tuple[type, ...] = (QAbstractButton,)) -> list[QWidget]:
    """Return the widgets of ``kinds`` under ``root`` a finger could tap now."""
    return [w for w in root.findChildren(QWidget) if isinstance(w, kinds) and reachable(w)]


def tap(widget: QWidget) -> None:
    """Press and release the left button at the widget's centre (as a tap does)."""
    from PySide6.QtTest import QTest

    QTest.mouseClick(
        widget, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, widget.rect().center()
    )


def describe(widget: QWidget) -> str:
    """Name a widget for the step log: object name and text."""
    text = widget.text() if isinstance(widget, QLabel | QAbstractButton | QLineEdit) else ""
    name = widget.objectName() or type(widget).__name__
    return f"{name} {text[:40]!r}" if text else name


# -- what a person reads --------------------------------------------------------------------


def visible_texts(root: QWidget, *, typed: bool = False) -> list[tuple[QWidget, str]]:
    """Every text the program shows under ``root``: labels, buttons, input placeholders.

    What a person typed into an input is left out (it is in their words, not the
    program's) unless ``typed`` is true.
    """
    found: list[tuple[QWidget, str]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel | QAbstractButton):
            text = widget.text()
            if isinstance(widget, QAbstractButton):
                text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
        elif isinstance(widget, QLineEdit):
            text = widget.text() if typed else ""
            text = text or ("" if widget.text() else widget.placeholderText())
        elif isinstance(widget, QPlainTextEdit | QTextEdit):
            text = widget.toPlainText() if typed else ""
            text = text or ("" if widget.toPlainText() else widget.placeholderText())
        else:
            continue
        if text.strip():
            found.append((widget, text))
    return found


_PLACEHOLDER = re.compile(r"\{[a-z_]+\}")
# A sentence's words, to tell "Batal" (a word) from "{n}×" (only a number and a mark).
_WORDS = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class _Pattern:
    text: str
    regex: re.Pattern | None  # None: a sentence without placeholders, matched exactly
    hook: str  # its longest literal part: a cheap test before the regex

    def matches(self, text: str) -> bool:
        if self.regex is None:
            return text == self.text
        return self.hook in text and self.regex.fullmatch(text) is not None


def _pattern(text: str) -> _Pattern | None:
    text = text.strip()
    parts = _PLACEHOLDER.split(text)
    if not _WORDS.search("".join(parts)):
        return None  # nothing in it says which language it is
    if len(parts) == 1:
        return _Pattern(text, None, text)
    regex = re.compile(".+?".join(re.escape(p) for p in parts), re.DOTALL)
    return _Pattern(text, regex, max(parts, key=len))


class Catalogue:
    """The translation catalogues, as a test of which language a visible text is in."""

    def __init__(self, files: Iterable[Path] | None = None) -> None:
        files = (
            list(files) if files is not None else sorted(asset_path("locale", "id").glob("*.po"))
        )
        english: set[str] = set()
        indonesian: set[str] = set()
        both: set[str] = set()
        for path in files:
            for entry in polib.pofile(str(path)):
                if entry.obsolete or "fuzzy" in entry.flags:
                    continue
                pairs = (
                    [(entry.msgid, entry.msgstr)]
                    if not entry.msgid_plural
                    else [
                        (source, entry.msgstr_plural[k])
                        for k in entry.msgstr_plural
                        for source in (entry.msgid, entry.msgid_plural)
                    ]
                )
                for source, translation in pairs:
                    if not translation:
                        continue
                    if source.strip() == translation.strip():
                        both.add(source.strip())
                    else:
                        english.add(source)
                        indonesian.add(translation)
        self.patterns = {
            "en": [p for p in map(_pattern, english) if p is not None],
            "id": [p for p in map(_pattern, indonesian) if p is not None],
        }
        self._exact = {
            lang: {p.text for p in patterns if p.regex is None}
            for lang, patterns in self.patterns.items()
        }
        self._both = both
        self._seen: dict[tuple[str, str], str | None] = {}

    def language_of(self, text: str) -> set[str]:
        """Return the languages whose catalogue has a sentence that reads as ``text``."""
        text = text.strip()
        found = set()
        for lang, patterns in self.patterns.items():
            if text in self._exact[lang] or any(p.matches(text) for p in patterns):
                found.add(lang)
        return found

    def wrong_language(self, text: str, language: str) -> str | None:
        """Return the line of ``text`` that is in the other language, or None."""
        key = (text, language)
        if key not in self._seen:
            other = "id" if language == "en" else "en"
            self._seen[key] = next(
                (
                    part
                    for part in (*text.split("\n"), text)
                    if part.strip()
                    and part.strip() not in self._both
                    and self.language_of(part) == {other}
                ),
                None,
            )
        return self._seen[key]

    def problems(self, root: QWidget, language: str) -> list[str]:
        """Describe every visible text under ``root`` that is not in ``language``."""
        found = []
        for widget, text in visible_texts(root):
            wrong = self.wrong_language(text, language)
            if wrong is not None:
                found.append(f"{describe(widget)}: {wrong[:60]!r} is not in {language!r}")
        return found


@cache
def catalogue() -> Catalogue:
    """All of the product's catalogues (loaded once per process)."""
    return Catalogue()


def fit_problems(root: QWidget) -> list[str]:
    """Every visible label and button under ``root`` whose text is cut."""
    from tests.gui.textfit import clipped

    return clipped(root)
