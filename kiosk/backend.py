"""What the kiosk asks of the shared database and of its printer, off the UI thread.

A share that hangs for seconds must never freeze the touchscreen, so every store call
runs on one background thread (:class:`Worker`), one at a time, and its result comes
back to the UI thread through a queued signal. Printing has its own thread: a slow or
absent printer never delays the next visitor's number.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal

from shared.clock import from_ms, service_day
from shared.devices import printing
from shared.devices.printing import PrinterProblem, PrinterStatus, TicketPrinter
from shared.errors import DomainError, StorageError
from shared.i18n import N_
from shared.office import servicehours, settings
from shared.qt import keep_singletons_alive
from shared.qt.heartbeat import HeartbeatTimer
from shared.qt.poller import QtChangePoller
from shared.queue import queries, ticketcode
from shared.queue.operations import Operations
from shared.queue.validation import GuestBook

log = logging.getLogger(__name__)

PRINTER_PROBE_MS = 30_000
OVERVIEW_REFRESH_MS = 30_000
STORAGE_RETRY_MS = 2_000
# Not a mistake of the visitor's: the rating screen shows it as good news.
ALREADY_RATED = N_("Ticket {number} has already been rated. Thank you!")


class Worker(QObject):
    """Run jobs one at a time on a background thread; call back on the UI thread.

    ``on_done(result)`` or ``on_error(exception)`` is called in the thread that owns the
    worker. An exception without ``on_error`` is a bug and is logged. Only a job number
    crosses threads in the signal: outcomes wait in a locked table, because PySide6
    6.12 loses a reference to ``None`` for every Python object queued through a signal
    (the interpreter aborted after a few hundred tickets).
    """

    _finished = Signal(int)

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._lock = threading.Lock()
        self._outcomes: dict[int, tuple] = {}
        self._next_job = itertools.count(1)
        self.pending = 0
        self._closed = False

    def submit(
        self,
        job: Callable[[], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        if self._closed:
            return
        self.pending += 1
        number = next(self._next_job)

        def run() -> None:
            try:
                outcome: tuple = (on_done, on_error, job(), None)
            except Exception as exc:  # handed to on_error on the UI thread
                outcome = (on_done, on_error, None, exc)
            with self._lock:
                self._outcomes[number] = outcome
            if not self._closed:
                self._finished.emit(number)

        self._pool.submit(run)

    def _on_finished(self, number: int) -> None:
        with self._lock:
            outcome = self._outcomes.pop(number, None)
        if outcome is None:
            return
        self.pending -= 1
        on_done, on_error, result, exc = outcome
        if exc is None:
            if on_done is not None:
                on_done(result)
        elif on_error is not None:
            on_error(exc)
        else:
            log.error("background job failed", exc_info=exc)

    def close(self, wait: bool = True) -> None:
        """Stop taking jobs; wait for the running one (a hung share is not waited for)."""
        self._closed = True
        self._pool.shutdown(wait=wait, cancel_futures=True)


@dataclass
class ServiceStatus:
    """One service as the welcome and choice screens show it."""

    code: str
    name_id: str
    name_en: str
    target_minutes: int
    waiting: int
    estimate_minutes: int
    open_state: servicehours.OpenState
    open_counters: int = 1

    def name(self, language: str) -> str:
        return self.name_en if language == "en" else self.name_id

    @property
    def staffed(self) -> bool:
        """True when at least one counter serving it is open now."""
        return self.open_counters > 0

    def issuable(self, without_open_counter: bool = False) -> bool:
        """Whether the kiosk gives numbers for it now.

        Never outside its hours; without an open counter only when the kiosk is set to
        (``issue_without_open_counter``), and then with no promise of a wait.
        """
        return self.open_state.is_open and (self.staffed or without_open_counter)


@dataclass
class Overview:
    """A snapshot of what the kiosk shows: office settings, opening state, queues."""

    office: dict[str, Any]
    open_state: servicehours.OpenState
    services: list[ServiceStatus] = field(default_factory=list)
    now_ms: int = 0

    def service(self, code: str) -> ServiceStatus | None:
        return next((s for s in self.services if s.code == code), None)


def read_overview(conn: Any, now: int) -> Overview:
    """Read the kiosk's snapshot inside one short read transaction."""
    office = settings.get_all(conn)
    state = servicehours.open_state(now, office)
    services = []
    for row in queries.queue_overview(conn, now):
        service = row["service"]
        hours = json.loads(service["hours"]) if service["hours"] else None
        own_state = servicehours.open_state(now, office, hours) if hours else state
        services.append(
            ServiceStatus(
                code=service["code"],
                name_id=service["name_id"],
                name_en=service["name_en"],
                target_minutes=service["target_minutes"],
                waiting=len(row["waiting"]),
                estimate_minutes=row["estimate_minutes"],
                open_state=own_state,
                open_counters=row["open_counters"],
            )
        )
    return Overview(office, state, services, now)


