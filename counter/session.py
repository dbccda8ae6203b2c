"""Who works at this console: logging in and out, and the counter the officer holds.

:class:`ConsoleSession` owns the login page, the officer logged in and the counter they
hold. Logging in checks the PIN and takes the counter in the worker
(``Operations.login`` and ``take_counter``); an officer still holding another counter
(:class:`~shared.errors.CounterHeld`) is asked before anything moves. After each snapshot,
:meth:`ConsoleSession.ended_by` logs the officer out when the database says the session
is over: the service day was closed, the officer moved to a counter on another PC, or
another officer opened this counter. The window answers :attr:`logged_in` and
:attr:`logged_out` by switching pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from counter import actions
from counter.dialogs import ConfirmDialog
from counter.login import LoginView
from counter.notices import day_closed_sentence
from counter.snapshot import Snapshot
from counter.submissions import Submissions
from counter.widgets import DialogSlot
from shared.clock import format_local
from shared.errors import CounterHeld
from shared.i18n import N_, _
from shared.install.config import default_config_path, save_config
from shared.install.logs import log_file
from shared.qt.app import AppContext

log = logging.getLogger(__name__)

SUPERVISING_ROLES = ("supervisor", "admin")
# The operations whose outcome is the session's (see on_succeeded and on_failed).
SESSION_ACTIONS = ("login", "login_move", actions.LOG_OUT)


class ConsoleSession(QObject):
    """Log officers in and out of this console and keep who holds which counter."""

    logged_in = Signal()
    logged_out = Signal()

    def __init__(
        self,
        ctx: AppContext,
        submissions: Submissions,
        dialogs: DialogSlot,
        say: Callable[..., None],
        snapshot: Callable[[], Snapshot | None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ctx.ops
        self._submissions = submissions
        self._dialogs = dialogs
        self._say = say
        self._snapshot = snapshot
        self._parent = parent
        self.officer: dict[str, Any] | None = None
        self.counter_id: int | None = None
        self.logged_in_at = 0
        self.login_view = LoginView(_(N_("Pelayanan Statistik Terpadu")))
        self.login_view.set_details(str(ctx.store.path), str(log_file("pst-counter")))
        self.login_view.remember(ctx.config.counter.officer, ctx.config.counter.counter_id)
        self.login_view.login_requested.connect(self.request_login)

    @property
    def supervising(self) -> bool:
        """Whether a supervisor or an administrator is logged in."""
        return self.officer is not None and self.officer["role"] in SUPERVISING_ROLES

    @property
    def administering(self) -> bool:
        """Whether an administrator is logged in."""
        return self.officer is not None and self.officer["role"] == "admin"

    # -- logging in ------------------------------------------------------------------------

    def request_login(self, username: str, pin: str, counter_id: int) -> None:
        """Check the PIN and take the counter in the worker (``counter_id`` 0: none)."""
        snapshot = self._snapshot()
        officers = {o["username"]: o for o in (snapshot.officers if snapshot else [])}
        role = officers.get(username, {}).get("role", "officer")
        if not counter_id and role not in SUPERVISING_ROLES:
            self.login_view.set_message(_(N_("Choose the counter you work at.")))
            return
        self.login_view.set_waiting(True)
        ops = self.ops

        def login(op: str) -> dict:
            officer = ops.login(username, pin, counter_id=counter_id or None, picked=True)
            if counter_id:
                try:
                    ops.take_counter(counter_id, officer["id"], op_id=op)
                except CounterHeld as held:
                    # Still at another counter: the officer is asked before anything moves.
                    return {"officer": officer, "counter_id": counter_id, "held": held.params}
            return {"officer": officer, "counter_id": counter_id or None}

        self._submissions.submit("login", ("login", username), login)

    def waiting_for_login(self) -> bool:
        """Whether a login (or a move to this counter) is still being saved."""
        return self._submissions.is_pending("login", "login_move")

    def _ask_move(self, officer: dict, counter_id: int, held: dict) -> None:
        """Ask an officer still holding another counter whether to move here."""
        snapshot = self._snapshot()
        here = next(
            (c["name"] for c in (snapshot.counters if snapshot else []) if c["id"] == counter_id),
            str(counter_id),
        )
        question = CounterHeld(held["counter"], held.get("number")).message
        if held.get("number"):
            consequence = _(
                N_(
                    "Moving to {here} closes {there} and returns {number} to the queue; the"
                    " reason is recorded."
                ),
                here=here,
                there=held["counter"],
                number=held["number"],
            )
        else:
            consequence = _(
                N_("Moving to {here} closes {there}."), here=here, there=held["counter"]
            )
        dialog = ConfirmDialog(
            _(N_("Move to {counter}?"), counter=here),
            f"{question} {consequence}",
            _(N_("Move to {counter}"), counter=here),
            self._parent,
        )
        officer_id = officer["id"]

        def accepted() -> None:
            self._submissions.submit(
                "login_move",
                ("login_move", officer_id, counter_id),
                lambda op: {
                    "officer": officer,
                    "counter_id": counter_id,
                    "moved": self.ops.take_counter(counter_id, officer_id, move=True, op_id=op),
                },
            )

        def rejected() -> None:
            self.login_view.set_waiting(False)
            self.login_view.pin_edit.clear()
            self.login_view.set_message(
                _(N_("Not logged in here: you stay at {counter}."), counter=held["counter"]),
                error=False,
            )

        dialog.rejected.connect(rejected)
        self._dialogs.open(dialog, accepted)

    def _on_logged_in(self, result: dict, also_say: list[str] = ()) -> None:
        if result.get("held"):
            self._ask_move(result["officer"], result["counter_id"], result["held"])
            return
        self.officer = result["officer"]
        self.counter_id = result["counter_id"]
        self.logged_in_at = self.ops.clock.now_ms()
        self.login_view.set_waiting(False)
        self.login_view.pin_edit.clear()
        self.remember_choice(self.officer["username"], self.counter_id or 0)
        self._say(" ".join([_(N_("Welcome, {name}."), name=self.officer["full_name"]), *also_say]))
        self.logged_in.emit()

    def remember_choice(self, username: str, counter_id: int) -> None:
        """Keep the officer and counter in this PC's configuration for the next login."""
        config = self.ctx.config
        config.counter.officer = username
        if counter_id:
            config.counter.counter_id = counter_id
        path = self.ctx.config_path or default_config_path()
        try:
            save_config(config, path)
        except OSError:
            log.exception("could not remember the counter in %s", path)
        self.login_view.remember(username, config.counter.counter_id)

    # -- logging out -----------------------------------------------------------------------

    def log_out(self) -> None:
        """Close the counter (unless closed) and log the officer out, in the worker."""
        officer, counter_id = self.officer, self.counter_id
        if officer is None:
            return
        ops = self.ops
        snapshot = self._snapshot()
        counter = snapshot.counter if snapshot else None

        def log_out(_op: str) -> None:
            if counter_id is not None and counter is not None and counter["status"] != "closed":
                ops.set_counter_status(counter_id, "closed", officer["id"])
            ops.logout(officer["id"], counter_id)

        self._submissions.submit(actions.LOG_OUT, (actions.LOG_OUT, officer["id"]), log_out)

    def _end(self, message: str = "") -> None:
        """Forget the officer; the window shows the login page (with ``message``)."""
        self.officer = None
        self.counter_id = None
        self.logged_out.emit()
        if message:
            self.login_view.set_message(message, error=False)

    def ended_by(self, snapshot: Snapshot) -> bool:
        """Log the officer out if the snapshot says this session is over; say whether."""
        return (
            self._day_closed_under(snapshot)
            or self._moved_away(snapshot)
            or self._taken_over(snapshot)
        )

    def _day_closed_under(self, snapshot: Snapshot) -> bool:
        """Log out an officer whose service day was closed while they were logged in.

        Closing the day already closed the counter and cleared its officer in the
        database; an officer still serving a visitor stays until that visitor is done.
        """
        closed_at = snapshot.day_closed_at
        if self.officer is None or closed_at is None or closed_at <= self.logged_in_at:
            return False
        if snapshot.counter is not None and snapshot.counter["status"] != "closed":
            return False
        closed = snapshot.closed_summary
        if closed is not None:
            message = (
                day_closed_sentence(closed, snapshot)
                + " "
                + _(N_("The counter is closed and you were logged out. Log in again to go on."))
            )
        else:
            message = _(
                N_(
                    "The service day was closed at {time}: the counter is closed and you were"
                    " logged out. Log in again to go on."
                ),
                time=format_local(closed_at, snapshot.office["timezone"]),
            )
        self._end(message)
        return True

    def _moved_away(self, snapshot: Snapshot) -> bool:
        """Log out an officer who moved to another counter from another PC.

        The move closed this counter in the database; this console must not go on as if
        the officer were still here.
        """
        counter = snapshot.counter
        if self.officer is None or counter is None or not snapshot.elsewhere:
            return False
        if counter["status"] != "closed":
            return False
        self._end(
            _(
                N_(
                    "You logged in at {other} on another PC: {counter} is closed and this"
                    " console logged you out."
                ),
                other=snapshot.elsewhere,
                counter=counter["name"],
            )
        )
        return True

    def _taken_over(self, snapshot: Snapshot) -> bool:
        """Log out an officer whose closed counter another officer has opened elsewhere.

        One counter, one officer: the counter is theirs now (it could be taken only
        because it was closed); this console must not act on it.
        """
        counter = snapshot.counter
        if self.officer is None or counter is None or counter["status"] == "closed":
            return False
        if counter["officer_id"] in (None, self.officer["id"]):
            return False
        self._end(
            _(
                N_("{officer} opened {counter} on another PC: you were logged out here."),
                officer=counter.get("officer_name") or "",
                counter=counter["name"],
            )
        )
        return True

    # -- outcomes ----------------------------------------------------------------------------

    def on_succeeded(self, name: str, result: Any) -> None:
        """Go on after a login, a move here or a log-out was saved."""
        if name == "login":
            self._on_logged_in(result)
        elif name == "login_move":
            returned = [
                _(N_("{number} is back in the queue."), number=n)
                for n in result["moved"]["returned"]
            ]
            self._on_logged_in(result, returned)
        elif name == actions.LOG_OUT:
            self._end()

    def on_failed(self, name: str, message: str) -> None:
        """Say on the login page why logging in did not work (the PIN is typed again)."""
        if name in ("login", "login_move"):
            self.login_view.set_waiting(False)
            self.login_view.set_message(message)
            self.login_view.pin_edit.clear()
