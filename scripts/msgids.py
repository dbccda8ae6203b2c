"""List the translatable sentences (msgids) used in the code, one per line as JSON.

Usage: python scripts/msgids.py [folder ...]   (default: shared kiosk counter display setup_wizard status_page)
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MARKERS = {"_", "N_", "ngettext", "translate"}


def msgids(folders: list[str]) -> dict[str, list[str]]:
    """Map each msgid (or 'singular|plural') to the files that use it."""
    found: dict[str, list[str]] = {}
    for folder in folders:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in ast.walk(tree):
                if not (isinstance(node, ast.Call) and node.args):
                    continue
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name not in MARKERS:
                    continue
                first = node.args[0]
                if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
                    continue
                key = first.value
                if name == "ngettext" and len(node.args) > 1:
                    second = node.args[1]
                    if isinstance(second, ast.Constant):
                        key = f"{first.value}|{second.value}"
                found.setdefault(key, []).append(str(path.relative_to(ROOT)))
    return found


if __name__ == "__main__":
    for key in msgids(
        sys.argv[1:] or ["shared", "kiosk", "counter", "display", "setup_wizard", "status_page"]
    ):
        print(json.dumps(key, ensure_ascii=False))
