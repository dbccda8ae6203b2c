"""The status page as a WSGI application: routes, security headers, slowing down guessers.

Routes (GET and HEAD only; anything else is 405):

* ``/t/<code>`` the ticket's page, ``/t/<code>/rate`` how to rate at the kiosk with the
  code known, ``/t/<code>/qr.svg`` the code as a QR for the kiosk's scanner;
* ``/board`` the waiting-room board for a browser;
* ``/api/t/<code>``, ``/api/board`` the JSON behind them, ``/api/health`` the server's
  own figures (snapshot reads, changes seen);
* ``/static/…`` the pages' CSS and JavaScript, shipped with the program.

A malformed code and an unknown one get the same 404. An address that misses more than
:data:`MISS_BURST` times gets 429 for every ticket address until its allowance has
refilled (one miss per :data:`MISS_REFILL_S` seconds), whether the code it asks for is
right or not. Every answer comes from the keeper's snapshot; no request reads the
database, and an exception becomes a plain 500 page (the details go to the log).
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from functools import lru_cache
from html import escape
from importlib import resources
from typing import Any

from shared.clock import Clock
from shared.i18n import translate
from shared.queue import ticketcode
from status_page import texts
from status_page.snapshot import Snapshot, SnapshotKeeper, poll_seconds

log = logging.getLogger(__name__)

MISS_BURST = 10
MISS_REFILL_S = 6.0
MISS_TABLE_SIZE = 4096
# How long a request waits for the first snapshot after the server started.
FIRST_SNAPSHOT_WAIT_S = 3.0

SECURITY_HEADERS = [
    (
        "Content-Security-Policy",
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self';"
        " connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    # The ticket's code is in the address: it must never travel on in a Referer.
    ("Referrer-Policy", "no-referrer"),
    ("X-Frame-Options", "DENY"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"),
]
STATIC_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
}
REASONS = {
    200: "OK",
    302: "Found",
    304: "Not Modified",
    400: "Bad Request",
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}


class MissLimiter:
    """Count wrong ticket addresses per client address; slow down the ones that guess.

    A token bucket per address: :data:`MISS_BURST` misses, then one more every
    :data:`MISS_REFILL_S` seconds. The table keeps the most recent
    :data:`MISS_TABLE_SIZE` addresses.
    """

    def __init__(
        self,
        burst: int = MISS_BURST,
        refill_s: float = MISS_REFILL_S,
        size: int = MISS_TABLE_SIZE,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.burst = burst
        self.refill_s = refill_s
        self.size = size
        self.monotonic = monotonic
        self._table: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()
        self.misses = 0
        self.refused = 0

    def _tokens(self, address: str, now: float) -> float:
        tokens, at = self._table.get(address, (float(self.burst), now))
        return min(float(self.burst), tokens + (now - at) / self.refill_s)

    def retry_after(self, address: str) -> int:
        """Seconds until ``address`` may look up a ticket again (0: it may now)."""
        with self._lock:
            if address not in self._table:
                return 0
            tokens = self._tokens(address, self.monotonic())
        if tokens >= 1:
            return 0
        self.refused += 1
        return max(1, round((1 - tokens) * self.refill_s))

    def miss(self, address: str) -> None:
        """Record one wrong ticket address from ``address``."""
        now = self.monotonic()
        with self._lock:
            self.misses += 1
            tokens = self._tokens(address, now) - 1
            self._table[address] = (tokens, now)
            self._table.move_to_end(address)
            while len(self._table) > self.size:
                self._table.popitem(last=False)


def _load_static() -> dict[str, bytes]:
    folder = resources.files("status_page") / "static"
    return {item.name: item.read_bytes() for item in folder.iterdir() if item.is_file()}


def _etag(data: bytes) -> str:
    return '"' + hashlib.sha256(data).hexdigest()[:20] + '"'


@lru_cache(maxsize=512)
def qr_svg(code: str) -> bytes:
    """The bare ticket code as an SVG QR code (what the kiosk's scanner reads)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(
        code,
        image_factory=qrcode.image.svg.SvgPathImage,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()


class Response:
    """What one request gets: status, headers, body."""

    def __init__(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "text/plain; charset=utf-8",
        headers: Iterable[tuple[str, str]] = (),
        cache: str = "no-cache",
    ) -> None:
        self.status = status
        self.body = body
        self.headers = [("Content-Type", content_type), ("Cache-Control", cache), *headers]


def json_response(
    status: int, data: Any, *, headers: Iterable[tuple[str, str]] = (), cache: str = "no-cache"
) -> Response:
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    return Response(status, body, "application/json; charset=utf-8", headers, cache)


class StatusApp:
    """The WSGI application over one :class:`SnapshotKeeper`."""

    def __init__(
        self,
        keeper: SnapshotKeeper,
        clock: Clock,
        *,
        limiter: MissLimiter | None = None,
    ) -> None:
        self.keeper = keeper
        self.clock = clock
        self.limiter = limiter or MissLimiter()
        self.requests = 0
        self.errors = 0
        static = _load_static()
        page_texts = json.dumps(texts.all_page_texts(), ensure_ascii=False)
        # Inside a <script type="application/json"> block nothing may close the element.
        page_texts = page_texts.replace("<", "\\u003c")
        self.pages: dict[str, bytes] = {}
        # Every page shares its head; the phone pages (ticket, rate) their office bar too.
        head = static.pop("head.html").decode()
        phone_top = static.pop("phone-top.html").decode()
        for name in ("ticket.html", "board.html", "rate.html"):
            html = static.pop(name).decode().replace("{{PHONE_TOP}}\n", phone_top)
            html = html.replace("{{HEAD}}\n", head).replace("{{PAGE}}", name.removesuffix(".html"))
            self.pages[name] = html.replace("{{TEXTS}}", page_texts).encode()
        self.static = {
            name: (data, STATIC_TYPES[suffix], _etag(data))
            for name, data in static.items()
            if (suffix := name[name.rfind(".") :]) in STATIC_TYPES
        }
        self._simple_pages: dict[tuple[int, str], bytes] = {}

    # -- WSGI ---------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        self.requests += 1
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            if method not in ("GET", "HEAD"):
                response = self.page_response(405, texts.NOT_ALLOWED, [("Allow", "GET, HEAD")])
            else:
                response = self.route(environ)
        except Exception:
            self.errors += 1
            log.exception("request %s %.200r failed", method, environ.get("PATH_INFO"))
            response = self.page_response(500, texts.INTERNAL)
        match = environ.get("HTTP_IF_NONE_MATCH")
        etag = next((v for k, v in response.headers if k == "ETag"), None)
        if response.status == 200 and etag and match and etag in match:
            response = Response(304, headers=[("ETag", etag)], cache="no-cache")
            response.headers = [h for h in response.headers if h[0] != "Content-Type"]
        headers = [*response.headers, *SECURITY_HEADERS]
        if response.status != 304:
            headers.append(("Content-Length", str(len(response.body))))
        start_response(f"{response.status} {REASONS.get(response.status, '')}".strip(), headers)
        if method == "HEAD" or response.status == 304:
            return [b""]
        return [response.body]

    def route(self, environ: dict[str, Any]) -> Response:
        path = environ.get("PATH_INFO") or "/"
        address = environ.get("REMOTE_ADDR") or "?"
        if len(path) > 300:
            return self.page_response(404, texts.PAGE_MISSING)
        if path == "/":
            return Response(302, headers=[("Location", "/board")])
        if path == "/board":
            return self.html("board.html")
        if path == "/api/board":
            return self.board_json()
        if path == "/api/health":
            return json_response(200, self.health(), cache="no-store")
        if path.startswith("/static/"):
            return self.static_file(path.removeprefix("/static/"))
        if path.startswith("/api/t/"):
            return self.ticket_json(path.removeprefix("/api/t/"), address)
        if path.startswith("/t/"):
            rest = path.removeprefix("/t/")
            code, _slash, tail = rest.partition("/")
            if tail not in ("", "rate", "qr.svg"):
                return self.page_response(404, texts.PAGE_MISSING)
            return self.ticket_page(code, tail, address)
        return self.page_response(404, texts.PAGE_MISSING)

    # -- pages ---------------------------------------------------------------------------

    def html(self, name: str) -> Response:
        data = self.pages[name]
        return Response(200, data, "text/html; charset=utf-8", [("ETag", _etag(data))])

    def page_response(
        self, status: int, msgid: str, headers: Iterable[tuple[str, str]] = ()
    ) -> Response:
        """A small HTML page with one sentence in both languages (no script needed)."""
        key = (status, msgid)
        body = self._simple_pages.get(key)
        if body is None:
            indonesian, english = (escape(translate(msgid, lang)) for lang in ("id", "en"))
            body = (
                '<!DOCTYPE html><html lang="id"><head><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                f'<title>{status}</title><link rel="stylesheet" href="/static/style.css">'
                f'</head><body class="plain"><main><p class="notice">{indonesian}</p>'
                f'<p class="notice" lang="en">{english}</p></main></body></html>'
            ).encode()
            self._simple_pages[key] = body
        return Response(status, body, "text/html; charset=utf-8", headers, cache="no-store")

    def static_file(self, name: str) -> Response:
        found = self.static.get(name)
        if found is None:
            return self.page_response(404, texts.PAGE_MISSING)
        data, content_type, etag = found
        return Response(200, data, content_type, [("ETag", etag)])

    # -- tickets --------------------------------------------------------------------------

    def _snapshot(self) -> Snapshot | None:
        if self.keeper.snapshot is None:
            self.keeper.wait_ready(FIRST_SNAPSHOT_WAIT_S)
        return self.keeper.current()

    def _find(self, raw: str, address: str) -> tuple[str, str | None, Snapshot | None]:
        """Look a code up: ``("today"|"past"|"missing"|"unavailable"|"slow", code, snapshot)``."""
        if self.limiter.retry_after(address):
            return "slow", None, None
        code = raw.upper() if ticketcode.CODE_RE.match(raw.upper()) else None
        if code is None:
            self.limiter.miss(address)
            return "missing", None, None
        snapshot = self._snapshot()
        if snapshot is None:
            return "unavailable", code, None
        if code in snapshot.tickets:
            return "today", code, snapshot
        if code in snapshot.days:
            return "past", code, snapshot
        if not self.keeper.history_complete:
            # Just started: the years of tickets are still being read. Not a miss.
            return "unavailable", code, None
        self.limiter.miss(address)
        return "missing", None, None

    def _too_many(self, address: str, as_json: bool) -> Response:
        seconds = max(1, self.limiter.retry_after(address))
        headers = [("Retry-After", str(seconds))]
        if as_json:
            return json_response(
                429, {"error": "too_many_misses", "retry_after": seconds}, headers=headers
            )
        return self.page_response(429, texts.TOO_MANY, headers)

    def ticket_page(self, raw: str, tail: str, address: str) -> Response:
        state, code, _snapshot = self._find(raw, address)
        if state == "slow":
            return self._too_many(address, as_json=False)
        if state == "missing":
            return self.page_response(404, texts.NOT_FOUND)
        if tail == "qr.svg":
            if state == "unavailable":
                return self.page_response(503, texts.PAGE_TEXTS["unavailable"])
            assert code is not None
            data = qr_svg(code)
            return Response(200, data, STATIC_TYPES[".svg"], [("ETag", _etag(data))])
        # While the database cannot be read the page itself still loads, says so and
        # tries again by itself.
        return self.html("rate.html" if tail == "rate" else "ticket.html")

    def ticket_json(self, raw: str, address: str) -> Response:
        state, code, snapshot = self._find(raw, address)
        if state == "slow":
            return self._too_many(address, as_json=True)
        if state == "missing":
            return json_response(404, {"error": "not_found"}, cache="no-store")
        if state == "unavailable":
            return json_response(503, {"state": "unavailable"}, cache="no-store")
        assert snapshot is not None and code is not None
        if state == "past":
            day = snapshot.days[code]
            data: dict[str, Any] = {
                "state": "past",
                "day": day,
                "day_text": {lang: texts.long_date(day, lang) for lang in ("id", "en")},
            }
        else:
            view = snapshot.tickets[code]
            data = {
                "state": "today",
                "ticket": view,
                "poll_seconds": poll_seconds(view),
                "as_of": snapshot.built_at,
                "timezone": snapshot.timezone,
                "office": snapshot.office,
            }
        etag = f'W/"{snapshot.generation}-{snapshot.day}"'
        return json_response(200, data, headers=[("ETag", etag)])

    # -- the board ------------------------------------------------------------------------

    def board_json(self) -> Response:
        snapshot = self._snapshot()
        if snapshot is None:
            return json_response(503, {"state": "unavailable"}, cache="no-store")
        return json_response(200, board_data(snapshot, self.clock.now_ms()))

    def health(self) -> dict[str, Any]:
        return {
            **self.keeper.stats(),
            "requests": self.requests,
            "errors": self.errors,
            "misses": self.limiter.misses,
            "refused": self.limiter.refused,
        }


def board_data(snapshot: Snapshot, now: int) -> dict[str, Any]:
    """The board at ``now``: who is called where, counters, next numbers, running text.

    "Now calling" follows the display's rule (:meth:`display.board.Call.live`).
    """
    board = snapshot.board
    calls = list(board.recent_calls)
    latest = next((c for c in reversed(calls) if c.live(now)), None)

    def call_json(call: Any) -> dict[str, Any]:
        return {
            "number": call.number,
            "counter": call.counter,
            "recall": call.recall,
            "at": call.at,
            "transferred_to": call.transferred_to,
        }

    return {
        "state": "today",
        "as_of": snapshot.built_at,
        # The office's time for the board's clock (a TV's own clock may be wrong).
        "now": now,
        "timezone": snapshot.timezone,
        "office": {"name": board.office_name, "unit": board.office_unit},
        "now_calling": call_json(latest) if latest is not None else None,
        "recent_calls": [call_json(c) for c in reversed(calls) if c is not latest],
        "counters": [
            {
                "name": c.name,
                "status": c.status,
                "number": c.number,
                "ticket_status": c.ticket_status,
            }
            for c in board.counters
        ],
        "queues": [
            {
                "code": q.code,
                "name": snapshot.service_names.get(q.code, {"id": q.name, "en": q.name}),
                "next": list(q.next_numbers),
                "waiting": q.waiting,
                "closed": q.closed,
            }
            for q in board.queues
        ],
        "running_text": board.running_text,
        "complaint_channels": list(board.complaint_channels),
    }
