"""The wheel holds the programs and their assets, its licence, and nothing else."""

from __future__ import annotations

import email
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAM_PACKAGES = {
    "shared",
    "kiosk",
    "counter",
    "display",
    "assets",
    "setup_wizard",
    "status_page",
}
ASSET_SUFFIXES = {".po", ".qss", ".wav", ".png", ".svg"}
# Dependencies whose interfaces the code calls directly: a major release may change them.
BOUNDED = {
    "sqlite-utils",
    "qrcode",
    "python-escpos",
    "holidays",
    "platformdirs",
    "polib",
    "tomli-w",
    "waitress",
}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (found,) = out.glob("antrian_pst-*.whl")
    with zipfile.ZipFile(found) as archive:
        yield archive


def test_wheel_holds_only_the_programs_and_their_metadata(wheel):
    tops = {name.split("/")[0] for name in wheel.namelist()}
    metadata = {t for t in tops if t.endswith(".dist-info")}
    assert len(metadata) == 1
    assert tops - metadata == PROGRAM_PACKAGES
    for name in wheel.namelist():
        assert not re.search(r"(^|/)(tests?|bench|scripts|conftest)(/|\.py$)", name), name
        if name.startswith("assets/") and name.endswith(".py"):
            assert name == "assets/__init__.py", f"a build tool slipped into the wheel: {name}"


def test_wheel_ships_every_asset_of_the_source_tree(wheel):
    shipped = set(wheel.namelist())
    wanted = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "assets").rglob("*")
        if path.suffix in ASSET_SUFFIXES
    }
    assert wanted
    assert wanted <= shipped, sorted(wanted - shipped)


def test_wheel_metadata_names_the_licence_and_bounds_relied_on_apis(wheel):
    (meta_name,) = [n for n in wheel.namelist() if n.endswith(".dist-info/METADATA")]
    meta = email.message_from_bytes(wheel.read(meta_name))
    assert meta["License-Expression"] == "MIT"
    assert meta["License"] is None
    (licence,) = [n for n in wheel.namelist() if n.endswith(".dist-info/licenses/LICENSE")]
    assert b"MIT License" in wheel.read(licence)
    requires = {
        re.split(r"[\[<>=!~;\s]", line, maxsplit=1)[0].lower(): line
        for line in meta.get_all("Requires-Dist")
        if "extra ==" not in line
    }
    for name in BOUNDED:
        assert "<" in requires[name], requires[name]
    assert "==6.12.*" in requires["pyside6-essentials"]
    assert "tzdata" in requires
    entry_points = wheel.read(meta_name.replace("METADATA", "entry_points.txt")).decode()
    for program in ("pst-admin", "pst-kiosk", "pst-counter", "pst-display", "pst-setup"):
        assert f"{program} = " in entry_points


def test_demo_setup_installs_no_test_tools():
    script = (ROOT / "scripts" / "setup.sh").read_text(encoding="utf-8")
    runtime = re.search(r"RUNTIME_PACKAGES=\((.*?)\)", script, re.S).group(1).split()
    tests = re.search(r"TEST_PACKAGES=\((.*?)\)", script, re.S).group(1).split()
    for tool in ("xvfb", "pulseaudio", "samba", "fuse3", "sox"):
        assert tool not in runtime and tool in tests
    assert "scripts/setup.sh --test" in (ROOT / "scripts" / "test.sh").read_text()
    demo = (ROOT / "scripts" / "demo.sh").read_text()
    assert "scripts/setup.sh\n" in demo and "--test" not in demo
