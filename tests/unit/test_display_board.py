"""What the display's board lists as recent calls."""

from __future__ import annotations

from display.board import STILL_CALLING_MS, read_board


def test_a_recall_moves_the_number_up_instead_of_listing_it_twice(ops, store, office, clock):
    counter = office["counter1"]["id"]
    ops.set_counter_status(counter, "open")
    first = ops.issue_ticket("KS")
    second = ops.issue_ticket("KS")
    ops.call_next(counter)
    ops.no_show(first["id"])
    ops.call_next(counter)
    ops.recall(second["id"])
    ops.recall(second["id"])
    board = store.read(lambda c: read_board(c, clock.now_ms(), after_event_id=None))
    assert [c.number for c in board.recent_calls] == ["KS-001", "KS-002"]
    later = store.read(lambda c: read_board(c, clock.now_ms(), after_event_id=0))
    assert [c.number for c in later.new_calls] == ["KS-001", "KS-002", "KS-002", "KS-002"]


def _board(store, clock):
    return store.read(lambda c: read_board(c, clock.now_ms(), after_event_id=None))


def test_now_calling_ends_with_the_visit_and_at_once_when_the_counter_closes(
    ops, store, office, clock
):
    counter = office["counter1"]["id"]
    ops.set_counter_status(counter, "open")
    ticket = ops.issue_ticket("KS")
    ops.call_next(counter)
    [call] = _board(store, clock).recent_calls
    assert call.active and call.live(clock.now_ms())

    ops.start_service(ticket["id"])
    ops.finish(ticket["id"])
    [call] = _board(store, clock).recent_calls
    assert not call.active and call.ended_at == clock.now_ms()
    # Finished a moment ago at a counter still open: the room may still be reading it.
    assert call.live(clock.now_ms() + STILL_CALLING_MS - 1)
    assert not call.live(clock.now_ms() + STILL_CALLING_MS)

    ops.set_counter_status(counter, "closed")
    [call] = _board(store, clock).recent_calls
    assert not call.counter_open and not call.live(clock.now_ms())


def test_a_requeued_visitor_is_no_longer_being_called(ops, store, office, clock):
    counter = office["counter1"]["id"]
    ops.set_counter_status(counter, "open")
    ticket = ops.issue_ticket("KS")
    ops.call_next(counter)
    ops.requeue(ticket["id"])
    [call] = _board(store, clock).recent_calls
    assert not call.live(clock.now_ms())


def test_a_transfer_links_the_old_number_to_the_new_one(ops, store, office, clock):
    counter = office["counter2"]["id"]
    ops.set_counter_status(counter, "open")
    ticket = ops.issue_ticket("RS")
    ops.call_next(counter)
    ops.start_service(ticket["id"])
    new = ops.transfer(ticket["id"], "PS")
    [call] = _board(store, clock).recent_calls
    assert (call.number, call.transferred_to) == ("RS-001", new["number"])


def test_services_without_an_open_counter_are_closed(ops, store, office, clock):
    ops.set_counter_status(office["counter1"]["id"], "open")  # KS and PS
    ops.issue_ticket("PJ")
    queues = {q.code: q for q in _board(store, clock).queues}
    assert not queues["KS"].closed and not queues["PS"].closed
    assert queues["PJ"].closed and queues["PJ"].next_numbers == ("PJ-001",)
    ops.set_counter_status(office["counter2"]["id"], "paused", reason="Istirahat")
    queues = {q.code: q for q in _board(store, clock).queues}
    assert queues["RS"].closed  # a paused counter calls nobody


def test_closing_the_day_clears_now_calling_and_the_queue(ops, store, office, clock):
    counter = office["counter1"]["id"]
    ops.set_counter_status(counter, "open")
    called = ops.issue_ticket("KS")
    ops.issue_ticket("KS")
    ops.call_next(counter)
    clock.set(clock.now_ms() + 7 * 3_600_000)  # Wednesday 16:00: the day is due to close
    [summary] = ops.close_due_days()
    assert summary["unserved"] == ["KS-001", "KS-002"]
    board = _board(store, clock)
    [call] = board.recent_calls
    assert call.number == called["number"] and not call.live(clock.now_ms())
    assert all(q.waiting == 0 and not q.next_numbers and q.closed for q in board.queues)
    assert all(c.status == "closed" for c in board.counters)
