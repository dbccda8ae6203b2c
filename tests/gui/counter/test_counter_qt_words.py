"""Qt's own words on an Indonesian console: the save dialog, its question, context menus.

Qt ships no Indonesian translation; the console brings its own (shared.qt.translator,
assets/locale/id/qt.po). Checked on a real X desktop, the console started the way the
office starts it, at both office screen sizes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from tests.gui.counter.conftest import write_config
from tests.gui.xdesktop import python_path, x_desktop

pytestmark = [pytest.mark.xvfb, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[3]
QT_PO = ROOT / "assets" / "locale" / "id" / "qt.po"
CHILD = [sys.executable, "-m", "tests.gui.counter.qt_words_child"]


def english_words() -> set[str]:
    """Qt's English texts that have an Indonesian translation (and differ from it)."""
    return {
        e.msgid.replace("&", "")
        for e in polib.pofile(str(QT_PO))
        if e.msgstr and e.msgstr.replace("&", "") != e.msgid.replace("&", "") and len(e.msgid) > 2
    }


@pytest.mark.parametrize("size", [(1366, 768), (1920, 1080)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_qt_dialogs_and_menus_speak_indonesian(ops, office, db_path, tmp_path, artifacts, size):
    ops.save_officer("admin", full_name="Admin PST", pin="0000", role="admin")
    config = write_config(tmp_path / "pc", db_path, "loket-1-pc")
    label = f"{size[0]}x{size[1]}"
    with x_desktop(label, tmp_path / "home") as env:
        done = subprocess.run(
            [*CHILD, str(config), str(artifacts), label],
            cwd=ROOT,
            env={**env, "PYTHONPATH": python_path(env)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stdout[-2000:] + done.stderr[-3000:]
    shown = json.loads(lines[-1])

    dialog = shown["save_dialog"]
    for word in ("&Cari di:", "&Nama berkas:", "&Jenis berkas:", "&Simpan", "Batal"):
        assert word in dialog, (word, dialog)
    assert shown["save_dialog_title"] == "Simpan laporan"
    question = shown["overwrite_question"]
    assert any("sudah ada" in t for t in question) and {"&Ya", "&Tidak"} <= set(question)
    assert {"&Urungkan", "&Salin", "T&empel", "Pilih Semua"} <= set(
        t.split("\t")[0] for t in shown["line_edit_menu"]
    ), shown["line_edit_menu"]
    assert {"&Naikkan", "&Turunkan"} <= set(t.split("\t")[0] for t in shown["spin_box_menu"])
    english = english_words()
    everything = [t.split("\t")[0].replace("&", "") for key, v in shown.items() for t in v]
    assert not [t for t in everything if t in english], everything
    for name in ("save-dialog", "overwrite-question"):
        assert (artifacts / f"counter-{name}-{label}.png").exists()
