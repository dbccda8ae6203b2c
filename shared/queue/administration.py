"""Administration: services, counters, officers, office settings, personal-data purge.

Each is one operation of :class:`AdminOperations` (one transaction, one event row),
sharing the plumbing of :class:`~shared.queue.opsbase.OperationsBase` with the ticket
operations; :class:`~shared.queue.operations.Operations` has both.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from shared.errors import DomainError, NotFound, ValidationError
from shared.i18n import N_
from shared.office import servicehours, settings
from shared.queue import security
from shared.queue.opsbase import OperationsBase
from shared.queue.validation import clean_line
from shared.storage.rows import fetch_one


class AdminOperations(OperationsBase):
    """The office's administrative changes, each recorded as an event."""

    def _admin(self, kind: str, actor: int | None, data: dict, fn: Callable) -> Any:
        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            result = fn(conn, now)
            return result, {"officer_id": actor, "data": data}

        return self._run(kind, None, body)

    def save_service(
        self,
        code: str,
        *,
        name_id: str | None = None,
        name_en: str | None = None,
        target_minutes: int | None = None,
        active: bool | None = None,
        sort_order: int | None = None,
        hours: dict[str, Any] | None = None,
        actor: int | None = None,
        exists: bool | None = None,
    ) -> dict[str, Any]:
        """Add a service or change one (code = ticket prefix, 1–3 capital letters).

        ``exists`` True only changes an existing service, False only adds a new one
        (what ``service edit`` and ``service add`` mean); None does either. ``hours``
        gives the service its own weekly hours (as the office's ``hours`` setting); an
        empty dict makes it follow the office's hours again.
        """
        code = code.strip().upper()
        if not (code.isalpha() and code.isascii() and 1 <= len(code) <= 3):
            raise ValidationError("code", N_("A service code is one to three letters, e.g. KS."))
        if target_minutes is not None and not 1 <= target_minutes <= 240:
            raise ValidationError("target_minutes", N_("The target is 1 to 240 minutes."))
        if sort_order is not None and not 0 <= sort_order <= 999:
            raise ValidationError("sort_order", N_("The sort order is 0 to 999."))
        changes = {
            k: v
            for k, v in {
                "name_id": clean_line(name_id) if name_id is not None else None,
                "name_en": clean_line(name_en) if name_en is not None else None,
                "target_minutes": target_minutes,
                "active": None if active is None else int(active),
                "sort_order": sort_order,
            }.items()
            if v is not None
        }
        if hours is not None:
            changes["hours"] = json.dumps(servicehours.check_hours(hours)) if hours else None

        def fn(conn: sqlite3.Connection, now: int) -> dict[str, Any]:
            existing = fetch_one(conn, "SELECT * FROM services WHERE code = ?", (code,))
            if existing is None and exists:
                raise NotFound(
                    N_("There is no service with code {code}. Use “service add” to add it."),
                    code=code,
                )
            if existing is not None and exists is False:
                raise DomainError(
                    N_("Service {code} exists already. Use “service edit” to change it."),
                    code=code,
                )
            if existing is None:
                if not changes.get("name_id"):
                    raise ValidationError("name_id", N_("A new service needs a name."))
                row = {"name_en": changes["name_id"], **changes, "code": code}
                cols = ", ".join(row)
                conn.execute(
                    f"INSERT INTO services({cols}) VALUES ({', '.join('?' * len(row))})",
                    tuple(row.values()),
                )
            elif changes:
                sets = ", ".join(f"{k} = ?" for k in changes)
                conn.execute(
                    f"UPDATE services SET {sets} WHERE code = ?", (*changes.values(), code)
                )
            return fetch_one(conn, "SELECT * FROM services WHERE code = ?", (code,))

        return self._admin("admin_service", actor, {"code": code, **changes}, fn)

    def save_counter(
        self,
        name: str,
        *,
        counter_id: int | None = None,
        services: list[str] | None = None,
        active: bool | None = None,
        actor: int | None = None,
    ) -> dict[str, Any]:
        """Add a counter (``counter_id`` None) or rename / re-assign one."""
        name = clean_line(name, 60)
        if not name:
            raise ValidationError("name", N_("A counter needs a name, e.g. Loket 1."))

        def fn(conn: sqlite3.Connection, now: int) -> dict[str, Any]:
            if counter_id is None:
                if conn.execute("SELECT 1 FROM counters WHERE name = ?", (name,)).fetchone():
                    raise ValidationError("name", N_("A counter named {name} exists."), name=name)
                cid = conn.execute("INSERT INTO counters(name) VALUES (?)", (name,)).lastrowid
            else:
                cid = counter_id
                if not fetch_one(conn, "SELECT id FROM counters WHERE id = ?", (cid,)):
                    raise NotFound(N_("Counter {id} does not exist."), id=cid)
                conn.execute("UPDATE counters SET name = ? WHERE id = ?", (name, cid))
            if active is not None:
                conn.execute("UPDATE counters SET active = ? WHERE id = ?", (int(active), cid))
            if services is not None:
                for code in services:
                    self._service(conn, code)
                conn.execute("DELETE FROM counter_services WHERE counter_id = ?", (cid,))
                conn.executemany(
                    "INSERT INTO counter_services(counter_id, service_code) VALUES (?, ?)",
                    [(cid, code) for code in services],
                )
            counter = fetch_one(conn, "SELECT * FROM counters WHERE id = ?", (cid,))
            counter["services"] = self._counter_services(conn, cid)
            return counter

        return self._admin(
            "admin_counter", actor, {"name": name, "services": services, "id": counter_id}, fn
        )

    def save_officer(
        self,
        username: str,
        *,
        full_name: str | None = None,
        role: str | None = None,
        pin: str | None = None,
        active: bool | None = None,
        actor: int | None = None,
        exists: bool | None = None,
    ) -> dict[str, Any]:
        """Add an officer or change one; the PIN is stored only as a salted hash.

        ``exists`` True only changes an existing officer, False only adds a new one;
        None does either.
        """
        username = clean_line(username, 40).lower()
        if not username or not username.replace(".", "").replace("_", "").isalnum():
            raise ValidationError(
                "username", N_("A user name is letters, digits, dots or underscores.")
            )
        if role is not None and role not in ("officer", "supervisor", "admin"):
            raise ValidationError("role", N_("A role is officer, supervisor or admin."))
        pin_hash = security.hash_pin(pin) if pin is not None else None

        def fn(conn: sqlite3.Connection, now: int) -> dict[str, Any]:
            existing = fetch_one(conn, "SELECT * FROM officers WHERE username = ?", (username,))
            if existing is None and exists:
                raise NotFound(
                    N_("There is no officer {username}. Use “officer add” to add them."),
                    username=username,
                )
            if existing is not None and exists is False:
                raise DomainError(
                    N_(
                        "Officer {username} exists already. Use “officer edit” to change them"
                        " (a new PIN only with --pin-prompt or --pin-file)."
                    ),
                    username=username,
                )
            if existing is None:
                if not (full_name and pin_hash):
                    raise ValidationError("pin", N_("A new officer needs a full name and a PIN."))
                conn.execute(
                    "INSERT INTO officers(username, full_name, role, pin_hash) VALUES (?, ?, ?, ?)",
                    (username, clean_line(full_name), role or "officer", pin_hash),
                )
            else:
                changes = {
                    k: v
                    for k, v in {
                        "full_name": clean_line(full_name) if full_name else None,
                        "role": role,
                        "pin_hash": pin_hash,
                        "active": None if active is None else int(active),
                    }.items()
                    if v is not None
                }
                if pin_hash:
                    changes.update(failed_attempts=0, locked_until=None)
                if changes:
                    sets = ", ".join(f"{k} = ?" for k in changes)
                    conn.execute(
                        f"UPDATE officers SET {sets} WHERE id = ?",
                        (*changes.values(), existing["id"]),
                    )
            officer = fetch_one(
                conn,
                "SELECT id, username, full_name, role, active FROM officers WHERE username = ?",
                (username,),
            )
            return officer

        data = {"username": username, "role": role, "pin_changed": pin is not None}
        return self._admin("admin_officer", actor, data, fn)

    def save_setting(self, key: str, value: Any, *, actor: int | None = None) -> Any:
        def fn(conn: sqlite3.Connection, now: int) -> Any:
            settings.put(conn, key, value)
            return value

        return self._admin("admin_setting", actor, {"key": key, "value": value}, fn)

    def unlock_officer(self, username: str, *, actor: int | None = None) -> dict[str, Any]:
        """Clear an officer's wrong-PIN count and lock, so they can log in again now."""
        username = clean_line(username, 40).lower()

        def fn(conn: sqlite3.Connection, now: int) -> dict[str, Any]:
            officer = fetch_one(
                conn,
                "SELECT id, username, full_name, role, active, failed_attempts, locked_until"
                " FROM officers WHERE username = ?",
                (username,),
            )
            if officer is None:
                raise NotFound(N_("There is no officer {username}."), username=username)
            conn.execute(
                "UPDATE officers SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                (officer["id"],),
            )
            return {**officer, "failed_attempts": 0, "locked_until": None}

        return self._admin("admin_officer_unlock", actor, {"username": username}, fn)

    def purge_personal_data(
        self, older_than_days: int | None = None, *, actor: int | None = None
    ) -> dict:
        """Anonymise guest-book records older than the retention period (UU 27/2022).

        Names and contact details are erased; categories (sex, education, occupation,
        institution category, purpose) stay so the statistics remain correct. Never
        reaches inside :data:`~shared.office.settings.RETENTION_FLOOR_DAYS`, nor a visitor with
        a visit inside the period (someone waiting today among them).
        """
        days = _purge_days(older_than_days)

        def fn(conn: sqlite3.Connection, now: int) -> dict[str, int]:
            due = personal_data_due(conn, now, days)
            for visitor_id in due["visitor_ids"]:
                conn.execute(
                    "UPDATE visitors SET name = 'anonim', email = NULL, phone = NULL,"
                    " institution_name = '', birth_year = (birth_year / 10) * 10,"
                    " anonymised_at = ? WHERE id = ?",
                    (now, visitor_id),
                )
                conn.execute("UPDATE visits SET topic = '' WHERE visitor_id = ?", (visitor_id,))
            return {
                "anonymised": len(due["visitor_ids"]),
                "cutoff": due["cutoff"],
                "days": due["days"],
            }

        return self._admin("purge_pii", actor, {"older_than_days": older_than_days}, fn)


