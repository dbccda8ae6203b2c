"""The on-screen keyboard (Qt Virtual Keyboard) speaks the kiosk's language.

The keyboard opens in the layout of the default locale and keeps it: switched to
English, the kiosk would still show the Indonesian layout with "Indonesia" on the space
bar. :class:`KeyboardLanguage` sets the keyboard's own locale setting whenever the
visitor changes the language and whenever the keyboard appears (its window, and so its
settings, exist only once it has been shown). The globe key offers just the kiosk's two
languages.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QGuiApplication

log = logging.getLogger(__name__)

KEYBOARD_LOCALES = {"id": "id_ID", "en": "en_US"}
INPUT_VIEW = "QtVirtualKeyboard::InputView"


def keyboard_settings() -> QObject | None:
    """Return the keyboard's ``VirtualKeyboardSettings`` object, or None before it shows."""
    for window in QGuiApplication.topLevelWindows():
        if window.metaObject().className() != INPUT_VIEW:
            continue
        import shiboken6
        from PySide6.QtQuick import QQuickView

        view = shiboken6.wrapInstance(shiboken6.getCppPointer(window)[0], QQuickView)
        engine = view.engine()
        if engine is None:
            return None
        return engine.singletonInstance(
            "QtQuick.VirtualKeyboard.Settings", "VirtualKeyboardSettings"
        )
    return None


class KeyboardLanguage(QObject):
    """Keep the on-screen keyboard's layout in the kiosk's current language."""

    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language
        QGuiApplication.inputMethod().visibleChanged.connect(self.apply)

    def set_language(self, language: str) -> None:
        self.language = language
        # A keyboard created later starts in the default locale's layout.
        QLocale.setDefault(QLocale(KEYBOARD_LOCALES.get(language, "id_ID")))
        self.apply()

    def apply(self) -> None:
        settings = keyboard_settings()
        if settings is None:
            return
        wanted = KEYBOARD_LOCALES.get(self.language, "id_ID")
        active = list(KEYBOARD_LOCALES.values())
        if list(settings.property("activeLocales") or []) != active:
            settings.setProperty("activeLocales", active)
        if settings.property("locale") != wanted:
            log.debug("on-screen keyboard: %s", wanted)
            settings.setProperty("locale", wanted)
