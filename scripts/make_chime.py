"""Write chime.wav, the three-note chime played before every spoken call.

Run ``python scripts/make_chime.py`` after changing a tone; ``assets/sounds/chime.wav``
is shipped, so nobody needs to run this to use the display. Stdlib only: bell-like
partials with an exponential decay, rising E5 – G5 – C6 like the chimes visitors know from stations.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22_050
# (start second, frequency Hz) of each note.
NOTES = ((0.0, 659.25), (0.42, 783.99), (0.84, 1046.50))
LENGTH_SECONDS = 2.2
# A bell's partials: (multiple of the note, relative loudness).
PARTIALS = ((1.0, 1.0), (2.0, 0.35), (3.0, 0.12), (4.2, 0.05))
DECAY_PER_SECOND = 3.2
PEAK = 0.6  # of full scale: loud enough in a waiting room, no clipping when notes overlap


def sample(t: float) -> float:
    value = 0.0
    for start, frequency in NOTES:
        age = t - start
        if age < 0:
            continue
        # A 5 ms attack avoids the click of a sudden start.
        envelope = min(1.0, age / 0.005) * math.exp(-DECAY_PER_SECOND * age)
        for multiple, loudness in PARTIALS:
            value += loudness * envelope * math.sin(2 * math.pi * frequency * multiple * age)
    return value


def render() -> list[float]:
    samples = [sample(i / RATE) for i in range(int(RATE * LENGTH_SECONDS))]
    # Fade the tail to silence so the file does not end with a click.
    fade = int(RATE * 0.1)
    for i in range(fade):
        samples[-1 - i] *= i / fade
    loudest = max(abs(s) for s in samples)
    return [s / loudest * PEAK for s in samples]


def write(path: Path) -> Path:
    frames = b"".join(struct.pack("<h", round(s * 32767)) for s in render())
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(RATE)
        out.writeframes(frames)
    return path


if __name__ == "__main__":
    print(write(Path(__file__).resolve().parent.parent / "assets" / "sounds" / "chime.wav"))
