"""The announcer on its own: chime without a voice, recorded clips, no sound device."""

from __future__ import annotations

import shutil
import subprocess
import wave

import pytest

from display.announcer import Announcement, Announcer, ClipVoice, SilentVoice, wav_seconds
from display.clips import join_clips, needed_words


def test_without_a_voice_the_chime_still_plays_and_the_queue_moves(qtbot):
    announcer = Announcer(SilentVoice(), timeout_seconds=2)
    done = []
    announcer.announcement_finished.connect(lambda a, how: done.append((a.number, how)))
    assert announcer.chime is not None and wav_seconds(announcer.chime) > 1
    for number in ("KS-001", "KS-002"):
        announcer.enqueue(Announcement.for_call(number, "Loket 1"))
    qtbot.waitUntil(lambda: len(done) == 2, timeout=10_000)
    # Heard as the room's sound allows (no sound device here: nothing), never "spoken".
    assert [n for n, _how in done] == ["KS-001", "KS-002"]
    assert {how for _n, how in done} <= {"chime_only", "silent"}
    assert not announcer.busy


def test_a_flood_of_calls_keeps_only_the_latest_waiting(qtbot):
    announcer = Announcer(SilentVoice(), chime=None, max_waiting=3)
    started = []
    announcer.announcement_started.connect(lambda a: started.append(a.number))
    for n in range(1, 11):
        announcer.enqueue(Announcement.for_call(f"KS-{n:03d}", "Loket 1"))
    qtbot.waitUntil(lambda: not announcer.busy, timeout=10_000)
    assert started == ["KS-001", "KS-008", "KS-009", "KS-010"]


@pytest.fixture
def espeak_clips(tmp_path):
    """A folder of word clips recorded by espeak-ng, as an office would record them."""
    if not shutil.which("espeak-ng"):
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    folder = tmp_path / "clips"
    folder.mkdir()
    text = Announcement.for_call("KS-003", "Loket 2", recall=True).sentences[0][1]
    for word in needed_words(text):
        subprocess.run(
            ["espeak-ng", "-v", "id", "-w", str(folder / f"{word}.wav"), word],
            check=True,
            capture_output=True,
        )
    return folder, text


def test_clips_join_into_one_sentence(espeak_clips, tmp_path):
    folder, text = espeak_clips
    joined = join_clips(folder, text, tmp_path / "sentence.wav")
    words = sum(wav_seconds(folder / f"{w}.wav") for w in text.lower().replace(",", "").split())
    with wave.open(str(joined)) as out:
        assert out.getnframes() > 0
    # The words plus a short pause at each comma.
    assert wav_seconds(joined) == pytest.approx(words + 4 * 0.25, abs=0.05)


def test_clip_voice_announces_and_a_missing_clip_does_not_stall(qtbot, espeak_clips):
    folder, _text = espeak_clips
    announcer = Announcer(ClipVoice(folder), chime=None, timeout_seconds=10)
    done = []
    announcer.announcement_finished.connect(lambda a, how: done.append((a.number, how)))
    announcer.enqueue(Announcement.for_call("KS-003", "Loket 2", recall=True))
    # "empat" and "lima" were never recorded: the call is still shown, the queue moves on.
    announcer.enqueue(Announcement.for_call("KS-045", "Loket 2"))
    qtbot.waitUntil(lambda: len(done) == 2, timeout=20_000)
    assert [n for n, _how in done] == ["KS-003", "KS-045"]
    # KS-003 is heard where a sound device plays it; KS-045 cannot be said at all.
    assert done[0][1] in ("spoken", "silent") and done[1][1] == "silent"
    assert "empat" in announcer.voice.why_silent() or "lima" in announcer.voice.why_silent()
