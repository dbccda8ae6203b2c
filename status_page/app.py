"""Start ``pst-web``: the status page for visitors' phones, served on the office network.

``pst-web --db PATH --config FILE [--host ADDRESS] [--port N]``. The ``[status_page]``
section of the PC's configuration gives the address to listen on (``0.0.0.0``, every
network connection of the PC, by default), the port (8080), the worker threads and the
most open connections. The database is opened read-only: pst-web never writes it, never
creates it and never upgrades it; while it cannot be read the pages say so and the
server keeps trying.

The server is waitress: pure Python (nothing to compile, so the Windows bundle carries
it as it is), threads instead of an event loop, a careful HTTP parser with limits on
header and body sizes, maintained by the Pylons project. SIGTERM or Ctrl+C stop it at
once: requests in progress finish, the snapshot thread ends, the process exits.
"""

from __future__ import annotations

import argparse
import logging
import signal
import socket
import sys
import time
from typing import Any

from shared import __version__, i18n
from shared.clock import Clock
from shared.errors import ConfigError, PSTError
from shared.i18n import N_, _
from shared.install.config import load_config
from shared.install.logs import log_file, setup_logging
from status_page.server import StatusApp
from status_page.snapshot import SnapshotKeeper, open_store

log = logging.getLogger(__name__)

PROGRAM = "pst-web"
# Limits on what a client may send: a GET needs no body and few headers.
MAX_HEADER_BYTES = 16_384
MAX_BODY_BYTES = 1_024


class Stop(SystemExit):
    """SIGTERM arrived: leave the server's loop.

    A ``SystemExit``: the signal may land while waitress is reading a request, where any
    ``Exception`` is taken for that request's error and the server would go on serving.
    """


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog=PROGRAM,
        description="Status page of Antrian PST: visitors' phones follow their ticket.",
        epilog=f"Log file: {log_file(PROGRAM)}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--db", help="database file (default: from the configuration)")
    p.add_argument("--config", help="configuration file (TOML)")
    p.add_argument("--host", help="address to listen on (default: [status_page] host)")
    p.add_argument("--port", type=int, help="port to listen on (default: [status_page] port)")
    p.add_argument("--lang", choices=i18n.LANGUAGES, help="language of the log sentences")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return p


def server_options(host: str, port: int, threads: int, connection_limit: int) -> dict[str, Any]:
    """The waitress settings pst-web runs with."""
    return {
        "host": host,
        "port": port,
        "threads": threads,
        "connection_limit": connection_limit,
        # poll() has no limit on the number of sockets; Windows has only select().
        "asyncore_use_poll": hasattr(__import__("select"), "poll"),
        "max_request_header_size": MAX_HEADER_BYTES,
        "max_request_body_size": MAX_BODY_BYTES,
        "channel_timeout": 60,
        "expose_tracebacks": False,
        "ident": "Antrian PST",
        "clear_untrusted_proxy_headers": True,
    }


def main(argv: list[str] | None = None, clock: Clock | None = None) -> int:
    """Serve until SIGTERM or Ctrl+C; returns the exit code (1: could not start)."""
    args = build_parser().parse_args(argv)
    setup_logging(PROGRAM)
    try:
        config = load_config(args.config)
    except ConfigError as exc:
        return _cannot_start(exc.message)
    i18n.set_language(args.lang or config.machine.language)
    if args.db:
        config.database.path = args.db
    section = config.status_page
    host = args.host if args.host is not None else section.host
    port = args.port if args.port is not None else section.port
    if not 0 < port < 65536:
        return _cannot_start(_(N_("The port must be from 1 to 65535, not {port}."), port=port))

    started = time.monotonic()
    clock = clock or Clock()
    store = open_store(
        config.database_path(),
        busy_timeout_ms=config.database.busy_timeout_ms,
        retry_seconds=min(config.database.retry_seconds, 2.0),
    )
    keeper = SnapshotKeeper(store, clock, interval_ms=config.database.poll_interval_ms)
    app = StatusApp(keeper, clock)

    from waitress import create_server

    try:
        server = create_server(
            app, **server_options(host, port, section.threads, section.connection_limit)
        )
    except (OSError, ValueError) as exc:
        return _cannot_start(
            _(
                N_(
                    "Cannot listen on {host} port {port} ({error}). Is another program using"
                    " the port, or is the address not one of this PC's?"
                ),
                host=host,
                port=port,
                error=getattr(exc, "strerror", None) or exc,
            )
        )

    def on_signal(*_args: Any) -> None:
        raise Stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    keeper.start()
    listening = _addresses(server)
    log.info(
        "%s %s serving %s on %s (database %s, started in %.2f s)",
        PROGRAM,
        __version__,
        "the status page",
        ", ".join(listening),
        config.database_path(),
        time.monotonic() - started,
    )
    if sys.stdout:  # the bundle's pst-web has no console on Windows
        print(f"{PROGRAM}: listening on {', '.join(listening)}", flush=True)
    try:
        server.run()  # returns when Stop reaches its loop (waitress closes on SystemExit)
    except Stop:
        pass  # raised outside the loop
    finally:
        # Requests in progress are short (every answer comes from memory): give them a
        # moment, then stop the snapshot thread and close the read-only connection.
        server.task_dispatcher.shutdown(timeout=1)
        server.close()
        keeper.stop(timeout=1)
        log.info("%s stopped", PROGRAM)
    return 0


def _addresses(server: Any) -> list[str]:
    found = []
    for one in getattr(server, "effective_listen", None) or []:
        host, port = one[0], one[1]
        found.append(f"http://{host if ':' not in str(host) else f'[{host}]'}:{port}")
    if not found:
        found.append(f"http://{server.effective_host}:{server.effective_port}")
    return found


def _cannot_start(message: str) -> int:
    log.critical("%s cannot start: %s", PROGRAM, message)
    if sys.stderr:
        print(f"{PROGRAM}: {message}", file=sys.stderr)
    return 1


def this_pc_addresses() -> list[str]:
    """This PC's IPv4 addresses on the office network (for the address phones open)."""
    found: list[str] = []
    try:
        # A UDP "connection" sends nothing; it only picks the outgoing interface.
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            found.append(probe.getsockname()[0])
    except OSError:
        pass
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            address = str(info[4][0])
            if address not in found and not address.startswith("127."):
                found.append(address)
    except OSError:
        pass
    return found


if __name__ == "__main__":
    try:
        sys.exit(main())
    except PSTError as error:  # pragma: no cover - a last resort; main() reports its own
        sys.exit(_cannot_start(error.message))
