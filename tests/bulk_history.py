"""Years of an office's history written in bulk, for report speed checks (not a test).

Plausible, not exact: 30–70 tickets a working day over five services, most served, some
not present, transferred or waiting; four of five with a guest-book record (a third of
them returning visitors); two of five served visitors rate, half of them with the nine
IKM answers. Written straight into the tables in one transaction, far faster than
running every operation.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.storage.store import Store

SERVICES = ("KS", "KS", "KS", "PS", "PJ", "RS", "LA")
SEXES = ("Laki-laki", "Perempuan")
EDUCATION = ("≤ SMA/sederajat", "D1/D2/D3", "S1/D4", "S2", "S3")
OCCUPATION = ("Pelajar/Mahasiswa", "Peneliti/Dosen", "ASN/TNI/Polri", "Pegawai Swasta", "Lainnya")
PURPOSE = ("Tugas sekolah/kuliah", "Skripsi/Tesis/Disertasi", "Penelitian", "Komersial")


def fill(store: Store, first_day: date, last_day: date, seed: int = 7) -> dict[str, int]:
    """Write the history of every weekday from ``first_day`` to ``last_day``; return counts."""
    rng = random.Random(seed)
    zone = ZoneInfo("Asia/Jakarta")
    tickets, visits, visitors, ratings = [], [], [], []
    counters = [1, 2, 3]
    ticket_id = visit_id = visitor_id = 0
    day = first_day
    while day <= last_day:
        if day.weekday() < 5:
            opening = int(
                datetime(day.year, day.month, day.day, 8, 0, tzinfo=zone).timestamp() * 1000
            )
            seqs: dict[str, int] = {}
            for _ in range(rng.randint(30, 70)):
                ticket_id += 1
                code = rng.choice(SERVICES)
                seqs[code] = seqs.get(code, 0) + 1
                issued = opening + rng.randint(0, 7 * 3600_000)
                wait = rng.randint(0, 40 * 60_000)
                status = rng.choices(("done", "no_show", "transferred", "waiting"), (85, 7, 4, 4))[
                    0
                ]
                called = None if status == "waiting" else issued + wait
                started = called + 60_000 if status in ("done", "transferred") else None
                ended = (
                    started + rng.randint(3, 25) * 60_000
                    if started
                    else (called + 5 * 60_000 if called else None)
                )
                met = None if called is None else int(rng.random() < 0.8)
                vid = None
                if rng.random() < 0.8:
                    if visitor_id and rng.random() < 0.33:
                        who = rng.randint(1, visitor_id)
                    else:
                        visitor_id += 1
                        who = visitor_id
                        visitors.append(
                            (
                                who,
                                f"Pengunjung {who}",
                                f"v{who}@example.id",
                                rng.choice(SEXES),
                                rng.randint(1950, 2008),
                                rng.choice(EDUCATION),
                                rng.choice(OCCUPATION),
                                "Lainnya",
                                issued,
                                issued,
                            )
                        )
                    visit_id += 1
                    vid = visit_id
                    visits.append((vid, who, rng.choice(PURPOSE), "", issued, "2026-1", issued))
                counter = rng.choice(counters) if called else None
                tickets.append(
                    (
                        ticket_id,
                        f"H{ticket_id:07d}",
                        code,
                        day.isoformat(),
                        seqs[code],
                        f"{code}-{seqs[code]:03d}",
                        "elderly" if rng.random() < 0.05 else None,
                        status,
                        vid,
                        issued,
                        seqs[code] if called else None,
                        called,
                        called,
                        started,
                        ended,
                        ended if status == "no_show" else None,
                        counter,
                        counter,
                        None if called is None else issued,
                        None if called is None else issued + 600_000,
                        met,
                    )
                )
                if status == "done" and rng.random() < 0.4:
                    answers = (
                        [rng.randint(2, 4) for _ in range(9)] if rng.random() < 0.5 else [None] * 9
                    )
                    ratings.append(
                        (
                            ticket_id,
                            code,
                            counter,
                            counter,
                            rng.randint(3, 5),
                            *answers,
                            0,
                            int(rng.random() < 0.002),
                            "",
                            0,
                            ended,
                        )
                    )
        day += timedelta(days=1)

    def tx(conn) -> None:
        for name in ("Loket 1", "Loket 2", "Loket 3"):
            conn.execute("INSERT OR IGNORE INTO counters(name) VALUES (?)", (name,))
        for i, name in enumerate(("budi", "sari", "dewi"), 1):
            conn.execute(
                "INSERT OR IGNORE INTO officers(id, username, full_name, role, pin_hash)"
                " VALUES (?, ?, ?, 'officer', 'x')",
                (i, name, name.title()),
            )
        conn.executemany(
            "INSERT INTO visitors(id, name, email, sex, birth_year, education, occupation,"
            " institution_category, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            visitors,
        )
        conn.executemany(
            "INSERT INTO visits(id, visitor_id, purpose, topic, consent_at, consent_version,"
            " created_at) VALUES (?,?,?,?,?,?,?)",
            visits,
        )
        conn.executemany(
            "INSERT INTO tickets(id, code, service_code, service_day, seq, number,"
            " priority_group, status, visit_id, issued_at, call_seq, first_called_at,"
            " called_at, started_at, ended_at, no_show_at, counter_id, officer_id,"
            " clock_start_at, deadline_at, target_met)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            tickets,
        )
        conn.executemany(
            "INSERT INTO ratings(ticket_id, service_code, officer_id, counter_id, score,"
            " u1, u2, u3, u4, u5, u6, u7, u8, u9, gratification, extortion, comment, flagged,"
            " created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            ratings,
        )

    store.write(tx)
    return {
        "tickets": len(tickets),
        "visits": len(visits),
        "visitors": len(visitors),
        "ratings": len(ratings),
    }
