"""The desk's operations: counters open, pause and close; officers log in and out; the day closes.

Part of :class:`~shared.queue.operations.Operations`. One officer holds one counter
(:meth:`DeskOperations.take_counter`); the day's close is :mod:`shared.queue.dayclose`.
"""

from __future__ import annotations

import math
import sqlite3
from typing import Any

from shared.clock import service_day
from shared.errors import AuthError, CounterHeld, DomainError, ValidationError
from shared.i18n import N_
from shared.queue import dayclose, security
from shared.queue.opsbase import OperationsBase
from shared.queue.validation import clean_line
from shared.storage.rows import fetch_all, fetch_one


class DeskOperations(OperationsBase):
    """Counters, officers' logins and the service day's close."""

    def set_counter_status(
        self,
        counter_id: int,
        status: str,
        officer_id: int | None = None,
        *,
        reason: str = "",
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """Open, pause (with a reason) or close a counter."""
        if status not in ("open", "paused", "closed"):
            raise ValidationError("status", N_("Unknown counter status {status}."), status=status)
        reason = clean_line(reason, 200)

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            counter = self._counter(conn, counter_id)
            self._officer(conn, officer_id)
            if status == "paused" and not reason:
                raise ValidationError("reason", N_("Say why the counter is paused."))
            if status in ("paused", "closed"):
                # The display would keep sending a called visitor to a counter that is
                # not there: the officer ends the call first, and that is its own event.
                busy = fetch_one(
                    conn,
                    "SELECT number, status FROM tickets WHERE counter_id = ?"
                    " AND status IN ('called', 'serving')",
                    (counter_id,),
                )
                if busy and status == "closed":
                    raise DomainError(
                        N_("Finish ticket {number} before closing the counter."),
                        number=busy["number"],
                    )
                if busy and busy["status"] == "called":
                    raise DomainError(
                        N_(
                            "Ticket {number} is being called here: start, mark not present or"
                            " return it to the queue before pausing the counter."
                        ),
                        number=busy["number"],
                    )
            conn.execute(
                "UPDATE counters SET status = ?, pause_reason = ?, officer_id = ?, machine = ?,"
                " status_at = ? WHERE id = ?",
                (
                    status,
                    reason if status == "paused" else None,
                    # A supervisor pausing or opening somebody's counter does not take it.
                    None if status == "closed" else (counter["officer_id"] or officer_id),
                    self.machine,
                    now,
                    counter_id,
                ),
            )
            updated = self._counter(conn, counter_id)
            return updated, {
                "officer_id": officer_id,
                "counter_id": counter_id,
                "from_state": counter["status"],
                "to_state": status,
                "data": {"reason": reason} if reason else {},
            }

        return self._run("counter_" + status, op_id, body)

    def take_counter(
        self,
        counter_id: int,
        officer_id: int,
        *,
        move: bool = False,
        op_id: str | None = None,
    ) -> dict[str, Any]:
        """Open a counter for the officer who logs in there: one officer, one counter.

        A closed counter opens; an open or paused one keeps its state with this officer.
        An officer who still holds another counter (a console elsewhere, or one that
        crashed) gets :class:`CounterHeld` and nothing changes; with ``move`` that
        counter is closed and a visitor being called there goes back to the queue (the
        ``requeue`` event says ``officer_moved``), all in this one transaction. A
        visitor being *served* there keeps the officer there: refused either way.
        Another officer's open or paused counter is refused (one counter, one officer).
        Returns the counter taken.
        """

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            counter = self._counter(conn, counter_id)
            self._officer(conn, officer_id)
            holder = counter["officer_id"]
            if counter["status"] != "closed" and holder is not None and holder != officer_id:
                # One counter, one officer: another officer's open counter is theirs until
                # they log out, or a supervisor closes it (their PC broke down).
                other = self._officer(conn, holder)
                raise DomainError(
                    N_(
                        "{counter} is in use by {officer}. Choose another counter, or ask"
                        " {officer} to log out there (a supervisor can close that counter)."
                    ),
                    counter=counter["name"],
                    officer=other["full_name"] if other else holder,
                )
            held = fetch_all(
                conn,
                "SELECT * FROM counters WHERE officer_id = ? AND status != 'closed' AND id != ?"
                " ORDER BY id",
                (officer_id, counter_id),
            )
            busy = {
                c["id"]: fetch_one(
                    conn,
                    "SELECT * FROM tickets WHERE counter_id = ? AND status IN ('called',"
                    " 'serving')",
                    (c["id"],),
                )
                for c in held
            }
            for other in held:
                visitor = busy[other["id"]]
                if visitor is not None and visitor["status"] == "serving":
                    raise DomainError(
                        N_(
                            "You are serving {number} at {counter}. Finish or transfer that"
                            " visitor there first, then log in here."
                        ),
                        number=visitor["number"],
                        counter=other["name"],
                    )
            if held and not move:
                visitor = busy[held[0]["id"]]
                raise CounterHeld(held[0]["name"], visitor["number"] if visitor else None)
            returned = []
            why = {"reason": "officer_moved", "moved_to": counter["name"]}
            for other in held:
                visitor = busy[other["id"]]
                if visitor is not None:
                    new_state = self._transition(visitor, "requeue")
                    self._end_call(conn, visitor["id"], now, "requeue")
                    self._update_ticket(
                        conn, visitor["id"], status=new_state, counter_id=None, ended_at=None
                    )
                    returned.append(visitor["number"])
                    moved = {"number": visitor["number"], **why}
                    event = self._ticket_event(visitor, new_state, officer_id, moved)
                    self._event(conn, None, now, "requeue", **event)
                conn.execute(
                    "UPDATE counters SET status = 'closed', pause_reason = NULL,"
                    " officer_id = NULL, machine = ?, status_at = ? WHERE id = ?",
                    (self.machine, now, other["id"]),
                )
                self._event(
                    conn,
                    None,
                    now,
                    "counter_closed",
                    officer_id=officer_id,
                    counter_id=other["id"],
                    from_state=other["status"],
                    to_state="closed",
                    data=why,
                )
            status = "open" if counter["status"] == "closed" else counter["status"]
            conn.execute(
                "UPDATE counters SET status = ?, officer_id = ?, machine = ?, status_at = ?"
                " WHERE id = ?",
                (status, officer_id, self.machine, now, counter_id),
            )
            taken = self._counter(conn, counter_id)
            data: dict[str, Any] = {}
            if held:
                data = {"moved_from": [c["name"] for c in held], "returned": returned}
            if taken["pause_reason"]:
                data["reason"] = taken["pause_reason"]
            return {**taken, "returned": returned}, {
                "officer_id": officer_id,
                "counter_id": counter_id,
                "from_state": counter["status"],
                "to_state": status,
                "data": data,
            }

        # "counter_open" whatever the state kept: the counter is now this officer's.
        return self._run("counter_open", op_id, body)

    # -- the service day ---------------------------------------------------------------

    def close_day(self, day: str | None = None, *, op_id: str | None = None) -> dict | None:
        """Close a service day (default: today) now; None when nothing was left open.

        See :mod:`shared.queue.dayclose`. Idempotent: a second run finds nothing and writes
        nothing, so every program may try it.
        """

        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any] | None]:
            office = self._settings(conn)
            closing = day or service_day(now, office["timezone"])
            if closing > service_day(now, office["timezone"]):
                raise DomainError(N_("Day {day} has not begun yet."), day=closing)
            summary = dayclose.close(conn, closing, now, office)
            if summary is None:
                return None, None
            return summary, {"data": {"day": closing}}

        return self._run("day_close", op_id, body)

    def close_due_days(self) -> list[dict]:
        """Close every day whose closing time (+ grace) has passed with something open.

        A cheap read decides; only a day that is due costs a write. Programs call this on
        their heartbeat timer, so the next morning starts clean even after a night with
        every PC switched off.
        """

        def due(conn: sqlite3.Connection) -> list[str]:
            return dayclose.due_days(conn, self.clock.now_ms(), self._settings(conn))

        closed = []
        for day in self.store.read(due):
            summary = self.close_day(day)
            if summary is not None:
                closed.append(summary)
        return closed

    # -- officers ------------------------------------------------------------------------

    def login(
        self,
        username: str,
        pin: str,
        *,
        counter_id: int | None = None,
        supervisors_only: bool = False,
        picked: bool = False,
    ) -> dict[str, Any]:
        """Check an officer's PIN; five failures lock the officer for five minutes.

        With ``supervisors_only`` (the kiosk settings) a counter officer's right PIN is
        refused and recorded as ``login_refused``, not ``login``. ``picked`` says the
        officer was chosen from a list, so a wrong PIN may say so and count the tries
        left; a typed name gets the vaguer answer that does not confirm it exists.
        Returns the officer (without the hash). Raises :class:`AuthError`. Failed tries,
        refusals and lockouts are recorded as events, so this is a write.
        """

        def tx(conn: sqlite3.Connection) -> dict[str, Any] | AuthError:
            now = self.clock.now_ms()
            officer = fetch_one(
                conn, "SELECT * FROM officers WHERE username = ? AND active = 1", (username,)
            )
            if officer is None:
                return AuthError(N_("Unknown officer or wrong PIN."))
            if officer["locked_until"] and officer["locked_until"] > now:
                minutes = math.ceil((officer["locked_until"] - now) / 60_000)
                return AuthError(
                    N_("Too many wrong PINs. Try again in {minutes} minutes."), minutes=minutes
                )
            if not security.verify_pin(pin, officer["pin_hash"]):
                failed = officer["failed_attempts"] + 1
                locked = (
                    now + security.LOCKOUT_MS if failed >= security.MAX_FAILED_ATTEMPTS else None
                )
                conn.execute(
                    "UPDATE officers SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                    (0 if locked else failed, locked, officer["id"]),
                )
                kind = "officer_locked" if locked else "login_failed"
                self._event(
                    conn,
                    None,
                    now,
                    kind,
                    officer_id=officer["id"],
                    counter_id=counter_id,
                    data={"attempt": failed},
                )
                if locked:
                    return AuthError(
                        N_("Too many wrong PINs. Try again in {minutes} minutes."),
                        minutes=security.LOCKOUT_MS // 60_000,
                    )
                if picked:
                    return AuthError(
                        N_("Wrong PIN. Tries left before a {minutes}-minute lock: {left}."),
                        left=security.MAX_FAILED_ATTEMPTS - failed,
                        minutes=security.LOCKOUT_MS // 60_000,
                    )
                return AuthError(N_("Unknown officer or wrong PIN."))
            conn.execute(
                "UPDATE officers SET failed_attempts = 0, locked_until = NULL WHERE id = ?",
                (officer["id"],),
            )
            if supervisors_only and officer["role"] not in ("supervisor", "admin"):
                self._event(
                    conn,
                    None,
                    now,
                    "login_refused",
                    officer_id=officer["id"],
                    counter_id=counter_id,
                    data={"role": officer["role"]},
                )
                return AuthError(N_("Only a supervisor or an administrator may log in here."))
            self._event(conn, None, now, "login", officer_id=officer["id"], counter_id=counter_id)
            officer.pop("pin_hash")
            return officer

        outcome = self.store.write(tx)
        if isinstance(outcome, AuthError):
            raise outcome  # raised after COMMIT so the failed try is recorded
        return outcome

    def logout(self, officer_id: int, counter_id: int | None = None) -> None:
        def body(conn: sqlite3.Connection, now: int) -> tuple[Any, dict[str, Any]]:
            return None, {"officer_id": officer_id, "counter_id": counter_id}

        self._run("logout", None, body)
