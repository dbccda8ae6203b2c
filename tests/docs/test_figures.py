"""Every figure the docs state was measured: it names the bench/ script that makes it.

A *figure* is a number with a unit of time (µs, ms, s, seconds), of size (bytes, KB, MB,
GB, KiB…), a rate (writes/s), a CPU share (% of a core) or a speed ratio (×29, 10×,
"× faster"), or a vague size ("a few MB"). Code (blocks and `spans`) is not prose and is
not read.

A figure is *backed* when the prose block that holds it — a paragraph, one list item, a
table, a heading — names a script of ``bench/``: visibly (``bench_history.py`` in the
text) or with the marker ``<!-- bench: bench_history.py -->`` (several names may follow
``bench:``). In ``docs/benchmarks.md`` a heading that names a script backs its whole
section, and must carry the date of the run. Every name must be a script in ``bench/``.

Not measurements, so not read: a bound after ≤, <, ≥ or > (a target), and the phrases of
:data:`ALLOWED` (settings, promises, what a test does), each with its reason. The
convention is described in docs/benchmarks.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.docs.markdown import ROOT, Prose, documents, parse, where

BENCHES = ROOT / "bench"
BENCHMARKS = ROOT / "docs" / "benchmarks.md"

NUMBER = r"\d+(?:[.,]\d+)*"
FIGURE = re.compile(
    "|".join(
        [
            # a number and a unit of time or size: 2.3 ms, 0.62 s, 465 MB, 3.7 KB
            rf"(?<![\w.]){NUMBER}\s?(?:µs|us|ms|s|secs?|seconds?|bytes|[KMGT]i?B|kB)(?![\w/])",
            rf"(?<![\w.]){NUMBER}\s?[a-z]+/s\b",  # a rate: 5.3 writes/s
            rf"(?<![\w.]){NUMBER}\s?% of a core",
            rf"(?<![\w.×])×{NUMBER}|(?<![\w.]){NUMBER}×(?!\d)",  # ×29, 10× (not 1366×768)
            r"×\s?faster|times faster",
            r"\b(?:a few|few|several|some|many|tens of|hundreds of)\s+[KMGT]i?B\b",
        ]
    ),
    re.IGNORECASE,
)
BOUND = re.compile(r"[≤≥<>]\s*$")
MARKER = re.compile(r"<!--\s*bench:\s*(?P<names>[^>]*?)\s*-->")
NAMED = re.compile(r"\bbench/(\w+\.py)\b|\b(bench_\w+\.py)\b")
DATE = re.compile(r"\b20\d\d-\d\d-\d\d\b")
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+\.)\s")

# Figures that are not measurements: (a phrase of the line that holds them, why).
ALLOWED = [
    (
        "ceiling doubles from 5 ms to 200 ms",
        "the store's back-off, constants of shared/storage/store.py",
    ),
    ("busy timeout (3 s)", "a setting: [database] busy_timeout_ms"),
    ("rotating log file (1 MB", "the log's rotation size, a constant of shared/install/logs.py"),
    ("stopped for 10 s", "the outage the share test makes, not a measurement"),
    ("more than 30 seconds", "a setting: clock_skew_threshold_seconds"),
    ("every 10 seconds", "the heartbeat interval, a constant of the programs"),
    ("2 cores, 24 GiB", "the machine the benches ran on"),
    ("six times in 30 seconds", "when a failing program ends, a constant of shared/qt/recovery.py"),
    ("2× hari ini", "an example of the supervisor's sentence, not a measurement"),
    ("one miss per 6 s", "the status page's allowance for guessers, a constant of status_page"),
]


@dataclass
class Figure:
    path: Path
    line: int
    text: str
    block: str  # the prose block around it, for the message

    def __str__(self) -> str:
        return f"{where(self.path, self.line)}: '{self.text}'"


def pieces(prose: Prose) -> list[tuple[int, list[str]]]:
    """Split a prose block into list items; a table or a paragraph stays whole."""
    out: list[tuple[int, list[str]]] = []
    for k, text in enumerate(prose.lines):
        if not out or (LIST_ITEM.match(text) and not text.lstrip().startswith("|")):
            out.append((prose.line + k, [text]))
        else:
            out[-1][1].append(text)
    return out


def prose_text(text: str) -> str:
    """The text a reader reads: without code spans, comments, link targets and images."""
    text = re.sub(r"`[^`]*`", lambda m: " " * len(m.group(0)), text)
    text = re.sub(r"<!--.*?-->", lambda m: " " * len(m.group(0)), text, flags=re.S)
    return re.sub(r"\]\([^)]*\)", lambda m: " " * len(m.group(0)), text)


def names_in(text: str) -> set[str]:
    """The bench scripts a text names, visibly or in a marker."""
    found = {a or b for a, b in NAMED.findall(text)}
    for marker in MARKER.finditer(text):
        for name in re.split(r"[\s,]+", marker["names"]):
            if name:
                found.add(name if name.endswith(".py") else name + ".py")
    return found


def allowed(text: str, start: int) -> bool:
    return any(
        phrase in text and text.index(phrase) <= start < text.index(phrase) + len(phrase)
        for phrase, _ in ALLOWED
    )


def figures(text: str) -> list[tuple[int, str]]:
    """(offset, figure) of each figure a prose text states that is not a bound or allowed."""
    readable = prose_text(text)
    found = []
    for match in FIGURE.finditer(readable):
        start = match.start() + len(match.group(0)) - len(match.group(0).lstrip(" (\n"))
        if BOUND.search(readable[:start]) or allowed(text, start):
            continue
        found.append((start, match.group(0).strip(" (\n")))
    return found


def scan(path: Path) -> tuple[list[Figure], list[tuple[int, str]]]:
    """Figures without a bench, and (line, name) of every bench named in ``path``."""
    unbacked: list[Figure] = []
    named: list[tuple[int, str]] = []
    section: list[tuple[int, set[str]]] = []  # (heading level, benches it names)
    for prose in parse(path)[1]:
        if prose.heading_level:
            section = [s for s in section if s[0] < prose.heading_level]
            if path == BENCHMARKS:
                section.append((prose.heading_level, names_in(prose.lines[0])))
        for first, lines in pieces(prose):
            text = "\n".join(lines)
            names = names_in(text)
            named += [(first, name) for name in sorted(names)]
            backed = names or any(s[1] for s in section)
            if backed:
                continue
            for offset, figure in figures(text):
                line = first + text[:offset].count("\n")
                unbacked.append(Figure(path, line, figure, text))
    return unbacked, named


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_figure_names_the_bench_that_measured_it(path: Path):
    unbacked, _ = scan(path)
    assert not unbacked, (
        "figures without the bench that measured them:\n"
        + "\n".join(f"  {figure}" for figure in unbacked)
        + "\nName the bench/ script beside it (e.g. <!-- bench: bench_history.py --> in the"
        " paragraph, list item or table), or, when it is not a measurement (a setting, a"
        " promise), add the phrase and the reason to ALLOWED in tests/docs/test_figures.py."
    )


@pytest.mark.parametrize("path", documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_bench_named_exists(path: Path):
    _, named = scan(path)
    missing = [f"{where(path, line)}: {name}" for line, name in named]
    missing = [
        m for m, (_, name) in zip(missing, named, strict=True) if not (BENCHES / name).is_file()
    ]
    assert not missing, "benches that are not in bench/:\n  " + "\n  ".join(missing)


def test_benchmark_sections_say_when_they_ran():
    undated = [
        where(BENCHMARKS, prose.line)
        for prose in parse(BENCHMARKS)[1]
        if prose.heading_level and names_in(prose.lines[0]) and not DATE.search(prose.lines[0])
    ]
    assert not undated, f"bench sections without the date of the run: {', '.join(undated)}"


def test_allowed_phrases_are_still_in_the_docs():
    text = "\n".join(p.read_text(encoding="utf-8") for p in documents())
    gone = [phrase for phrase, _ in ALLOWED if phrase not in text]
    assert not gone, f"ALLOWED phrases no longer in the docs (remove them): {gone}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("one file `antrian-pst.db`, a few MB a year", ["a few MB"]),
        ("465 MB for 125,000 tickets, 3.7 KB a ticket", ["465 MB", "3.7 KB"]),
        ("p50 2.4 ms local / 70.7 ms share (×29)", ["2.4 ms", "70.7 ms", "×29"]),
        ("cost 10–60× what it costs", ["60×"]),
        ("throughput 5.3 writes/s, idle 1.35 % of a core", ["5.3 writes/s", "1.35 % of a core"]),
        ("a year ≤ 1 s; screens 1366×768 and 1920×1080; IKM (Σ NRR × 1/9) × 25", []),
        ("the promise: 10 minutes; 58 mm paper; 30 minutes' grace", []),
        ("`poll_interval_ms = 250` and <!-- bench: 3 ms -->", []),
    ],
)
def test_what_counts_as_a_figure(text, expected):
    assert [figure for _, figure in figures(text)] == expected
