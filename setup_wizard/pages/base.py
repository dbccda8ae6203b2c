"""What every page of the set-up wizard shares: page ids, the worker thread, labels.

The pages are numbered (``ROLE_PAGE`` …) because a page's ``nextId`` chooses the next
one by the role chosen on the first page.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget, QWizardPage

from shared.errors import PSTError
from shared.i18n import _

if TYPE_CHECKING:
    from setup_wizard.wizard import SetupWizard

log = logging.getLogger(__name__)

ROLE_PAGE, DATABASE_PAGE, KIOSK_PAGE, DISPLAY_PAGE, CONSOLE_PAGE, SUMMARY_PAGE = range(6)
STATUS_WEB_PAGE = 6
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}


def set_level(label: QLabel, level: str, text: str) -> None:
    """Show ``text`` in the colour of ``level`` (ok, warning, error, or empty)."""
    label.setText(text)
    label.setProperty("level", level)
    label.style().unpolish(label)
    label.style().polish(label)


class Background(QObject):
    """Run a function on a worker thread and hand its result back on the UI thread."""

    finished = Signal(int, object, object)  # ticket, result, error

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._ticket = 0
        self._callbacks: dict[int, Callable[[Any, BaseException | None], None]] = {}
        self.finished.connect(self._on_finished)

    @property
    def busy(self) -> bool:
        return bool(self._callbacks)

    def run(self, work: Callable[[], Any], done: Callable[[Any, BaseException | None], None]):
        """Start ``work``; ``done(result, error)`` follows unless a newer run replaced it."""
        self._ticket += 1
        ticket = self._ticket
        self._callbacks = {ticket: done}

        def target() -> None:
            try:
                result, error = work(), None
            except BaseException as exc:
                result, error = None, exc
            # The wizard may have been closed meanwhile; then nobody waits for the answer.
            with contextlib.suppress(RuntimeError):
                self.finished.emit(ticket, result, error)

        threading.Thread(target=target, name="pst-setup-work", daemon=True).start()

    def cancel(self) -> None:
        """Forget the running work: its result will be dropped when it comes."""
        self._callbacks = {}

    def _on_finished(self, ticket: int, result: Any, error: BaseException | None) -> None:
        done = self._callbacks.pop(ticket, None)
        if done is not None:
            done(result, error)


def help_label(name: str = "") -> QLabel:
    """A grey explaining sentence under a choice."""
    label = QLabel()
    label.setWordWrap(True)
    label.setProperty("role", "help")
    if name:
        label.setObjectName(name)
    return label


def status_label(name: str) -> QLabel:
    """The sentence that answers a check or a test (coloured by :func:`set_level`)."""
    label = QLabel()
    label.setWordWrap(True)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class Page(QWizardPage):
    """A page that can say its words again in another language."""

    def retranslate(self) -> None:
        """Set the page's texts in the current language (each page fills this in)."""

    def setup(self) -> SetupWizard:
        """The wizard this page is in."""
        from setup_wizard.wizard import SetupWizard

        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard


def language_choice(name: str) -> QComboBox:
    """A list of the languages the programs speak, by their own names."""
    combo = QComboBox()
    combo.setObjectName(name)
    for code, language in LANGUAGE_NAMES.items():
        combo.addItem(language, code)
    return combo


def labelled_row(label: QLabel, field: QWidget) -> QHBoxLayout:
    """A label and its field on one line, the rest of the line left empty."""
    row = QHBoxLayout()
    row.addWidget(label)
    row.addWidget(field)
    row.addStretch(1)
    return row


def failure(error: BaseException | None, what: str, msgid: str) -> str | None:
    """The sentence for background work that failed, or None when it did not.

    A :class:`PSTError` says its own sentence; anything else is a bug: logged as
    ``what`` failing, and shown as ``msgid`` with the error in ``{error}``.
    """
    if error is None:
        return None
    if isinstance(error, PSTError):
        return error.message
    log.error("%s failed", what, exc_info=error)
    return _(msgid, error=error)
