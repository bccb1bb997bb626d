"""People ahead and the wait estimate: defaults, real visit history, open cabinets, the policy, lunch, pauses."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import insert

from kezek.models import OPEN, PAUSED, SERVED, Cabinet, Ticket
from kezek.queue.counts import ahead_of, people_ahead, places
from kezek.queue.estimate import estimate_wait
from kezek.queue.issuing import issue_ticket
from tests.conftest import kind_by_prefix, office_by_slug


def _cabinet(db, office, number):
    return db.query(Cabinet).filter_by(office_id=office.id, number=number).one()


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


def test_real_visit_times_replace_the_default(db, clock):
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "A")
    for minutes in (4, 5, 6, 5, 5, 4, 6):
        ticket = issue_ticket(db, office, kind, clock()).ticket
        ticket.status = SERVED
        ticket.started_at = clock() - timedelta(minutes=30)
        ticket.finished_at = ticket.started_at + timedelta(minutes=minutes)
        db.commit()
    estimate = estimate_wait(db, office.id, kind, clock(), ahead=4)
    assert estimate.service_minutes == 5
    assert round(estimate.expected, 3) == 20


def test_more_open_cabinets_shorten_the_estimate(db, clock):
    office, kind = office_by_slug(db, "demo"), kind_by_prefix(db, "A")  # cabinets 101 and 102 serve A
    office.call_policy = "fifo"
    both_closed = estimate_wait(db, office.id, kind, clock(), ahead=6)
    assert both_closed.cabinets == 2  # nobody signed in yet: assume every cabinet that serves it
    _cabinet(db, office, "101").state = OPEN
    db.commit()
    one_open = estimate_wait(db, office.id, kind, clock(), ahead=6)
    assert one_open.cabinets == 1
    assert one_open.expected == 2 * both_closed.expected


def test_visitors_of_other_kinds_at_the_same_cabinet_count_too(db, clock):
    office = office_by_slug(db, "taraz")  # one cabinet serves all four visit kinds
    office.call_policy = "fifo"
    for prefix in "BBCD":
        issue_ticket(db, office, kind_by_prefix(db, prefix), clock())
    db.commit()
    estimate = estimate_wait(db, office.id, kind_by_prefix(db, "A"), clock())
    assert estimate.people_ahead == 0
    assert estimate.expected == 4 + 4 + 6 + 3  # the seed's default minutes of the four visits ahead


def test_under_the_deadline_policy_a_30_minute_visit_expects_newcomers_with_10_minute_limits_to_go_first(db, clock):
    office = office_by_slug(db, "taraz")
    for minute in range(0, 30, 3):  # a C visitor every 3 minutes for the last half hour
        issue_ticket(db, office, kind_by_prefix(db, "C"), clock() - timedelta(minutes=minute)).ticket.status = SERVED
    db.commit()
    a = kind_by_prefix(db, "A")
    office.call_policy = "fifo"
    in_order = estimate_wait(db, office.id, a, clock(), ahead=2)
    office.call_policy = "deadline"
    by_deadline = estimate_wait(db, office.id, a, clock(), ahead=2)
    assert by_deadline.expected > in_order.expected
    assert by_deadline.high > in_order.high


def test_a_ticket_taken_before_lunch_expects_to_wait_through_it(db, clock):
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "A")
    morning = estimate_wait(db, office.id, kind, clock.set_local(2026, 11, 25, 10, 0), ahead=2)
    before_lunch = estimate_wait(db, office.id, kind, clock.set_local(2026, 11, 25, 12, 50), ahead=2)
    assert morning.expected == 24
    # The first visit runs 12:50-13:02; nobody is called between 13:00 and 14:00; then 12 minutes more.
    assert before_lunch.expected == 12 + 58 + 12


def _only_number(db, office):
    return db.query(Cabinet).filter_by(office_id=office.id).one().number


def test_a_paused_cabinet_is_expected_back_in_a_few_minutes(db, clock):
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "B")
    cabinet = db.query(Cabinet).filter_by(office_id=office.id).one()
    cabinet.state = OPEN
    open_now = estimate_wait(db, office.id, kind, clock(), ahead=0)
    cabinet.state = PAUSED
    paused = estimate_wait(db, office.id, kind, clock(), ahead=0)
    assert open_now.expected == 0 and paused.expected == 10
    assert paused.low < 10 < paused.high


def test_a_cabinet_that_starts_serving_a_visit_kind_shortens_its_wait_at_once(db, clock):
    office = office_by_slug(db, "demo")  # only 103 serves D
    office.call_policy = "fifo"
    kind = kind_by_prefix(db, "D")
    alone = estimate_wait(db, office.id, kind, clock(), ahead=6)
    cabinet = _cabinet(db, office, "101")
    cabinet.visit_kinds = [*cabinet.visit_kinds, kind]
    db.commit()
    shared = estimate_wait(db, office.id, kind, clock(), ahead=6)
    assert (alone.cabinets, shared.cabinets) == (1, 2)
    assert shared.expected == alone.expected / 2


def test_visits_recorded_elsewhere_count_within_a_minute(db, clock):
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "A")
    estimate_wait(db, office.id, kind, clock(), ahead=4)  # the default, 12 minutes a visit
    started = clock() - timedelta(minutes=30)
    # Another server process finished these visits: nothing passes through this process's session.
    db.execute(insert(Ticket), [
        {"office_id": office.id, "visit_kind_id": kind.id, "service_day": started.date(), "prefix": "A",
         "number": n, "code": f"elsewhere-{n}", "status": SERVED, "wait_limit_minutes": 30, "issued_at": started,
         "queue_since": started, "started_at": started, "finished_at": started + timedelta(minutes=5)}
        for n in range(1, 8)
    ])
    db.commit()
    clock.moment += timedelta(minutes=1)
    assert estimate_wait(db, office.id, kind, clock(), ahead=4).service_minutes == 5


def test_a_visit_ended_in_a_transaction_that_was_undone_is_not_counted(db, clock):
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "A")
    for _ in range(6):
        ticket = issue_ticket(db, office, kind, clock()).ticket
        ticket.status, ticket.started_at = SERVED, clock() - timedelta(minutes=30)
        ticket.finished_at = ticket.started_at + timedelta(minutes=5)
    db.flush()
    assert estimate_wait(db, office.id, kind, clock(), ahead=4).service_minutes == 5
    db.rollback()
    assert estimate_wait(db, office.id, kind, clock(), ahead=4).service_minutes == 12


def test_every_phone_of_an_office_gets_the_same_place_in_one_reading_as_asked_one_by_one(db, clock):
    # The phone pages of an office are refreshed together: each visitor's place must be what asking for
    # that ticket alone gives, per visit kind, with a transferred visitor keeping their earlier place.
    office = office_by_slug(db, "taraz")
    tickets = [issue_ticket(db, office, kind_by_prefix(db, prefix), clock() + timedelta(minutes=n)).ticket
               for n, prefix in enumerate("ACAACBA")]
    tickets[1].status = SERVED  # no longer waiting: nobody counts it
    tickets[6].queue_since = clock() - timedelta(minutes=5)  # transferred in, queued since earlier
    db.commit()
    waiting = [t for t in tickets if t.status != SERVED]
    assert places(db, office.id) == {t.id: ahead_of(db, t) for t in waiting}
    assert [places(db, office.id)[t.id] for t in waiting] == [1, 2, 3, 0, 0, 0]
