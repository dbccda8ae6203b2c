"""Qt's own words follow the program's language (shared.qt.translator)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from shared import i18n
from shared.qt.translator import install_qt_translations, qt_catalogue


@pytest.fixture
def translated(qapp):
    translator = install_qt_translations(qapp, "id")
    yield
    qapp.removeTranslator(translator)
    QLocale.setDefault(QLocale.c())


def buttons() -> list[str]:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    return [b.text() for b in box.buttons()]


def menu() -> list[str]:
    edit = QLineEdit()
    return [a.text().split("\t")[0] for a in edit.createStandardContextMenu().actions() if a.text()]


def test_indonesian_then_english_again(translated):
    assert buttons() == ["OK", "Batal"]
    assert "&Salin" in menu() and "T&empel" in menu()
    assert QLocale().name() == "id_ID"
    i18n.set_language("en")
    assert buttons() == ["OK", "Cancel"]
    assert "&Copy" in menu()


def test_qt_texts_stay_out_of_the_programs_catalogue():
    # "Name" is translated for QFileSystemModel; the programs' own msgids stay their own.
    assert qt_catalogue("id")[("QFileSystemModel", "Name")] == "Nama"
    programs = i18n._catalogue("id")
    assert "&Look in:" not in programs and "Show Details..." not in programs
    assert qt_catalogue("en") == {}
