"""Queue tickets on paper: the slip layout and ESC/POS printing with python-escpos.

The layout (:func:`slip_lines`) is plain Python and knows nothing of printers; a slip
carries no name, phone or e-mail — only the office, the number, the service, the time,
the queue position and the ticket code. Every text line passes :func:`printable`, so a
control byte typed into any field can never become a printer command.

Bytes are always produced on a python-escpos ``Dummy`` with the configured profile and
then sent in one piece to the real device. The same bytes therefore reach the printer,
the tests and ``pst-admin ticket print``, and a printer that drops out half-way never
gets half a layout followed by a second attempt's full one.

Print only after the ticket is committed: a missing, offline or out-of-paper printer
never takes a valid number away from a visitor.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import pickle
import platform
import socket
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

from shared.clock import Clock, format_local
from shared.errors import ConfigError, NotFound, PSTError
from shared.i18n import N_, _, language, translate
from shared.office import settings as office_settings
from shared.queue import queries, ticketcode


def _keep_printer_profiles_cached() -> None:
    # python-escpos parses its 700 kB profile file (~0.7 s) on every start unless it may
    # keep the parsed copy somewhere; by default it picks a new temporary folder each time.
    folder = os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR")
    if not folder:
        cache = Path(platformdirs.user_cache_dir("antrian-pst", appauthor=False)) / "escpos"
        try:
            cache.mkdir(parents=True, exist_ok=True)
        except OSError:
            return
        folder = os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = str(cache)
    _write_printer_profiles(Path(folder))


def _write_printer_profiles(folder: Path) -> None:
    """Write python-escpos's parsed profile copy in one step, before it looks for it.

    python-escpos writes that copy in place; a second program starting at the same moment
    on the same PC (the demo starts three) reads it half-written and fails to start. A
    copy written here under another name and then renamed is whole or absent. It is the
    same data python-escpos keeps: its profile file parsed, pickled, named after the
    Python version, newer than the profile file.
    """
    spec = importlib.util.find_spec("escpos")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        return
    source = Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"
    target = folder / f"{platform.python_version()}.capabilities.pickle"
    try:
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            return
        data = json.loads(source.read_text(encoding="utf-8"))
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        partial.write_bytes(pickle.dumps(data))
        os.replace(partial, target)
    except (OSError, ValueError, pickle.PickleError):
        return  # python-escpos then parses the profile file itself, as it always could


_keep_printer_profiles_cached()

DEFAULT_PROFILE = "TM-T20II"
# Paper-size names an office can use instead of a model name.
PROFILE_ALIASES = {"80mm": "TM-T20II", "58mm": "POS-5890"}
DEFAULT_NETWORK_PORT = 9100
PRINTER_KINDS = ("none", "dummy", "usb", "network", "serial", "cups", "win32", "file")


# -- problems -----------------------------------------------------------------------------


class PrinterProblem(PSTError):
    """The slip could not be printed; the ticket itself is valid all the same.

    ``state`` is what the kiosk's heartbeat reports: ``offline`` (not connected, not
    reachable, switched off) or ``error`` (driver missing, paper out, bad settings).
    """

    state = "error"
    msgid = N_("The ticket printer does not work.")


class PrinterOffline(PrinterProblem):
    state = "offline"
    msgid = N_("The ticket printer cannot be reached.")


class NoPrinter(PrinterProblem):
    """This kiosk has no printer configured (``printer = "none"``)."""

    state = "none"
    msgid = N_("No ticket printer is configured.")


# -- text ---------------------------------------------------------------------------------


def printable(text: Any) -> str:
    """Return ``text`` as plain printable ASCII on one line.

    Control and format characters (ESC, GS, NUL, DEL, bidi marks, line breaks) are
    removed; accented letters lose their accents because receipt printers' code pages
    differ by model; anything else that is not ASCII becomes ``?``.
    """
    decomposed = unicodedata.normalize("NFKD", "" if text is None else str(text))
    out = []
    for ch in decomposed:
        category = unicodedata.category(ch)
        if category[0] == "C" or category == "Mn":
            continue
        if category[0] == "Z":
            out.append(" ")
        elif ch.isascii():
            out.append(ch)
        else:
            out.append("?")
    return " ".join("".join(out).split())


# -- profiles ----------------------------------------------------------------------------


def profile_names() -> list[str]:
    """Return every printer profile name python-escpos knows, plus the paper aliases."""
    from escpos.capabilities import CAPABILITIES

    return sorted(PROFILE_ALIASES) + sorted(CAPABILITIES["profiles"])


def resolve_profile(name: str | None) -> str:
    """Return the python-escpos profile for a model name or ``58mm``/``80mm``."""
    from escpos.capabilities import CAPABILITIES

    chosen = PROFILE_ALIASES.get((name or DEFAULT_PROFILE).strip(), (name or "").strip())
    chosen = chosen or DEFAULT_PROFILE
    if chosen not in CAPABILITIES["profiles"]:
        raise ConfigError(
            N_("Unknown printer profile {name}. Use 58mm, 80mm or a model such as TM-T20II."),
            name=name,
        )
    return chosen


# -- printer specification ------------------------------------------------------------------


@dataclass(frozen=True)
class PrinterSpec:
    """Where tickets go, parsed from the configuration's ``printer`` text.

    Forms: ``none``, ``dummy``, ``usb:VID:PID`` (hexadecimal, e.g. ``usb:04b8:0e15``),
    ``network:HOST[:PORT]`` (port 9100 by default), ``serial:DEVICE[:BAUD]``,
    ``cups:NAME``, ``win32:NAME`` (empty name = the default printer), ``file:PATH``.
    """

    kind: str
    host: str = ""
    port: int = DEFAULT_NETWORK_PORT
    vendor_id: int = 0
    product_id: int = 0
    device: str = ""
    baudrate: int = 9600
    name: str = ""

    def __str__(self) -> str:
        if self.kind == "network":
            return f"network:{self.host}:{self.port}"
        if self.kind == "usb":
            return f"usb:{self.vendor_id:04x}:{self.product_id:04x}"
        if self.kind == "serial" and self.baudrate != 9600:
            return f"serial:{self.device}:{self.baudrate}"
        if self.kind in ("serial", "file"):
            return f"{self.kind}:{self.device}"
        if self.kind in ("cups", "win32"):
            return f"{self.kind}:{self.name}"
        return self.kind


def _bad_spec(text: str) -> ConfigError:
    return ConfigError(
        N_(
            "Printer {spec!r} is not understood. Use none, usb:VID:PID, network:HOST:PORT,"
            " serial:DEVICE, cups:NAME, win32:NAME or file:PATH."
        ),
        spec=text,
    )


def parse_printer_spec(text: str | PrinterSpec | None) -> PrinterSpec:
    """Parse the configuration's printer text; raise :class:`ConfigError` when unclear."""
    if isinstance(text, PrinterSpec):
        return text
    raw = (text or "none").strip()
    kind, _sep, rest = raw.partition(":")
    kind = kind.lower()
    if kind in ("none", "dummy") and not rest:
        return PrinterSpec(kind)
    if kind == "usb":
        parts = rest.split(":")
        if len(parts) != 2:
            raise _bad_spec(raw)
        try:
            vendor, product = (int(p.lower().removeprefix("0x"), 16) for p in parts)
        except ValueError:
            raise _bad_spec(raw) from None
        if not (0 < vendor <= 0xFFFF and 0 < product <= 0xFFFF):
            raise _bad_spec(raw)
        return PrinterSpec("usb", vendor_id=vendor, product_id=product)
    if kind == "network":
        host, port = rest, DEFAULT_NETWORK_PORT
        head, sep, tail = rest.rpartition(":")
        if sep and tail.isdigit() and not head.endswith(":"):
            host, port = head, int(tail)
        host = host.strip("[]")
        if not host or not 0 < port < 65536:
            raise _bad_spec(raw)
        return PrinterSpec("network", host=host, port=port)
    if kind == "serial":
        device, baud = rest, 9600
        head, sep, tail = rest.rpartition(":")
        if sep and tail.isdigit() and head:
            device, baud = head, int(tail)
        if not device:
            raise _bad_spec(raw)
        return PrinterSpec("serial", device=device, baudrate=baud)
    if kind == "file" and rest:
        return PrinterSpec("file", device=rest)
    if kind == "cups" and rest:
        return PrinterSpec("cups", name=rest)
    if kind == "win32":
        return PrinterSpec("win32", name=rest)
    raise _bad_spec(raw)


