"""The optional media corner: posters in turn, a looping video muted during calls."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QColor, QImage

from display import media
from display.media import MediaPanel
from tests.gui.display.conftest import MULTIMEDIA_NOISE


def poster(path, colour: str) -> None:
    image = QImage(320, 180, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path))


def shown_colour(panel: MediaPanel) -> str:
    pixmap = panel._image.pixmap()
    assert pixmap is not None and not pixmap.isNull()
    image = pixmap.toImage()
    return image.pixelColor(image.width() // 2, image.height() // 2).name()


def test_posters_show_in_turn_and_new_ones_are_picked_up(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(media, "SLIDE_SECONDS", 0.05)
    poster(tmp_path / "01-jadwal.png", "#ff0000")
    poster(tmp_path / "02-layanan.png", "#0000ff")
    (tmp_path / "catatan.txt").write_text("not a poster")
    panel = MediaPanel(tmp_path)
    qtbot.addWidget(panel)
    panel.resize(640, 360)
    panel.show()
    assert panel.has_media and panel.isVisible()
    assert [p.name for p in panel.images] == ["01-jadwal.png", "02-layanan.png"]
    seen = {shown_colour(panel)}
    qtbot.waitUntil(lambda: seen.add(shown_colour(panel)) or len(seen) == 2, timeout=3000)
    assert seen == {"#ff0000", "#0000ff"}

    poster(tmp_path / "03-baru.png", "#00ff00")
    panel.reload()
    assert len(panel.images) == 3


def test_an_empty_or_missing_folder_hides_the_corner(qtbot, tmp_path):
    panel = MediaPanel(tmp_path / "missing")
    qtbot.addWidget(panel)
    assert not panel.has_media and not panel.isVisible()


def test_a_broken_poster_is_skipped_without_stopping_the_display(qtbot, tmp_path, caplog):
    (tmp_path / "rusak.png").write_bytes(b"not a png")
    panel = MediaPanel(tmp_path)
    qtbot.addWidget(panel)
    assert "cannot show image" in caplog.text


@pytest.mark.qt_log_ignore(*MULTIMEDIA_NOISE, "Could not open media")
def test_the_video_is_muted_while_a_call_is_announced(qtbot, tmp_path):
    (tmp_path / "profil-bps.mp4").write_bytes(b"\x00" * 64)  # unplayable: no sound device
    panel = MediaPanel(tmp_path)
    qtbot.addWidget(panel)
    assert panel.video is not None and panel._audio is not None
    assert not panel._audio.isMuted()
    panel.set_muted(True)
    assert panel._audio.isMuted()
    panel.set_muted(False)
    assert not panel._audio.isMuted()
