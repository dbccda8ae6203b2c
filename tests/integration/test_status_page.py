"""``pst-web`` as a visitor's phone and the office meet it: a real server process, a real
headless Chromium, real ``pst-admin`` processes, and the faults an office has.

The browser tests save screenshots under ``artifacts/`` (the ticket's page at 360×640 in
both languages, waiting and called; the board at 1920×1080).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.integration.webserver import ROOT, WebServer, admin, browser_missing, chromium

pytestmark = pytest.mark.slow

GUEST = {
    "name": "Kartika Wulandari Rahasia",
    "email": "kartika.rahasia@contoh.id",
    "phone": "081377700011",
    "institution_name": "Universitas Rahasiaku Palembang",
    "consent": True,
}


@pytest.fixture
def queue(ops, office, clock):
    """Three visitors waiting (two for KS), Loket 1 open with Budi."""
    tickets = [ops.issue_ticket("KS", GUEST), ops.issue_ticket("KS"), ops.issue_ticket("PS")]
    ops.set_counter_status(office["counter1"]["id"], "open", office["officer"]["id"])
    ops.save_setting("status_page_wifi", "BPS-Tamu")
    return tickets


@pytest.fixture
def web(queue, db_path, tmp_path, clock):
    server = WebServer(db_path, tmp_path, at_ms=clock.now_ms())
    yield server
    server.close()


@pytest.fixture
def browser_at(tmp_path):
    reason = browser_missing()
    if reason:
        pytest.skip(reason)
    drivers = []

    def make(width: int, height: int):
        driver = chromium(tmp_path / f"b{len(drivers)}", width, height)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.quit()


def wait_text(driver, text: str, timeout: float) -> float:
    """Wait until ``text`` is on the page; return how long it took."""
    started = time.monotonic()
    deadline = started + timeout
    while time.monotonic() < deadline:
        if text.lower() in driver.find_element("tag name", "body").text.lower():
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(
        f"{text!r} not shown within {timeout} s; the page says:\n"
        + driver.find_element("tag name", "body").text
    )


def test_the_phone_follows_the_ticket_until_it_is_called(
    web, queue, office, db_path, clock, browser_at, artifacts
):
    first, second, _ps = queue
    phone = browser_at(360, 640)
    phone.get(f"{web.base}/t/{second['code']}")
    wait_text(phone, "Urutan Anda dalam antrean: 2", 10)
    body = phone.find_element("tag name", "body").text
    assert "KS-002" in body and "Antrean di depan Anda: 1 orang" in body
    assert (
        "Anda akan dipanggil paling lambat 10 menit setelah pengunjung sebelum Anda selesai" in body
    )
    assert "Wi-Fi kantor: BPS-Tamu" in body
    assert GUEST["name"] not in phone.page_source
    phone.save_screenshot(str(artifacts / "status-page-waiting-id-360x640.png"))

    english = browser_at(360, 640)
    english.get(f"{web.base}/t/{second['code']}?lang=en")
    wait_text(english, "Your place in the queue: 2", 10)
    english.save_screenshot(str(artifacts / "status-page-waiting-en-360x640.png"))

    phone.get(f"{web.base}/t/{first['code']}")
    wait_text(phone, "Urutan Anda dalam antrean: 1", 10)
    called = admin(
        db_path,
        clock.now_ms(),
        "ticket",
        "call-next",
        "--counter",
        str(office["counter1"]["id"]),
        "--officer",
        str(office["officer"]["id"]),
    )["ticket"]
    assert called["number"] == "KS-001"
    seen_after = wait_text(phone, "Silakan ke Loket 1", 3)
    print(f"'Silakan ke Loket 1' shown {seen_after:.2f} s after pst-admin call-next ended")
    assert phone.execute_script("return window.__vibrations.length") >= 1
    phone.save_screenshot(str(artifacts / "status-page-called-id-360x640.png"))
    phone.find_element("id", "lang").click()
    wait_text(phone, "Please come to Loket 1", 3)
    phone.save_screenshot(str(artifacts / "status-page-called-en-360x640.png"))
    # Waiting pages follow too: the second visitor is now next.
    wait_text(english, "People ahead of you: none", 8)

    admin(db_path, clock.now_ms(), "ticket", "start", first["code"])
    admin(db_path, clock.now_ms(), "ticket", "finish", first["code"])
    wait_text(phone, "Rate our service", 8)
    phone.find_element("id", "rate").click()
    wait_text(phone, "Rate our service at the kiosk", 5)
    assert (
        " ".join([first["code"][i : i + 4] for i in range(0, 12, 4)])
        in phone.find_element("tag name", "body").text
    )
    assert phone.execute_script(
        "const q = document.getElementById('qr'); return q.complete && q.naturalWidth > 0"
    )
    phone.save_screenshot(str(artifacts / "status-page-rate-en-360x640.png"))

    tv = browser_at(1920, 1080)
    tv.get(f"{web.base}/board")
    wait_text(tv, "Nomor berikutnya", 10)
    wait_text(tv, "KS-002", 5)
    tv.save_screenshot(str(artifacts / "status-page-board-1920x1080.png"))


def test_the_share_gone_the_page_says_so_and_recovers(web, queue, db_path, browser_at, artifacts):
    phone = browser_at(360, 640)
    phone.get(f"{web.base}/t/{queue[1]['code']}")
    wait_text(phone, "Urutan Anda dalam antrean: 2", 10)
    away = db_path.with_name("away.db")
    os.rename(db_path, away)
    try:
        wait_text(phone, "Informasi sementara tidak tersedia", 10)
        assert "Urutan Anda" not in phone.find_element("tag name", "body").text
        phone.save_screenshot(str(artifacts / "status-page-unavailable-id-360x640.png"))
        assert web.json(f"/api/t/{queue[1]['code']}")[0] == 503
    finally:
        os.rename(away, db_path)
    wait_text(phone, "Urutan Anda dalam antrean: 2", 10)
    assert "tidak tersedia" not in phone.find_element("tag name", "body").text
    assert "Traceback" not in web.log()


def raw(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except (ConnectionResetError, TimeoutError):
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def test_malformed_and_huge_requests_get_4xx_never_a_traceback(web, queue):
    code = queue[0]["code"]
    cases = {
        b"GARBAGE\r\n\r\n": (400,),
        b"GET /t/\xff\xfe%00%ZZ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n": (400, 404),
        b"GET /" + b"A" * 20_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n": (431, 400, 414),
        b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 40_000 + b"\r\n\r\n": (431, 400),
        b"POST /api/t/"
        + code.encode()
        + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
        + b"x" * 2000: (413, 405),
        b"DELETE /board HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n": (405,),
        b"GET /api/t/../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n": (404,),
        b"GET /static/%2e%2e/app.py HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n": (404,),
        b"GET /board HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n": (501, 400),
    }
    for request, allowed in cases.items():
        answer = raw(web.port, request)
        status = int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/") else 0
        assert status in allowed, (request[:80], answer[:300])
        assert b"Traceback" not in answer and b'File "' not in answer
    # The server is still there and well.
    assert web.get(f"/api/t/{code}")[0] == 200
    assert web.process.poll() is None
    assert "Traceback" not in web.log()


def test_sigterm_stops_the_server_within_two_seconds(web, queue):
    # A phone keeps its connection open between two polls.
    keep = socket.create_connection(("127.0.0.1", web.port))
    keep.sendall(f"GET /api/t/{queue[0]['code']} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    assert keep.recv(100).startswith(b"HTTP/1.1 200")
    print(f"pst-web answered {web.ready_after:.2f} s after it was started")
    started = time.monotonic()
    web.process.send_signal(signal.SIGTERM)
    code = web.process.wait(5)
    took = time.monotonic() - started
    keep.close()
    print(f"pst-web stopped {took:.2f} s after SIGTERM")
    assert code == 0 and took <= 2.0
    assert "pst-web stopped" in web.log()


def test_sigterm_during_busy_requests_still_stops_the_server(web, queue):
    """The signal may land while a request is being read: it must not be taken for its error."""
    import threading

    stop = threading.Event()

    def phones() -> None:
        while not stop.is_set():
            try:
                with socket.create_connection(("127.0.0.1", web.port), timeout=2) as phone:
                    phone.sendall(b"GET /api/board HTTP/1.1\r\nHost: x\r\n\r\n")
                    phone.recv(100)
            except OSError:
                pass

    threads = [threading.Thread(target=phones, daemon=True) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.5)  # let the requests stream in before the signal
        web.process.send_signal(signal.SIGTERM)
        code = web.process.wait(30)
    finally:
        stop.set()
        for thread in threads:
            thread.join(5)
    assert code == 0, web.log()
    assert "pst-web stopped" in web.log()


def test_the_benchmark_runs_in_its_short_mode():
    """bench/bench_web.py --quick works and prints its figures (no timing is judged here)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_web.py"), "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    print(done.stdout)
    for figure in ("p95", "per change", "cold start", "idle CPU"):
        assert figure in done.stdout
    (result,) = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["where"] == "local" and result["requests"] > 0 and result["errors"] == 0
    assert result["snapshot_reads"] >= 1 and result["commits"] >= 1
