"""The waiting-room display on a real database, with calls made by another process."""

from __future__ import annotations

import sqlite3
import time

import pytest
from PySide6.QtGui import QFontDatabase
from PySide6.QtTextToSpeech import QTextToSpeech
from PySide6.QtWidgets import QWidget

from tests.gui.display.conftest import PERSONAL_STRINGS


def shows(display, number: str, counter: str) -> bool:
    card = display.window.now_calling
    return card.number.text() == number and counter in card.counter.text()


def wait_for_layout(qtbot, window) -> None:
    """Wait until every visible widget keeps its place and type size over four looks.

    The queue rows take their sizes a few turns of the event loop after a resize; a fixed
    pause is too short on a loaded machine. A layout that never settles fails here.
    """

    def look() -> tuple:
        return tuple(
            (w.geometry().getRect(), w.font().pixelSize())
            for w in window.findChildren(QWidget)
            if w.isVisible()
        )

    seen = [look()]

    def steady() -> bool:
        seen.append(look())
        return len(seen) >= 4 and seen[-1] == seen[-2] == seen[-3] == seen[-4]

    qtbot.waitUntil(steady, timeout=5000)


def recorder(display) -> list:
    queued = []
    display.announcer.announcement_queued.connect(queued.append)
    return queued


def test_call_from_another_process_is_shown_and_announced_once(
    qtbot, make_display, other_pc, busy_office
):
    display = make_display()
    first = busy_office["first_call"]["number"]
    # The call made before the display started is on screen but not announced again.
    assert shows(display, first, "Loket 1")
    assert not display.window.now_calling.flashing
    queued = recorder(display)

    called = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: shows(display, called["number"], "Loket 2"), timeout=3000)
    assert display.window.now_calling.flashing

    # More changes from elsewhere are read, but the same call is never queued twice.
    other_pc("issue", "PS")
    qtbot.waitUntil(
        lambda: any(q.code == "PS" and q.waiting == 2 for q in display.board.queues),
        timeout=3000,
    )
    assert [a.number for a in queued] == [called["number"]]
    assert queued[0].sentences == (
        ("id", "Nomor antrean, K S, nol nol dua, silakan menuju loket dua"),
    )
    tile = display.window.counters.tiles[1]
    assert tile.name.text() == "Loket 2"
    assert tile.number.text() == called["number"]
    assert tile.status.text() == "Memanggil"


def test_recall_queues_the_recall_phrase(qtbot, make_display, other_pc, busy_office):
    display = make_display(number_reading="words", english_announcement=True)
    queued = recorder(display)
    first = busy_office["first_call"]

    other_pc("recall", first["id"])
    qtbot.waitUntil(lambda: len(queued) == 1, timeout=3000)
    assert queued[0].recall
    assert queued[0].sentences == (
        ("id", "Panggilan ulang, nomor antrean, K S, satu, silakan menuju loket satu"),
        ("en", "Calling again, queue number, K S, one, please proceed to loket one"),
    )
    qtbot.waitUntil(lambda: display.window.now_calling.title.text() == "Panggilan ulang")
    assert display.window.now_calling.number.text() == first["number"]
    assert display.window.now_calling.flashing


def test_rapid_calls_are_announced_in_order_without_overlap(
    qtbot, make_display, other_pc, busy_office
):
    display = make_display()
    log: list[tuple[str, str]] = []
    display.announcer.announcement_started.connect(lambda a: log.append(("start", a.number)))
    display.announcer.announcement_finished.connect(lambda a, how: log.append((how, a.number)))

    called = [other_pc("call", busy_office["counter2"])]
    other_pc("start", busy_office["first_call"]["id"])
    other_pc("finish", busy_office["first_call"]["id"])
    called.append(other_pc("call", busy_office["counter1"]))
    other_pc("recall", called[0]["id"])
    numbers = [called[0]["number"], called[1]["number"], called[0]["number"]]

    with qtbot.waitSignal(display.announcer.busy_changed, timeout=15000) as idle:
        pass
    qtbot.waitUntil(lambda: not display.announcer.busy, timeout=15000)
    assert idle.args == [False] or not display.announcer.busy
    expected = []
    for number in numbers:
        expected += [("start", number), ("spoken", number)]
    assert log == expected


