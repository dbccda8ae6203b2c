"""Random operation sequences keep the queue's invariants (hypothesis state machine)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import settings as hsettings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from shared.clock import FakeClock
from shared.errors import DomainError
from shared.queue import rules as queue
from shared.queue.operations import Operations
from shared.storage.rows import fetch_all
from shared.storage.store import Store
from tests.conftest import WEDNESDAY_0900


class QueueMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="pst-sm-"))
        self.store = Store(self.folder / "q.db", retry_seconds=1)
        self.clock = FakeClock(WEDNESDAY_0900)
        self.ops = Operations(self.store, clock=self.clock, machine="sm", program="test")
        self.succeeded = 0

    @initialize()
    def setup(self) -> None:
        self.ops.initialise()
        self.counters = [
            self.ops.save_counter("Loket 1", services=["KS", "PS"])["id"],
            self.ops.save_counter("Loket 2", services=["KS", "PJ"])["id"],
        ]
        for c in self.counters:
            self.ops.set_counter_status(c, "open")
        self.baseline = self._count_events()

    def teardown(self) -> None:
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _count_events(self) -> int:
        return self.store.read(lambda c: c.execute("SELECT COUNT(*) FROM events").fetchone()[0])

    def _tickets(self) -> list[dict]:
        return self.store.read(lambda c: fetch_all(c, "SELECT * FROM tickets ORDER BY id"))

    def _attempt(self, fn) -> None:
        before = self._count_events()
        try:
            fn()
        except DomainError:
            assert self._count_events() == before, "a refused operation wrote an event"
            return
        self.succeeded += 1
        assert self._count_events() == before + 1, "an operation wrote other than one event"

    @rule(service=st.sampled_from(["KS", "PS", "PJ"]), priority=st.sampled_from([None, "elderly"]))
    def issue(self, service, priority) -> None:
        self._attempt(lambda: self.ops.issue_ticket(service, priority_group=priority))

    @rule(counter=st.integers(0, 1))
    def call_next(self, counter) -> None:
        self._attempt(lambda: self.ops.call_next(self.counters[counter]))

    @rule(
        action=st.sampled_from(
            ["recall", "start", "finish", "no_show", "requeue", "transfer", "call"]
        ),
        pick=st.integers(0, 50),
        counter=st.integers(0, 1),
    )
    def act(self, action, pick, counter) -> None:
        tickets = self._tickets()
        if not tickets:
            return
        ticket = tickets[pick % len(tickets)]
        run = {
            "recall": lambda: self.ops.recall(ticket["id"]),
            "start": lambda: self.ops.start_service(ticket["id"]),
            "finish": lambda: self.ops.finish(ticket["id"], notes="ok"),
            "no_show": lambda: self.ops.no_show(ticket["id"]),
            "requeue": lambda: self.ops.requeue(ticket["id"]),
            "transfer": lambda: self.ops.transfer(ticket["id"], "PJ"),
            "call": lambda: self.ops.call_ticket(
                ticket["id"], self.counters[counter], reason="uji"
            ),
        }[action]
        self._attempt(run)

    @rule(minutes=st.integers(0, 20))
    def time_passes(self, minutes) -> None:
        self.clock.advance(minutes=minutes)

    @invariant()
    def every_ticket_state_matches_its_last_event(self) -> None:
        rows = self.store.read(
            lambda c: c.execute(
                "SELECT t.id, t.status, (SELECT to_state FROM events e WHERE e.ticket_id = t.id"
                " AND e.to_state IS NOT NULL ORDER BY e.id DESC LIMIT 1),"
                " (SELECT COUNT(*) FROM events e WHERE e.data LIKE '%new_ticket_id\": '"
                " || t.id || '}%' OR e.data LIKE '%new_ticket_id\": ' || t.id || ',%')"
                " FROM tickets t"
            ).fetchall()
        )
        for ticket_id, status, last_state, created_by_transfer in rows:
            if last_state is None:
                # A ticket made by a transfer has no event of its own yet.
                assert status == "waiting" and created_by_transfer, ticket_id
            else:
                assert status == last_state, (ticket_id, status, last_state)

    @invariant()
    def numbers_are_unique_and_counters_hold_one_visitor(self) -> None:
        tickets = self._tickets()
        numbers = [(t["service_day"], t["number"]) for t in tickets]
        assert len(numbers) == len(set(numbers))
        active = [t["counter_id"] for t in tickets if t["status"] in queue.ACTIVE_STATES]
        assert len(active) == len(set(active))
        for t in tickets:
            assert t["status"] in queue.STATE_LABELS
            if t["status"] in queue.TERMINAL_STATES:
                assert t["ended_at"] is not None
            if t["first_called_at"] is not None:
                assert t["target_met"] in (0, 1)

    @invariant()
    def one_event_per_successful_operation(self) -> None:
        assert self._count_events() == self.baseline + self.succeeded


QueueMachine.TestCase.settings = hsettings(max_examples=40, stateful_step_count=30, deadline=None)
TestQueueMachine = QueueMachine.TestCase
