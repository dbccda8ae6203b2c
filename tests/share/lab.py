"""The loopback SMB lab: one Samba server and FUSE mounts, each standing for one PC.

Everything the lab starts is recorded by PID and stopped by PID; every mount is
unmounted, also when a test fails. The server listens on 127.0.0.1 only, on a random
free port, with its configuration, password database and state in a temporary folder.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SMBFUSE = HERE / "smbfuse.py"
SHARE = "pst"
# A second share whose files are accessed as an unprivileged user, so that directory
# permissions apply (the Samba user of the lab is root, who bypasses them).
RESTRICTED_SHARE = "pstro"


def skip_reason() -> str | None:
    """Say why the share tests cannot run here, or None when they can."""
    if sys.platform != "linux":
        return "the SMB lab needs Linux (FUSE)"
    if os.geteuid() != 0:
        return "the SMB lab needs root (smbd, smbpasswd -a, FUSE mounts)"
    if not Path("/dev/fuse").exists():
        return "/dev/fuse is missing (load the fuse module or run the container with it)"
    for tool in ("smbd", "smbpasswd"):
        if not shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin"):
            return f"{tool} not found (install the Debian package samba)"
    if not shutil.which("umount"):
        return "umount not found"
    for module in ("smbprotocol", "smbclient", "fuse"):
        if importlib.util.find_spec(module) is None:
            return f"Python module {module} missing (pip install smbprotocol fusepy)"
    try:
        import fuse  # noqa: F401  (fusepy loads libfuse.so.2 on import)
    except OSError as exc:
        return f"libfuse 2 not loadable ({exc}); install the Debian package libfuse2"
    return None


def _sbin(tool: str) -> str:
    found = shutil.which(tool, path=os.environ.get("PATH", "") + ":/usr/sbin:/sbin")
    assert found, tool
    return found


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop_group(proc: subprocess.Popen, timeout: float = 5.0) -> None:
    """Stop a process we started in its own session, and everything it forked."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGCONT)
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout)
    # smbd's per-connection children may outlive the parent for a moment.
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


class SambaServer:
    """A private smbd on 127.0.0.1 with two shares over folders in ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.share_dir = root / "share"
        self.restricted_dir = root / "restricted"
        self.state = root / "samba"
        self.conf = self.state / "smb.conf"
        self.password_file = root / "password"
        self.user = "root"
        self.proc: subprocess.Popen | None = None

    def configure(self) -> None:
        # The restricted share's unprivileged user must be able to reach its folder.
        self.root.chmod(0o711)
        for sub in ("private", "lock", "state", "cache", "pid", "ncalrpc", "log", "bind-dns"):
            (self.state / sub).mkdir(parents=True, exist_ok=True)
        self.share_dir.mkdir(exist_ok=True)
        self.restricted_dir.mkdir(exist_ok=True)
        password = secrets.token_urlsafe(16)
        self.password_file.write_text(password)
        self.password_file.chmod(0o600)
        s = self.state
        self.conf.write_text(
            f"""[global]
    netbios name = PSTLAB
    workgroup = PSTLAB
    server role = standalone server
    interfaces = 127.0.0.1
    bind interfaces only = yes
    smb ports = {self.port}
    disable netbios = yes
    passdb backend = tdbsam:{s}/private/passdb.tdb
    private dir = {s}/private
    lock directory = {s}/lock
    state directory = {s}/state
    cache directory = {s}/cache
    pid directory = {s}/pid
    ncalrpc dir = {s}/ncalrpc
    binddns dir = {s}/bind-dns
    log file = {s}/log/log.%m
    log level = 1
    load printers = no
    printing = bsd
    printcap name = /dev/null
    disable spoolss = yes
    map to guest = never
    server min protocol = SMB2_10
    # The database share: no client-side caching, real byte-range locks.
    oplocks = no
    level2 oplocks = no
    kernel oplocks = no
    smb2 leases = no
    posix locking = yes
    strict locking = yes
    smb3 unix extensions = no

[{SHARE}]
    path = {self.share_dir}
    read only = no
    valid users = {self.user}

[{RESTRICTED_SHARE}]
    path = {self.restricted_dir}
    read only = no
    valid users = {self.user}
    force user = nobody
"""
        )
        subprocess.run(
            [_sbin("smbpasswd"), "-c", str(self.conf), "-s", "-a", self.user],
            input=f"{password}\n{password}\n",
            text=True,
            check=True,
            capture_output=True,
            timeout=30,
        )

    def start(self) -> None:
        """Start smbd and wait until it accepts connections on its port."""
        log = open(self.state / "log" / "smbd.out", "ab")  # noqa: SIM115 (kept for the process)
        self.proc = subprocess.Popen(
            [
                _sbin("smbd"),
                "--foreground",
                "--no-process-group",
                "--debug-stdout",
                "-s",
                str(self.conf),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"smbd exited: {self.log_tail()}")
            with socket.socket() as sock:
                sock.settimeout(0.5)
                if sock.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"smbd did not listen on {self.port}: {self.log_tail()}")

    def stop(self) -> None:
        if self.proc is not None:
            _stop_group(self.proc)
            self.proc = None

    def log_tail(self, lines: int = 30) -> str:
        path = self.state / "log" / "smbd.out"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )


class Mount:
    """One FUSE client mount of a share: one emulated office PC."""

    def __init__(
        self,
        server: SambaServer,
        mountpoint: Path,
        *,
        share: str = SHARE,
        forward_locks: bool = True,
        name: str = "pc",
    ) -> None:
        self.server = server
        self.mountpoint = mountpoint
        self.share = share
        self.forward_locks = forward_locks
        self.name = name
        self.proc: subprocess.Popen | None = None
        self.log = mountpoint.parent / f"{mountpoint.name}.log"

    def start(self) -> Mount:
        self.mountpoint.mkdir(parents=True, exist_ok=True)
        args = [
            sys.executable,
            str(SMBFUSE),
            str(self.mountpoint),
            "--port",
            str(self.server.port),
            "--share",
            self.share,
            "--user",
            self.server.user,
            "--password-file",
            str(self.server.password_file),
            "--name",
            f"smbfuse-{self.name}",
        ]
        if not self.forward_locks:
            args.append("--no-locks")
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                args,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"smbfuse exited: {self.log.read_text(errors='replace')}")
            if self.mounted():
                with contextlib.suppress(OSError):
                    os.listdir(self.mountpoint)
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"mount {self.mountpoint} did not come up")

    def mounted(self) -> bool:
        target = str(self.mountpoint)
        with open("/proc/mounts") as fh:
            return any(line.split()[1] == target for line in fh)

    def stop(self) -> None:
        if self.mounted():
            subprocess.run(["umount", "-l", str(self.mountpoint)], capture_output=True, timeout=30)
        if self.proc is not None:
            _stop_group(self.proc)
            self.proc = None
