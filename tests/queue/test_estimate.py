"""People ahead and the wait estimate: defaults, real service history, open cabinets."""
from __future__ import annotations

from datetime import timedelta

from kezek.models import OPEN, SERVED, Cabinet
from kezek.queue.estimate import estimate_wait, people_ahead
from kezek.queue.issuing import issue_ticket
from tests.conftest import kind_by_prefix, office_by_slug


def test_people_ahead_counts_only_waiting_visitors_of_the_same_visit_kind(db, clock):
    office = office_by_slug(db, "taraz")
    for prefix in "AAAC":
        issue_ticket(db, office, kind_by_prefix(db, prefix), clock())
    db.commit()
    third = issue_ticket(db, office, kind_by_prefix(db, "A"), clock())
    assert third.ticket.people_ahead == 3
    assert third.estimate.people_ahead == 3
    assert people_ahead(db, office.id, kind_by_prefix(db, "C").id) == 1


def test_before_any_history_the_estimate_uses_the_visit_kinds_default(db, clock):
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "A")  # one cabinet, 12 minutes
    estimate = estimate_wait(db, office.id, kind, clock(), ahead=3)
    assert estimate.service_minutes == 12
    assert estimate.expected == 36
    assert estimate.low <= 36 <= estimate.high


def test_nobody_ahead_means_a_short_wait(db, clock):
    estimate = estimate_wait(db, office_by_slug(db, "taraz").id, kind_by_prefix(db, "B"), clock(), ahead=0)
    assert estimate.low == 0 and estimate.high <= 5


def test_real_service_times_replace_the_default(db, clock):
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "A")
    for minutes in (4, 5, 6, 5, 5, 4, 6):
        ticket = issue_ticket(db, office, kind, clock()).ticket
        ticket.status = SERVED
        ticket.started_at = clock() - timedelta(minutes=30)
        ticket.finished_at = ticket.started_at + timedelta(minutes=minutes)
        db.commit()
    estimate = estimate_wait(db, office.id, kind, clock(), ahead=4)
    assert estimate.service_minutes == 5
    assert estimate.expected == 20


def test_more_open_cabinets_shorten_the_estimate(db, clock):
    office, kind = office_by_slug(db, "demo"), kind_by_prefix(db, "A")  # cabinets 101 and 102 serve A
    both_closed = estimate_wait(db, office.id, kind, clock(), ahead=6)
    assert both_closed.cabinets == 2  # nobody signed in yet: assume every cabinet that serves it
    cabinet = db.query(Cabinet).filter_by(office_id=office.id, number="101").one()
    cabinet.state = OPEN
    db.commit()
    one_open = estimate_wait(db, office.id, kind, clock(), ahead=6)
    assert one_open.cabinets == 1
    assert one_open.expected == 2 * both_closed.expected
