"""Ticket slips: layout, ESC/POS bytes, QR raster, printers and their failures."""

from __future__ import annotations

import socket
import string
import threading

import pytest
import zxingcpp
from escpos.printer import Dummy
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from PIL import Image

from shared.devices import printing
from shared.devices.printing import (
    NoPrinter,
    PrinterOffline,
    PrinterProblem,
    PrinterSpec,
    TicketPrinter,
    TicketSlip,
    parse_printer_spec,
    print_ticket_by_id,
    printable,
    resolve_profile,
    slip_lines,
    ticket_bytes,
)
from shared.errors import ConfigError, NotFound, ValidationError
from tests.hostile import HOSTILE_TEXT

GUEST = {
    "name": "Siti Rahmawati",
    "email": "siti.rahma@contoh.id",
    "phone": "081377778888",
    "institution_name": "Universitas Sriwijaya",
    "consent": True,
}
CONTROL = "\x1b\x1d\x00\x10\x7f\x0c\n\r"


@pytest.fixture
def ticket(ops):
    return ops.issue_ticket("KS", GUEST)


def slip(**changes) -> TicketSlip:
    values = {
        "office_name": "BPS Provinsi Sumatera Selatan",
        "office_unit": "Pelayanan Statistik Terpadu (PST)",
        "number": "KS-007",
        "service_name": "Konsultasi Statistik",
        "issued_at": "25/11/2026 09:00",
        "code": "ABCD2345",
        "ahead": 3,
        "estimate_minutes": 24,
        "website": "sumsel.bps.go.id",
    }
    values.update(changes)
    return TicketSlip(**values)


def raster_images(data: bytes) -> list[Image.Image]:
    """Cut every ``GS v 0`` raster image out of an ESC/POS byte stream."""
    images, start = [], 0
    while (at := data.find(b"\x1dv0", start)) >= 0:
        width_bytes = data[at + 4] | data[at + 5] << 8
        height = data[at + 6] | data[at + 7] << 8
        body = data[at + 8 : at + 8 + width_bytes * height]
        bitmap = Image.frombytes("1", (width_bytes * 8, height), body)
        # ESC/POS: a set bit is a black dot; PIL "1": a set bit is white.
        images.append(Image.eval(bitmap.convert("L"), lambda v: 255 - v))
        start = at + 8 + len(body)
    return images


def decode_qr(image: Image.Image) -> str:
    framed = Image.new("L", (image.width + 80, image.height + 80), 255)
    framed.paste(image, (40, 40))
    (result,) = zxingcpp.read_barcodes(framed)
    return result.text


# -- specifications and profiles -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("none", PrinterSpec("none")),
        ("", PrinterSpec("none")),
        ("dummy", PrinterSpec("dummy")),
        ("usb:04b8:0e15", PrinterSpec("usb", vendor_id=0x04B8, product_id=0x0E15)),
        ("usb:0x0416:0x5011", PrinterSpec("usb", vendor_id=0x0416, product_id=0x5011)),
        ("network:192.168.1.50", PrinterSpec("network", host="192.168.1.50", port=9100)),
        ("network:printer.lan:9101", PrinterSpec("network", host="printer.lan", port=9101)),
        ("serial:/dev/ttyUSB0", PrinterSpec("serial", device="/dev/ttyUSB0")),
        ("serial:COM3:19200", PrinterSpec("serial", device="COM3", baudrate=19200)),
        ("cups:TM-T20", PrinterSpec("cups", name="TM-T20")),
        ("win32:POS-58", PrinterSpec("win32", name="POS-58")),
        ("file:/dev/usb/lp0", PrinterSpec("file", device="/dev/usb/lp0")),
    ],
)
def test_printer_specs_are_parsed(text, expected):
    assert parse_printer_spec(text) == expected
    assert parse_printer_spec(str(expected)) == expected


@pytest.mark.parametrize(
    "text", ["usb:04b8", "usb:zz:01", "network:", "network::9100", "file:", "cups:", "lpt1", "x:y"]
)
def test_bad_printer_specs_are_refused_clearly(text):
    with pytest.raises(ConfigError) as caught:
        parse_printer_spec(text)
    assert "usb:VID:PID" in caught.value.message


