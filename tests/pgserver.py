"""A real PostgreSQL server for tests and benchmarks: a temporary cluster, a Unix socket only.

Debian's ``postgresql`` package puts its programs in ``/usr/lib/postgresql/N/bin`` (not
on PATH). ``initdb`` refuses to run as root, so as root the cluster belongs to the
``postgres`` user (``runuser``). The server listens on a socket in a private folder and
on no network address. The superuser ``postgres`` connects without a password (peer of
nobody: ``trust`` on the socket for that user only); every other account needs its
password (``scram-sha-256``), which the wrong-password tests rely on.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path


def find_bin() -> Path | None:
    """The folder of ``initdb`` and ``pg_ctl``, newest PostgreSQL first (None: not installed)."""
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parent.parent.name),
        reverse=True,
    )
    if found:
        return Path(found[0]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class PostgresServer:
    """Start with :meth:`start`, stop with :meth:`stop`; :meth:`url` names a database."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="pst-pg-"))
        self.data = self.root / "data"
        self.socket = self.root / "sock"
        self.log = self.root / "server.log"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(a) for a in args]
        if self.as_root:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        if check and done.returncode:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr or done.stdout}")
        return done

    def start(self) -> PostgresServer:
        self.socket.mkdir()
        if self.as_root:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.socket, "postgres", "postgres")
        self.root.chmod(0o755)
        self._run(
            self.bin / "initdb",
            "-D",
            self.data,
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C",
            "--no-sync",
        )
        hba = self.data / "pg_hba.conf"
        rules = "local all postgres trust\nlocal all all scram-sha-256\n"
        if self.as_root:
            self._run("sh", "-c", f"printf '{rules}' > {hba}")
        else:
            hba.write_text(rules)
        self._run(
            self.bin / "pg_ctl",
            "-D",
            self.data,
            "-l",
            self.log,
            "-w",
            "-o",
            f"-k {self.socket} -c listen_addresses='' -c fsync=off -c synchronous_commit=off"
            " -c full_page_writes=off",
            "start",
        )
        return self

    def stop(self) -> None:
        self._run(self.bin / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres", user: str = "postgres") -> str:
        return f"postgresql://{user}@/{database}?host={self.socket}"

    def sql(self, statement: str, database: str = "postgres") -> None:
        """Run SQL as the superuser (autocommit: CREATE DATABASE works too)."""
        import psycopg

        with psycopg.connect(self.url(database), autocommit=True) as conn:
            conn.execute(statement)

    def create_database(self, name: str) -> str:
        self.sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.sql(f'CREATE DATABASE "{name}"')
        return self.url(name)


def start_server(wait: float = 30) -> PostgresServer | None:
    """Start a server (None when PostgreSQL is not installed)."""
    bin_dir = find_bin()
    if bin_dir is None:
        return None
    server = PostgresServer(bin_dir)
    deadline = time.monotonic() + wait
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    while not (server.socket / ".s.PGSQL.5432").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return server