# -- layout -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TicketSlip:
    """What a paper ticket says. Deliberately without any guest-book field."""

    office_name: str
    office_unit: str
    number: str
    service_name: str
    issued_at: str
    code: str
    target_minutes: int = 10
    ahead: int | None = None
    estimate_minutes: int | None = None
    website: str = ""
    language: str = "id"
    # What the QR holds: the status page's address of the ticket when the office has
    # one (``shared.queue.ticketcode.qr_payload``), else the code itself.
    qr_payload: str = ""
    wifi: str = ""

    @property
    def follows_on_phone(self) -> bool:
        """Whether the QR opens the ticket's status page (not just the code)."""
        return bool(self.qr_payload) and self.qr_payload != self.code


@dataclass(frozen=True)
class SlipLine:
    """One line of the layout: text (already printable) and how large it is printed.

    ``size`` is ``normal``, ``large`` (double) or ``huge`` (the number); a line with
    ``qr`` set is the QR code of that payload instead of text; ``rule`` is a divider.
    """

    text: str = ""
    size: str = "normal"
    bold: bool = False
    qr: str = ""
    rule: bool = False
    extra: dict = field(default_factory=dict)


def slip_for(
    ticket: dict[str, Any],
    service: dict[str, Any],
    office: dict[str, Any],
    lang: str | None = None,
) -> TicketSlip:
    """Build the slip of a ticket from its row, its service and the office settings."""
    lang = lang or language()
    name_key = "name_en" if lang == "en" else "name_id"
    return TicketSlip(
        office_name=office.get("office_name", ""),
        office_unit=office.get("office_unit", ""),
        number=ticket["number"],
        service_name=service.get(name_key) or service.get("name_id", ""),
        issued_at=format_local(ticket["issued_at"], office["timezone"], "%d/%m/%Y %H:%M"),
        code=ticket["code"],
        target_minutes=int(service.get("target_minutes") or 10),
        ahead=ticket.get("ahead"),
        estimate_minutes=ticket.get("estimate_minutes"),
        website=office.get("office_website", ""),
        language=lang,
        qr_payload=ticketcode.qr_payload(ticket["code"], office),
        wifi=str(office.get("status_page_wifi") or ""),
    )


