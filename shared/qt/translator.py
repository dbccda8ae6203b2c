"""Qt's own words (file dialogs, message boxes, context menus) in the person's language.

Qt ships no Indonesian catalogue (PySide6 has ``qtbase_en.qm`` and others, no
``qtbase_id.qm``), so a save dialog said "Look in / File name / Save / Cancel" on an
Indonesian console. :class:`CatalogueTranslator` answers Qt's ``tr()`` calls from
``assets/locale/<lang>/qt.po``, where each entry's ``msgctxt`` is the Qt class that asks
(``QFileDialog``, ``QPlatformTheme``, ``QLineEdit``…) and its ``msgid`` Qt's English
text, ``%1`` and ``&`` included. It follows :func:`shared.i18n.language` at every call,
so a kiosk switched to English gets Qt's English again; a text it does not know is left
to Qt.
"""

from __future__ import annotations

import logging
from functools import cache

import polib
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from assets import path as asset_path
from shared import i18n

log = logging.getLogger(__name__)

#: The locale of each language, for Qt's dates, calendars and file types.
LOCALES = {"id": "id_ID", "en": "en_GB"}


@cache
def qt_catalogue(language: str) -> dict[tuple[str, str], str]:
    """Map (Qt context, English text) to its translation, from ``qt.po`` of ``language``."""
    po_file = asset_path("locale", language, "qt.po")
    if not po_file.is_file():
        return {}
    return {
        (entry.msgctxt or "", entry.msgid): entry.msgstr
        for entry in polib.pofile(str(po_file))
        if entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags
    }


class CatalogueTranslator(QTranslator):
    """Translate Qt's own strings from the ``qt.po`` catalogues, in the current language."""

    def translate(self, context, source_text, disambiguation=None, n=-1):
        if not context or not source_text:
            return None
        # None is a null string to Qt: the next translator, or Qt's English, answers.
        return qt_catalogue(i18n.language()).get((context, source_text))

    def isEmpty(self) -> bool:
        return False


def install_qt_translations(app: QCoreApplication, language: str | None = None) -> QTranslator:
    """Give ``app`` Qt's words in the program's language; set the default locale too.

    The default locale names months and weekdays in calendars and date fields.
    """
    language = language or i18n.language()
    translator = CatalogueTranslator(app)
    if not app.installTranslator(translator):
        log.warning("Qt's own texts stay in English: the translator could not be installed")
    QLocale.setDefault(QLocale(LOCALES.get(language, "id_ID")))
    return translator
