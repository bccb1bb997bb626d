"""The call policy on small hand-made queues: deadlines, fairness bound, cabinet-only tickets, pauses, transfers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from sqlalchemy import select

from kezek.models import Cabinet
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from kezek.queue.policy import (
    BEFORE_BREAK, EARLIEST_TICKET, LIMIT_SOON, OFFICE_RULE, PACE_CAP, WAITED_LONGEST, CallContext, balanced, deadline,
    decide, fifo, policy_named,
)
from kezek.seeding import create_user
from tests.conftest import kind_by_prefix, office_by_slug

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)
VISITS = {1: 12.0, 2: 4.0, 3: 6.0}  # A (30 min), B and C (10 min): minutes a call keeps a cabinet busy


def ticket(id, kind, limit, waited):
    since = NOW - timedelta(minutes=waited)
    return SimpleNamespace(id=id, visit_kind_id=kind, wait_limit_minutes=limit, queue_since=since,
                           deadline=since + timedelta(minutes=limit))


def test_fifo_calls_in_the_order_tickets_were_taken():
    queue = [ticket(1, 1, 30, 12), ticket(2, 3, 10, 5)]
    assert fifo(CallContext(1, queue, NOW, {1: 1, 3: 1})).id == 1


def decided(queue, others=None, stop_in=None, policy=deadline):
    stop = None if stop_in is None else NOW + timedelta(minutes=stop_in)
    context = CallContext(1, queue, NOW, others if others is not None else {1: 1, 2: 1, 3: 1}, VISITS, stop)
    chosen, reason = decide(policy, context)
    return chosen.id, reason


def test_the_visitor_whose_limit_runs_out_first_goes_first_and_the_call_says_why():
    # A (30 min) waited 10: due in 20; C (10 min) waited 5: due in 5.
    assert decided([ticket(1, 1, 30, 10), ticket(2, 3, 10, 5)]) == (2, LIMIT_SOON)


def test_when_the_first_ticket_is_also_due_first_it_is_called_in_ticket_order():
    assert decided([ticket(1, 3, 10, 2), ticket(2, 2, 10, 1)]) == (1, EARLIEST_TICKET)


def test_a_visitor_who_can_no_longer_make_their_limit_waits_for_one_who_still_can():
    # C waited 14 on a 10-minute limit (lost for the limit, not yet past limit + 15); B can still make it.
    assert decided([ticket(1, 3, 10, 14), ticket(2, 2, 10, 1)]) == (2, LIMIT_SOON)


def test_when_nobody_can_make_their_limit_any_more_the_first_ticket_is_called():
    assert decided([ticket(1, 3, 10, 14), ticket(2, 2, 10, 12)]) == (1, EARLIEST_TICKET)


def test_past_their_limit_plus_15_minutes_the_longest_wait_goes_first_whoever_else_waits():
    # Ticket 1 waited 46 minutes on a 30-minute limit (bound: 45).
    queue = [ticket(1, 1, 30, 46), ticket(2, 3, 10, 9), ticket(3, 2, 10, 9.5)]
    assert decided(queue) == (1, WAITED_LONGEST)


def test_a_visit_only_this_cabinet_serves_is_due_five_minutes_sooner():
    shared, only_here = ticket(2, 2, 10, 6), ticket(3, 3, 10, 3)  # due in 4 and 7 minutes
    oldest = ticket(1, 1, 30, 7)
    assert decided([oldest, shared, only_here], {1: 1, 2: 1}) == (3, LIMIT_SOON)
    assert decided([oldest, shared, only_here], {1: 1, 2: 1, 3: 1}) == (2, LIMIT_SOON)


def test_no_reordering_pushes_an_earlier_visitor_through_lunch():
    # C is due first, but lunch starts in 15 minutes: the C visit (6) and the A visit passed (12, no other
    # cabinet takes A) would not both fit before it, so A, who came first, is called.
    queue = [ticket(1, 1, 30, 10), ticket(2, 3, 10, 5)]
    assert decided(queue, {1: 0, 3: 1}, stop_in=15) == (1, BEFORE_BREAK)
    # With 20 minutes left both fit: C goes first, A is still called before lunch.
    assert decided(queue, {1: 0, 3: 1}, stop_in=20) == (2, LIMIT_SOON)
    # A second cabinet taking A shares the A visit: 6 + 12 / 2 = 12 minutes fit in 15.
    assert decided(queue, {1: 1, 3: 1}, stop_in=15) == (2, LIMIT_SOON)


def test_fifo_says_it_called_the_earliest_ticket():
    chosen, reason = decide(fifo, CallContext(1, [ticket(1, 1, 30, 10), ticket(2, 3, 10, 5)], NOW, {}))
    assert (chosen.id, reason) == (1, EARLIEST_TICKET)


def test_an_office_s_own_policy_is_named_as_such():
    chosen, reason = decide(lambda context: context.candidates[-1], CallContext(1, [ticket(1, 1, 30, 1)], NOW, {}))
    assert (chosen.id, reason) == (1, OFFICE_RULE)


def test_an_empty_queue_calls_nobody():
    assert deadline(CallContext(1, [], NOW, {})) is None and fifo(CallContext(1, [], NOW, {})) is None


def _demo(db):
    office = office_by_slug(db, "demo")  # 101 serves A B, 102 serves A C, 103 serves B C D
    cabinets = {c.number: c for c in db.scalars(select(Cabinet).where(Cabinet.office_id == office.id))}
    user = create_user(db, "clerk", "pw", "clerk", office)
    return office, cabinets, user


def test_a_paused_cabinet_leaves_its_visit_kinds_to_the_calling_cabinet(db, clock):
    office, cabinets, user = _demo(db)
    for number in ("101", "102"):
        clerk.set_cabinet_state(db, cabinets[number], user, "open")
    clerk.set_cabinet_state(db, cabinets["103"], user, "paused")
    start = clock()
    older_b = issue_ticket(db, office, kind_by_prefix(db, "B"), start).ticket
    # 101 serves A and B; 102 also serves A, and 103 (the other B cabinet) is paused.
    a_ticket = issue_ticket(db, office, kind_by_prefix(db, "A"), start - timedelta(minutes=1)).ticket
    db.commit()
    called = clerk.call_next(db, cabinets["101"], user, start + timedelta(minutes=7)).ticket
    assert called.id == older_b.id  # B would miss its limit behind A's visit, and nobody else takes B now
    assert a_ticket.status == "waiting"


def test_a_transferred_visitor_keeps_their_place_by_the_time_they_took_the_ticket(db, clock):
    office, cabinets, user = _demo(db)
    for number in ("101", "102", "103"):
        clerk.set_cabinet_state(db, cabinets[number], user, "open")
    early = issue_ticket(db, office, kind_by_prefix(db, "B"), clock()).ticket
    later = issue_ticket(db, office, kind_by_prefix(db, "C"), clock() + timedelta(minutes=3)).ticket
    db.commit()
    clerk.call_next(db, cabinets["101"], user, clock() + timedelta(minutes=4))  # the B visitor, at 101
    clerk.transfer(db, cabinets["101"], user, early.id, clock() + timedelta(minutes=5),
                   visit_kind_id=kind_by_prefix(db, "C").id)
    db.commit()
    nxt = clerk.call_next(db, cabinets["102"], user, clock() + timedelta(minutes=6)).ticket
    assert nxt.id == early.id and nxt.queue_since == clock()
    assert later.status == "waiting"


def test_balanced_lets_a_visitor_about_to_pass_their_limit_go_first_while_the_queue_is_long():
    # A (30 min) waited 10; C due in 5; eight B visitors wait too. Two cabinets serve each kind, so serving them
    # all takes 12 / 2 + 6 / 2 + 8 x 4 / 2 = 25 minutes, more than the A visitor's 10 minutes plus the C visit's
    # share (3): C may go first.
    queue = [ticket(1, 1, 30, 10), ticket(2, 3, 10, 5)] + [ticket(10 + n, 2, 10, 4 - n * 0.5) for n in range(8)]
    assert decided(queue, policy=balanced)[0] == 2
    assert decided(queue, policy=balanced)[1] == LIMIT_SOON


def test_balanced_does_not_pass_the_first_in_line_beyond_the_queue_s_pace_and_says_so():
    # A waited 10 and C is due in 5, but only these two wait: serving both takes (12 + 6) / 2 = 9 minutes, and the
    # A visitor's 10 minutes plus the C visit's 3 is more than 9 + 15 %: the A visitor is called, and the reason
    # names the rule. The default policy lets the C visitor go first.
    queue = [ticket(1, 1, 30, 10), ticket(2, 3, 10, 5)]
    assert decided(queue, policy=balanced) == (1, PACE_CAP)
    assert decided(queue) == (2, LIMIT_SOON)


def test_balanced_keeps_the_default_s_other_rules_and_is_an_office_setting():
    assert policy_named("balanced") is balanced
    assert decided([ticket(1, 1, 30, 46), ticket(2, 3, 10, 5)], policy=balanced) == (1, WAITED_LONGEST)
    assert decided([ticket(1, 3, 10, 2), ticket(2, 2, 10, 1)], policy=balanced) == (1, EARLIEST_TICKET)