def test_hanging_speech_engine_times_out_and_the_next_call_plays(
    qtbot, make_display, other_pc, busy_office
):
    display = make_display(announce_timeout_seconds=2.5)
    voice = display.announcer.voice
    hung = []

    def hang(state):
        # The first sentence gets stuck the way speech-dispatcher does without audio.
        if state == QTextToSpeech.State.Speaking and not hung:
            hung.append(voice.speech)
            voice.speech.pause()

    voice.speech.stateChanged.connect(hang)
    outcomes = []
    display.announcer.announcement_finished.connect(lambda a, how: outcomes.append((a.number, how)))

    first = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: len(outcomes) == 1, timeout=5000)
    assert outcomes == [(first["number"], "timed_out")]
    assert hung and voice.speech is not hung[0], "the stuck engine was replaced"

    other_pc("start", busy_office["first_call"]["id"])
    other_pc("finish", busy_office["first_call"]["id"])
    second = other_pc("call", busy_office["counter1"])
    qtbot.waitUntil(lambda: len(outcomes) == 2, timeout=8000)
    assert outcomes[1] == (second["number"], "spoken")
    # The clock kept ticking and the screen kept up while the engine hung.
    assert display.window.now_calling.number.text() == second["number"]


def screen_texts(root: QWidget) -> list[str]:
    """Every piece of text a widget could show or read out, the window's own included."""
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        for getter in ("text", "windowTitle", "toolTip", "statusTip", "whatsThis"):
            value = getattr(widget, getter, None)
            if callable(value):
                result = value()
                if isinstance(result, str):
                    texts.append(result)
        texts += [widget.accessibleName(), widget.accessibleDescription()]
    return [t for t in texts if t]


def test_no_guest_book_text_appears_anywhere(qtbot, make_display, other_pc, busy_office):
    display = make_display(english_announcement=True)
    queued = recorder(display)
    called = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: shows(display, called["number"], "Loket 2"), timeout=3000)
    qtbot.waitUntil(lambda: len(queued) == 1)

    texts = screen_texts(display.window)
    texts += [text for a in queued for _, text in a.sentences]
    joined = "\n".join(texts).lower()
    assert called["number"] in "\n".join(texts)
    for personal in PERSONAL_STRINGS:
        assert personal.lower() not in joined, personal
        for word in personal.split():
            if len(word) > 6 and word.lower() not in ("statistik",):
                assert word.lower() not in joined, word


def test_connection_lost_banner_and_recovery(qtbot, make_display, other_pc, busy_office, db_path):
    display = make_display(grace_ms=300)
    first = busy_office["first_call"]["number"]
    banner = display.window.banner
    assert not banner.isVisible()

    # A PC that froze inside a transaction keeps the file locked: nobody can read it.
    frozen_pc = sqlite3.connect(db_path, isolation_level=None)
    frozen_pc.execute("BEGIN EXCLUSIVE")
    try:
        clock_before = display.window.header.clock.text()
        qtbot.waitUntil(banner.isVisible, timeout=8000)
        assert "koneksi terputus" in banner.text().lower()
        # The last state stays on the wall, and the screen stays alive.
        assert shows(display, first, "Loket 1")
        assert display.window.counters.tiles[0].number.text() == first
        assert display.window.header.clock.text() == clock_before
    finally:
        frozen_pc.execute("ROLLBACK")
        frozen_pc.close()

    qtbot.waitUntil(lambda: not banner.isVisible(), timeout=8000)
    called = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: shows(display, called["number"], "Loket 2"), timeout=3000)


