"""Static files of Antrian PST: translations, sounds, styles and images."""

from pathlib import Path

ASSETS_DIR = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Return the path of a file shipped in assets/."""
    return ASSETS_DIR.joinpath(*parts)
