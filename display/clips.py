"""Build a spoken call from a folder of recorded word clips (no Qt).

An office that prefers a recorded human voice to the speech engine records one WAV per
word (``nomor.wav``, ``antrean.wav``, ``k.wav``, ``s.wav``, ``nol.wav``, ``tiga.wav``,
``silakan.wav``, ``menuju.wav``, ``loket.wav`` …), all with the same sample rate, sample
size and channel count. A sentence is played as those clips joined into one WAV, with a
short silence where the sentence has a comma.
"""

from __future__ import annotations

import re
import wave
from pathlib import Path

from shared.devices.announce import clip_words

PAUSE_SECONDS = 0.25


class MissingClips(Exception):
    """The folder lacks a clip for some words, or the clips do not share one format."""

    def __init__(self, words: list[str], reason: str = "missing") -> None:
        self.words = words
        super().__init__(f"{reason}: {', '.join(words)}")


def needed_words(text: str) -> list[str]:
    """The distinct clip names a sentence needs, in order of first use."""
    return list(dict.fromkeys(clip_words(text)))


def missing_words(folder: Path, text: str) -> list[str]:
    return [w for w in needed_words(text) if not (folder / f"{w}.wav").is_file()]


def join_clips(folder: Path, text: str, destination: Path) -> Path:
    """Write the sentence ``text`` as one WAV made of the folder's clips.

    Raises :class:`MissingClips` when a word has no clip or the clips differ in format.
    """
    missing = missing_words(folder, text)
    if missing:
        raise MissingClips(missing)
    params = None
    frames: list[bytes] = []
    for phrase in re.split(r"[,.;:]", text):
        words = clip_words(phrase)
        if not words:
            continue
        if frames and params is not None:
            silence = int(params.framerate * PAUSE_SECONDS) * params.nchannels
            # 8-bit WAV samples are unsigned: their silence is 0x80, not 0.
            quiet = b"\x80" if params.sampwidth == 1 else b"\0" * params.sampwidth
            frames.append(quiet * silence)
        for word in words:
            with wave.open(str(folder / f"{word}.wav"), "rb") as clip:
                shape = (clip.getnchannels(), clip.getsampwidth(), clip.getframerate())
                if params is None:
                    params = clip.getparams()
                elif shape != (params.nchannels, params.sampwidth, params.framerate):
                    raise MissingClips([word], "different format")
                frames.append(clip.readframes(clip.getnframes()))
    if params is None:
        raise MissingClips([], "nothing to say")
    with wave.open(str(destination), "wb") as out:
        out.setnchannels(params.nchannels)
        out.setsampwidth(params.sampwidth)
        out.setframerate(params.framerate)
        out.writeframes(b"".join(frames))
    return destination
