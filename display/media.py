"""The optional media corner: a slideshow of images or a looping video from a folder.

The office puts posters (PNG/JPEG) or one video in the folder named by
``[display] media_folder``; the folder is read again every few minutes, so a new poster
shows up without restarting the display. A video's sound is muted while a call is
announced.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, QUrl
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QStackedLayout, QWidget

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}
VIDEO_SUFFIXES = {".mp4", ".webm", ".mkv", ".avi", ".mov"}
SLIDE_SECONDS = 10
RESCAN_SECONDS = 300
VIDEO_VOLUME = 0.6


def media_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """The folder's images and videos, sorted by name (so the office controls the order)."""
    try:
        entries = sorted(p for p in folder.iterdir() if p.is_file())
    except OSError:
        return [], []
    images = [p for p in entries if p.suffix.lower() in IMAGE_SUFFIXES]
    videos = [p for p in entries if p.suffix.lower() in VIDEO_SUFFIXES]
    return images, videos


class MediaPanel(QFrame):
    """Show the folder's video (looping) if there is one, else its images in turn."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Panel")
        self.folder = Path(folder)
        self.images: list[Path] = []
        self.video: Path | None = None
        self._slide = -1
        self._muted = False
        self._image = QLabel()
        self._image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._image.setMinimumSize(1, 1)
        self._stack = QStackedLayout(self)
        self._stack.addWidget(self._image)
        self._player = None
        self._audio = None
        self._video_widget = None
        self._slides = QTimer(self)
        self._slides.setInterval(SLIDE_SECONDS * 1000)
        self._slides.timeout.connect(self._on_slides_timeout)
        self._rescan = QTimer(self)
        self._rescan.setInterval(RESCAN_SECONDS * 1000)
        self._rescan.timeout.connect(self.reload)
        self._rescan.start()
        self.reload()

    @property
    def has_media(self) -> bool:
        return bool(self.images or self.video)

    def reload(self) -> None:
        """Read the folder again and start the video or the slideshow."""
        images, videos = media_files(self.folder)
        video = videos[0] if videos else None
        if images == self.images and video == self.video:
            return
        self.images, self.video = images, video
        if video is not None:
            self._play_video(video)
        else:
            self._stop_video()
            self._slide = -1
            self._on_slides_timeout()
            if len(images) > 1:
                self._slides.start()
            else:
                self._slides.stop()
        self.setVisible(self.has_media)

    def set_muted(self, muted: bool) -> None:
        """Silence the video while a call is announced."""
        self._muted = muted
        if self._audio is not None:
            self._audio.setMuted(muted)

    def _play_video(self, video: Path) -> None:
        # Multimedia is loaded only when the office really shows a video.
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer
        from PySide6.QtMultimediaWidgets import QVideoWidget

        self._slides.stop()
        if self._player is None:
            self._video_widget = QVideoWidget(self)
            self._stack.addWidget(self._video_widget)
            self._audio = QAudioOutput(self)
            self._audio.setVolume(VIDEO_VOLUME)
            self._player = QMediaPlayer(self)
            self._player.setAudioOutput(self._audio)
            self._player.setVideoOutput(self._video_widget)
            self._player.setLoops(QMediaPlayer.Loops.Infinite)
            self._player.errorOccurred.connect(self._on_player_error_occurred)
        self._audio.setMuted(self._muted)
        self._player.setSource(QUrl.fromLocalFile(str(video)))
        self._stack.setCurrentWidget(self._video_widget)
        self._player.play()

    def _stop_video(self) -> None:
        if self._player is not None:
            self._player.stop()
        self._stack.setCurrentWidget(self._image)

    def _on_player_error_occurred(self, error, message: str) -> None:
        log.warning("cannot play %s: %s", self.video, message)

    def _on_slides_timeout(self) -> None:
        if not self.images:
            self._image.clear()
            return
        self._slide = (self._slide + 1) % len(self.images)
        self._show_image()

    def _show_image(self) -> None:
        pixmap = QPixmap(str(self.images[self._slide]))
        if pixmap.isNull():
            log.warning("cannot show image %s", self.images[self._slide])
            return
        ratio = self.devicePixelRatioF()
        scaled = pixmap.scaled(
            self.contentsRect().size() * ratio,
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        scaled.setDevicePixelRatio(ratio)
        self._image.setPixmap(scaled)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.images and self._slide >= 0 and self.video is None:
            self._show_image()