def ticket_code_of(text: str) -> str:
    """Return the ticket code in ``text`` as stored, or "" when it is not one.

    Scanned from the QR code it is exact (the bare code or the status page's address);
    noted from the screen or the slip and typed back, it may be in lower case and split
    by spaces or hyphens (``abcd-2345``).
    """
    return ticketcode.extract(text) or ""


def looks_like_ticket_code(text: str) -> bool:
    """Tell a scanned ticket QR code apart from an e-mail address or a phone number."""
    return bool(ticket_code_of(text))


class Answers:
    """Answers from the background thread that belong to the visitor who asked.

    A screen wraps the callbacks of each request with :meth:`expect`; once it forgets
    its visitor (:meth:`forget`: the screen was wiped or reset), the answers to earlier
    requests do nothing, or go to ``late`` when a screen wants to hear of them.
    """

    def __init__(self) -> None:
        self.generation = 0

    def forget(self) -> None:
        self.generation += 1

    def expect(
        self, callback: Callable[[Any], None], late: Callable[[Any], None] | None = None
    ) -> Callable[[Any], None]:
        generation = self.generation

        def answer(value: Any) -> None:
            if generation == self.generation:
                callback(value)
            elif late is not None:
                late(value)

        return answer


def read_returning_visitor(conn: Any, first: str, phone: str = "") -> dict[str, Any] | None:
    """Find a returning visitor by e-mail *and* phone, or by an earlier ticket's code.

    ``first`` is what the visitor typed or scanned into the first box: a ticket code
    alone is enough (it is private to its holder); an e-mail address needs ``phone``
    too. Returns :func:`shared.queue.queries.find_visitor`'s pre-fill, or None.
    """
    first = first.strip()
    if looks_like_ticket_code(first):
        return queries.find_visitor(conn, ticket_code=ticket_code_of(first))
    return queries.find_visitor(conn, email=first, phone=phone)


@dataclass
class RatableTicket:
    """A ticket a visitor may rate now (served today, not rated yet)."""

    id: int
    code: str
    number: str
    service_code: str


def read_ratable_ticket(conn: Any, text: str, now: int) -> RatableTicket:
    """Find the ticket to rate or raise the reason it cannot be rated (a DomainError)."""
    office = settings.get_all(conn)
    code = ticket_code_of(text)
    ticket = queries.ticket_by_code(conn, code) if code else None
    if ticket is None:
        if queries.find_ticket(conn, text, office, now) is not None:
            # The number is on the waiting-room screen for all to see: it proves nothing.
            raise DomainError(
                N_(
                    "{number} is the queue number everyone can see. Please scan the QR code"
                    " on your ticket or type the ticket code printed under it."
                ),
                number=text.strip().upper(),
            )
        raise DomainError(
            N_("No ticket with code {code} was found. Check the ticket code on your ticket."),
            code=text.strip().upper(),
        )
    if ticket["status"] != "done" or ticket["service_day"] != service_day(now, office["timezone"]):
        raise DomainError(
            N_("Ticket {number} has not been served today, so it cannot be rated yet."),
            number=ticket["number"],
        )
    if queries.ticket_rating(conn, ticket["id"]) is not None:
        raise DomainError(ALREADY_RATED, number=ticket["number"])
    return RatableTicket(ticket["id"], ticket["code"], ticket["number"], ticket["service_code"])


