"""``pst-admin demo``: a demo office with services, counters, officers and a morning of tickets.

``demo`` only creates a new file or refills a file it made itself (its events carry the
program ``demo``); it refuses an office's database. The demo office is open every day
from 00:00 to 23:59 so that the programs can be tried at any hour; its morning is
squeezed into the last two hours (never before midnight), and ends at the real current
time with tickets in every state.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from shared import errors
from shared.cli.common import Command, UsageError, create_store
from shared.clock import FakeClock, day_bounds_ms, service_day
from shared.i18n import N_
from shared.install.config import Config
from shared.office import settings
from shared.queue.operations import Operations
from shared.storage import dbfile
from shared.storage.store import Store

DEMO_OFFICERS = [
    # user name, full name, role, PIN
    ("budi", "Budi Santoso", "officer", "1234"),
    ("sari", "Sari Dewi", "supervisor", "5678"),
    ("admin", "Admin PST", "admin", "0000"),
]

DEMO_GUESTS = [
    (
        "Rina Marlina",
        "rina.marlina@example.id",
        "081234567801",
        "Perempuan",
        1998,
        "S1/D4",
        "Pelajar/Mahasiswa",
        "Lembaga Penelitian & Pendidikan",
        "Universitas Sriwijaya",
        "Skripsi/Tesis/Disertasi",
        "Data kemiskinan kabupaten 2020-2025",
    ),
    (
        "Ahmad Fauzi",
        "ahmad.fauzi@example.id",
        "081234567802",
        "Laki-laki",
        1985,
        "S2",
        "ASN/TNI/Polri",
        "Pemerintah Daerah",
        "Bappeda Kota Palembang",
        "Perencanaan/Evaluasi pemerintah",
        "Proyeksi penduduk 2030",
    ),
    (
        "Dewi Lestari",
        "dewi.lestari@example.id",
        "",
        "Perempuan",
        1990,
        "S1/D4",
        "Pegawai Swasta",
        "Swasta",
        "PT Sumber Data",
        "Komersial",
        "Indeks harga konsumen",
    ),
    (
        "Hendra Wijaya",
        "hendra.w@example.id",
        "081234567804",
        "Laki-laki",
        1958,
        "≤ SMA/sederajat",
        "Wiraswasta",
        "Lainnya",
        "",
        "Lainnya",
        "Luas panen padi",
    ),
    (
        "Putri Ayu",
        "putri.ayu@example.id",
        "081234567805",
        "Perempuan",
        2003,
        "≤ SMA/sederajat",
        "Pelajar/Mahasiswa",
        "Lembaga Penelitian & Pendidikan",
        "SMA Negeri 3 Palembang",
        "Tugas sekolah/kuliah",
        "Jumlah sekolah per kecamatan",
    ),
    (
        "Yusuf Hamdani",
        "yusuf.h@example.id",
        "",
        "Laki-laki",
        1979,
        "S3",
        "Peneliti/Dosen",
        "Lembaga Penelitian & Pendidikan",
        "UIN Raden Fatah",
        "Penelitian",
        "Tabel input-output Sumatera Selatan",
    ),
    (
        "Maria Ulfa",
        "maria.ulfa@example.id",
        "081234567807",
        "Perempuan",
        1994,
        "D1/D2/D3",
        "Pegawai BUMN/BUMD",
        "BUMN/BUMD",
        "PT Pusri",
        "Penelitian",
        "Ekspor pupuk",
    ),
    (
        "Andi Saputra",
        "andi.saputra@example.id",
        "081234567808",
        "Laki-laki",
        2001,
        "S1/D4",
        "Pelajar/Mahasiswa",
        "Lembaga Penelitian & Pendidikan",
        "Politeknik Negeri",
        "Skripsi/Tesis/Disertasi",
        "Upah minimum dan pengangguran",
    ),
]


def _guest(index: int) -> dict[str, Any]:
    g = DEMO_GUESTS[index % len(DEMO_GUESTS)]
    keys = (
        "name",
        "email",
        "phone",
        "sex",
        "birth_year",
        "education",
        "occupation",
        "institution_category",
        "institution_name",
        "purpose",
        "topic",
    )
    return {**dict(zip(keys, g, strict=True)), "consent": True}


def build_demo(ops: Operations, *, reset: bool = False) -> dict[str, Any]:
    """Fill ``ops.store`` with the demo office; refuse if it already has tickets."""
    ops.initialise()
    if ops.store.read(lambda c: c.execute("SELECT COUNT(*) FROM tickets").fetchone()[0]):
        return {
            "database": str(ops.store.path),
            "created": False,
            "note": "the database already has tickets; use --reset for a fresh demo",
        }
    now = ops.clock.now_ms()
    tz = ops.store.read(lambda c: settings.get(c, "timezone"))
    ops.save_setting("hours", {str(d): ["00:00", "23:59"] for d in range(7)})
    ops.save_setting("holidays_removed", [service_day(now, tz)])
    counters = [
        ops.save_counter("Loket 1", services=["KS", "PS"]),
        ops.save_counter("Loket 2", services=["KS", "PJ", "RS", "LA"]),
    ]
    officers = [
        ops.save_officer(user, full_name=name, role=role, pin=pin)
        for user, name, role, pin in DEMO_OFFICERS
    ]
    midnight = day_bounds_ms(service_day(now, tz), tz)[0]
    start = max(midnight + 60_000, now - 120 * 60_000)
    span = now - start
    clock = FakeClock(start)
    demo = Operations(ops.store, clock=clock, machine=ops.machine, program="demo")

    def at(fraction: float) -> None:
        clock.set(start + int(span * fraction))

    c1, c2 = counters[0]["id"], counters[1]["id"]
    budi, sari = officers[0]["id"], officers[1]["id"]
    at(0.0)
    demo.set_counter_status(c1, "open", budi)
    demo.set_counter_status(c2, "open", sari)
    issued = []
    for i, (service, priority) in enumerate(
        [
            ("KS", None),
            ("KS", None),
            ("PS", None),
            ("KS", "elderly"),
            ("PJ", None),
            ("KS", None),
            ("KS", None),
            ("RS", None),
        ]
    ):
        at(0.02 + i * 0.04)
        issued.append(demo.issue_ticket(service, _guest(i), priority_group=priority))

    def serve(counter: int, officer: int, begin: float, minutes_frac: float, notes: str):
        at(begin)
        ticket = demo.call_next(counter, officer)
        at(begin + 0.01)
        demo.start_service(ticket["id"], officer)
        at(begin + minutes_frac)
        return demo.finish(ticket["id"], officer, notes=notes)

    done = [
        serve(c1, budi, 0.10, 0.12, "Dijelaskan cara mengunduh tabel dari website."),
        serve(c2, sari, 0.12, 0.15, "Diberikan publikasi Sumsel Dalam Angka."),
        serve(c1, budi, 0.24, 0.10, "Konsultasi metodologi survei."),
    ]
    # A no-show: called three times, then marked not present.
    at(0.36)
    absent = demo.call_next(c2, sari)
    for k in range(3):
        at(0.37 + k * 0.01)
        demo.recall(absent["id"], sari)
    at(0.41)
    demo.no_show(absent["id"], sari)
    # A transfer from consultation to sales.
    at(0.42)
    moved = demo.call_next(c1, budi)
    demo.start_service(moved["id"], budi)
    at(0.50)
    demo.transfer(moved["id"], "PJ", budi, notes="Ingin membeli publikasi cetak.")
    done.append(serve(c2, sari, 0.52, 0.12, "Data ekspor diberikan dalam format Excel."))
    # Ratings from two visitors; one answers yes to an integrity question.
    at(0.70)
    demo.record_rating(
        done[0]["code"],
        5,
        ikm={f"u{i}": 4 for i in range(1, 10)},
        gratification=False,
        extortion=False,
        comment="Pelayanan cepat.",
    )
    demo.record_rating(
        done[1]["code"],
        4,
        ikm={f"u{i}": 3 for i in range(1, 10)},
        gratification=False,
        extortion=True,
        comment="Diminta uang fotokopi.",
    )
    # More visitors arrive; counter 1 is serving, counter 2 has just called.
    for i in range(5):
        at(0.72 + i * 0.04)
        demo.issue_ticket(
            ["KS", "KS", "PS", "KS", "LA"][i],
            _guest(i + 3),
            priority_group="pregnant" if i == 3 else None,
        )
    at(0.90)
    serving = demo.call_next(c1, budi)
    demo.start_service(serving["id"], budi)
    at(0.97)
    demo.call_next(c2, sari)
    at(1.0)
    tickets = ops.store.read(
        lambda c: c.execute("SELECT status, COUNT(*) FROM tickets GROUP BY status").fetchall()
    )
    return {
        "database": str(ops.store.path),
        "created": True,
        "tickets": dict(tickets),
        "officers": [{"username": u, "pin": p, "role": r} for u, _n, r, p in DEMO_OFFICERS],
        "counters": [{"id": c["id"], "name": c["name"]} for c in counters],
    }


# -- the command --------------------------------------------------------------------------


def open_demo(path: Path, args: argparse.Namespace, config: Config) -> Store:
    """Open a new file for the demo, or a demo database (afresh with ``--reset``)."""
    if dbfile.check_file(path, may_create=True):
        if not path.parent.is_dir():
            raise UsageError(
                N_("The folder {path} does not exist. Create it first."), path=str(path.parent)
            )
        return create_store(path, config)
    store = create_store(path, config, create=False)
    is_demo = store.read(
        lambda c: c.execute("SELECT 1 FROM events WHERE program = 'demo' LIMIT 1").fetchone()
    )
    if is_demo and args.reset:
        store.close()
        path.unlink()
        return create_store(path, config)
    if not is_demo:
        store.close()
        raise errors.DomainError(
            N_(
                "{path} is not a demo database: demo only creates a new file or refills a"
                " demo. Give a new path, e.g. --db demo.db."
            ),
            path=str(path),
        )
    return store


def add_demo_options(d: argparse.ArgumentParser) -> None:
    d.add_argument("--reset", action="store_true", help="start a demo database afresh")


def run_demo(ops: Operations, args: argparse.Namespace, config: Config) -> dict[str, Any]:
    return build_demo(ops)


DEMO = Command(
    "demo",
    "create a demo database on a new path (or refill a demo database); never an office's",
    add_demo_options,
    run_demo,
    opens=open_demo,
)
