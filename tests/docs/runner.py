"""Run one Linux shell block of the docs, the way a person would type it.

Each block runs in bash, in a fresh working folder holding ``demo.db`` (a copy of the
demo database; ``$PST_DB`` points at it, so commands without ``--db`` use it too), with
the virtual environment's programs first on the PATH, a home folder of its own (no real
configuration or log folder is touched) and the wall clock fixed by libfaketime at the
day the demo was made. The block runs on a pseudo-terminal, like a terminal window: a
PIN asked with ``--pin-prompt`` is answered (1234, twice).

Bash stops at the first command that fails and names it (``set -e`` and an ``ERR``
trap), so a failure says which line of which file.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from tests import timeshift

TZ = "Asia/Jakarta"
PIN_PROMPT = re.compile(r"(PIN: |PIN baru: |Ulangi PIN: )$")
PIN = "1234"
FAILED = "docs-test-failed"
# Bash reports the failing command and its line; the block's own lines start after these.
PRELUDE = (
    "set -eE -o pipefail\n"
    f"trap 'echo \"{FAILED} line=$LINENO status=$? command=$BASH_COMMAND\" >&2' ERR\n"
)


def environment(folder: Path, when: str, database: Path | None) -> dict[str, str]:
    """The environment of a block: its own home, the venv first, the clock at ``when``."""
    venv_bin = str(Path(sys.executable).parent)
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PST_", "FAKETIME", "XDG_")) and key not in ("LD_PRELOAD",)
    }
    env.update(
        HOME=str(folder / "home"),
        XDG_CONFIG_HOME=str(folder / "home" / ".config"),
        XDG_DATA_HOME=str(folder / "home" / ".local" / "share"),
        XDG_STATE_HOME=str(folder / "home" / ".local" / "state"),
        XDG_CACHE_HOME=str(folder / "home" / ".cache"),
        PATH=os.pathsep.join([venv_bin, env.get("PATH", "/usr/bin:/bin")]),
        LANG="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        QT_QPA_PLATFORM="offscreen",
        TERM="dumb",
        TZ=TZ,
        LD_PRELOAD=timeshift.libfaketime(),
        FAKETIME=f"@{when}",
        # Timers and the store's retry deadlines use the monotonic clock: keep it real.
        FAKETIME_DONT_FAKE_MONOTONIC="1",
        FAKETIME_NO_CACHE="1",
    )
    (folder / "home").mkdir(exist_ok=True)
    if database is not None:
        env["PST_DB"] = str(database)
    return env


@dataclass
class Outcome:
    status: int
    output: str
    seconds: float
    timed_out: bool

    def failed_line(self) -> tuple[int, int, str] | None:
        """(line in the block, exit status, command) of the command that failed."""
        found = re.search(rf"{FAILED} line=(\d+) status=(\d+) command=(.*)", self.output)
        if not found:
            return None
        line = int(found.group(1)) - PRELUDE.count("\n")
        return line, int(found.group(2)), found.group(3).strip()


def run(script: str, folder: Path, env: dict[str, str], timeout: float) -> Outcome:
    """Run ``script`` with bash on a pseudo-terminal in ``folder``; answer PIN prompts."""
    path = folder / "block.sh"
    path.write_text(PRELUDE + script, encoding="utf-8")
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:  # the child: bash, in the block's folder
        try:
            os.chdir(folder)
            os.execvpe("bash", ["bash", "--noprofile", "--norc", str(path)], env)
        finally:
            os._exit(127)
    output = b""
    timed_out = False
    try:
        while True:
            left = timeout - (time.monotonic() - started)
            if left <= 0:
                timed_out = True
                os.killpg(pid, signal.SIGKILL)
                break
            ready, _, _ = select.select([fd], [], [], min(left, 1.0))
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:  # the terminal closed: every process of the block has ended
                break
            if not chunk:
                break
            output += chunk
            if PIN_PROMPT.search(output.decode("utf-8", "replace")[-40:]):
                os.write(fd, (PIN + "\n").encode())
    finally:
        os.close(fd)
        _, status = os.waitpid(pid, 0)
    text = output.decode("utf-8", "replace").replace("\r\n", "\n")
    return Outcome(os.waitstatus_to_exitcode(status), text, time.monotonic() - started, timed_out)
