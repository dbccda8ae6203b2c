"""Office-wide settings, stored once in the shared database (table ``settings``).

Each value is JSON. :data:`DEFAULTS` are the values for BPS Provinsi Sumatera Selatan;
administrators change them with ``pst-admin setting set`` (recorded as an event).

Every key has a declared type, range and label in :data:`SCHEMA`. :func:`problem`
checks one value and returns the sentence to show (or None), :func:`describe` lists
what a settings form needs to build a field per key, and :func:`put` stores nothing
that :func:`problem` refuses. A value stored by an older program that is no longer
acceptable (a time zone that does not exist) is read as its default, so one bad
setting can never stop every PC.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
import zoneinfo
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from shared.errors import ValidationError
from shared.i18n import N_, _

log = logging.getLogger(__name__)

DEFAULTS: dict[str, Any] = {
    "office_name": "BPS Provinsi Sumatera Selatan",
    "office_unit": "Pelayanan Statistik Terpadu (PST)",
    # BPS's four-digit area code (1600 the province, 1671 Kota Palembang): the key of
    # this office's record in the province's central database. Empty until set.
    "office_code": "",
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
    # Counter planning: the share of visitors to call within plan_wait_minutes of arriving.
    "plan_level": 0.9,
    "plan_wait_minutes": 10,
    # The province's central PostgreSQL (never with the password in it), and whether
    # the counter console publishes there after the service day closes.
    "central_url": "",
    "publish_after_close": False,
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
    # The status page's address for visitors' phones (pst-web), e.g.
    # "http://192.168.1.20:8080"; empty: the ticket's QR holds only its code.
    "status_page_url": "",
    # The office Wi-Fi visitors join to open the status page (shown with the QR).
    "status_page_wifi": "",
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


# The shortest retention of guest-book records: a purge never reaches back further, so
# a slip ("0 days") cannot erase the visitors of the last weeks.
RETENTION_FLOOR_DAYS = 30
CHANNEL_KINDS = ("box", "web", "email", "whatsapp", "phone")
GUEST_LISTS = ("education", "occupation", "institution_category", "purpose", "sex")
_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# A BPS area code: two digits of the province (11 Aceh … 9x Papua), two of the regency
# or city within it (00: the province's own office).
_OFFICE_CODE = re.compile(r"^[1-9][0-9][0-9]{2}$")


@dataclass(frozen=True)
class Setting:
    """What one office setting may hold, for checking it and for building its form field.

    ``kind`` is one of ``text``, ``integer``, ``timezone``, ``country``, ``hours``,
    ``dates``, ``holidays``, ``names``, ``channels``, ``lists``, ``url``, ``fraction``,
    ``office_code``, ``central_url``, ``boolean``. For ``text`` and ``url`` the range is
    its length, for ``integer`` its value, for ``fraction`` its value in hundredths (a
    number such as 0.9), for lists their number of items. An empty ``url`` means "not
    set".
    """

    key: str
    label: str  # msgid
    kind: str
    minimum: int = 0
    maximum: int = 0
    hint: str = ""  # msgid: what is allowed, shown under the field


SCHEMA: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("office_name", N_("Office name"), "text", 1, 120),
        Setting("office_unit", N_("Service unit"), "text", 0, 120),
        Setting(
            "office_code",
            N_("Office code (BPS)"),
            "office_code",
            hint=N_(
                "BPS's four-digit area code of this office, e.g. 1600 for the province,"
                " 1671 for Kota Palembang; empty until the office publishes."
            ),
        ),
        Setting("office_address", N_("Office address"), "text", 0, 300),
        Setting("office_website", N_("Office website"), "text", 0, 120),
        Setting(
            "timezone",
            N_("Time zone"),
            "timezone",
            hint=N_("A time zone name such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura."),
        ),
        Setting(
            "hours",
            N_("Opening hours"),
            "hours",
            hint=N_(
                'Per weekday, 0 (Monday) to 6 (Sunday): ["HH:MM", "HH:MM"] with opening'
                " before closing, or null when closed."
            ),
        ),
        Setting(
            "holiday_country",
            N_("Holiday calendar"),
            "country",
            hint=N_("A two-letter country code of the holiday calendar, e.g. ID."),
        ),
        Setting(
            "holidays_added",
            N_("Extra holidays"),
            "holidays",
            0,
            366,
            N_('Dates YYYY-MM-DD, or {"date": "YYYY-MM-DD", "name": "…"}.'),
        ),
        Setting(
            "holidays_removed",
            N_("Working days on a holiday"),
            "dates",
            0,
            366,
            N_("Dates YYYY-MM-DD."),
        ),
        Setting("recall_limit", N_("Recalls before no-show"), "integer", 1, 9),
        Setting(
            "no_show_grace_minutes", N_("Minutes to come back after a no-show"), "integer", 0, 240
        ),
        Setting(
            "priority_groups",
            N_("Priority groups"),
            "names",
            0,
            20,
            N_("Short names in small letters, e.g. elderly."),
        ),
        Setting(
            "close_grace_minutes",
            N_("Minutes after closing before the day is closed"),
            "integer",
            0,
            240,
            N_("Visitors still waiting then are recorded as not served."),
        ),
        Setting(
            "regular_per_priority", N_("Regular visitors between priority ones"), "integer", 0, 20
        ),
        Setting("priority_max_streak", N_("Priority visitors in a row at most"), "integer", 1, 20),
        Setting(
            "retention_days",
            N_("Days guest-book records are kept"),
            "integer",
            RETENTION_FLOOR_DAYS,
            3650,
        ),
        Setting(
            "plan_level",
            N_("Counter plan: share of visitors called in time"),
            "fraction",
            50,
            99,
            N_("A number from 0.50 to 0.99, e.g. 0.9 for 90 %."),
        ),
        Setting(
            "plan_wait_minutes",
            N_("Counter plan: minutes a visitor may wait"),
            "integer",
            1,
            120,
            N_("Counted from arriving to being called."),
        ),
        Setting(
            "clock_skew_threshold_seconds",
            N_("Clock difference warning (seconds)"),
            "integer",
            1,
            3600,
        ),
        Setting(
            "central_url",
            N_("Central database of the province"),
            "central_url",
            hint=N_(
                "A PostgreSQL address such as postgresql://pst@server/antrian_pst, without"
                " the password (that goes in a password file); empty when not used."
            ),
        ),
        Setting(
            "publish_after_close",
            N_("Publish to the central database after the day closes"),
            "boolean",
            hint=N_("true or false: a counter console publishes once the service day is closed."),
        ),
        Setting("heartbeat_seconds", N_("Heartbeat interval (seconds)"), "integer", 2, 300),
        Setting("consent_version", N_("Consent text version"), "text", 1, 40),
        Setting(
            "complaint_channels",
            N_("Complaint channels"),
            "channels",
            0,
            20,
            N_("Each has a kind (box, web, email, whatsapp or phone), a label and a target."),
        ),
        Setting("running_text", N_("Running text on the display"), "text", 0, 1000),
        Setting(
            "status_page_url",
            N_("Status page address for visitors' phones"),
            "url",
            0,
            80,
            N_(
                "The address of pst-web on the office network, e.g. http://192.168.1.20:8080;"
                " tickets' QR codes then open the ticket's page. Empty: the QR holds only the"
                " ticket code."
            ),
        ),
        Setting(
            "status_page_wifi",
            N_("Office Wi-Fi for visitors"),
            "text",
            0,
            32,
            N_("The Wi-Fi name shown with the QR code; empty: none shown."),
        ),
        Setting(
            "lists",
            N_("Guest-book choices"),
            "lists",
            1,
            50,
            N_(
                "education, occupation, institution_category, purpose and sex, each a list of texts."
            ),
        ),
    )
}


def _is_text_list(value: Any, setting: Setting, limit: int = 120) -> bool:
    return (
        isinstance(value, list)
        and setting.minimum <= len(value) <= setting.maximum
        and all(isinstance(v, str) and v.strip() and len(v) <= limit for v in value)
        and len(set(value)) == len(value)
    )


def _real_date(text: Any) -> bool:
    if not isinstance(text, str) or not _DAY.match(text):
        return False
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


@lru_cache(maxsize=64)
def _zone_exists(name: str) -> bool:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


@lru_cache(maxsize=8)
def _country_known(code: str) -> bool:
    import holidays

    return code in holidays.list_supported_countries()


def _hours_problem(value: Any, label: str) -> str | None:
    shape = _(
        '{label}: give each weekday 0 (Monday) to 6 (Sunday) as ["HH:MM", "HH:MM"] or null.',
        label=label,
    )
    if not isinstance(value, dict) or not set(value) <= {str(d) for d in range(7)}:
        return shape
    for day, slot in sorted(value.items()):
        if slot is None:
            continue
        if not (isinstance(slot, list) and len(slot) == 2):
            return shape
        for time in slot:
            if not (isinstance(time, str) and _TIME.match(time)):
                return _(
                    "{label}: {time!r} on weekday {day} is not a time of day (HH:MM, 00:00 to 23:59).",
                    label=label,
                    time=time,
                    day=day,
                )
        if slot[0] >= slot[1]:
            return _(
                "{label}: on weekday {day} opening {opens} must be before closing {closes}.",
                label=label,
                day=day,
                opens=slot[0],
                closes=slot[1],
            )
    if len(value) != 7:
        # A missing day would silently close the office on it.
        return _(
            "{label}: give all seven weekdays, 0 (Monday) to 6 (Sunday); null for a closed day.",
            label=label,
        )
    return None


def _status_url_ok(text: str) -> bool:
    """Tell whether ``text`` is an http(s) address a phone can open, ``/t/<code>`` appended."""
    if text != text.strip() or any(c.isspace() or ord(c) < 32 for c in text):
        return False
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme in ("http", "https")
        and bool(parts.hostname)
        and not parts.username
        and not parts.password
        and not parts.query
        and not parts.fragment
        and "?" not in text
        and "#" not in text
        and (port is None or 0 < port < 65536)
    )


def problem(key: str, value: Any) -> str | None:
    """Return the sentence that says why ``value`` cannot be setting ``key``, or None."""
    setting = SCHEMA.get(key)
    if setting is None:
        return _("There is no setting called {key}.", key=key)
    label = _(setting.label)
    kind = setting.kind
    if kind == "text":
        if not isinstance(value, str) or len(value) > setting.maximum:
            return _(
                "{label}: give a text of at most {maximum} characters.",
                label=label,
                maximum=setting.maximum,
            )
        if setting.minimum and not value.strip():
            return _("{label}: this cannot be empty.", label=label)
    elif kind == "url":
        if not isinstance(value, str) or len(value) > setting.maximum:
            return _(
                "{label}: give an address of at most {maximum} characters.",
                label=label,
                maximum=setting.maximum,
            )
        if value and not _status_url_ok(value):
            return _(
                "{label}: {value!r} is not a web address such as http://192.168.1.20:8080"
                " (http or https, a host, no ? or #).",
                label=label,
                value=value,
            )
    elif kind == "office_code":
        if not isinstance(value, str) or (value and not _OFFICE_CODE.match(value)):
            return _(
                "{label}: give BPS's four-digit area code, e.g. 1600 (the province) or 1671"
                " (Kota Palembang).",
                label=label,
            )
    elif kind == "central_url":
        if not isinstance(value, str) or len(value) > 500:
            return _("{label}: give a PostgreSQL address or leave it empty.", label=label)
        if value.strip():
            reason = central_url_problem(value)
            if reason is not None:
                return _(reason, url=value.split("@")[-1])
    elif kind == "boolean":
        if not isinstance(value, bool):
            return _("{label}: give true or false.", label=label)
    elif kind == "integer":
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not setting.minimum <= value <= setting.maximum
        ):
            return _(
                "{label}: give a whole number from {minimum} to {maximum}.",
                label=label,
                minimum=setting.minimum,
                maximum=setting.maximum,
            )
    elif kind == "fraction":
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not setting.minimum / 100 <= value <= setting.maximum / 100
        ):
            return _(
                "{label}: give a number from {minimum} to {maximum}.",
                label=label,
                minimum=f"{setting.minimum / 100:.2f}",
                maximum=f"{setting.maximum / 100:.2f}",
            )
    elif kind == "timezone":
        if not isinstance(value, str) or not _zone_exists(value):
            return _(
                "{value!r} is not a known time zone. Use a name such as Asia/Jakarta, Asia/Makassar or Asia/Jayapura.",
                value=value,
            )
    elif kind == "country":
        if not isinstance(value, str) or not _country_known(value):
            return _(
                "{value!r} is not a country of the holiday calendar; use a two-letter code such as ID.",
                value=value,
            )
    elif kind == "hours":
        return _hours_problem(value, label)
    elif kind in ("dates", "holidays"):
        if not isinstance(value, list) or len(value) > setting.maximum:
            return _("{label}: give a list of dates YYYY-MM-DD.", label=label)
        for item in value:
            day = item.get("date") if kind == "holidays" and isinstance(item, dict) else item
            name_ok = not isinstance(item, dict) or (
                set(item) <= {"date", "name"}
                and isinstance(item.get("name", ""), str)
                and len(item.get("name", "")) <= 120
            )
            if not _real_date(day) or not name_ok:
                return _(
                    "{label}: {value!r} is not a real date YYYY-MM-DD.",
                    label=label,
                    value=day if isinstance(day, str) else item,
                )
    elif kind == "names":
        if not _is_text_list(value, setting, 40) or not all(_NAME.match(v) for v in value):
            return _(
                "{label} must be a list of up to {maximum} short names in small letters, e.g. elderly.",
                label=label,
                maximum=setting.maximum,
            )
    elif kind == "channels":
        if (
            not isinstance(value, list)
            or len(value) > setting.maximum
            or not all(
                isinstance(c, dict)
                and set(c) <= {"kind", "label", "target"}
                and c.get("kind") in CHANNEL_KINDS
                and isinstance(c.get("label"), str)
                and c["label"].strip()
                and len(c["label"]) <= 120
                and isinstance(c.get("target", ""), str)
                and len(c.get("target", "")) <= 300
                for c in value
            )
        ):
            return _(
                "{label}: each channel has a kind (box, web, email, whatsapp or phone), a label and a target.",
                label=label,
            )
    elif kind == "lists" and not (
        isinstance(value, dict)
        and set(value) == set(GUEST_LISTS)
        and all(_is_text_list(v, setting) for v in value.values())
    ):
        return _(
            "{label}: give education, occupation, institution_category, purpose and sex, each a list of 1 to {maximum} different texts.",
            label=label,
            maximum=setting.maximum,
        )
    return None


def check(key: str, value: Any) -> None:
    """Raise :class:`ValidationError` with the sentence of :func:`problem`, if any."""
    sentence = problem(key, value)
    if sentence is not None:
        raise ValidationError(key, "{sentence}", sentence=sentence)


def parse_text(key: str, text: str) -> Any:
    """Turn what an administrator typed (or a file held) into the value of ``key``.

    Text settings take the text as it is (a JSON string literal is unquoted); every
    other kind must be JSON, and bad JSON is refused with a sentence, never stored as
    a string.
    """
    setting = SCHEMA.get(key)
    if setting is None:
        raise ValidationError(key, N_("There is no setting called {key}."), key=key)
    text = text.strip("\ufeff")
    if setting.kind in ("text", "timezone", "country", "url", "office_code", "central_url"):
        stripped = text.strip()
        if stripped.startswith('"'):
            try:
                value = json.loads(stripped)
            except json.JSONDecodeError:
                return text
            return value
        return stripped if setting.kind != "text" else text.rstrip("\r\n")
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError(
            key,
            N_(
                "The value for {key} is not valid JSON (line {line}, column {column}). Example: {example}"
            ),
            key=key,
            line=getattr(exc, "lineno", 1),
            column=getattr(exc, "colno", 1),
            example=_example(key),
        ) from None


def _example(key: str) -> str:
    if SCHEMA[key].kind == "hours":
        return '{"0": ["08:00", "15:30"], "5": null, "6": null}'
    text = json.dumps(DEFAULTS[key], ensure_ascii=False)
    return text if len(text) <= 100 else text[:100] + "…"


def describe() -> list[dict[str, Any]]:
    """One entry per setting for building a form: key, label, kind, range, hint, default."""
    return [
        {
            "key": s.key,
            "label": _(s.label),
            "kind": s.kind,
            "minimum": s.minimum,
            "maximum": s.maximum,
            "hint": _(s.hint) if s.hint else "",
            "default": DEFAULTS[s.key],
        }
        for s in SCHEMA.values()
    ]


@lru_cache(maxsize=256)
def _stored(key: str, text: str) -> Any:
    """Decode a stored value; one no longer acceptable reads as the default."""
    try:
        value = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        value = None
    if problem(key, value) is not None:
        log.warning("setting %s holds an unusable value %.80s; using the default", key, text)
        return DEFAULTS[key]
    return value


def get(conn: sqlite3.Connection, key: str) -> Any:
    """Return setting ``key`` (its default when never set)."""
    if key not in DEFAULTS:
        raise KeyError(key)
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return DEFAULTS[key] if row is None else _copy(_stored(key, row[0]))


def get_all(conn: sqlite3.Connection) -> dict[str, Any]:
    values = dict(DEFAULTS)
    for key, value in conn.execute("SELECT key, value FROM settings").fetchall():
        if key in DEFAULTS:
            values[key] = _stored(key, value)
    return {k: _copy(v) for k, v in values.items()}


def put(conn: sqlite3.Connection, key: str, value: Any) -> None:
    """Store ``key`` after checking it against :data:`SCHEMA` (inside a write)."""
    check(key, value)
    conn.execute(
        "INSERT INTO settings(key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, ensure_ascii=False)),
    )


def _copy(value: Any) -> Any:
    # Cached values are shared: callers get their own copy of lists and dicts.
    return json.loads(json.dumps(value)) if isinstance(value, (list, dict)) else value


#: How a central database's address (``central_url``) may begin.
URL_SCHEMES = ("postgresql://", "postgres://")
_PASSWORD_WORD = re.compile(r"(^|\s)password\s*=", re.IGNORECASE)
_KEY_VALUE = re.compile(r"^\s*[a-z_]+\s*=", re.IGNORECASE)


def central_url_problem(url: str) -> str | None:
    """Say why ``url`` cannot be the central database's address (a msgid), or None.

    Only its form is checked (no password in it); whether the server answers is
    :mod:`shared.central.connection`'s.
    """
    text = url.strip()
    if not text:
        return N_("Give the central database's address, e.g. postgresql://pst@server/antrian_pst.")
    if text.lower().startswith(URL_SCHEMES):
        try:
            parts = urlsplit(text)
            has_password = parts.password is not None or any(
                k.lower() == "password" for k, _v in parse_qsl(parts.query)
            )
        except ValueError:
            return N_("{url} is not a PostgreSQL address (postgresql://user@server/database).")
        if has_password:
            return N_(
                "Do not write the password into the address: put it in a password file"
                " (--password-file) or in PGPASSFILE."
            )
        return None
    if _KEY_VALUE.match(text):
        if _PASSWORD_WORD.search(text):
            return N_(
                "Do not write the password into the address: put it in a password file"
                " (--password-file) or in PGPASSFILE."
            )
        return None
    return N_("{url} is not a PostgreSQL address (postgresql://user@server/database).")
