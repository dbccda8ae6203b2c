"""One translation mechanism for every visible sentence.

Source strings (msgids) are English and live in the code; the Indonesian catalogue is
every ``assets/locale/<lang>/*.po`` file (one per program plus the core's), read at run
time with polib (no compile step). Indonesian is
the default language. Mark strings that are translated later with :func:`N_`, translate
where shown with :func:`_`, and use :func:`ngettext` for counts — never glue translated
fragments together.
"""

from __future__ import annotations

import os
import threading
from functools import cache

import polib

from assets import path as asset_path

DEFAULT_LANGUAGE = "id"
LANGUAGES = ("id", "en")

_state = threading.local()
_global_language = DEFAULT_LANGUAGE


class Msg(str):
    """A parameter that is itself a msgid, translated when the sentence is shown."""


def N_(message: str) -> str:
    """Mark ``message`` for translation without translating it yet."""
    return message


@cache
def _catalogue(language: str) -> dict[str, object]:
    if language == "en":
        return {}
    entries: dict[str, object] = {}
    for po_file in sorted(asset_path("locale", language).glob("*.po")):
        entries.update(_read_po(str(po_file)))
    return entries


def _read_po(po_file: str) -> dict[str, object]:
    entries: dict[str, object] = {}
    for entry in polib.pofile(po_file):
        # An entry with a context is one of Qt's own texts (qt.po): shared.qt.translator's.
        if entry.obsolete or "fuzzy" in entry.flags or entry.msgctxt:
            continue
        if entry.msgid_plural:
            forms = [entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural)]
            if all(forms):
                entries[(entry.msgid, entry.msgid_plural)] = forms
        elif entry.msgstr:
            entries[entry.msgid] = entry.msgstr
    return entries


def set_language(language: str) -> None:
    """Switch the language of this process (``id`` or ``en``)."""
    global _global_language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose one of {', '.join(LANGUAGES)}")
    _global_language = language


def language() -> str:
    """Return the language in force for this process."""
    return getattr(_state, "language", None) or _global_language


def _stretch(text: str) -> str:
    # PST_I18N_STRETCH=1 doubles every vowel so that layouts too tight for longer
    # wording show up in screenshots.
    if os.environ.get("PST_I18N_STRETCH") == "1":
        return "".join(c * 2 if c in "aeiouAEIOU" else c for c in text)
    return text


def _(message: str, **params: object) -> str:
    """Translate ``message`` into the current language, then fill ``{named}`` fields."""
    text = _catalogue(language()).get(message, message)
    text = _stretch(str(text))
    if not params:
        return text
    return text.format(**{k: _(v) if isinstance(v, Msg) else v for k, v in params.items()})


def translate(message: str, lang: str, **params: object) -> str:
    """Translate into a given language without changing the process language."""
    text = str(_catalogue(lang).get(message, message))
    return text.format(**params) if params else text


def ngettext(singular: str, plural: str, n: int, **params: object) -> str:
    """Translate a sentence with a count ``n``; ``{n}`` is filled in."""
    forms = _catalogue(language()).get((singular, plural))
    if isinstance(forms, list):
        # Indonesian has one plural form.
        text = forms[0] if len(forms) == 1 else forms[0 if n == 1 else 1]
    else:
        text = singular if n == 1 else plural
    return _stretch(text).format(n=n, **params)
