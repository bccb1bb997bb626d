"""The call policy on small hand-made queues: deadlines, fairness bound, cabinet-only tickets, pauses, transfers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from sqlalchemy import select

from kezek.models import Cabinet
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from kezek.queue.policy import CallContext, deadline, fifo
from kezek.seeding import create_user
from tests.conftest import kind_by_prefix, office_by_slug

NOW = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)
VISITS = {1: 12.0, 2: 4.0, 3: 6.0}  # A (30 min), B and C (10 min): minutes a call keeps a cabinet busy


def ticket(id, kind, limit, waited):
    since = NOW - timedelta(minutes=waited)
    return SimpleNamespace(id=id, visit_kind_id=kind, wait_limit_minutes=limit, queue_since=since,
                           deadline=since + timedelta(minutes=limit))


def call(queue, others=None):
    return deadline(CallContext(1, queue, NOW, others if others is not None else {1: 1, 2: 1, 3: 1}, VISITS)).id


def test_fifo_calls_in_the_order_tickets_were_taken():
    queue = [ticket(1, 1, 30, 12), ticket(2, 3, 10, 5)]
    assert fifo(CallContext(1, queue, NOW, {1: 1, 3: 1})).id == 1


def test_a_10_minute_visitor_who_would_miss_the_limit_goes_before_a_30_minute_one_with_time_to_spare():
    # Behind A's 12-minute visit the C visitor (due in 5) would miss the limit; A then waits 10 + 6 = 16
    # minutes, within their 30 and no longer than C's 5 + 12 = 17 the other way round.
    assert call([ticket(1, 1, 30, 10), ticket(2, 3, 10, 5)]) == 2


def test_without_risk_to_anyone_the_order_is_first_come_first_served():
    # B is due in 9 minutes and the C visit ahead takes 6: B is not at risk, so C (first) goes first.
    assert call([ticket(1, 3, 10, 2), ticket(2, 2, 10, 1)]) == 1


def test_nobody_goes_first_if_it_would_make_the_older_visitor_miss_their_own_limit():
    assert call([ticket(1, 1, 30, 27), ticket(2, 3, 10, 8)]) == 1


def test_nobody_goes_first_if_the_older_visitor_would_then_wait_longer_than_they_would_have():
    # A waited 25: passing them makes 31 minutes, longer than C's 8 + 12 = 20 the other way round.
    assert call([ticket(1, 1, 40, 25), ticket(2, 3, 10, 8)]) == 1


def test_nobody_is_passed_over_beyond_the_fairness_bound():
    # Ticket 1 waited 46 minutes on a 30-minute limit (bound: 45): the cabinet calls strictly in order.
    queue = [ticket(1, 1, 30, 46), ticket(2, 3, 10, 9), ticket(3, 2, 10, 9.5)]
    assert call(queue) == 1


def test_a_visitor_past_the_limit_is_still_called_before_fresh_ones():
    assert call([ticket(1, 3, 10, 14), ticket(2, 3, 10, 1)]) == 1


def test_among_visitors_at_risk_one_only_this_cabinet_can_serve_goes_first():
    shared, only_here = ticket(2, 2, 10, 6), ticket(3, 3, 10, 3)  # due in 4 and 7 minutes; A ahead takes 12
    oldest = ticket(1, 1, 30, 7)
    assert call([oldest, shared, only_here], {1: 1, 2: 1}) == 3
    assert call([oldest, shared, only_here], {1: 1, 2: 1, 3: 1}) == 2


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
