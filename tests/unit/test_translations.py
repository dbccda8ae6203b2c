"""Every visible sentence has an Indonesian translation with the same placeholders."""

from __future__ import annotations

import importlib.util
import re
import string
from pathlib import Path

import polib
import pytest

from shared import i18n

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("msgids", ROOT / "scripts" / "msgids.py")
msgids_module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(msgids_module)

USED = msgids_module.msgids(
    ["shared", "kiosk", "counter", "display", "setup_wizard", "status_page"]
)
PO_FILES = sorted((ROOT / "assets" / "locale" / "id").glob("*.po"))


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_catalogues_exist_and_parse():
    assert PO_FILES, "no Indonesian catalogue"
    for po_file in PO_FILES:
        polib.pofile(str(po_file))


@pytest.mark.parametrize("msgid", sorted(USED))
def test_every_msgid_is_translated_to_indonesian(msgid):
    catalogue = i18n._catalogue("id")
    if "|" in msgid:
        singular, plural = msgid.split("|", 1)
        assert (singular, plural) in catalogue, f"untranslated plural in {USED[msgid]}"
    else:
        assert msgid in catalogue, f"untranslated in {USED[msgid]}: {msgid!r}"


def test_translations_keep_placeholders():
    for po_file in PO_FILES:
        for entry in polib.pofile(str(po_file)):
            if entry.msgstr:
                assert fields(entry.msgid) == fields(entry.msgstr), (po_file.name, entry.msgid)


def test_indonesian_is_default_and_english_is_the_source():
    assert i18n.DEFAULT_LANGUAGE == "id"
    assert i18n._("Please write your name.") == "Silakan tulis nama Anda."
    i18n.set_language("en")
    assert i18n._("Please write your name.") == "Please write your name."


def test_no_silahkan_misspelling():
    for po_file in PO_FILES:
        assert not re.search(r"\bsilahkan\b", po_file.read_text(encoding="utf-8"), re.I)