def test_another_pc_writing_is_not_a_lost_connection(
    qtbot, make_display, other_pc, busy_office, db_path
):
    """A write that holds the file for a moment (slow over a share) is no outage."""
    display = make_display(grace_ms=300)
    banner = display.window.banner
    writing_pc = sqlite3.connect(db_path, isolation_level=None)
    writing_pc.execute("BEGIN EXCLUSIVE")
    seen = []
    try:
        # Shorter than the store's busy timeout (1 s here), longer than the grace.
        until = time.monotonic() + 0.8
        while time.monotonic() < until:
            qtbot.wait(50)
            seen.append(banner.isVisible())
    finally:
        writing_pc.execute("ROLLBACK")
        writing_pc.close()
    assert seen and not any(seen)
    called = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: shows(display, called["number"], "Loket 2"), timeout=3000)
    assert not banner.isVisible()


def assert_reads_from_across_the_room(window, size: tuple[int, int]) -> None:
    """Nothing is cut off or pushed off screen, the number is the largest text, and the
    smallest line is still a few centimetres high on a TV."""
    width, height = size
    short = min(width, height)  # a portrait screen is read across its width
    assert window.minimumSizeHint().height() <= height
    number_px = window.now_calling.number.font().pixelSize()
    assert number_px >= 0.17 * short
    labels = [w for w in window.findChildren(QWidget) if hasattr(w, "fitting_pixels")]
    for label in labels:
        if label.isVisible() and label.text():
            assert label.font().pixelSize() <= number_px
            # Every label's text fits inside its box: nothing is cut off.
            advance = label.fontMetrics().horizontalAdvance(label.text())
            assert label.wordWrap() or advance <= label.contentsRect().width(), label.text()
            if not label.wordWrap():  # the letters themselves fit the line box
                ink = label.fontMetrics().tightBoundingRect(label.text())
                assert ink.height() <= label.contentsRect().height(), label.text()
            top_left = label.mapTo(window, label.rect().topLeft())
            assert top_left.x() >= 0 and top_left.x() + label.width() <= width
            assert top_left.y() >= 0 and top_left.y() + label.height() <= height, label.text()
    smallest = min(
        label.font().pixelSize() for label in labels if label.isVisible() and label.text()
    )
    assert smallest >= 0.018 * short
    # Every queue row lies inside its panel (the panel fits its rows to its height).
    panel = window.queues
    for row in panel._rows:
        for label in row:
            if label.isVisible():
                bottom = label.mapTo(panel, label.rect().bottomLeft()).y()
                assert bottom <= panel.height(), label.text()


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (3840, 2160), (1080, 1920)])
def test_screenshot_reads_from_across_the_room(
    qtbot, make_display, other_pc, busy_office, artifacts, size
):
    display = make_display(size=size)
    called = other_pc("call", busy_office["counter2"])
    qtbot.waitUntil(lambda: shows(display, called["number"], "Loket 2"), timeout=3000)
    window = display.window
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    wait_for_layout(qtbot, window)
    width, height = size
    assert window.grab().save(str(artifacts / f"display-{width}x{height}.png"))
    assert_reads_from_across_the_room(window, size)
    # Frames grow with the screen: 3 px at 1080 lines, 6 px at 4K, 2 px at 720p.
    short = min(width, height)
    tile_border = max(1, round(3 * round(short / 1080, 1)))
    assert f"border: {tile_border}px solid #16254a" in window.styleSheet()
    # With room to spare, each service name has a line of its own, readable from the chairs.
    assert window.queues.stacked
    for name, _numbers, count in window.queues._rows:
        if name.isVisible():
            assert name.font().pixelSize() >= 0.025 * short, name.text()
            assert count.font().pixelSize() >= 0.025 * short, count.text()
    if height > width:  # portrait: the columns are stacked, each the screen's width
        assert window.counters.mapTo(window, window.counters.rect().topLeft()).y() > (
            window.now_calling.mapTo(window, window.now_calling.rect().bottomLeft()).y()
        )


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_a_large_office_still_fits(qtbot, make_display, ops, office, busy_office, artifacts, size):
    """Six counters and eight services: tiles and rows shrink together, nothing is cut."""
    for code, name in (
        ("PB", "Pengaduan dan Bantuan Teknis Layanan Data"),
        ("SS", "Pembinaan Statistik Sektoral"),
        ("DI", "Data Mikro dan Integrasi"),
    ):
        ops.save_service(code, name_id=name, name_en=name, active=True)
    for n in range(3, 7):
        counter = ops.save_counter(f"Loket {n}", services=["KS", "PS"])
        ops.set_counter_status(counter["id"], "open")
    display = make_display(size=size)
    window = display.window
    qtbot.waitUntil(lambda: len(window.counters.tiles) == 6, timeout=3000)
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    wait_for_layout(qtbot, window)
    width, height = size
    assert window.grab().save(str(artifacts / f"display-large-office-{width}x{height}.png"))
    assert sum(1 for row in window.queues._rows if row[0].isVisible()) == 8
    assert not window.queues.stacked  # one row per service: the name beside its numbers
    assert_reads_from_across_the_room(window, size)


