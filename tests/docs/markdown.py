"""Read the project's Markdown: fenced blocks and prose, each with its file and line.

Only what the docs tests need: fenced code blocks (``` or ~~~, indented inside list
items too) with their language, text and the *Not run by the docs test: …* sentence
above them, and the prose between them split into blocks (paragraphs, lists, tables,
headings) for the figures check.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^`\s]*)")
NOT_RUN = "*Not run by the docs test:"

LINUX = ("sh", "bash", "shell", "console")
WINDOWS = ("bat", "cmd", "batch", "powershell", "ps1", "pwsh")


def documents() -> list[Path]:
    """README.md and every docs/*.md, in a stable order."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


@dataclass
class Block:
    """A fenced block: ``line`` is the fence's line; the text starts on ``line + 1``."""

    path: Path
    line: int
    language: str
    text: str
    not_run: str | None  # the reason, when the block is marked as not run

    @property
    def name(self) -> str:
        return where(self.path, self.line)

    def lines(self) -> list[tuple[int, str]]:
        """The block's lines with their line numbers in the file."""
        return [(self.line + 1 + i, text) for i, text in enumerate(self.text.splitlines())]


@dataclass
class Prose:
    """Consecutive non-blank lines outside code blocks; a heading is one of its own."""

    path: Path
    line: int
    lines: list[str]
    heading_level: int = 0  # 1 for "#", 2 for "##"…; 0 for anything else


def parse(path: Path) -> tuple[list[Block], list[Prose]]:
    """Return the fenced blocks and the prose blocks of one Markdown file."""
    blocks: list[Block] = []
    prose: list[Prose] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    current: list[tuple[int, str]] = []

    def end_prose() -> None:
        if current:
            prose.append(Prose(path, current[0][0], [text for _, text in current]))
            current.clear()

    i = 0
    while i < len(lines):
        opened = FENCE.match(lines[i])
        if opened is None:
            text = lines[i]
            heading = re.match(r"^(#{1,6})\s", text)
            if not text.strip():
                end_prose()
            elif heading:
                end_prose()
                prose.append(Prose(path, i + 1, [text], heading_level=len(heading.group(1))))
            else:
                current.append((i + 1, text))
            i += 1
            continue
        end_prose()
        indent, fence = opened["indent"], opened["fence"]
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            closing = lines[j].strip()
            if closing and set(closing) == {fence[0]} and len(closing) >= len(fence):
                break
            body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j])
            j += 1
        blocks.append(
            Block(
                path,
                i + 1,
                opened["info"].lower(),
                "\n".join(body) + "\n",
                _not_run_reason(lines, i),
            )
        )
        i = j + 1
    end_prose()
    return blocks, prose


def _not_run_reason(lines: list[str], fence_index: int) -> str | None:
    """The reason of a ``*Not run by the docs test: …*`` sentence right above a fence."""
    k = fence_index - 1
    while k >= 0 and not lines[k].strip():
        k -= 1
    sentence: list[str] = []
    while k >= 0 and lines[k].strip() and not FENCE.match(lines[k]):
        sentence.insert(0, lines[k].strip())
        if lines[k].strip().startswith(NOT_RUN):
            text = " ".join(sentence)
            if text.endswith("*") and len(text) > len(NOT_RUN) + 3:
                return text[len(NOT_RUN) : -1].strip()
            return None
        k -= 1
    return None


def all_blocks() -> list[Block]:
    return [block for path in documents() for block in parse(path)[0]]
