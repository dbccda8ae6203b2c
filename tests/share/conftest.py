"""Fixtures of the SMB lab: the server, the PCs' mounts, a fresh folder per test."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.share.lab import RESTRICTED_SHARE, Mount, SambaServer, skip_reason


def pytest_collection_modifyitems(items):
    reason = skip_reason()
    for item in items:
        if "tests/share/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.share)
            if reason and "needs_lab" in item.fixturenames:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def needs_lab() -> None:
    """Depend on this to be skipped, with the reason, where the lab cannot run."""


@pytest.fixture(scope="session")
def samba(needs_lab) -> Iterator[SambaServer]:
    root = Path(tempfile.mkdtemp(prefix="pst-smblab-"))
    server = SambaServer(root)
    try:
        server.configure()
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class PC:
    """One emulated office PC: its mount of the share and its view of the test folder."""

    name: str
    mount: Mount
    folder: Path

    @property
    def db(self) -> Path:
        return self.folder / "antrian.db"


@dataclass
class Lab:
    server: SambaServer
    server_folder: Path  # the same folder as the file server sees it
    pcs: list[PC]


def _lab(samba: SambaServer, request, tmp_path: Path, *, forward_locks: bool) -> Iterator[Lab]:
    name = request.node.name.replace("[", "-").replace("]", "").replace("/", "-")
    server_folder = samba.share_dir / name
    server_folder.mkdir(parents=True)
    mounts = [
        Mount(samba, tmp_path / f"pc{i}", forward_locks=forward_locks, name=f"pc{i}")
        for i in (1, 2)
    ]
    try:
        for mount in mounts:
            mount.start()
        yield Lab(
            samba,
            server_folder,
            [PC(m.name, m, m.mountpoint / name) for m in mounts],
        )
    finally:
        for mount in mounts:
            mount.stop()
        if samba.proc is None:  # a test that stopped the server must not break the next
            samba.start()
        shutil.rmtree(server_folder, ignore_errors=True)


@pytest.fixture
def lab(samba, request, tmp_path) -> Iterator[Lab]:
    """Two PCs whose mounts forward byte-range locks to the server (a correct share)."""
    yield from _lab(samba, request, tmp_path, forward_locks=True)


@pytest.fixture
def broken_lab(samba, request, tmp_path) -> Iterator[Lab]:
    """Two PCs whose mounts keep locks local (like ``nobrl``): the negative control."""
    yield from _lab(samba, request, tmp_path, forward_locks=False)


@pytest.fixture
def restricted_mount(samba, tmp_path) -> Iterator[tuple[Path, Path]]:
    """A mount of the share whose files are accessed as an unprivileged user.

    Returns (server-side folder, the PC's view of it).
    """
    mount = Mount(samba, tmp_path / "pcro", share=RESTRICTED_SHARE, name="pcro")
    try:
        mount.start()
        yield samba.restricted_dir, mount.mountpoint
    finally:
        mount.stop()
