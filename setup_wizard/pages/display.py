"""The display's page: which screen is the TV, whether calls are spoken, a test call."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from setup_wizard.pages.base import Page, help_label, set_level, status_label
from shared.i18n import _
from shared.install.config import Config, DisplaySection


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
