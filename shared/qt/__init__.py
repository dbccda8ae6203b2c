"""The only part of the core that imports Qt: adapters the three programs share.

Importing this package also protects the process from a reference-counting bug of
PySide6 6.12 on Python 3.11: each call of a Qt method that returns nothing
(``setText``, ``setEnabled``…) drops one reference to ``None``, and bool signals drop
references to ``True``/``False``. A screen that refreshes every second would free one
of them within hours and abort ("deallocating None"). Adding a huge count once makes
them practically immortal — as they are on Python 3.12 and later.
"""

import ctypes
import sys

_guarded = False


def keep_singletons_alive() -> None:
    """Make ``None``, ``True`` and ``False`` immortal on CPython before 3.12 (once)."""
    global _guarded
    if _guarded or sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40
    _guarded = True


keep_singletons_alive()
