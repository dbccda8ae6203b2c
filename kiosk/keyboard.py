"""The on-screen keyboard (Qt Virtual Keyboard): the kiosk's language, a sensible height.

The keyboard opens in the layout of the default locale and keeps it: switched to
English, the kiosk would still show the Indonesian layout with "Indonesia" on the space
bar. :class:`KeyboardLanguage` sets the keyboard's own locale setting whenever the
visitor changes the language and whenever the keyboard appears (its window, and so its
settings, exist only once it has been shown). The globe key offers just the kiosk's two
languages.

The keyboard's height follows its width (the style's design proportions): full width on
a 1366×768 monitor it would take 427 px, more than half the screen, and leave the form a
strip of 150 px. Its height is held to :data:`MAX_SCREEN_SHARE` of the screen; the keys
stay taller than a fingertip.

The keyboard's window is a ``QQuickView``, but PySide6 hands it out as the plain
``QWindow`` wrapper it cached first (``shiboken6.wrapInstance`` returns that same
wrapper, without ``engine()``). Its QML engine is reached as what it also is: a child
object of that window.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLocale, QObject
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtQml import QQmlEngine

log = logging.getLogger(__name__)

KEYBOARD_LOCALES = {"id": "id_ID", "en": "en_US"}
INPUT_VIEW = "QtVirtualKeyboard::InputView"
#: The most of the screen's height the keyboard may cover.
MAX_SCREEN_SHARE = 0.4


def input_view() -> QWindow | None:
    """Return the keyboard's window, or None before the keyboard was first shown."""
    for window in QGuiApplication.topLevelWindows():
        if window.metaObject().className() == INPUT_VIEW:
            return window
    return None


def keyboard_settings() -> QObject | None:
    """Return the keyboard's ``VirtualKeyboardSettings`` object, or None before it shows."""
    view = input_view()
    engine = view.findChild(QQmlEngine) if view is not None else None
    if engine is None:
        return None
    return engine.singletonInstance("QtQuick.VirtualKeyboard.Settings", "VirtualKeyboardSettings")


def keyboard_style() -> tuple[QObject, QObject] | None:
    """Return the keyboard item and its style object, or None before the keyboard shows."""
    from PySide6.QtQuick import QQuickItem

    view = input_view()
    root = view.findChild(QQuickItem) if view is not None else None
    panel = next(iter(root.childItems()), None) if root is not None else None
    keyboard = (
        next((item for item in panel.childItems() if item.objectName() == "keyboard"), None)
        if panel is not None
        else None
    )
    style = keyboard.property("style") if keyboard is not None else None
    if not isinstance(style, QObject):
        return None
    return keyboard, style


class KeyboardLanguage(QObject):
    """Keep the on-screen keyboard's layout in the kiosk's language, and its height sane."""

    def __init__(self, language: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self._design_height: float | None = None
        self._failed = False
        QGuiApplication.inputMethod().visibleChanged.connect(self.apply)

    def set_language(self, language: str) -> None:
        self.language = language
        # A keyboard created later starts in the default locale's layout.
        QLocale.setDefault(QLocale(KEYBOARD_LOCALES.get(language, "id_ID")))
        self.apply()

    def apply(self) -> None:
        """Set the keyboard's language and height (once it exists).

        The keyboard is reached through Qt Virtual Keyboard's own objects; should a Qt
        update move them, the error is logged once and the kiosk goes on with the
        keyboard as Qt made it (a wrong layout is better than a kiosk that resets).
        """
        try:
            self._apply()
        except Exception:
            if not self._failed:
                log.exception("the on-screen keyboard's language and height could not be set")
            self._failed = True

    def _apply(self) -> None:
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
        self._limit_height()

    def _limit_height(self) -> None:
        """Hold the keyboard to :data:`MAX_SCREEN_SHARE` of the screen's height."""
        found = keyboard_style()
        view = input_view()
        if found is None or view is None:
            return
        keyboard, style = found
        design_width = float(style.property("keyboardDesignWidth") or 0)
        if self._design_height is None:
            self._design_height = float(style.property("keyboardDesignHeight") or 0)
        width = float(keyboard.property("width") or 0)
        screen = view.screen().geometry().height() if view.screen() else view.height()
        if not (design_width and self._design_height and width and screen):
            return
        natural = width * self._design_height / design_width
        height = min(natural, MAX_SCREEN_SHARE * screen)
        wanted = design_width * height / width
        if abs(float(style.property("keyboardDesignHeight") or 0) - wanted) > 0.5:
            log.debug("on-screen keyboard: %d px high", round(height))
            style.setProperty("keyboardDesignHeight", wanted)
