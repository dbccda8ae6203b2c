"""Serve a loopback SMB share mounted as two PCs, for the benchmarks that need one.

The share is the test suite's (:mod:`tests.share.lab`: Samba on loopback, two CIFS
mounts); this only starts it and always takes it down again, with its folder.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.share.lab import Mount, SambaServer


@contextmanager
def two_pcs(prefix: str) -> Iterator[tuple[SambaServer, list[Mount]]]:
    """Yield the server and the two PCs' mounts (``pc1``, ``pc2``) of a fresh share."""
    work = Path(tempfile.mkdtemp(prefix=prefix))
    server = SambaServer(work)
    mounts: list[Mount] = []
    try:
        server.configure()
        server.start()
        mounts = [Mount(server, work / f"pc{i}", name=f"pc{i}").start() for i in (1, 2)]
        yield server, mounts
    finally:
        for mount in mounts:
            mount.stop()
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
