"""Office-wide settings, stored once in the shared database (table ``settings``).

Each value is JSON. :data:`DEFAULTS` are the values for BPS Provinsi Sumatera Selatan;
administrators change them with ``pst-admin setting set`` (recorded as an event).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from shared.errors import ValidationError
from shared.i18n import N_

DEFAULTS: dict[str, Any] = {
    "office_name": "BPS Provinsi Sumatera Selatan",
    "office_unit": "Pelayanan Statistik Terpadu (PST)",
    "office_address": (
        "Jalan Kapten Anwar Sastro No. 1694/1131, Sungai Pangeran, Ilir Timur I, Palembang 30114"
    ),
    "office_website": "sumsel.bps.go.id",
    "timezone": "Asia/Jakarta",
    # Weekday (0 = Monday) → [opening, closing] local time, or null when closed.
    "hours": {
        "0": ["08:00", "15:30"],
        "1": ["08:00", "15:30"],
        "2": ["08:00", "15:30"],
        "3": ["08:00", "15:30"],
        "4": ["08:00", "16:00"],
        "5": None,
        "6": None,
    },
    "holiday_country": "ID",
    "holidays_added": [],
    "holidays_removed": [],
    "recall_limit": 3,
    "no_show_grace_minutes": 30,
    # Minutes after closing time before the day is closed (waiting tickets unserved).
    "close_grace_minutes": 30,
    "priority_groups": ["disability", "elderly", "pregnant", "with_children"],
    "regular_per_priority": 0,
    "priority_max_streak": 3,
    "retention_days": 365,
    "clock_skew_threshold_seconds": 30,
    "heartbeat_seconds": 10,
    "consent_version": "2026-1",
    "complaint_channels": [
        {"kind": "box", "label": "Kotak saran di ruang PST", "target": ""},
        {"kind": "web", "label": "LAPOR!", "target": "https://www.lapor.go.id"},
        {
            "kind": "web",
            "label": "Pengaduan BPS",
            "target": "https://webapps.bps.go.id/pengaduan",
        },
        {"kind": "email", "label": "E-mail", "target": "bps1600@bps.go.id"},
        {"kind": "whatsapp", "label": "WhatsApp", "target": "0813-3378-3485"},
    ],
    "running_text": (
        "Selamat datang di Pelayanan Statistik Terpadu BPS Provinsi Sumatera Selatan. "
        "Layanan ini tidak dipungut biaya."
    ),
    "lists": {
        "education": ["≤ SMA/sederajat", "D1/D2/D3", "S1/D4", "S2", "S3"],
        "occupation": [
            "Pelajar/Mahasiswa",
            "Peneliti/Dosen",
            "ASN/TNI/Polri",
            "Pegawai BUMN/BUMD",
            "Pegawai Swasta",
            "Wiraswasta",
            "Lainnya",
        ],
        "institution_category": [
            "Lembaga Negara",
            "Kementerian & Lembaga Pemerintah",
            "TNI/Polri/BIN/Kejaksaan",
            "Pemerintah Daerah",
            "Lembaga Internasional",
            "Lembaga Penelitian & Pendidikan",
            "BUMN/BUMD",
            "Swasta",
            "Lainnya",
        ],
        "purpose": [
            "Tugas sekolah/kuliah",
            "Skripsi/Tesis/Disertasi",
            "Penelitian",
            "Perencanaan/Evaluasi pemerintah",
            "Komersial",
            "Lainnya",
        ],
        "sex": ["Laki-laki", "Perempuan"],
    },
}

DEFAULT_SERVICES = [
    # code, Indonesian name, English name, target minutes
    ("KS", "Konsultasi Statistik", "Statistical Consultation", 10),
    ("PS", "Perpustakaan", "Library", 10),
    ("PJ", "Penjualan Produk Statistik", "Statistical Products Sales", 10),
    ("RS", "Rekomendasi Kegiatan Statistik", "Statistical Activity Recommendation", 10),
    ("LA", "Lainnya", "Other Services", 10),
]


def get(conn: sqlite3.Connection, key: str) -> Any:
    """Return setting ``key`` (its default when never set)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return DEFAULTS[key] if row is None else json.loads(row[0])


def get_all(conn: sqlite3.Connection) -> dict[str, Any]:
    values = dict(DEFAULTS)
    for key, value in conn.execute("SELECT key, value FROM settings").fetchall():
        if key in DEFAULTS:
            values[key] = json.loads(value)
    return values


def put(conn: sqlite3.Connection, key: str, value: Any) -> None:
    """Store ``key`` after checking its type against the default (inside a write)."""
    if key not in DEFAULTS:
        raise ValidationError(key, N_("There is no setting called {key}."), key=key)
    default = DEFAULTS[key]
    if default is not None and not isinstance(value, type(default)):
        raise ValidationError(
            key,
            N_("Setting {key} must be a {kind}."),
            key=key,
            kind=type(default).__name__,
        )
    if isinstance(default, int) and (isinstance(value, bool) or value < 0):
        raise ValidationError(key, N_("Setting {key} must be zero or more."), key=key)
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )
