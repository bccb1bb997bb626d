"""The call policy on small hand-made queues: deadlines, fairness bound, tickets only this cabinet serves."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from kezek.queue.policy import CallContext, deadline, fifo

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)


def ticket(id, kind, limit, waited):
    since = NOW - timedelta(minutes=waited)
    return SimpleNamespace(id=id, visit_kind_id=kind, wait_limit_minutes=limit, queue_since=since,
                           deadline=since + timedelta(minutes=limit))


def test_fifo_calls_in_the_order_tickets_were_taken():
    queue = [ticket(1, 1, 30, 12), ticket(2, 3, 10, 5)]
    assert fifo(CallContext(1, queue, NOW, {1: 1, 3: 1})).id == 1


def test_deadline_calls_the_10_minute_visitor_before_a_30_minute_one_with_time_to_spare():
    queue = [ticket(1, 1, 30, 12), ticket(2, 3, 10, 5)]
    assert deadline(CallContext(1, queue, NOW, {1: 1, 3: 1})).id == 2


def test_nobody_is_passed_over_beyond_the_fairness_bound():
    # Ticket 1 waited 46 minutes on a 30-minute limit (bound: 45): it goes first whatever else is due.
    queue = [ticket(1, 1, 30, 46), ticket(2, 3, 10, 9)]
    assert deadline(CallContext(1, queue, NOW, {1: 1, 3: 1})).id == 1


def test_a_visitor_past_the_limit_is_still_called_before_fresh_ones():
    queue = [ticket(1, 3, 10, 14), ticket(2, 3, 10, 1)]
    assert deadline(CallContext(1, queue, NOW, {3: 1})).id == 1


def test_a_ticket_only_this_cabinet_can_serve_goes_first_when_deadlines_are_close():
    shared, only_here = ticket(1, 1, 10, 6), ticket(2, 2, 10, 3)  # due in 4 and 7 minutes
    assert deadline(CallContext(1, [shared, only_here], NOW, {1: 2})).id == 2
    assert deadline(CallContext(1, [shared, only_here], NOW, {1: 2, 2: 1})).id == 1


def test_an_empty_queue_calls_nobody():
    assert deadline(CallContext(1, [], NOW, {})) is None and fifo(CallContext(1, [], NOW, {})) is None
