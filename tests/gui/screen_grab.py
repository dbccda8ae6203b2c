"""Save what an X screen shows, window manager and all: ``python -m tests.gui.screen_grab OUT.png``.

Runs in its own process on the X display of ``$DISPLAY`` and prints the picture's size.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QGuiApplication

import shared.qt  # noqa: F401  (guards against PySide6 6.12 on Python 3.11)


def main() -> int:
    app = QGuiApplication(sys.argv[:1])
    picture = app.primaryScreen().grabWindow(0)
    if not picture.save(sys.argv[1]):
        return 1
    print(f"{picture.width()}x{picture.height()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
