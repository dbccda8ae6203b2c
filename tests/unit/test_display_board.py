"""What the display's board lists as recent calls."""

from __future__ import annotations

from display.board import read_board


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