def test_profiles_for_58_and_80_mm_paper():
    assert resolve_profile("58mm") == "POS-5890"
    assert resolve_profile("80mm") == "TM-T20II"
    assert resolve_profile(None) == "TM-T20II"
    assert resolve_profile("TM-T88III") == "TM-T88III"
    assert "58mm" in printing.profile_names()
    with pytest.raises(ConfigError):
        resolve_profile("XP-58-unknown")


# -- layout and bytes ------------------------------------------------------------------------


def test_layout_has_what_a_ticket_needs_and_no_personal_data():
    lines = slip_lines(slip())
    texts = [line.text for line in lines]
    assert texts[:2] == ["BPS Provinsi Sumatera Selatan", "Pelayanan Statistik Terpadu (PST)"]
    assert "NOMOR ANTREAN" in texts
    assert next(line for line in lines if line.size == "huge").text == "KS-007"
    assert "Konsultasi Statistik" in texts and "25/11/2026 09:00" in texts
    assert "Antrean di depan Anda: 3 orang" in texts
    assert "Perkiraan menunggu: sekitar 24 menit" in texts
    assert (
        "Anda akan dilayani paling lambat 10 menit setelah pengunjung sebelumnya selesai." in texts
    )
    assert [line.qr for line in lines if line.qr] == ["ABCD2345"]
    assert "Terima kasih atas kunjungan Anda" in texts
    english = [line.text for line in slip_lines(slip(language="en"))]
    assert "QUEUE NUMBER" in english and "Thank you for your visit" in english


def test_dummy_bytes_have_the_number_and_never_the_guest(ops, ticket, store, clock):
    data = print_ticket_by_id(store, ticket["id"], "dummy", "80mm", clock=clock)
    assert b"KS-001" in data
    assert ticket["code"].encode() in data
    for private in GUEST.values():
        if isinstance(private, str):
            assert private.encode() not in data
    assert b"Siti" not in data and b"081377" not in data and b"@" not in data
    assert data.rstrip(b"\x00").endswith(b"\x1dVA\x03") or b"\x1dV" in data  # cut


@pytest.mark.parametrize("profile", ["80mm", "58mm", "TM-T88III"])
def test_printed_qr_raster_decodes_to_the_ticket_code(ticket, store, profile, clock):
    data = print_ticket_by_id(store, ticket["id"], "dummy", profile, clock=clock)
    (qr,) = raster_images(data)
    assert qr.width <= int(resolve_profile(profile) == "POS-5890") * 384 or qr.width <= 576
    assert decode_qr(qr) == ticket["code"]


def test_native_qr_carries_the_code_in_the_store_block(ticket, store, clock):
    data = print_ticket_by_id(store, ticket["id"], "dummy", "80mm", qr_native=True, clock=clock)
    assert raster_images(data) == []
    store_block = b"\x1d(k" + bytes([len(ticket["code"]) + 3, 0]) + b"1P0" + ticket["code"].encode()
    assert store_block in data


def test_a_ticket_can_be_found_by_number_or_code(ticket, store, clock):
    by_number = print_ticket_by_id(store, "KS-001", "none", clock=clock)
    by_code = print_ticket_by_id(store, ticket["code"], "dummy", clock=clock)
    assert b"KS-001" in by_number and by_number == by_code
    with pytest.raises(NotFound):
        print_ticket_by_id(store, 999, "dummy", clock=clock)


def test_people_ahead_only_while_waiting(ops, store, office, clock):
    first = ops.issue_ticket("KS", GUEST)
    second = ops.issue_ticket("KS", GUEST)
    assert b"Antrean di depan Anda: 1 orang" in print_ticket_by_id(
        store, second["id"], "dummy", clock=clock
    )
    ops.set_counter_status(office["counter1"]["id"], "open", office["officer"]["id"])
    ops.call_next(office["counter1"]["id"], office["officer"]["id"])
    assert b"Antrean di depan Anda" not in print_ticket_by_id(
        store, first["id"], "dummy", clock=clock
    )


