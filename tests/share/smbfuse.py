"""A small FUSE client for an SMB share, standing for one office PC's mapped drive.

It exists so the tests can put the queue database on a real SMB server and use it from
several "PCs" on one machine. What it must get right is what SQLite needs from a network
file system:

* no caching anywhere: every read, write and stat goes to the server (``direct_io``,
  zero attribute/entry timeouts), so one PC sees another's commit at once;
* POSIX byte-range locks (``fcntl``) forwarded to the server as SMB2 LOCK requests, so a
  lock taken on one PC excludes the others. With ``--no-locks`` the lock operation is not
  offered and the kernel keeps locks local to this mount, like a share mounted with
  ``nobrl``: the negative control the harness must catch;
* after the server went away, handles opened before are dead (I/O error) and the locks
  they held are gone, as on a real client without durable handles. New opens reconnect.

Run as ``python smbfuse.py MOUNTPOINT --port P --share S --user U --password-file F``;
it stays in the foreground until unmounted or terminated.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import errno
import logging
import os
import stat
import sys
import threading
import time
from dataclasses import dataclass, field

import smbclient
from fuse import FUSE, FuseOSError, Operations
from smbclient._io import SMBFileTransaction, SMBRawIO, query_info
from smbprotocol.exceptions import SMBException, SMBOSError, SMBResponseException
from smbprotocol.file_info import (
    FileAttributes,
    FileBasicInformation,
    FileInternalInformation,
    FileStandardInformation,
)
from smbprotocol.open import FilePipePrinterAccessMask, LockFlags, SMB2LockElement

log = logging.getLogger("smbfuse")

STATUS_END_OF_FILE = 0xC0000011
STATUS_FILE_LOCK_CONFLICT = 0xC0000054
STATUS_LOCK_NOT_GRANTED = 0xC0000055
STATUS_DELETE_PENDING = 0xC0000056
STATUS_ACCESS_DENIED = 0xC0000022
STATUS_MEDIA_WRITE_PROTECTED = 0xC00000A2
LOCK_REFUSED = {STATUS_FILE_LOCK_CONFLICT, STATUS_LOCK_NOT_GRANTED}
# Lengths "to the end of the file" become this far end; SMB ranges must not wrap.
RANGE_END = 2**62
F_GETLK, F_SETLK, F_SETLKW = 5, 6, 7
F_RDLCK, F_WRLCK, F_UNLCK = 0, 1, 2
EPOCH_FILETIME = 116444736000000000


class Flock(ctypes.Structure):
    """``struct flock`` as the kernel hands it to the FUSE lock operation (Linux)."""

    _fields_ = [
        ("l_type", ctypes.c_short),
        ("l_whence", ctypes.c_short),
        ("l_start", ctypes.c_int64),
        ("l_len", ctypes.c_int64),
        ("l_pid", ctypes.c_int32),
    ]


class ConnectionLost(Exception):
    """The SMB connection broke; handles of this generation are dead."""


@dataclass
class Handle:
    raw: SMBRawIO
    path: str
    generation: int


@dataclass
class OwnerLocks:
    """Locks one process (FUSE lock owner) holds on one file, exactly as sent to SMB."""

    raw: SMBRawIO | None = None
    generation: int = -1
    # (start, end, type) with end exclusive; never overlapping, never merged, so every
    # segment is exactly one SMB lock and can be unlocked by its exact range.
    segments: list[tuple[int, int, int]] = field(default_factory=list)
    mutex: threading.Lock = field(default_factory=threading.Lock)


def _filetime_ns(value: int) -> int:
    return (value - EPOCH_FILETIME) * 100


def _carve(
    segments: list[tuple[int, int, int]], start: int, end: int
) -> list[tuple[int, int, int]]:
    """Remove [start, end) from the segments, splitting those that straddle it."""
    kept = []
    for s, e, t in segments:
        if e <= start or s >= end:
            kept.append((s, e, t))
            continue
        if s < start:
            kept.append((s, start, t))
        if e > end:
            kept.append((end, e, t))
    return kept


class SmbFs(Operations):
    """FUSE operations backed by one SMB session (one PC's connection to the server)."""

    use_ns = True

    def __init__(
        self,
        server: str,
        port: int,
        share: str,
        user: str,
        password: str,
        *,
        forward_locks: bool = True,
    ) -> None:
        self.root = rf"\\{server}\{share}"
        self.server = server
        self.cache: dict = {}
        self.kwargs = {
            "username": user,
            "password": password,
            "port": port,
            "connection_cache": self.cache,
            "encrypt": False,
            "connection_timeout": 5,
        }
        self.generation = 0
        self.handles: dict[int, Handle] = {}
        self.owners: dict[tuple[str, int], OwnerLocks] = {}
        self.table_lock = threading.Lock()
        self.connection_lock = threading.Lock()
        self.next_fh = 1
        if not forward_locks:
            # Without a lock operation libfuse tells the kernel to keep POSIX locks
            # itself: they then only exclude processes using this same mount.
            self.lock = None

    # -- plumbing --------------------------------------------------------------------

    def _unc(self, path: str) -> str:
        return self.root + path.replace("/", "\\").rstrip("\\")

    def _lost(self, exc: BaseException) -> None:
        with self.connection_lock:
            log.warning(
                "connection lost (%s); handles of generation %d are dead", exc, self.generation
            )
            self.generation += 1
            try:
                smbclient.reset_connection_cache(fail_on_error=False, connection_cache=self.cache)
            except Exception:  # the socket is gone already; dropping the cache is enough
                self.cache.clear()

    def _smb(self, fn, *args, **kwargs):
        """Run one SMB call; map its failure to the errno a local file system gives."""
        generation = self.generation
        try:
            return fn(*args, **kwargs)
        except SMBOSError as exc:
            if exc.ntstatus == STATUS_DELETE_PENDING:
                raise FuseOSError(errno.ENOENT) from exc
            if exc.ntstatus in (STATUS_ACCESS_DENIED, STATUS_MEDIA_WRITE_PROTECTED):
                raise FuseOSError(errno.EACCES) from exc
            raise FuseOSError(exc.errno or errno.EIO) from exc
        except SMBResponseException as exc:
            if exc.status in LOCK_REFUSED:
                raise FuseOSError(errno.EAGAIN) from exc
            if exc.status == STATUS_END_OF_FILE:
                return None
            if exc.status in (STATUS_ACCESS_DENIED, STATUS_MEDIA_WRITE_PROTECTED):
                raise FuseOSError(errno.EACCES) from exc
            if exc.status == STATUS_DELETE_PENDING:
                raise FuseOSError(errno.ENOENT) from exc
            self._maybe_lost(generation, exc)
            raise FuseOSError(errno.EIO) from exc
        except (SMBException, OSError, ValueError, ConnectionError) as exc:
            self._maybe_lost(generation, exc)
            raise FuseOSError(errno.EIO) from exc

    def _maybe_lost(self, generation: int, exc: BaseException) -> None:
        if generation == self.generation:
            self._lost(exc)

    def _handle(self, fi) -> Handle:
        handle = self.handles.get(fi.fh)
        if handle is None:
            raise FuseOSError(errno.EBADF)
        if handle.generation != self.generation:
            raise FuseOSError(errno.EIO)
        return handle

    def _open_raw(self, path: str, mode: str, access: int | None = None) -> SMBRawIO:
        generation = self.generation
        raw = self._smb(
            SMBRawIO,
            self._unc(path),
            mode=mode,
            share_access="rwd",
            desired_access=access,
            **self.kwargs,
        )
        self._smb(raw.open)
        if generation != self.generation:
            raise FuseOSError(errno.EIO)
        return raw

    def _register(self, raw: SMBRawIO, path: str, fi) -> int:
        with self.table_lock:
            fh = self.next_fh
            self.next_fh += 1
            self.handles[fh] = Handle(raw, path, self.generation)
        fi.fh = fh
        fi.direct_io = 1
        fi.keep_cache = 0
        return 0

    # -- metadata --------------------------------------------------------------------

    def getattr(self, path, fh=None):
        if fh is not None and getattr(fh, "fh", 0) in self.handles:
            raw = self._handle(fh).raw
        else:
            # A closed raw handle makes the transaction open and close it in one compound.
            raw = self._smb(
                SMBRawIO,
                self._unc(path),
                mode="r",
                share_access="rwd",
                desired_access=FilePipePrinterAccessMask.FILE_READ_ATTRIBUTES,
                **self.kwargs,
            )
        transaction = SMBFileTransaction(raw)
        query_info(transaction, FileBasicInformation)
        query_info(transaction, FileStandardInformation)
        query_info(transaction, FileInternalInformation)
        self._smb(transaction.commit)
        basic, standard, internal = transaction.results[:3]
        attributes = basic["file_attributes"].get_value()
        is_dir = attributes & FileAttributes.FILE_ATTRIBUTE_DIRECTORY
        readonly = attributes & FileAttributes.FILE_ATTRIBUTE_READONLY
        mode = (stat.S_IFDIR | 0o755) if is_dir else (stat.S_IFREG | (0o444 if readonly else 0o644))
        size = standard["end_of_file"].get_value()
        return {
            "st_mode": mode,
            "st_ino": internal["index_number"].get_value(),
            "st_nlink": max(1, standard["number_of_links"].get_value()),
            "st_size": size,
            "st_blocks": (size + 511) // 512,
            "st_uid": os.getuid(),
            "st_gid": os.getgid(),
            "st_atime": _filetime_ns(basic["last_access_time"].get_value()),
            "st_mtime": _filetime_ns(basic["last_write_time"].get_value()),
            "st_ctime": _filetime_ns(basic["change_time"].get_value()),
        }

    def readdir(self, path, fh):
        names = self._smb(smbclient.listdir, self._unc(path) or self.root, **self.kwargs)
        return [".", "..", *names]

    def statfs(self, path):
        return {
            "f_bsize": 4096,
            "f_frsize": 4096,
            "f_blocks": 1 << 20,
            "f_bfree": 1 << 19,
            "f_bavail": 1 << 19,
            "f_files": 1 << 16,
            "f_ffree": 1 << 15,
            "f_namemax": 255,
        }

    def mkdir(self, path, mode):
        self._smb(smbclient.mkdir, self._unc(path), **self.kwargs)

    def rmdir(self, path):
        self._smb(smbclient.rmdir, self._unc(path), **self.kwargs)

    def unlink(self, path):
        self._smb(smbclient.remove, self._unc(path), **self.kwargs)

    def rename(self, old, new):
        self._smb(smbclient.replace, self._unc(old), self._unc(new), **self.kwargs)

    def truncate(self, path, length, fh=None):
        if fh is not None and getattr(fh, "fh", 0) in self.handles:
            self._smb(self._handle(fh).raw.truncate, length)
        else:
            self._smb(smbclient.truncate, self._unc(path), length, **self.kwargs)

    # Permissions and times are the server's business; SQLite's fchown as root and
    # touch-style calls must simply not fail.
    def chmod(self, path, mode):
        return 0

    def chown(self, path, uid, gid):
        return 0

    def utimens(self, path, times=None):
        return 0

    # -- data ------------------------------------------------------------------------

    def create(self, path, mode, fi):
        flags = fi.flags
        raw = self._open_raw(path, "x+" if flags & os.O_EXCL else "a+")
        return self._register(raw, path, fi)

    def open(self, path, fi):
        access = fi.flags & os.O_ACCMODE
        mode = "r" if access == os.O_RDONLY else "r+"
        raw = self._open_raw(path, mode)
        return self._register(raw, path, fi)

    def read(self, path, size, offset, fi):
        raw = self._handle(fi).raw
        chunk = raw.fd.connection.max_read_size
        out = bytearray()
        while len(out) < size:
            want = min(chunk, size - len(out))
            data = self._smb(raw.fd.read, offset + len(out), want)
            if not data:
                break
            out += data
            if len(data) < want:
                break
        return bytes(out)

    def write(self, path, data, offset, fi):
        raw = self._handle(fi).raw
        chunk = raw.fd.connection.max_write_size
        done = 0
        while done < len(data):
            piece = data[done : done + chunk]
            self._smb(raw.fd.write, piece, offset + done)
            done += len(piece)
        return done

    def fsync(self, path, datasync, fi):
        self._smb(self._handle(fi).raw.fd.flush)

    def flush(self, path, fi):
        return 0

    def release(self, path, fi):
        with self.table_lock:
            handle = self.handles.pop(fi.fh, None)
        if handle is not None and handle.generation == self.generation:
            # Closing a handle the server already dropped is not an error.
            with contextlib.suppress(FuseOSError):
                self._smb(handle.raw.close)
        return 0

    # -- locks -----------------------------------------------------------------------

    def lock(self, path, fi, cmd, lockp):
        fl = ctypes.cast(lockp, ctypes.POINTER(Flock)).contents
        start = fl.l_start
        end = RANGE_END if fl.l_len == 0 else start + fl.l_len
        if cmd == F_GETLK:
            return self._test_lock(path, fl, start, end)
        key = (path, fi.lock_owner)
        with self.table_lock:
            owner = self.owners.setdefault(key, OwnerLocks())
        deadline = time.monotonic() + (10 if cmd == F_SETLKW else 0)
        while True:
            try:
                with owner.mutex:
                    self._set_lock(path, owner, start, end, fl.l_type)
                break
            except FuseOSError as exc:
                if exc.errno != errno.EAGAIN or time.monotonic() >= deadline:
                    raise
                time.sleep(0.01)
        if not owner.segments:
            with self.table_lock:
                if not owner.segments and self.owners.get(key) is owner:
                    del self.owners[key]
            self._close_lock_handle(owner)
        return 0

    def _lock_handle(self, path: str, owner: OwnerLocks) -> SMBRawIO:
        if owner.raw is None or owner.generation != self.generation:
            access = (
                FilePipePrinterAccessMask.FILE_READ_DATA | FilePipePrinterAccessMask.FILE_WRITE_DATA
            )
            try:
                owner.raw = self._open_raw(path, "r", access)
            except FuseOSError:
                owner.raw = self._open_raw(path, "r", FilePipePrinterAccessMask.FILE_READ_DATA)
            owner.generation = self.generation
        return owner.raw

    def _close_lock_handle(self, owner: OwnerLocks) -> None:
        with owner.mutex:
            if owner.segments or owner.raw is None:
                return
            raw, owner.raw = owner.raw, None
            if owner.generation == self.generation:
                # The server drops the handle's locks with the connection anyway.
                with contextlib.suppress(FuseOSError):
                    self._smb(raw.close)

    def _set_lock(self, path: str, owner: OwnerLocks, start: int, end: int, kind: int) -> None:
        if owner.generation != self.generation:
            # The server restarted: whatever this process held is gone with it.
            owner.segments = []
            owner.raw = None
        if kind == F_UNLCK and not owner.segments:
            return
        old = list(owner.segments)
        new = _carve(old, start, end)
        if kind != F_UNLCK:
            new.append((start, end, kind))
        release = [seg for seg in old if seg not in new]
        acquire = [seg for seg in new if seg not in old]
        raw = self._lock_handle(path, owner)
        for seg in release:
            self._smb_lock(raw, seg, unlock=True)
            owner.segments.remove(seg)
        taken = []
        try:
            for seg in acquire:
                self._smb_lock(raw, seg)
                taken.append(seg)
                owner.segments.append(seg)
        except FuseOSError:
            # POSIX: a refused F_SETLK leaves the locks as they were.
            for seg in taken:
                self._smb_lock(raw, seg, unlock=True)
                owner.segments.remove(seg)
            for seg in release:
                self._smb_lock(raw, seg)
                owner.segments.append(seg)
            raise

    def _smb_lock(self, raw: SMBRawIO, seg: tuple[int, int, int], *, unlock: bool = False) -> None:
        start, end, kind = seg
        element = SMB2LockElement()
        element["offset"] = start
        element["length"] = end - start
        if unlock:
            element["flags"] = LockFlags.SMB2_LOCKFLAG_UNLOCK
        else:
            share = (
                LockFlags.SMB2_LOCKFLAG_SHARED_LOCK
                if kind == F_RDLCK
                else LockFlags.SMB2_LOCKFLAG_EXCLUSIVE_LOCK
            )
            element["flags"] = share | LockFlags.SMB2_LOCKFLAG_FAIL_IMMEDIATELY
        self._smb(raw.fd.lock, [element])

    def _test_lock(self, path: str, fl: Flock, start: int, end: int) -> int:
        """Answer F_GETLK by trying the lock on a separate handle and undoing it.

        A conflict with this process's own locks would be reported too; SQLite only asks
        about ranges its own connection does not hold.
        """
        probe = OwnerLocks()
        try:
            with probe.mutex:
                self._set_lock(path, probe, start, end, fl.l_type)
        except FuseOSError as exc:
            if exc.errno != errno.EAGAIN:
                raise
            fl.l_type = F_WRLCK
            fl.l_pid = 0
            self._close_lock_handle(probe)
            return 0
        with probe.mutex:
            self._set_lock(path, probe, start, end, F_UNLCK)
        self._close_lock_handle(probe)
        fl.l_type = F_UNLCK
        return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mountpoint")
    parser.add_argument("--server", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--share", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password-file", required=True)
    parser.add_argument("--no-locks", action="store_true", help="do not forward byte-range locks")
    parser.add_argument("--name", default="smbfuse", help="file system name in /proc/mounts")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s smbfuse %(message)s")
    with open(args.password_file, encoding="utf-8") as fh:
        password = fh.read().strip()
    fs = SmbFs(
        args.server,
        args.port,
        args.share,
        args.user,
        password,
        forward_locks=not args.no_locks,
    )
    FUSE(
        fs,
        args.mountpoint,
        foreground=True,
        nothreads=False,
        raw_fi=True,
        fsname=args.name,
        subtype="smbfuse",
        direct_io=True,
        use_ino=True,
        attr_timeout=0,
        entry_timeout=0,
        negative_timeout=0,
        ac_attr_timeout=0,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