def slip_lines(slip: TicketSlip) -> list[SlipLine]:
    """Lay out a ticket as lines, top to bottom, in the slip's language."""

    def tr(msgid: str, **params: object) -> str:
        return printable(translate(msgid, slip.language, **params))

    lines = [
        SlipLine(printable(slip.office_name), bold=True),
        SlipLine(printable(slip.office_unit)),
        SlipLine(rule=True),
        SlipLine(tr(N_("QUEUE NUMBER")), size="large", bold=True),
        SlipLine(printable(slip.number), size="huge", bold=True),
        SlipLine(printable(slip.service_name), bold=True),
        SlipLine(printable(slip.issued_at)),
    ]
    if slip.ahead is not None:
        people = (
            N_("People ahead of you: none") if slip.ahead == 0 else N_("People ahead of you: {n}")
        )
        lines.append(SlipLine(tr(people, n=slip.ahead)))
    if slip.estimate_minutes is not None and slip.ahead:
        lines.append(SlipLine(tr(N_("Estimated wait: about {n} min"), n=slip.estimate_minutes)))
    lines += [
        SlipLine(rule=True),
        SlipLine(
            tr(
                N_(
                    "You will be served at most {minutes} minutes after the visitor"
                    " before you has finished."
                ),
                minutes=slip.target_minutes,
            )
        ),
    ]
    if slip.follows_on_phone:
        lines.append(SlipLine(tr(N_("Scan the QR code to follow your queue on your phone."))))
        if slip.wifi:
            lines.append(SlipLine(tr(N_("Office Wi-Fi: {name}"), name=slip.wifi)))
    lines += [
        SlipLine(qr=printable(slip.qr_payload or slip.code)),
        SlipLine(tr(N_("Ticket code: {code}"), code=slip.code)),
        SlipLine(tr(N_("Keep this ticket to rate our service."))),
        SlipLine(tr(N_("Thank you for your visit")), bold=True),
    ]
    if slip.website:
        lines.append(SlipLine(printable(slip.website)))
    return lines


