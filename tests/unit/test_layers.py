"""The core's folders import downwards only, and the core never imports a program."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT / "shared"
# From the bottom up: a module may import its own layer and the ones before it.
LAYERS = [
    {"shared.errors", "shared.i18n", "shared.clock", "shared"},
    {"shared.storage", "shared.office"},
    {"shared.queue"},
    {"shared.devices", "shared.install"},
    {"shared.reporting", "shared.planning", "shared.central"},
    {"shared.cli", "shared.qt"},
]
PROGRAMS = ("kiosk", "counter", "display", "setup_wizard", "status_page")


def layer_of(module: str) -> int:
    parts = module.split(".")
    for depth in (2, 1):
        name = ".".join(parts[:depth])
        for index, layer in enumerate(LAYERS):
            if name in layer:
                return index
    raise AssertionError(f"{module} is in no layer: add its folder to LAYERS")


def imports(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = (
                [node.module]
                if node.module != "shared"
                else [f"shared.{alias.name}" for alias in node.names]
            )
            found += [(node.lineno, name) for name in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def core_modules() -> list[Path]:
    return sorted(p for p in SHARED.rglob("*.py") if "__pycache__" not in p.parts)


@pytest.mark.parametrize("path", core_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_downwards_only(path: Path):
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    own = layer_of(module)
    upward = [
        f"line {line}: {name}"
        for line, name in imports(path)
        if name.split(".")[0] in PROGRAMS or (name.startswith("shared.") and layer_of(name) > own)
    ]
    assert not upward, f"{module} (layer {own}) imports upwards: {upward}"


def test_every_core_folder_is_in_a_layer_and_says_what_it_holds():
    for folder in sorted(p for p in SHARED.iterdir() if (p / "__init__.py").exists()):
        layer_of(f"shared.{folder.name}")
        doc = ast.get_docstring(ast.parse((folder / "__init__.py").read_text(encoding="utf-8")))
        assert doc and len(doc.splitlines()[0]) > 20, f"{folder.name}/__init__.py needs a docstring"