def test_a_real_font_is_installed(qapp):
    families = QFontDatabase.families()
    assert "DejaVu Sans" in families, "install fonts-dejavu-core: without it text is boxes"


def test_now_calling_tells_the_truth_after_the_visit(
    qtbot, make_display, ops, office, busy_office, clock, artifacts
):
    """A finished visit at a closed counter leaves the card; a transfer shows old → new;
    a service nobody calls says it is closed."""
    display = make_display()
    window = display.window
    first = busy_office["first_call"]
    assert shows(display, first["number"], "Loket 1")

    # Loket 1 finishes its visitor and closes: nobody is being called there any more.
    ops.start_service(first["id"])
    ops.finish(first["id"])
    ops.set_counter_status(busy_office["counter1"], "closed")
    qtbot.waitUntil(lambda: window.now_calling.number.text() == "—", timeout=3000)
    assert window.now_calling.counter.text() == "Silakan tunggu nomor Anda"
    # Loket 1 alone served the library: its numbers stay, marked closed.
    rows = {row[0].text(): row for row in window.queues._rows if row[0].isVisible()}
    library = rows["Perpustakaan"]
    assert library[1].text() == "PS-001" and library[2].text() == "Tutup"
    assert rows["Konsultasi Statistik"][2].text() != "Tutup"

    # Loket 2 calls a recommendation visitor and transfers them to the library.
    rs = ops.issue_ticket("RS")
    ops.call_ticket(rs["id"], busy_office["counter2"], reason="Janji temu")
    qtbot.waitUntil(lambda: shows(display, "RS-001", "Loket 2"), timeout=3000)
    ops.start_service(rs["id"])
    new = ops.transfer(rs["id"], "PS")
    history = window.history
    qtbot.waitUntil(
        lambda: any(c.transferred_to == new["number"] for c in display.board.recent_calls),
        timeout=3000,
    )
    # Just ended at an open counter: it stays on the card for the room to read ...
    assert window.now_calling.number.text() == "RS-001"
    assert window.grab().save(str(artifacts / "display-transfer-1280x720.png"))
    # ... and leaves it two minutes later, to the history with the new number.
    clock.advance(seconds=121)
    qtbot.waitUntil(lambda: window.now_calling.number.text() == "—", timeout=3000)
    pairs = [(n.text(), c.text()) for n, c in zip(history._numbers, history._counters, strict=True)]
    assert pairs[0] == ("RS-001", f"→ {new['number']}")
    assert window.grab().save(str(artifacts / "display-nothing-called-1280x720.png"))


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080), (1080, 1920)])
def test_in_english_every_text_still_fits(
    qtbot, make_display, other_pc, busy_office, artifacts, size
):
    from shared import i18n

    i18n.set_language("en")
    display = make_display(size=size)
    called = other_pc("call", busy_office["counter2"])
    # Counter names are the office's own words: they stay as the office wrote them.
    qtbot.waitUntil(lambda: shows(display, called["number"], "Loket 2"), timeout=3000)
    window = display.window
    qtbot.waitUntil(lambda: (window.width(), window.height()) == size)
    wait_for_layout(qtbot, window)
    width, height = size
    assert window.grab().save(str(artifacts / f"display-{width}x{height}-en.png"))
    assert window.now_calling.title.text() == "Now calling"
    assert_reads_from_across_the_room(window, size)