def _purge_days(older_than_days: int | None) -> int | None:
    if older_than_days is not None and not (
        settings.RETENTION_FLOOR_DAYS <= older_than_days <= 36_500
    ):
        raise ValidationError(
            "older_than_days",
            N_(
                "Guest-book records younger than {floor} days are never anonymised: give"
                " --older-than-days {floor} or more."
            ),
            floor=settings.RETENTION_FLOOR_DAYS,
        )
    return older_than_days


def personal_data_due(
    conn: sqlite3.Connection, now: int, older_than_days: int | None = None
) -> dict[str, Any]:
    """Which visitors a purge would anonymise now (read-only; for the preview too).

    ``older_than_days`` defaults to the office's ``retention_days``; the floor applies
    either way.
    """
    days = _purge_days(older_than_days)
    if days is None:
        days = max(settings.get(conn, "retention_days"), settings.RETENTION_FLOOR_DAYS)
    cutoff = now - int(days) * 86_400_000
    ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM visitors v WHERE anonymised_at IS NULL AND updated_at < ?"
            " AND NOT EXISTS (SELECT 1 FROM visits WHERE visitor_id = v.id AND created_at >= ?)",
            (cutoff, cutoff),
        ).fetchall()
    ]
    return {"visitor_ids": ids, "cutoff": cutoff, "days": int(days)}
