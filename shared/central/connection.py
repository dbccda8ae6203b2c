"""Reaching the central PostgreSQL: the connection string, the password, the failures.

The connection string (a ``postgresql://`` URL or libpq ``key=value`` words) never holds
the password: the password comes from a file (``--password-file``) or from what libpq
reads by itself (``PGPASSWORD``, ``PGPASSFILE``, the user's ``pgpass.conf``). So neither
a setting, a scheduled task's command line nor a message can show it. Every failure is
one sentence (:class:`CentralError`) with its kind for ``pst-admin``'s exit code.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from shared.errors import PSTError
from shared.i18n import N_
from shared.office.settings import URL_SCHEMES
from shared.office.settings import central_url_problem as problem

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 10
# A statement the central server takes longer than this for is given up (a server that
# hangs must not keep a scheduled task running for ever).
STATEMENT_TIMEOUT_MS = 120_000


class CentralError(PSTError):
    """The central database could not be used; ``kind`` chooses ``pst-admin``'s exit code."""

    kind = "unavailable"


class CentralUnavailable(CentralError):
    """The central server is down, refuses connections, is slow or the link dropped."""

    kind = "unavailable"


class CentralRefused(CentralError):
    """The central server refused the account: wrong password, unknown user, no rights."""

    kind = "auth"


class CentralSchemaNewer(CentralError):
    """The central database was set up by a newer Antrian PST."""

    kind = "schema_newer"
    msgid = N_(
        "The central database was set up by a newer Antrian PST ({names}). Update this PC"
        " before publishing or reporting; nothing was written."
    )


class CentralNotSetUp(CentralError):
    """No address, a password in the address, or no office code."""

    kind = "usage"


def check(url: str) -> str:
    """Return ``url`` stripped, or raise :class:`CentralNotSetUp` with the reason."""
    reason = problem(url)
    if reason is not None:
        raise CentralNotSetUp(reason, url=shown(url))
    return url.strip()


def shown(url: str) -> str:
    """The connection string as it may be shown: any password replaced by ``***``."""
    text = url.strip()
    if text.lower().startswith(URL_SCHEMES):
        text = re.sub(r"(://[^:/@?]*):[^@/?]*@", r"\1:***@", text)
        return re.sub(r"(?i)([?&]password=)[^&]*", r"\1***", text)
    return re.sub(r"(?i)(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", text)


def describe(conninfo: dict[str, Any]) -> str:
    """Name the server and database for a sentence: ``antrian_pst on server:5432``."""
    host = conninfo.get("host") or "localhost"
    port = conninfo.get("port") or "5432"
    db = conninfo.get("dbname") or conninfo.get("user") or "?"
    return f"{db} @ {host}:{port}" if not str(host).startswith("/") else f"{db} @ {host}"


def read_password_file(path: str) -> str:
    """Read a password file (first line; UTF-8); say plainly when it cannot be used."""
    from shared.install.textfile import read_text_file

    text = read_text_file(path, N_("password"))
    password = text.splitlines()[0].strip() if text.strip() else ""
    if not password:
        raise CentralNotSetUp(N_("The password file {path} is empty."), path=path)
    return password


def connect(
    url: str,
    *,
    password: str | None = None,
    timeout: float = CONNECT_TIMEOUT_S,
    application: str = "antrian-pst",
) -> Any:
    """Open a psycopg connection to the central database, or raise a :class:`CentralError`."""
    import psycopg
    from psycopg.conninfo import conninfo_to_dict

    url = check(url)
    try:
        info = conninfo_to_dict(url)
    except psycopg.Error:
        raise CentralNotSetUp(
            N_("{url} is not a PostgreSQL address (postgresql://user@server/database)."),
            url=shown(url),
        ) from None
    where = describe(info)
    extra: dict[str, Any] = {
        "connect_timeout": max(1, round(timeout)),
        "application_name": application,
        "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
    }
    if password is not None:
        extra["password"] = password
    try:
        return psycopg.connect(url, autocommit=False, **extra)
    except psycopg.Error as exc:
        raise classify(exc, where, password) from None


def classify(exc: BaseException, where: str, password: str | None = None) -> CentralError:
    """Turn a psycopg error into the one sentence a person is shown (the details are logged)."""
    text = str(exc)
    if password:
        text = text.replace(password, "***")
    log.info("central database %s: %s (%s)", where, text.strip(), type(exc).__name__)
    sqlstate = getattr(exc, "sqlstate", None) or ""
    low = text.lower()
    if sqlstate in ("28P01", "28000") or "password authentication failed" in low:
        return CentralRefused(
            N_(
                "The central database {where} refused the account: wrong user name or"
                " password. Check the password file or PGPASSFILE."
            ),
            where=where,
        )
    if "no password supplied" in low or "fe_sendauth" in low:
        return CentralRefused(
            N_(
                "The central database {where} asks for a password and none was given: use"
                " --password-file or PGPASSFILE."
            ),
            where=where,
        )
    if sqlstate == "3D000" or ("database" in low and "does not exist" in low):
        return CentralRefused(
            N_("The database {where} does not exist on the central server. Ask its administrator."),
            where=where,
        )
    if sqlstate.startswith("42501") or "permission denied" in low:
        return CentralRefused(
            N_(
                "The account may not do this in the central database {where} ({detail}). Give"
                " it the rights listed in the province guide."
            ),
            where=where,
            detail=_first_line(text),
        )
    if sqlstate == "57014" or "statement timeout" in low or "canceling statement" in low:
        return CentralUnavailable(
            N_(
                "The central database {where} is too slow to answer; nothing was lost. Try"
                " again later."
            ),
            where=where,
        )
    if "timeout expired" in low or "timed out" in low:
        return CentralUnavailable(
            N_(
                "The central database {where} did not answer within {seconds} seconds. Check"
                " the network; the office carries on."
            ),
            where=where,
            seconds=CONNECT_TIMEOUT_S,
        )
    if "connection refused" in low or "no such file or directory" in low:
        return CentralUnavailable(
            N_(
                "The central database {where} refused the connection: is the server running"
                " and does it accept this PC? The office carries on."
            ),
            where=where,
        )
    if "could not translate host name" in low or "name or service not known" in low:
        return CentralUnavailable(
            N_("The central server in {where} is not known on this network. Check the address."),
            where=where,
        )
    return CentralUnavailable(
        N_(
            "The central database {where} cannot be reached ({detail}). The office carries"
            " on; try again later."
        ),
        where=where,
        detail=_first_line(text),
    )


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line[:160]