class KioskBackend(QObject):
    """The kiosk's access to the queue and the printer; signals are UI-thread events."""

    overview_changed = Signal(object)  # Overview
    storage_unavailable = Signal(str)
    storage_available = Signal()
    printer_status_changed = Signal(object)  # PrinterStatus
    ticket_printed = Signal(str, object)  # ticket code, PrinterStatus after the attempt

    def __init__(
        self,
        ops: Operations,
        printer: TicketPrinter,
        *,
        poll_interval_ms: int = 250,
        heartbeat: bool = True,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        keep_singletons_alive()
        self.ops = ops
        self.store = ops.store
        self.printer = printer
        self.overview: Overview | None = None
        self.storage_ok = True
        #: What IT needs to know of the last time the database could not be reached.
        self.storage_problem = ""
        self._outage_started: int | None = None
        self._last_outage: dict[str, Any] = {}
        # Screen resets after unexpected errors: (service day, how many that day).
        self._screen_resets: tuple[str, int] = ("", 0)
        self.db_worker = Worker("kiosk-db", self)
        self.print_worker = Worker("kiosk-print", self)
        self._refreshing = False
        self._refresh_again = False
        self._poller = QtChangePoller(self.store, poll_interval_ms, parent=self)
        self._poller.changed.connect(self._on_poller_changed)
        self._poller.unavailable.connect(self._on_poller_unavailable)
        self._poller.available.connect(self._on_poller_available)
        self._heartbeat: HeartbeatTimer | None = None
        self._want_heartbeat = heartbeat
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setInterval(OVERVIEW_REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        # While the database is away, look again every two seconds: a lock that ends
        # changes nothing in the file, so the change poller may never say so.
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(STORAGE_RETRY_MS)
        self._retry_timer.timeout.connect(self.refresh)
        self._probe_timer = QTimer(self)
        self._probe_timer.setInterval(PRINTER_PROBE_MS)
        self._probe_timer.timeout.connect(self.probe_printer)

    # -- life cycle -------------------------------------------------------------------

    def start(self) -> None:
        """Check the database file, then start polling, beating and probing."""
        self._load_modules_here()
        self.db_worker.submit(self.store.quick_check, None, self._on_storage_error)
        self.refresh()
        self._poller.start()
        self._refresh_timer.start()
        self.probe_printer()
        self._probe_timer.start()

    def _load_modules_here(self) -> None:
        """Import on the UI thread what the worker threads would otherwise import late.

        PySide6's import hook is not safe when a module is first imported on another
        thread while the UI runs (it crashed the interpreter in testing), and the first
        slip would pay for loading the QR and image code.
        """
        today = from_ms(self.now_ms(), settings.DEFAULTS["timezone"]).date()
        servicehours.holiday_name(today, settings.DEFAULTS)
        self._warm_up_printing()
        if self.printer.spec.kind == "usb":
            with contextlib.suppress(ImportError):
                import usb.core  # noqa: F401

    def stop(self) -> None:
        self._refresh_timer.stop()
        self._retry_timer.stop()
        self._probe_timer.stop()
        if self._heartbeat is not None:
            self._heartbeat.stop()
        self._poller.stop()
        self.db_worker.close()
        self.print_worker.close()

    def _start_heartbeat(self, seconds: int) -> None:
        self._heartbeat = HeartbeatTimer(
            self.ops, max(1, seconds), status=self.heartbeat_status, parent=self
        )
        self._heartbeat.start()

    def heartbeat_status(self) -> dict[str, Any]:
        """The kiosk's part of its heartbeat, for the console.

        The printer's state; how often the screen was reset after an unexpected error
        this service day (``screen_resets`` with its ``screen_resets_day``); and the last
        time the queue database could not be reached, with the reason as the log has it
        (for IT), once it can be reached again.
        """
        day = self.service_day()
        counted_day, count = self._screen_resets
        status = self.printer.status.heartbeat()
        status["screen_resets"] = count if counted_day == day else 0
        status["screen_resets_day"] = day
        if self._last_outage:
            status["storage_outage"] = dict(self._last_outage)
        return status

    def service_day(self) -> str:
        office = self.overview.office if self.overview else settings.DEFAULTS
        return service_day(self.now_ms(), office["timezone"])

    def note_screen_reset(self) -> None:
        """Count a reset of the screen after an unexpected error and tell the console now."""
        day = self.service_day()
        counted_day, count = self._screen_resets
        self._screen_resets = (day, (count if counted_day == day else 0) + 1)
        log.warning(
            "the kiosk reset its screen after an unexpected error (%d today)",
            self._screen_resets[1],
        )
        self.beat_now()

    def beat_now(self) -> None:
        if self._heartbeat is not None:
            self._heartbeat.beat_now()

    def _warm_up_printing(self) -> None:
        slip = printing.TicketSlip("", "", "KS-000", "", "", "WARMUPQR")
        printing.ticket_bytes(slip, self.printer.profile, qr_native=self.printer.qr_native)

    # -- reading --------------------------------------------------------------------------

    def now_ms(self) -> int:
        return self.ops.clock.now_ms()

    def refresh(self) -> None:
        """Re-read the overview (coalesced: at most one read waits behind another)."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        now = self.now_ms()
        self.db_worker.submit(
            lambda: self.store.read(lambda conn: read_overview(conn, now)),
            self._on_overview_read,
            self._on_overview_failed,
        )

    def _on_overview_read(self, overview: Overview) -> None:
        self._refreshing = False
        self.overview = overview
        self._set_storage_ok(True)
        if self._want_heartbeat and self._heartbeat is None:
            self._start_heartbeat(overview.office["heartbeat_seconds"])
        self.overview_changed.emit(overview)
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _on_overview_failed(self, exc: BaseException) -> None:
        self._refreshing = False
        self._refresh_again = False
        self._on_storage_error(exc)

    def _on_storage_error(self, exc: BaseException) -> None:
        if isinstance(exc, StorageError):
            self._set_storage_ok(False, str(exc))
        else:
            log.error("kiosk read failed", exc_info=exc)

    def _set_storage_ok(self, ok: bool, message: str = "") -> None:
        """Follow the database going away and coming back.

        ``message`` is for IT (it names the file and the share): it goes to the log and,
        once the database is back, to the heartbeat; visitors are told something else.
        """
        if ok and not self.storage_ok:
            self.storage_ok = True
            self._retry_timer.stop()
            now = self.now_ms()
            started = self._outage_started or now
            self._last_outage = {
                "started_at": started,
                "seconds": round((now - started) / 1000),
                "message": self.storage_problem,
            }
            log.info("queue database reachable again after %d s", self._last_outage["seconds"])
            self._outage_started = None
            self.storage_available.emit()
        elif not ok and self.storage_ok:
            self.storage_ok = False
            self.storage_problem = message
            self._outage_started = self.now_ms()
            log.warning("queue database cannot be reached: %s", message)
            if self._refresh_timer.isActive():  # started, not yet stopped
                self._retry_timer.start()
            self.storage_unavailable.emit(message)

    def _on_poller_changed(self) -> None:
        self.refresh()

    def _on_poller_unavailable(self, message: str) -> None:
        self._set_storage_ok(False, message)

    def _on_poller_available(self) -> None:
        self.refresh()

    def find_returning_visitor(
        self, first: str, phone: str, on_done: Callable, on_error: Callable
    ) -> None:
        self.db_worker.submit(
            lambda: self.store.read(lambda conn: read_returning_visitor(conn, first, phone)),
            on_done,
            on_error,
        )

    def find_ratable_ticket(self, text: str, on_done: Callable, on_error: Callable) -> None:
        now = self.now_ms()
        self.db_worker.submit(
            lambda: self.store.read(lambda conn: read_ratable_ticket(conn, text, now)),
            on_done,
            on_error,
        )

    # -- writing --------------------------------------------------------------------------

    def issue_ticket(
        self,
        service_code: str,
        guest: GuestBook,
        priority_group: str | None,
        op_id: str,
        on_done: Callable,
        on_error: Callable,
    ) -> None:
        """Issue a ticket; the same ``op_id`` on a retry returns the first ticket."""

        def job() -> dict[str, Any]:
            ticket = self.ops.issue_ticket(
                service_code, guest, priority_group=priority_group, op_id=op_id
            )
            return ticket

        def done(ticket: dict[str, Any]) -> None:
            self._poller.poke()
            on_done(ticket)

        self.db_worker.submit(job, done, on_error)

    def record_rating(
        self,
        ticket_code: str,
        answers: dict[str, Any],
        op_id: str,
        on_done: Callable,
        on_error: Callable,
    ) -> None:
        self.db_worker.submit(
            lambda: self.ops.record_rating(ticket_code, op_id=op_id, **answers), on_done, on_error
        )

    def login_admin(self, username: str, pin: str, on_done: Callable, on_error: Callable) -> None:
        """Check an administrator's or supervisor's PIN (officers may not unlock)."""

        def job() -> dict[str, Any]:
            return self.ops.login(username.strip().lower(), pin, supervisors_only=True)

        self.db_worker.submit(job, on_done, on_error)

    # -- printing -------------------------------------------------------------------------

    def slip_for(self, ticket: dict[str, Any], language: str) -> printing.TicketSlip:
        office = self.overview.office if self.overview else dict(settings.DEFAULTS)
        service = self.overview.service(ticket["service_code"]) if self.overview else None
        row = (
            {
                "name_id": service.name_id,
                "name_en": service.name_en,
                "target_minutes": service.target_minutes,
            }
            if service
            else {"name_id": ticket["service_code"], "target_minutes": 10}
        )
        return printing.slip_for(ticket, row, office, language)

    def print_ticket(self, ticket: dict[str, Any], language: str) -> None:
        """Print a committed ticket; ``ticket_printed`` tells how it went."""
        slip = self.slip_for(ticket, language)
        code = ticket["code"]

        def job() -> PrinterStatus:
            try:
                self.printer.print_slip(slip)
            except PrinterProblem:
                log.warning("ticket %s not printed: %s", ticket["number"], self.printer.status)
            return self.printer.status

        def done(status: PrinterStatus) -> None:
            self.ticket_printed.emit(code, status)
            self.printer_status_changed.emit(status)
            if status.state != "ok":
                self.beat_now()

        self.print_worker.submit(job, done)

    def probe_printer(self) -> None:
        """Check a printer that failed (or at start) so the console's warning clears."""
        if self.printer.printed and self.printer.status.state == "ok":
            return
        before = self.printer.status.state

        def done(status: PrinterStatus) -> None:
            self.printer_status_changed.emit(status)
            if status.state != before:
                self.beat_now()

        self.print_worker.submit(self.printer.probe, done)

    def test_print(self, language: str) -> None:
        """Print a sample slip (from the settings panel) to check the printer."""
        sample = {
            "number": "TES-000",
            "code": "TESTTEST",
            "issued_at": self.now_ms(),
            "service_code": "TES",
            "ahead": 0,
        }
        self.print_ticket(sample, language)
