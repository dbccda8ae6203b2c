"""The set-up wizard's pages: role, shared database, the role's devices, summary.

Slow work — checking a database on a share, printing a test ticket — runs on a
worker thread and comes back as a signal, so the window never freezes on a share
that does not answer. Nothing is written until *Finish* on the summary page.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from setup_wizard import devices, install
from shared import i18n
from shared.clock import Clock
from shared.config import Config, DisplaySection
from shared.errors import ConfigError, PSTError
from shared.i18n import N_, _
from shared.installcheck import DatabaseCheck, check_database, create_database
from status_page.app import this_pc_addresses

log = logging.getLogger(__name__)

ROLE_PAGE, DATABASE_PAGE, KIOSK_PAGE, DISPLAY_PAGE, CONSOLE_PAGE, SUMMARY_PAGE = range(6)
STATUS_WEB_PAGE = 6
LANGUAGE_NAMES = {"id": "Bahasa Indonesia", "en": "English"}
ROLE_HELP = {
    "kiosk": N_("The touchscreen in the lobby: guest book, queue number, printed ticket."),
    "counter": N_("An officer's desk: call visitors, serve them, see the 10-minute target."),
    "display": N_("The PC behind the waiting-room TV: shows and speaks who is called."),
    "status_page": N_(
        "Serves the status page (pst-web): visitors follow their ticket on their phone over"
        " the office Wi-Fi. Any PC that is on all day will do."
    ),
    "admin": N_("No program starts by itself; pst-admin and the reports are used here."),
}
STYLE = """
QLabel[level="ok"] { color: #1b5e20; font-weight: bold; }
QLabel[level="warning"] { color: #8a5a00; font-weight: bold; }
QLabel[level="error"] { color: #b71c1c; font-weight: bold; }
QLabel[role="help"] { color: #444444; }
"""


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
    label = QLabel()
    label.setWordWrap(True)
    label.setProperty("role", "help")
    if name:
        label.setObjectName(name)
    return label


def status_label(name: str) -> QLabel:
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
        wizard = self.wizard()
        assert isinstance(wizard, SetupWizard)
        return wizard


class RolePage(Page):
    """Language of the wizard (and of this PC), and the role this PC plays."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.language = QComboBox()
        self.language.setObjectName("language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.language.setCurrentIndex(max(0, self.language.findData(config.machine.language)))
        self.language_label = QLabel()
        top = QHBoxLayout()
        top.addWidget(self.language_label)
        top.addWidget(self.language)
        top.addStretch(1)
        self.roles = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        self.helps: dict[str, QLabel] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(12)
        for role in install.ROLES:
            button = QRadioButton()
            button.setObjectName(f"role_{role}")
            self.roles.addButton(button)
            self.buttons[role] = button
            self.helps[role] = help_label()
            self.helps[role].setContentsMargins(28, 0, 0, 8)
            layout.addWidget(button)
            layout.addWidget(self.helps[role])
            button.toggled.connect(self.completeChanged)
        self.also_status = QCheckBox()
        self.also_status.setObjectName("also_status_page")
        self.also_status.setChecked(config.status_page.autostart)
        layout.addWidget(self.also_status)
        layout.addStretch(1)
        if config.machine.role in self.buttons:
            self.buttons[config.machine.role].setChecked(True)

    def role(self) -> str:
        return next((r for r, b in self.buttons.items() if b.isChecked()), "")

    def isComplete(self) -> bool:
        return bool(self.role())

    def nextId(self) -> int:
        return DATABASE_PAGE

    def retranslate(self) -> None:
        self.setTitle(_("Set up this PC for Antrian PST"))
        self.setSubTitle(_("Choose what this PC is for. You can run this wizard again later."))
        self.language_label.setText(_("Language:"))
        for role, button in self.buttons.items():
            button.setText(_(install.ROLE_NAMES[role]))
            self.helps[role].setText(_(ROLE_HELP[role]))
        self.also_status.setText(
            _("This PC also serves the status page for visitors' phones (pst-web)")
        )


class DatabasePage(Page):
    """Where the shared database file is, checked live while it is typed."""

    def __init__(self, config: Config, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.result: DatabaseCheck | None = None
        self.checked_text: str | None = None
        self.background = Background(self)
        self.path = QLineEdit(config.database.path)
        self.path.setObjectName("database_path")
        self.path.setPlaceholderText(r"\\server\pst\antrian-pst.db")
        self.browse = QPushButton()
        self.browse.setObjectName("browse")
        self.browse.clicked.connect(self._on_browse_clicked)
        self.check_again = QPushButton()
        self.check_again.setObjectName("check_again")
        self.check_again.clicked.connect(self.check_now)
        self.path_label = QLabel()
        self.path_help = help_label()
        self.status = status_label("database_status")
        self.admin = QCheckBox()
        self.admin.setObjectName("is_admin")
        self.admin.toggled.connect(self._show_result)
        self.create = QPushButton()
        self.create.setObjectName("create_database")
        self.create.clicked.connect(self._on_create_clicked)
        self.create.hide()
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(self.browse)
        row.addWidget(self.check_again)
        layout = QVBoxLayout(self)
        layout.addWidget(self.path_label)
        layout.addLayout(row)
        layout.addWidget(self.path_help)
        layout.addSpacing(12)
        layout.addWidget(self.status)
        layout.addSpacing(12)
        layout.addWidget(self.admin)
        layout.addWidget(self.create, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(500)
        self._debounce.timeout.connect(self.check_now)
        self.path.textChanged.connect(self._on_path_changed)

    def initializePage(self) -> None:
        if self.setup().role() == "admin":
            self.admin.setChecked(True)
        self.check_now()

    def isComplete(self) -> bool:
        return (
            self.result is not None
            and self.result.usable
            and self.checked_text == self.path.text()
            and not self.background.busy
        )

    def nextId(self) -> int:
        return {"kiosk": KIOSK_PAGE, "display": DISPLAY_PAGE, "counter": CONSOLE_PAGE}.get(
            self.setup().role(), self.setup().after_role_pages()
        )

    def database_text(self) -> str:
        """The path to write into the configuration (as the person gave it, cleaned)."""
        if self.result is not None and self.result.path is not None:
            return str(self.result.path)
        return self.path.text().strip()

    def _on_path_changed(self) -> None:
        self.background.cancel()
        self.result = None
        self.create.hide()
        set_level(self.status, "", _("Checking…"))
        self.completeChanged.emit()
        self._debounce.start()

    def check_now(self) -> None:
        """Check the path in the box now (on a worker thread)."""
        self._debounce.stop()
        text = self.path.text()
        set_level(self.status, "", _("Checking…"))
        self.background.run(lambda: check_database(text), lambda r, e: self._on_checked(text, r, e))
        self.completeChanged.emit()

    def _on_checked(self, text: str, result: Any, error: BaseException | None) -> None:
        if error is not None:
            log.error("database check failed", exc_info=error)
            result = DatabaseCheck(
                "problem", N_("The check itself failed: {error}"), {"error": error}
            )
        self.result, self.checked_text = result, text
        self._show_result()
        self.completeChanged.emit()

    def _show_result(self) -> None:
        result = self.result
        if result is None:
            return
        level = {"ready": "ok", "empty": "warning", "older": "warning"}.get(result.state, "error")
        text = result.message
        if result.can_create and not self.admin.isChecked():
            text += " " + _("If you are the administrator, tick the box below.")
        set_level(self.status, level, text)
        self.create.setVisible(result.can_create and self.admin.isChecked())
        self.create.setText(
            _("Upgrade the queue database")
            if result.state == "older"
            else _("Create the queue database here")
        )

    def _on_create_clicked(self) -> None:
        result = self.result
        if result is None or result.path is None:
            return
        path = result.path
        machine = self.setup().config.machine.name
        self.create.setEnabled(False)
        set_level(self.status, "", _("Creating…"))

        def done(_applied: Any, error: BaseException | None) -> None:
            self.create.setEnabled(True)
            if isinstance(error, PSTError):
                set_level(self.status, "error", error.message)
                return
            if error is not None:
                log.error("creating the database failed", exc_info=error)
                set_level(
                    self.status,
                    "error",
                    _("The database could not be created: {error}", error=error),
                )
                return
            self.check_now()

        self.background.run(lambda: create_database(path, clock=self.clock, machine=machine), done)

    def _on_browse_clicked(self) -> None:
        start = self.path.text() or str(Path.home())
        chosen, _filter = QFileDialog.getSaveFileName(
            self,
            _("Where is the queue database?"),
            start,
            _("Queue database (*.db);;All files (*)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.path.setText(chosen)

    def retranslate(self) -> None:
        self.setTitle(_("The shared queue database"))
        self.setSubTitle(
            _("Every PC of the office uses the same file on a shared folder of the server or NAS.")
        )
        self.path_label.setText(_("Database file:"))
        self.path_help.setText(
            _(
                "Type the path as Windows shows it, for example \\\\server\\pst\\antrian-pst.db"
                " or a mapped drive such as P:\\antrian-pst.db."
            )
        )
        self.browse.setText(_("Browse…"))
        self.check_again.setText(_("Check again"))
        self.admin.setText(_("I am the administrator of this office's queue"))
        if self.result is not None:
            self._show_result()


class KioskPage(Page):
    """The receipt printer: where it is, the paper width, and a test print."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.background = Background(self)
        self.kinds = QButtonGroup(self)
        self.kind: dict[str, QRadioButton] = {}
        for kind in ("usb", "network", "windows", "none"):
            button = QRadioButton()
            button.setObjectName(f"printer_{kind}")
            self.kinds.addButton(button)
            self.kind[kind] = button
            button.toggled.connect(self._on_changed)
        self.usb = QComboBox()
        self.usb.setObjectName("usb_printer")
        self.usb.setEditable(True)
        self.usb.currentTextChanged.connect(self._on_changed)
        self.search = QPushButton()
        self.search.setObjectName("search_usb")
        self.search.clicked.connect(self.find_printers)
        self.host = QLineEdit()
        self.host.setObjectName("printer_host")
        self.host.setPlaceholderText("192.168.1.50")
        self.host.textChanged.connect(self._on_changed)
        self.port = QSpinBox()
        self.port.setObjectName("printer_port")
        self.port.setRange(1, 65535)
        self.port.setValue(9100)
        self.port.valueChanged.connect(self._on_changed)
        self.windows = QComboBox()
        self.windows.setObjectName("windows_printer")
        self.windows.currentIndexChanged.connect(self._on_changed)
        self.paper = QButtonGroup(self)
        self.paper_buttons = {58: QRadioButton("58 mm"), 80: QRadioButton("80 mm")}
        for width, button in self.paper_buttons.items():
            button.setObjectName(f"paper_{width}")
            self.paper.addButton(button, width)
        self.paper_label = QLabel()
        self.test = QPushButton()
        self.test.setObjectName("test_print")
        self.test.clicked.connect(self._on_test_clicked)
        self.status = status_label("printer_status")

        usb_row = QHBoxLayout()
        usb_row.addWidget(self.usb, 1)
        usb_row.addWidget(self.search)
        network_row = QHBoxLayout()
        network_row.addWidget(self.host, 1)
        network_row.addWidget(QLabel(":"))
        network_row.addWidget(self.port)
        form = QFormLayout()
        form.addRow(self.kind["usb"], usb_row)
        form.addRow(self.kind["network"], network_row)
        form.addRow(self.kind["windows"], self.windows)
        form.addRow(self.kind["none"], QWidget())
        paper_row = QHBoxLayout()
        paper_row.addWidget(self.paper_label)
        for button in self.paper_buttons.values():
            paper_row.addWidget(button)
        paper_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addLayout(paper_row)
        layout.addSpacing(8)
        layout.addWidget(self.test, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._load(config)

    def _load(self, config: Config) -> None:
        self.windows_found = devices.windows_printers()
        for found in self.windows_found:
            self.windows.addItem(found.label, found.spec)
        if not self.windows_found:
            # Not Windows, or no printer installed there: nothing to choose from.
            self.kind["windows"].setEnabled(False)
            self.windows.setEnabled(False)
        self.find_printers()
        spec = config.kiosk.printer
        kind = spec.partition(":")[0]
        if kind == "usb":
            self.usb.setCurrentText(spec)
            self.kind["usb"].setChecked(True)
        elif kind == "network":
            rest = spec.partition(":")[2]
            host, _sep, port = rest.rpartition(":")
            self.host.setText(host if port.isdigit() else rest)
            if port.isdigit():
                self.port.setValue(int(port))
            self.kind["network"].setChecked(True)
        elif kind == "win32" and self.windows.findData(spec) >= 0:
            self.windows.setCurrentIndex(self.windows.findData(spec))
            self.kind["windows"].setChecked(True)
        else:
            self.kind["none"].setChecked(True)
        width = install.paper_width(config.kiosk.printer_profile) or 80
        self.paper_buttons[58 if width == 58 else 80].setChecked(True)

    def find_printers(self) -> None:
        """List the USB printers on this PC again (keeps what was typed)."""
        typed = self.usb.currentText()
        self.usb.clear()
        for found in devices.usb_printers():
            self.usb.addItem(found.label, found.spec)
        self.usb.setCurrentText(typed)

    def printer_spec(self) -> str:
        """The printer as the configuration writes it (may be invalid; see :meth:`problem`)."""
        if self.kind["usb"].isChecked():
            text = self.usb.currentText().strip()
            index = self.usb.findText(text)
            if index >= 0 and self.usb.itemData(index):
                return str(self.usb.itemData(index))
            text = text.split()[0] if text.split() else ""
            return text if text.startswith("usb:") else f"usb:{text}"
        if self.kind["network"].isChecked():
            return f"network:{self.host.text().strip()}:{self.port.value()}"
        if self.kind["windows"].isChecked():
            return str(self.windows.currentData() or "win32:")
        return "none"

    def paper_mm(self) -> int:
        return self.paper.checkedId() if self.paper.checkedId() in (58, 80) else 80

    def problem(self) -> str:
        """The sentence that says why the printer cannot be used as given ('' if fine)."""
        from shared.printing import parse_printer_spec

        try:
            parse_printer_spec(self.printer_spec())
        except ConfigError as exc:
            return exc.message
        return ""

    def isComplete(self) -> bool:
        return not self.problem()

    def nextId(self) -> int:
        return self.setup().after_role_pages()

    def _on_changed(self) -> None:
        problem = self.problem()
        set_level(self.status, "error" if problem else "", problem)
        self.test.setEnabled(not problem and not self.kind["none"].isChecked())
        self.completeChanged.emit()

    def _on_test_clicked(self) -> None:
        spec, paper = self.printer_spec(), self.paper_mm()
        language = i18n.language()
        self.test.setEnabled(False)
        set_level(self.status, "", _("Printing a test ticket…"))

        def done(_result: Any, error: BaseException | None) -> None:
            self.test.setEnabled(True)
            if isinstance(error, PSTError):
                set_level(self.status, "error", error.message)
            elif error is not None:
                log.error("test print failed", exc_info=error)
                set_level(self.status, "error", _("The test print failed: {error}", error=error))
            else:
                set_level(
                    self.status,
                    "ok",
                    _("The test ticket was sent. Check that it came out whole and readable."),
                )

        self.background.run(lambda: print_test_ticket(spec, paper, language), done)

    def retranslate(self) -> None:
        self.setTitle(_("The ticket printer"))
        self.setSubTitle(_("Where the kiosk prints the queue numbers."))
        self.kind["usb"].setText(_("USB printer"))
        self.kind["network"].setText(_("Network printer (address : port)"))
        self.kind["windows"].setText(_("Windows printer"))
        self.kind["none"].setText(_("No printer (numbers only on the screen)"))
        self.search.setText(_("Search again"))
        self.usb.lineEdit().setPlaceholderText(_("none found: type VID:PID, e.g. 04b8:0e15"))
        self.paper_label.setText(_("Paper width:"))
        self.test.setText(_("Print a test ticket"))
        self._on_changed()


def sample_slip(spec: str, paper_mm: int, language: str):
    """Return the slip of a test print: it says it is a test, the printer and the paper."""
    from shared.i18n import translate
    from shared.printing import TicketSlip

    return TicketSlip(
        office_name="Antrian PST",
        office_unit=translate(N_("Printer test"), language),
        number="TES-001",
        service_name=translate(N_("Paper width {width} mm"), language, width=paper_mm),
        issued_at=spec,
        code="TEST0001",
        language=language,
    )


def print_test_ticket(spec: str, paper_mm: int, language: str) -> bytes:
    """Print the test slip on the printer of ``spec``; return the bytes sent."""
    from shared.printing import TicketPrinter

    printer = TicketPrinter(spec, install.PAPER_PROFILES[paper_mm])
    return printer.print_slip(sample_slip(spec, paper_mm, language))


class DisplayPage(Page):
    """Which screen is the TV, and whether the calls are spoken; a test call."""

    def __init__(self, config: Config, speech_engine: str = "") -> None:
        super().__init__()
        self.speech_engine = speech_engine
        self.settings = config.display
        self.announcer = None
        self.screen = QComboBox()
        self.screen.setObjectName("screen")
        self.screen_label = QLabel()
        self.voices = QButtonGroup(self)
        self.voice_buttons = {"qt": QRadioButton(), "none": QRadioButton()}
        if config.display.voice == "clips":
            # Recorded clips are set up by hand ([display] clips_folder): keep offering them.
            self.voice_buttons["clips"] = QRadioButton()
        for voice, button in self.voice_buttons.items():
            button.setObjectName(f"voice_{voice}")
            self.voices.addButton(button)
        self.voice_buttons.get(config.display.voice, self.voice_buttons["qt"]).setChecked(True)
        self.test = QPushButton()
        self.test.setObjectName("test_voice")
        self.test.clicked.connect(self._on_test_clicked)
        self.status = status_label("voice_status")
        self.voice_help = help_label()
        screen_row = QHBoxLayout()
        screen_row.addWidget(self.screen_label)
        screen_row.addWidget(self.screen, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(screen_row)
        layout.addSpacing(12)
        for button in self.voice_buttons.values():
            layout.addWidget(button)
        layout.addWidget(self.voice_help)
        layout.addWidget(self.test, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._chosen_screen = config.display.screen

    def initializePage(self) -> None:
        self.screen.clear()
        for index, screen in enumerate(QGuiApplication.screens()):
            size = screen.geometry()
            self.screen.addItem(
                _(
                    "Screen {n}: {name} ({width}×{height})",
                    n=index + 1,
                    name=screen.name() or "-",
                    width=size.width(),
                    height=size.height(),
                ),
                index,
            )
        if self.screen.findData(self._chosen_screen) < 0:
            # The TV may be switched off while the PC is set up: keep its screen.
            self.screen.addItem(
                _("Screen {n} (not connected now)", n=self._chosen_screen + 1), self._chosen_screen
            )
        self.screen.setCurrentIndex(self.screen.findData(self._chosen_screen))

    def screen_index(self) -> int:
        data = self.screen.currentData()
        return int(data) if data is not None else self._chosen_screen

    def voice(self) -> str:
        return next((v for v, b in self.voice_buttons.items() if b.isChecked()), "qt")

    def nextId(self) -> int:
        return self.setup().after_role_pages()

    def _on_test_clicked(self) -> None:
        from display.announcer import Announcer
        from display.controller import make_voice

        if self.announcer is not None:
            self.announcer.voice.shutdown()
            self.announcer.deleteLater()
        settings = DisplaySection(**{**self.settings.__dict__, "voice": self.voice()})
        voice = make_voice(settings, self.speech_engine)
        self.announcer = Announcer(
            voice, timeout_seconds=settings.announce_timeout_seconds, parent=self
        )
        self.announcer.announcement_finished.connect(self._on_test_finished)
        self.test.setEnabled(False)
        set_level(self.status, "", _("Playing a test call…"))
        # The PC's voice runs in a helper process: the call waits until it is ready (or
        # known to be unavailable), as the display's first call does.
        status_changed = getattr(voice, "status_changed", None)
        voice.start()
        if status_changed is not None and voice.status == "starting":
            status_changed.connect(self._on_voice_status_changed)
        else:
            self._play_test_call()

    def _on_voice_status_changed(self, status: str) -> None:
        if status != "starting" and self.announcer is not None:
            self.announcer.voice.status_changed.disconnect(self._on_voice_status_changed)
            self._play_test_call()

    def _play_test_call(self) -> None:
        from display.announcer import Announcement

        self.announcer.enqueue(Announcement.for_call("KS-001", "Loket 1"))

    def _on_test_finished(self, _announcement: object, how: str) -> None:
        self.test.setEnabled(True)
        voice_off = self.announcer is not None and self.announcer.voice.status == "off"
        if self.announcer is not None:
            self.announcer.voice.shutdown()  # a test call is one call: no helper stays behind
        if how == "spoken" or (how == "chime_only" and voice_off):
            set_level(
                self.status,
                "ok",
                _("The test call was played. If you heard nothing, check the TV's sound."),
            )
        elif how == "chime_only":
            set_level(
                self.status,
                "error",
                _(
                    "The chime played but the voice said nothing. Check that an Indonesian"
                    " voice is installed; the chime and the screen still work."
                ),
            )
        elif how == "silent":
            set_level(
                self.status,
                "error",
                _(
                    "Nothing could be played. Check the TV's sound: speakers, volume and"
                    " the sound device."
                ),
            )
        else:
            set_level(
                self.status,
                "error",
                _(
                    "The voice did not finish in time. Check the speakers and that an"
                    " Indonesian voice is installed; the chime and the screen still work."
                ),
            )

    def retranslate(self) -> None:
        self.setTitle(_("The waiting-room display"))
        self.setSubTitle(_("Choose the TV's screen and test the voice."))
        self.screen_label.setText(_("Show the display on:"))
        self.voice_buttons["qt"].setText(_("Chime and Indonesian voice"))
        self.voice_buttons["none"].setText(_("Chime only, no voice"))
        if "clips" in self.voice_buttons:
            self.voice_buttons["clips"].setText(_("Chime and the recorded voice (clips folder)"))
        self.voice_help.setText(
            _(
                "The voice is the PC's own (on Windows: Settings → Time & language → Speech,"
                " add Indonesian)."
            )
        )
        self.test.setText(_("Play a test call"))


class ConsolePage(Page):
    """The console needs nothing but its language: the counter is chosen at log-in."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.language = QComboBox()
        self.language.setObjectName("console_language")
        for code, name in LANGUAGE_NAMES.items():
            self.language.addItem(name, code)
        self.label = QLabel()
        self.help = help_label()
        row = QHBoxLayout()
        row.addWidget(self.label)
        row.addWidget(self.language)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.help)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.language.setCurrentIndex(max(0, self.language.findData(i18n.language())))

    def nextId(self) -> int:
        return self.setup().after_role_pages()

    def retranslate(self) -> None:
        self.setTitle(_("The counter console"))
        self.setSubTitle(_("Officers log in with their user name and PIN."))
        self.label.setText(_("Language of the console:"))
        self.help.setText(
            _("The console asks for its counter at the first log-in and remembers it.")
        )


class StatusWebPage(Page):
    """Where pst-web listens, a check that the port is free, and the address for phones."""

    ALL = "0.0.0.0"

    def __init__(self, config: Config) -> None:
        super().__init__()
        section = config.status_page
        self.host = QComboBox()
        self.host.setObjectName("status_host")
        self.host.addItem("", self.ALL)
        self.addresses = this_pc_addresses()
        for address in self.addresses:
            self.host.addItem(address, address)
        self.host.addItem("", "127.0.0.1")
        if self.host.findData(section.host) < 0:
            self.host.addItem(section.host, section.host)
        self.host.setCurrentIndex(self.host.findData(section.host))
        self.port = QSpinBox()
        self.port.setObjectName("status_port")
        self.port.setRange(1, 65535)
        self.port.setValue(section.port)
        self.check = QPushButton()
        self.check.setObjectName("check_port")
        self.check.clicked.connect(self.check_port)
        self.status = status_label("status_port_status")
        self.address = status_label("status_address")
        self.help = help_label("status_help")
        self.host_label = QLabel()
        self.port_label = QLabel()
        form = QFormLayout()
        form.addRow(self.host_label, self.host)
        row = QHBoxLayout()
        row.addWidget(self.port)
        row.addWidget(self.check)
        row.addStretch(1)
        form.addRow(self.port_label, row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addSpacing(12)
        layout.addWidget(self.address)
        layout.addWidget(self.help)
        layout.addStretch(1)
        self.host.currentIndexChanged.connect(self._show_address)
        self.port.valueChanged.connect(self._show_address)

    def initializePage(self) -> None:
        self.check_port()

    def nextId(self) -> int:
        return SUMMARY_PAGE

    def host_text(self) -> str:
        return str(self.host.currentData() or self.ALL)

    def phone_address(self) -> str:
        """The address phones open (for the Pengaturan page's status page address)."""
        host = self.host_text()
        if host in (self.ALL, "127.0.0.1"):
            host = self.addresses[0] if self.addresses else "ALAMAT-PC-INI"
        return f"http://{host}:{self.port.value()}"

    def check_port(self) -> None:
        """Say whether pst-web could listen on the chosen address and port now."""
        level, text = port_check(self.host_text(), self.port.value())
        set_level(self.status, level, text)
        self._show_address()

    def _show_address(self) -> None:
        self.address.setText(_("Phones open: {address}", address=self.phone_address()))
        self.help.setText(
            _(
                "Put this address in the counter console: Pengaturan → Office → Status page"
                " address. On Windows, allow the port in the firewall once (as administrator):"
                ' netsh advfirewall firewall add rule name="Antrian PST status page"'
                " dir=in action=allow protocol=TCP localport={port} profile=private,domain",
                port=self.port.value(),
            )
        )

    def retranslate(self) -> None:
        self.setTitle(_("The status page for visitors' phones"))
        self.setSubTitle(
            _("pst-web only reads the shared database; phones on the office Wi-Fi open it.")
        )
        self.host_label.setText(_("Listen on:"))
        self.port_label.setText(_("Port:"))
        self.host.setItemText(0, _("All network connections of this PC (recommended)"))
        self.host.setItemText(
            self.host.findData("127.0.0.1"), _("This PC only (127.0.0.1, for a test)")
        )
        self.check.setText(_("Check the port"))
        self._show_address()


def port_check(host: str, port: int) -> tuple[str, str]:
    """Try to listen on ``host``:``port``; return (level, sentence)."""
    import socket
    import urllib.request

    try:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.bind((host, port))
    except OSError as exc:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2) as r:
                if b"snapshot_reads" in r.read(4096):
                    return "ok", _("The status page already runs on this port.")
        except (OSError, ValueError):
            pass
        return "error", _(
            "Port {port} cannot be used on this address ({error}). Choose another port.",
            port=port,
            error=exc.strerror or exc,
        )
    return "ok", _("Port {port} is free.", port=port)


class SummaryPage(Page):
    """What will be written; Finish writes it."""

    def __init__(self) -> None:
        super().__init__()
        self.text = QLabel()
        self.text.setObjectName("summary")
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.shortcuts = QCheckBox()
        self.shortcuts.setObjectName("desktop_shortcuts")
        self.status = status_label("install_status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addSpacing(12)
        layout.addWidget(self.shortcuts)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        self.retranslate()

    def nextId(self) -> int:
        return -1  # the last page, whatever ids come after it

    def validatePage(self) -> bool:
        try:
            self.setup().install()
        except (OSError, ValueError, ConfigError) as exc:
            log.error("writing the set-up failed", exc_info=exc)
            message = exc.message if isinstance(exc, ConfigError) else str(exc)
            set_level(self.status, "error", _("Nothing could be saved: {error}", error=message))
            return False
        return True

    def retranslate(self) -> None:
        self.setTitle(_("Ready to save"))
        self.setSubTitle(_("Finish writes this PC's settings and starts nothing yet."))
        self.shortcuts.setText(_("Also put shortcuts on the desktop"))
        wizard = self.wizard()
        if not isinstance(wizard, SetupWizard):
            return
        choices = wizard.choices()
        lines = [
            _("This PC: {role}", role=_(install.ROLE_NAMES[choices.role])),
            _("Database: {path}", path=choices.database),
            _("Settings file: {path}", path=str(wizard.config_path)),
        ]
        if choices.role == "kiosk" and choices.printer.strip().lower() in ("", "none"):
            lines.append(_("No ticket printer: visitors see their number on the kiosk's screen."))
        elif choices.role == "kiosk":
            lines.append(
                _(
                    "Printer: {printer}, paper {width} mm",
                    printer=choices.printer,
                    width=choices.paper_mm,
                )
            )
        elif choices.role == "display":
            lines.append(_("Screen {n}", n=choices.screen + 1))
        if choices.serves_status_page:
            lines.append(
                _(
                    "Status page for phones: {address}",
                    address=wizard.status_web_page.phone_address(),
                )
            )
        autostart = wizard.autostart_preview()
        if autostart:
            lines.append(_("Starts by itself at log-on: {path}", path=autostart))
        else:
            lines.append(_("No program starts by itself on this PC."))
        self.text.setText("\n".join(lines))


class SetupWizard(QWizard):
    """The whole wizard. ``installed`` carries the :class:`install.Installed` result."""

    installed = Signal(object)

    def __init__(
        self,
        config: Config,
        config_path: Path,
        *,
        clock: Clock,
        desktop: Path,
        speech_engine: str = "",
        install_options: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("setup_wizard")
        self.config = config
        self.config_path = config_path
        self.desktop = desktop
        self.install_options = install_options or {}
        self.result_installed: install.Installed | None = None
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setStyleSheet(STYLE)
        self.role_page = RolePage(config)
        self.database_page = DatabasePage(config, clock)
        self.kiosk_page = KioskPage(config)
        self.display_page = DisplayPage(config, speech_engine)
        self.console_page = ConsolePage(config)
        self.status_web_page = StatusWebPage(config)
        self.summary_page = SummaryPage()
        for page_id, page in (
            (ROLE_PAGE, self.role_page),
            (DATABASE_PAGE, self.database_page),
            (KIOSK_PAGE, self.kiosk_page),
            (DISPLAY_PAGE, self.display_page),
            (CONSOLE_PAGE, self.console_page),
            (SUMMARY_PAGE, self.summary_page),
            (STATUS_WEB_PAGE, self.status_web_page),
        ):
            self.setPage(page_id, page)
        self.role_page.language.currentIndexChanged.connect(self._on_language_changed)
        i18n.set_language(self.role_page.language.currentData())
        self.retranslate()

    def pages(self) -> list[Page]:
        return [
            self.role_page,
            self.database_page,
            self.kiosk_page,
            self.display_page,
            self.console_page,
            self.status_web_page,
            self.summary_page,
        ]

    def role(self) -> str:
        return self.role_page.role()

    def choices(self) -> install.Choices:
        """What the person chose so far, as the installer takes it."""
        role = self.role() or "admin"
        language = self.role_page.language.currentData()
        if role == "counter":
            language = self.console_page.language.currentData() or language
        return install.Choices(
            role=role,
            database=self.database_page.database_text(),
            language=language,
            printer=self.kiosk_page.printer_spec(),
            paper_mm=self.kiosk_page.paper_mm(),
            screen=self.display_page.screen_index(),
            voice=self.display_page.voice(),
            desktop_shortcuts=self.summary_page.shortcuts.isChecked(),
            status_page=self.role_page.also_status.isChecked(),
            status_host=self.status_web_page.host_text(),
            status_port=self.status_web_page.port.value(),
        )

    def after_role_pages(self) -> int:
        """The page after the role's own: the status page's when this PC serves it."""
        if self.role() == "status_page" or self.role_page.also_status.isChecked():
            return STATUS_WEB_PAGE
        return SUMMARY_PAGE

    def autostart_preview(self) -> str:
        """Where the autostart entry goes (empty for an administration-only PC)."""
        choices = self.choices()
        options = dict(self.install_options)
        files, _removed = install.launch_files(
            choices,
            self.config_path,
            platform=options.pop("platform", None) or sys.platform,
            environ=options.pop("environ", None) or os.environ,
            home=options.pop("home", None) or Path.home(),
            desktop=self.desktop,
            **options,
        )
        starts = [f for f in files if f.path.parent != self.desktop]
        return str(starts[0].path) if starts else ""

    def install(self) -> install.Installed:
        """Write everything for the current choices."""
        done = install.install(
            self.choices(),
            self.config,
            self.config_path,
            desktop=self.desktop,
            **self.install_options,
        )
        self.result_installed = done
        self.installed.emit(done)
        return done

    def _on_language_changed(self) -> None:
        i18n.set_language(self.role_page.language.currentData())
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Antrian PST setup"))
        self.setButtonText(QWizard.WizardButton.BackButton, _("< Back"))
        self.setButtonText(QWizard.WizardButton.NextButton, _("Next >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, _("Finish"))
        self.setButtonText(QWizard.WizardButton.CancelButton, _("Cancel"))
        for page in self.pages():
            page.retranslate()
