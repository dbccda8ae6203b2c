"""Antrian PST core: the queue, its storage protocol and its rules, without Qt.

Everything the kiosk, the counter console, the waiting-room display and `pst-admin`
share lives here. Only :mod:`shared.qt` may import PySide6.
"""

__version__ = "0.1.0"