def test_printable_removes_control_characters_and_accents():
    assert printable("Andr\u00e9\x1b@\x1dV\x00 Sin\u00e1ga\n") == "Andre@V Sinaga"
    assert printable("\u202eBPS\u200b") == "BPS"
    assert printable("日本") == "??"


@given(st.text())
def test_printable_output_has_no_control_bytes(text):
    out = printable(text)
    assert all(32 <= ord(ch) < 127 for ch in out)


hostile_text = st.builds(
    lambda before, ctrl, after: before + ctrl + after,
    st.text(max_size=20),
    st.text(alphabet=CONTROL, min_size=1, max_size=4),
    st.text(max_size=20),
)
marker = st.text(alphabet=string.ascii_uppercase, min_size=6, max_size=6)


@settings(max_examples=60)
@given(prefix=hostile_text, mark=marker)
def test_control_bytes_in_any_printed_text_never_reach_the_printer(prefix, mark):
    """ESC, GS, NUL… written into an office name or a service name are dropped."""
    for ctrl in "\x1b\x1d\x00":
        evil = f"Q{prefix}{ctrl}{mark}"
        data = ticket_bytes(slip(office_name=evil, service_name=evil, office_unit=evil))
        found = [i for i in range(len(data)) if data.startswith(mark.encode(), i)]
        assert len(found) >= 3
        # Whatever came before the marker in the text, the printer sees only printable
        # characters there: no command can be formed in front of it.
        assert all(0x20 <= data[i - 1] < 0x7F for i in found)


@settings(max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text)
def test_hostile_guest_names_never_reach_the_byte_stream(ops, store, name, clock):
    cleaned = "Tamu " + name
    ticket = ops.issue_ticket("KS", {**GUEST, "name": cleaned})
    data = print_ticket_by_id(store, ticket["id"], "dummy", clock=clock)
    visible = printable(cleaned)
    if len(visible) >= 8:
        assert visible.encode() not in data
    assert b"Tamu" not in data


# Guest-book-like text: printer commands, bidi marks, RTL scripts, emoji, SQL, 10,000
# characters. None of it may shape the bytes sent to the printer.
guest_like = st.one_of(
    st.lists(st.one_of(st.sampled_from(HOSTILE_TEXT), st.text(max_size=30)), max_size=12).map(
        "".join
    ),
    st.builds(lambda piece: (piece * 10_000)[:10_000], st.sampled_from(HOSTILE_TEXT)),
    st.just("A" * 10_000),
)


@settings(max_examples=40)
@given(office=guest_like, unit=guest_like, service=guest_like)
def test_guest_book_like_text_cannot_inject_printer_commands(office, unit, service):
    """Any text prints exactly as its cleaned form would: no ESC/GS/NUL of its own."""
    data = ticket_bytes(slip(office_name=office, office_unit=unit, service_name=service))
    cleaned = slip(
        office_name=printable(office), office_unit=printable(unit), service_name=printable(service)
    )
    assert data == ticket_bytes(cleaned)
    # The layout's own commands are all there is: as many as for a plain ticket.
    plain = ticket_bytes(slip(office_name="BPS", office_unit="PST", service_name="KS"))
    for command in (b"\x1b", b"\x1d", b"\x00"):
        assert data.count(command) == plain.count(command)


@settings(
    max_examples=15,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    mark=st.text(alphabet="QXZJ", min_size=8, max_size=8),
    name=guest_like,
    institution=guest_like,
    topic=guest_like,
)
def test_no_guest_book_field_reaches_the_ticket(ops, store, mark, name, institution, topic, clock):
    """Whatever the visitor typed, however long or strange, none of it is printed."""
    guest = {
        **GUEST,
        "name": f"{mark} {name}",
        "email": f"{mark.lower()}@contoh.id",
        "institution_name": f"{mark} {institution}",
        "topic": f"{mark} {topic}",
    }
    try:
        ticket = ops.issue_ticket("KS", guest)
    except ValidationError:
        reject()
    data = print_ticket_by_id(store, ticket["id"], "dummy", clock=clock)
    assert ticket["number"].encode() in data
    assert mark.encode() not in data and mark.lower().encode() not in data
    assert b"@contoh" not in data


# -- devices ---------------------------------------------------------------------------------


