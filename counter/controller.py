"""What each key and button of the console does: the counter's actions and their outcomes.

:class:`ActionController` turns a key or a button (call next, call again, start, finish,
not present, return to queue, put back, transfer, call out of turn, pause, close,
log out; a supervisor's counter status and service switch; an administrator's setting)
into one operation of the core, submitted through :class:`~counter.submissions.
Submissions` with its op_id. Questions (a reason, a confirmation, the service to
transfer to) are non-blocking dialogs. It decides which actions are possible right now
(:func:`counter.actions.availability`), says the outcome of each in the status line and
keeps the visitor's notes as a draft on this PC until the finish or transfer is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton, QWidget

from counter import actions, texts
from counter.actions import Availability
from counter.dialogs import ConfirmDialog, ReasonDialog, TransferDialog, TransferDoneDialog
from counter.login import LoginView
from counter.officer import OfficerView
from counter.session import ConsoleSession
from counter.settings.page import SettingsView
from counter.snapshot import Snapshot
from counter.submissions import Submissions
from counter.supervisor import SupervisorView
from counter.widgets import DialogSlot
from counter.worker import DatabaseWorker
from shared import i18n
from shared.clock import format_local
from shared.devices import printing
from shared.errors import ConfigError, DomainError
from shared.i18n import N_, _
from shared.qt.app import AppContext
from shared.queue.operations import new_op_id


class ActionController(QObject):
    """Do what the officer asks with a key or a button, once, and say how it went."""

    def __init__(
        self,
        ctx: AppContext,
        *,
        worker: DatabaseWorker,
        submissions: Submissions,
        session: ConsoleSession,
        snapshot: Callable[[], Snapshot | None],
        officer_view: OfficerView,
        supervisor_view: SupervisorView,
        settings_view: SettingsView,
        login_view: LoginView,
        logout_button: QPushButton,
        dialogs: DialogSlot,
        say: Callable[..., None],
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.ops = ctx.ops
        self.clock = ctx.ops.clock
        self.drafts = submissions.drafts
        self.worker = worker
        self.online = True
        # Filled in place, so that whoever holds it sees the latest state.
        self.available: dict[str, Availability] = {}
        self._submissions = submissions
        self._session = session
        self._snapshot = snapshot
        self._officer_view = officer_view
        self._supervisor_view = supervisor_view
        self._settings_view = settings_view
        self._login_view = login_view
        self._logout_button = logout_button
        self._dialogs = dialogs
        self._say = say
        self._parent = parent
        self._transferred_number = ""
        officer_view.action_requested.connect(self.request)
        officer_view.card.notes_edited.connect(self._on_notes_edited)
        officer_view.queue.selection_changed.connect(self.update)
        supervisor_view.counter_status_requested.connect(self._on_counter_status_requested)
        supervisor_view.service_active_requested.connect(self._on_service_active_requested)
        settings_view.change_requested.connect(self._on_settings_change_requested)
        settings_view.change_refused.connect(lambda text: self._say(text, error=True))
        logout_button.clicked.connect(lambda: self.request(actions.LOG_OUT))

    def _submit(self, *args, **kwargs) -> None:
        self._submissions.submit(*args, **kwargs)

    def _tz(self) -> str:
        snapshot = self._snapshot()
        return snapshot.office["timezone"] if snapshot else "Asia/Jakarta"

    # -- what is possible ------------------------------------------------------------------

    def update(self) -> None:
        """Enable the buttons of what is possible now; a disabled one's tooltip says why."""
        queue = self._officer_view.queue
        available = actions.availability(
            self._snapshot() if self._session.officer else None,
            online=self.online,
            busy=self.worker.busy,
            selected_waiting=(queue.selected_waiting() or {}).get("id"),
            selected_returnable=(queue.selected_returnable() or {}).get("id"),
        )
        self.available.clear()
        self.available.update(available)
        self._officer_view.apply(available)
        self._logout_button.setEnabled(available[actions.LOG_OUT].enabled)
        self._logout_button.setToolTip(available[actions.LOG_OUT].reason)
        self._supervisor_view.set_online(self.online and not self.worker.busy)
        self._login_view.login_button.setEnabled(self.online and not self.worker.busy)

    def set_online(self, online: bool) -> None:
        """Whether the database can be reached: nothing is possible while it cannot."""
        self.online = online
        self.update()

    # -- the counter's actions -------------------------------------------------------------

    def request(self, name: str) -> None:
        """Do the action ``name`` (counter.actions) if it is possible, else say why not."""
        available = self.available.get(name)
        if available is None or not available.enabled:
            if available is not None and available.reason:
                self._say(available.reason, error=True)
            return
        snapshot = self._snapshot()
        officer = self._session.officer
        officer_id = officer["id"] if officer else None
        counter_id = self._session.counter_id
        ticket = snapshot.current if snapshot else None
        tid = ticket["id"] if ticket else None
        ops = self.ops
        if name == actions.CALL_NEXT:
            self._submit(
                name,
                (name, counter_id, snapshot.queue[0].ticket["id"]),
                lambda op: ops.call_next(counter_id, officer_id, op_id=op),
            )
        elif name == actions.RECALL:
            n = ticket["recall_count"]
            self._submit(name, (name, tid, n), lambda op: ops.recall(tid, officer_id, op_id=op))
        elif name == actions.START:
            self._submit(name, (name, tid), lambda op: ops.start_service(tid, officer_id, op_id=op))
        elif name == actions.FINISH:
            notes = self._officer_view.card.notes.toPlainText()
            self.save_draft(notes)
            self._submit(
                name,
                (name, tid),
                lambda op: ops.finish(tid, officer_id, notes=notes, op_id=op),
                draft_code=ticket["code"],
            )
        elif name == actions.NO_SHOW:
            self._ask_no_show(ticket, officer_id)
        elif name == actions.REQUEUE:
            self._submit(name, (name, tid), lambda op: ops.requeue(tid, officer_id, op_id=op))
        elif name == actions.PUT_BACK:
            back = self._officer_view.queue.selected_returnable()
            bid = back["id"]
            self._submit(name, (name, bid), lambda op: ops.requeue(bid, officer_id, op_id=op))
        elif name == actions.TRANSFER:
            self._ask_transfer(ticket, officer_id)
        elif name == actions.CALL_SELECTED:
            chosen = self._officer_view.queue.selected_waiting()
            self._ask_call_selected(chosen, counter_id, officer_id)
        elif name == actions.PAUSE:
            if snapshot.counter["status"] == "paused":
                self._submit(
                    name,
                    (name, counter_id, "open"),
                    lambda op: ops.set_counter_status(counter_id, "open", officer_id, op_id=op),
                )
            else:
                self._ask_pause(counter_id, officer_id)
        elif name == actions.CLOSE:
            status = "open" if snapshot.counter["status"] == "closed" else "closed"
            if status == "open":
                # Opening again obeys one officer, one counter, like logging in.
                call = lambda op: ops.take_counter(counter_id, officer_id, op_id=op)  # noqa: E731
            else:
                call = lambda op: ops.set_counter_status(  # noqa: E731
                    counter_id, status, officer_id, op_id=op
                )
            self._submit(name, (name, counter_id, status), call)
        elif name == actions.LOG_OUT:
            self._session.log_out()

    def _ask_transfer(self, ticket: dict, officer_id: int | None) -> None:
        choices = [
            (s["code"], texts.service_name(s))
            for s in self._snapshot().services
            if s["active"] and s["code"] != ticket["service_code"]
        ]
        dialog = TransferDialog(choices, self._officer_view.card.notes.toPlainText(), self._parent)
        tid = ticket["id"]

        def accepted() -> None:
            code, notes = dialog.service_code, dialog.notes
            self._transferred_number = ticket["number"]
            self.save_draft(notes)
            self._submit(
                actions.TRANSFER,
                (actions.TRANSFER, tid, code),
                lambda op: self.ops.transfer(tid, code, officer_id, notes=notes, op_id=op),
                draft_code=ticket["code"],
            )

        self._dialogs.open(dialog, accepted)

    def _show_transfer_done(self, new_ticket: dict) -> None:
        """Show the new number large; offer to print it at this desk's printer."""
        old_number = self._transferred_number
        service = next(
            (s for s in self._snapshot().services if s["code"] == new_ticket.get("service_code")),
            None,
        )
        service_name = texts.service_name(service) if service else ""
        counter_config = self.ctx.config.counter
        dialog = TransferDoneDialog(
            old_number,
            new_ticket["number"],
            service_name,
            can_print=counter_config.printer.strip().lower() not in ("", "none"),
            parent=self._parent,
        )
        ticket_id, store, clock = new_ticket["id"], self.ctx.store, self.ops.clock
        language = i18n.language()

        def print_slip(_op: str) -> dict:
            try:
                printing.print_ticket_by_id(
                    store,
                    ticket_id,
                    counter_config.printer,
                    counter_config.printer_profile,
                    lang=language,
                    clock=clock,
                )
            except (printing.PrinterProblem, ConfigError) as exc:
                # Not a bug and not the database: a sentence for the officer.
                raise DomainError(exc.msgid, **exc.params) from exc
            return {"number": new_ticket["number"]}

        dialog.print_requested.connect(
            lambda: self._submit("reprint", ("reprint", ticket_id, new_op_id()), print_slip)
        )
        self._dialogs.open(dialog)

    def _ask_call_selected(self, chosen: dict, counter_id: int, officer_id: int | None) -> None:
        dialog = ReasonDialog(
            _(N_("Call {number} out of turn"), number=chosen["number"]),
            _(
                N_(
                    "Visitors ahead of {number} will wait longer. Why is this visitor called"
                    " now? The reason is recorded."
                ),
                number=chosen["number"],
            ),
            self._parent,
        )
        tid = chosen["id"]

        def accepted() -> None:
            reason = dialog.reason
            self._submit(
                actions.CALL_SELECTED,
                (actions.CALL_SELECTED, tid),
                lambda op: self.ops.call_ticket(
                    tid, counter_id, officer_id, reason=reason, op_id=op
                ),
            )

        self._dialogs.open(dialog, accepted)

    def _ask_no_show(self, ticket: dict, officer_id: int | None) -> None:
        tid, number = ticket["id"], ticket["number"]
        snapshot = self._snapshot()
        grace = int(snapshot.office["no_show_grace_minutes"]) if snapshot else 0
        dialog = ConfirmDialog(
            _(N_("Mark {number} as not present"), number=number),
            _(
                N_(
                    "{number} leaves the queue and the next visitor can be called. If the"
                    " visitor comes within {minutes} minutes, put them back from the list"
                    " under the queue."
                ),
                number=number,
                minutes=grace,
            ),
            _(N_("Mark as not present")),
            self._parent,
        )

        def accepted() -> None:
            self._submit(
                actions.NO_SHOW,
                (actions.NO_SHOW, tid),
                lambda op: self.ops.no_show(tid, officer_id, op_id=op),
            )

        self._dialogs.open(dialog, accepted)

    def _ask_pause(self, counter_id: int, officer_id: int | None) -> None:
        dialog = ReasonDialog(
            _(N_("Pause the counter")),
            _(N_("Why is the counter paused? (for example: prayer, meeting, break)")),
            self._parent,
        )

        def accepted() -> None:
            reason = dialog.reason
            self._submit(
                actions.PAUSE,
                (actions.PAUSE, counter_id, "paused", reason),
                lambda op: self.ops.set_counter_status(
                    counter_id, "paused", officer_id, reason=reason, op_id=op
                ),
            )

        self._dialogs.open(dialog, accepted)

    # -- a supervisor's and an administrator's changes ---------------------------------------

    def _officer_id(self) -> int | None:
        officer = self._session.officer
        return officer["id"] if officer else None

    def _on_counter_status_requested(self, counter_id: int, status: str) -> None:
        officer_id = self._officer_id()
        if status == "paused":
            self._ask_pause(counter_id, officer_id)
            return
        self._submit(
            "counter_status",
            ("counter_status", counter_id, status),
            lambda op: self.ops.set_counter_status(counter_id, status, officer_id, op_id=op),
        )

    def _on_service_active_requested(self, code: str, active: bool) -> None:
        officer_id = self._officer_id()
        self._submit(
            "service_active",
            ("service_active", code, active),
            lambda op: self.ops.save_service(code, active=active, actor=officer_id),
        )

    def _on_settings_change_requested(self, name: str, change) -> None:
        if not self._session.administering:
            return
        actor = self._session.officer["id"]
        action = f"settings:{name}"
        self._say(_(N_("Saving…")))
        self._submit(action, (action, id(change)), lambda _op: change(self.ops, actor))

    # -- outcomes ----------------------------------------------------------------------------

    def on_succeeded(self, name: str, result: Any) -> None:
        """Say what the saved action did (a transfer also shows the new number)."""
        if name.startswith("settings:"):
            when = format_local(self.clock.now_ms(), self._tz(), "%H:%M:%S")
            self._say(self._settings_view.show_saved(name.removeprefix("settings:"), when))
        elif name == actions.TRANSFER:
            self._say(
                _(N_("Transferred: the visitor now has number {number}."), number=result["number"])
            )
            self._show_transfer_done(result)
        elif name == "reprint":
            if isinstance(self._dialogs.dialog, TransferDoneDialog):
                self._dialogs.dialog.show_outcome(
                    _(N_("{number} printed."), number=result["number"]), error=False
                )
            self._say(_(N_("{number} printed."), number=result["number"]))
        elif name == actions.FINISH:
            self._say(_(N_("{number} finished."), number=result["number"]))
        elif name in (actions.CALL_NEXT, actions.CALL_SELECTED):
            self._say(_(N_("{number} is called."), number=result["number"]))
        elif name == actions.RECALL:
            self._say(_(N_("{number} is called again."), number=result["number"]))
        elif isinstance(result, dict) and "number" in result and "status" in result:
            state = texts.ticket_state(result["status"])
            self._say(_(N_("{number}: {state}."), number=result["number"], state=state))
        else:
            self._say(_(N_("Saved.")))

    def on_failed(self, name: str, message: str) -> None:
        """Show a failed setting or reprint where it was asked (the status line says why)."""
        if name.startswith("settings:"):
            self._settings_view.show_error(name.removeprefix("settings:"), message)
        if name == "reprint" and isinstance(self._dialogs.dialog, TransferDoneDialog):
            self._dialogs.dialog.show_outcome(message, error=True)

    # -- notes -------------------------------------------------------------------------------

    def _on_notes_edited(self, text: str) -> None:
        card = self._officer_view.card
        if self.save_draft(text):
            now = self.clock.now_ms()
            card.draft_state.setText(
                _(
                    N_("Draft kept on this PC · {time}"),
                    time=format_local(now, self._tz(), "%H:%M:%S"),
                )
            )
        else:
            card.draft_state.setText(_(N_("The draft could not be saved on this PC!")))

    def save_draft(self, text: str) -> bool:
        """Keep the notes of the visitor on the card as a draft on this PC; say if it worked."""
        ticket = self._officer_view.card.ticket
        if ticket is None:
            return True
        return self.drafts.save(ticket["code"], ticket["number"], text)