# -- rendering ----------------------------------------------------------------------------


def _columns(printer: Any) -> int:
    try:
        return int(printer.profile.get_columns("a"))
    except (KeyError, ValueError, TypeError):
        return 42


def _paper_pixels(printer: Any) -> int | None:
    try:
        return int(printer.profile.profile_data["media"]["width"]["pixels"])
    except (KeyError, ValueError, TypeError):
        return None


def qr_modules(payload: str) -> int:
    """Modules across the QR code python-escpos draws for ``payload`` (border included)."""
    import qrcode

    code = qrcode.QRCode(version=None, border=1, error_correction=qrcode.constants.ERROR_CORRECT_L)
    code.add_data(payload)
    code.make(fit=True)
    return code.modules_count + 2


def render(printer: Any, slip: TicketSlip, *, qr_native: bool = False) -> None:
    """Draw the slip on a python-escpos printer object (any class), then cut."""
    columns = _columns(printer)
    pixels = _paper_pixels(printer)
    printer.set_with_default(align="center")
    for line in slip_lines(slip):
        if line.rule:
            printer.set_with_default(align="center")
            printer.textln("-" * columns)
            continue
        if line.qr:
            # Module size: a bare code is a 21-module QR (+ border), printed about half
            # the paper wide; a status-page address needs more modules and may take up
            # to 60 % of the paper, so it still fits a 58 mm slip.
            size = max(2, min(8, int((pixels or 384) * 0.6) // qr_modules(line.qr)))
            if qr_native:
                printer.qr(line.qr, size=size, native=True)
            else:
                printer.qr(line.qr, size=size, native=False, center=pixels is not None)
            printer.set_with_default(align="center")
            continue
        if line.size == "huge":
            scale = max(1, min(4, columns // max(1, len(line.text))))
            printer.set_with_default(
                align="center", bold=True, custom_size=True, width=scale, height=scale
            )
            printer.textln(line.text)
        elif line.size == "large":
            printer.set_with_default(
                align="center", bold=line.bold, double_width=True, double_height=True
            )
            for part in textwrap.wrap(line.text, max(8, columns // 2)) or [""]:
                printer.textln(part)
        else:
            printer.set_with_default(align="center", bold=line.bold)
            for part in textwrap.wrap(line.text, columns) or [""]:
                printer.textln(part)
    printer.set_with_default()
    printer.cut()


def ticket_bytes(slip: TicketSlip, profile: str | None = None, *, qr_native: bool = False) -> bytes:
    """Return the exact ESC/POS bytes of a slip for a printer profile."""
    from escpos.printer import Dummy

    dummy = Dummy(profile=resolve_profile(profile))
    render(dummy, slip, qr_native=qr_native)
    return dummy.output


# -- devices ------------------------------------------------------------------------------


def _device(spec: PrinterSpec, profile: str, timeout: float) -> Any:
    """Return an unopened python-escpos printer for ``spec`` (not for none/dummy)."""
    from escpos import printer as escpos_printer

    if spec.kind == "network":
        return escpos_printer.Network(spec.host, spec.port, timeout=timeout, profile=profile)
    if spec.kind == "file":
        return escpos_printer.File(spec.device, profile=profile)
    if spec.kind == "usb":
        if not escpos_printer.Usb.is_usable():
            raise PrinterProblem(
                N_("USB printing needs the pyusb package and libusb on this PC. Ask IT.")
            )
        return escpos_printer.Usb(
            spec.vendor_id, spec.product_id, timeout=int(timeout * 1000), profile=profile
        )
    if spec.kind == "serial":
        if not escpos_printer.Serial.is_usable():
            raise PrinterProblem(N_("Serial printing needs the pyserial package. Ask IT."))
        return escpos_printer.Serial(
            spec.device, baudrate=spec.baudrate, timeout=timeout, profile=profile
        )
    if spec.kind == "cups":
        if not escpos_printer.CupsPrinter.is_usable():
            raise PrinterProblem(N_("CUPS printing needs the pycups package. Ask IT."))
        return escpos_printer.CupsPrinter(spec.name, profile=profile)
    if spec.kind == "win32":
        if not escpos_printer.Win32Raw.is_usable():
            raise PrinterProblem(N_("Windows printing works only on Windows with pywin32."))
        return escpos_printer.Win32Raw(spec.name, profile=profile)
    raise NoPrinter()


def send_bytes(spec: PrinterSpec | str, data: bytes, *, timeout: float = 5.0) -> None:
    """Send finished ESC/POS bytes to the device in ``spec``.

    Raises :class:`PrinterOffline` when the printer is not there (refused, unplugged,
    timed out) and :class:`PrinterProblem` for anything else that stops the print.
    ``none`` and ``dummy`` send nothing.
    """
    spec = parse_printer_spec(spec)
    if spec.kind in ("none", "dummy"):
        return
    from escpos.exceptions import DeviceNotFoundError
    from escpos.exceptions import Error as EscposError

    device = _device(spec, DEFAULT_PROFILE, timeout)
    try:
        device.open()
        # The public drawing calls would re-render; the slip is already final bytes.
        device._raw(data)
        device.close()
    except DeviceNotFoundError as exc:
        raise PrinterOffline(
            N_("The ticket printer {printer} cannot be reached."), printer=str(spec)
        ) from exc
    except (OSError, TimeoutError) as exc:
        raise PrinterOffline(
            N_("The ticket printer {printer} stopped answering."), printer=str(spec)
        ) from exc
    except (EscposError, RuntimeError, ValueError) as exc:
        raise PrinterProblem(
            N_("The ticket printer {printer} reported a problem: {error}"),
            printer=str(spec),
            error=printable(exc)[:120],
        ) from exc
    except Exception as exc:
        # pyusb's and pycups' own errors (NoBackendError, IPPError…) have no common base.
        raise PrinterProblem(
            N_("The ticket printer {printer} reported a problem: {error}"),
            printer=str(spec),
            error=printable(exc)[:120],
        ) from exc
    finally:
        # Close quietly after a failure; a half-open socket must not linger.
        with contextlib.suppress(Exception):
            device.close()


# -- the printer the kiosk holds ---------------------------------------------------------------


@dataclass
class PrinterStatus:
    """Last known state: ``ok``, ``offline``, ``error`` or ``none`` (no printer)."""

    state: str = "ok"
    msgid: str = ""
    params: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """The problem in the current language (empty when all is well)."""
        return _(self.msgid, **self.params) if self.msgid else ""

    def heartbeat(self) -> dict[str, Any]:
        """The printer part of the kiosk's heartbeat status (read by the console)."""
        text = translate(self.msgid, "en", **self.params) if self.msgid else ""
        return {
            "printer": self.state,
            "printer_message": text,
            "printer_msgid": self.msgid,
            "printer_params": {k: str(v) for k, v in self.params.items()},
        }


class TicketPrinter:
    """The kiosk's printer: renders slips, sends them, remembers how it went.

    Not thread-safe by itself; the kiosk uses it from one printing thread.
    """

    def __init__(
        self,
        spec: PrinterSpec | str | None,
        profile: str | None = None,
        *,
        qr_native: bool = False,
        timeout: float = 5.0,
    ) -> None:
        self.spec = parse_printer_spec(spec)
        self.profile = resolve_profile(profile)
        self.qr_native = qr_native
        self.timeout = timeout
        self.last_output = b""
        self.printed = 0
        self.status = (
            PrinterStatus("none", NoPrinter.msgid)
            if self.spec.kind == "none"
            else PrinterStatus("ok")
        )

    @property
    def enabled(self) -> bool:
        return self.spec.kind != "none"

    def print_slip(self, slip: TicketSlip) -> bytes:
        """Render and send one slip; return its bytes. Raises :class:`PrinterProblem`."""
        data = ticket_bytes(slip, self.profile, qr_native=self.qr_native)
        self.last_output = data
        if not self.enabled:
            raise NoPrinter()
        try:
            send_bytes(self.spec, data, timeout=self.timeout)
        except PrinterProblem as exc:
            self.status = PrinterStatus(exc.state, exc.msgid, dict(exc.params))
            raise
        self.printed += 1
        self.status = PrinterStatus("ok")
        return data

    def probe(self) -> PrinterStatus:
        """Check, without printing anything, whether the printer seems reachable.

        A network printer gets a bare TCP connection (no status request: many
        printers never answer one); a file or device path must be writable; USB needs
        the device on the bus. Out of paper shows only when a print fails.
        """
        try:
            probe_device(self.spec, self.timeout)
        except PrinterProblem as exc:
            self.status = PrinterStatus(exc.state, exc.msgid, dict(exc.params))
        else:
            self.status = PrinterStatus("ok")
        return self.status


def probe_device(spec: PrinterSpec, timeout: float = 3.0) -> None:
    """Raise :class:`PrinterProblem` when the printer of ``spec`` is surely not usable."""
    if spec.kind == "none":
        raise NoPrinter()
    if spec.kind == "dummy":
        return
    unreachable = PrinterOffline(
        N_("The ticket printer {printer} cannot be reached."), printer=str(spec)
    )
    if spec.kind == "network":
        try:
            socket.create_connection((spec.host, spec.port), timeout=timeout).close()
        except OSError:
            raise unreachable from None
        return
    if spec.kind in ("file", "serial"):
        path = spec.device
        if spec.kind == "serial" and not os.path.isabs(path):
            _device(spec, DEFAULT_PROFILE, timeout)  # COM ports: only the driver check
            return
        folder = os.path.dirname(os.path.abspath(path))
        writable = os.access(path, os.W_OK) if os.path.exists(path) else os.access(folder, os.W_OK)
        if not writable:
            raise unreachable
        if spec.kind == "serial":
            _device(spec, DEFAULT_PROFILE, timeout)
        return
    if spec.kind == "usb":
        _device(spec, DEFAULT_PROFILE, timeout)
        import usb.core

        try:
            found = usb.core.find(idVendor=spec.vendor_id, idProduct=spec.product_id)
        except Exception as exc:  # pyusb's NoBackendError: libusb is missing
            raise PrinterProblem(
                N_("USB printing needs the pyusb package and libusb on this PC. Ask IT.")
            ) from exc
        if found is None:
            raise unreachable
        return
    _device(spec, DEFAULT_PROFILE, timeout)


# -- any ticket, from the database ----------------------------------------------------------


def print_ticket_by_id(
    store: Any,
    ticket_id: int | str,
    printer_spec: str | PrinterSpec,
    profile: str | None = None,
    *,
    qr_native: bool = False,
    lang: str | None = None,
    clock: Clock,
) -> bytes:
    """Print (or write) the slip of any ticket and return the bytes that were sent.

    ``ticket_id`` is the ticket's database id, or its QR code or today's number
    (``KS-003``); "today" is the service day of ``clock``'s instant. With printer ``none`` or ``dummy`` nothing is sent and the bytes
    are only returned — for scripts that check a ticket. People ahead are printed
    only while the ticket is still waiting. Raises :class:`NotFound`,
    :class:`ConfigError` (bad spec or profile) and :class:`PrinterProblem`.
    """
    spec = parse_printer_spec(printer_spec)
    profile_name = resolve_profile(profile)

    def read(conn: Any) -> tuple[dict, dict, dict] | None:
        office = office_settings.get_all(conn)
        ticket = None
        if isinstance(ticket_id, int) or str(ticket_id).strip().isdigit():
            detail = queries.ticket_detail(conn, int(ticket_id))
            if detail is not None:
                ticket = {k: v for k, v in detail.items() if k not in ("visitor", "visit")}
        else:
            ticket = queries.find_ticket(conn, str(ticket_id), office, clock.now_ms())
        if ticket is None:
            return None
        if ticket["status"] == "waiting":
            ticket.update(queries.position(conn, ticket, office))
        service = next(s for s in queries.services(conn) if s["code"] == ticket["service_code"])
        return ticket, service, office

    found = store.read(read)
    if found is None:
        raise NotFound(N_("Ticket {id} does not exist."), id=ticket_id)
    ticket, service, office = found
    slip = slip_for(ticket, service, office, lang)
    data = ticket_bytes(slip, profile_name, qr_native=qr_native)
    send_bytes(spec, data)
    return data