def test_a_network_printer_receives_the_ticket(ticket, store, clock):
    received = bytearray()
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def accept():
        conn, _ = server.accept()
        with conn:
            while chunk := conn.recv(65536):
                received.extend(chunk)

    listener = threading.Thread(target=accept)
    listener.start()
    try:
        sent = print_ticket_by_id(store, ticket["id"], f"network:127.0.0.1:{port}", clock=clock)
        listener.join(timeout=5)
    finally:
        server.close()
    assert not listener.is_alive()
    assert bytes(received) == sent
    assert b"KS-001" in received


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_closed_port_is_the_offline_path():
    printer = TicketPrinter(f"network:127.0.0.1:{closed_port()}", "58mm", timeout=1)
    with pytest.raises(PrinterOffline) as caught:
        printer.print_slip(slip())
    assert caught.value.state == "offline"
    assert printer.status.state == "offline"
    beat = printer.status.heartbeat()
    assert beat["printer"] == "offline"
    assert beat["printer_message"].startswith("The ticket printer network:127.0.0.1:")
    assert printer.last_output  # the bytes were ready; only the printer was missing
    assert printer.probe().state == "offline"


def test_probe_clears_the_problem_when_the_printer_is_back():
    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]
    server.close()
    printer = TicketPrinter(f"network:127.0.0.1:{port}", timeout=1)
    assert printer.probe().state == "offline"
    server = socket.create_server(("127.0.0.1", port))
    try:
        assert printer.probe().state == "ok"
        assert printer.status.heartbeat()["printer"] == "ok"
    finally:
        server.close()


def test_file_printer_writes_the_bytes(tmp_path, ticket, store, clock):
    out = tmp_path / "slip.bin"
    sent = print_ticket_by_id(store, ticket["id"], f"file:{out}", "58mm", clock=clock)
    assert out.read_bytes() == sent


def test_file_printer_in_a_missing_folder_is_offline(tmp_path):
    printer = TicketPrinter(f"file:{tmp_path}/gone/lp0")
    with pytest.raises(PrinterOffline):
        printer.print_slip(slip())
    assert printer.probe().state == "offline"


def test_no_printer_is_its_own_state():
    printer = TicketPrinter("none")
    assert printer.status.state == "none"
    with pytest.raises(NoPrinter):
        printer.print_slip(slip())
    assert printer.status.state == "none"


def test_usb_printer_that_is_not_there_is_a_problem_not_a_crash():
    # No USB printer is attached here (and libusb may be missing): either way the
    # kiosk gets a printer problem it can show and report, never an exception.
    printer = TicketPrinter("usb:04b8:0e15")
    with pytest.raises(PrinterProblem) as caught:
        printer.print_slip(slip())
    assert caught.value.state in ("error", "offline")
    assert printer.status.heartbeat()["printer"] == caught.value.state


def test_render_works_on_any_escpos_printer_object():
    dummy = Dummy(profile="POS-5890")
    printing.render(dummy, slip())
    assert b"KS-007" in dummy.output


def test_programs_starting_together_share_the_printer_profiles_safely(tmp_path):
    """The demo starts three programs at once on one PC: none reads a half-written copy."""
    import os
    import pickle
    import platform
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    script = (
        "import shared.devices.printing\n"
        "from escpos.printer import Dummy\n"
        "from escpos.capabilities import CAPABILITIES\n"
        "assert 'TM-T20II' in CAPABILITIES['profiles']\n"
    )
    env = dict(os.environ, ESCPOS_CAPABILITIES_PICKLE_DIR=str(tmp_path), PYTHONPATH=str(root))
    starts = [
        subprocess.Popen(
            [sys.executable, "-c", script],
            env=env,
            cwd=root,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(6)
    ]
    results = [p.communicate(timeout=120) for p in starts]
    assert [p.returncode for p in starts] == [0] * 6, [err for _, err in results]
    copy = tmp_path / f"{platform.python_version()}.capabilities.pickle"
    assert "profiles" in pickle.loads(copy.read_bytes())
    assert sorted(p.name for p in tmp_path.iterdir()) == [copy.name]  # no partial copy left
