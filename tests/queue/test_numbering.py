"""Ticket numbers: per office, per local day, per prefix, and never shared under concurrency."""
from __future__ import annotations

import threading

import pytest
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from kezek.models import Ticket, TicketEvent
from kezek.queue.forecast import Reuse
from kezek.queue.issuing import foresee, issue_ticket
from kezek.services import services
from tests.conftest import ALMATY, all_tickets, kind_by_prefix, office_by_slug


def test_numbers_count_up_per_prefix_with_the_visit_kinds_prefix(db, clock):
    office = office_by_slug(db, "taraz")
    labels = []
    for prefix in "AACBA":
        labels.append(issue_ticket(db, office, kind_by_prefix(db, prefix), clock()).ticket.label)
        db.commit()
    assert labels == ["A-001", "A-002", "C-001", "B-001", "A-003"]


def test_offices_number_independently(db, clock):
    kind = kind_by_prefix(db, "A")
    first = issue_ticket(db, office_by_slug(db, "taraz"), kind, clock()).ticket
    second = issue_ticket(db, office_by_slug(db, "merki"), kind, clock()).ticket
    db.commit()
    assert (first.label, second.label) == ("A-001", "A-001")


def test_numbering_starts_afresh_at_local_midnight_not_utc_midnight(db, clock):
    office = office_by_slug(db, "demo")  # open round the clock
    kind = kind_by_prefix(db, "A")
    # 23:30 on 25 November in Almaty is 18:30 UTC: same UTC day as 00:30 local on the 26th (19:30 UTC).
    evening = datetime(2026, 11, 25, 23, 30, tzinfo=ALMATY)
    after_midnight = evening + timedelta(hours=1)
    assert evening.astimezone(timezone.utc).date() == after_midnight.astimezone(timezone.utc).date()
    a = issue_ticket(db, office, kind, evening).ticket
    b = issue_ticket(db, office, kind, evening + timedelta(minutes=5)).ticket
    c = issue_ticket(db, office, kind, after_midnight).ticket
    db.commit()
    assert [t.number for t in (a, b, c)] == [1, 2, 1]
    assert c.service_day.isoformat() == "2026-11-26"


def test_every_issue_is_logged_with_a_utc_timestamp(db, clock):
    ticket = issue_ticket(db, office_by_slug(db, "taraz"), kind_by_prefix(db, "C"), clock()).ticket
    db.commit()
    events = db.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id)).all()
    assert [e.kind for e in events] == ["issued"]
    assert events[0].at == clock() and events[0].at.tzinfo == timezone.utc


def test_fifty_kiosks_tapping_at_once_get_fifty_consecutive_numbers(app, clock):
    from kezek.extensions import db as kezek_db

    factory = services(app).sessions
    with app.app_context():
        kind_id = kind_by_prefix(kezek_db.session, "A").id
        office_id = office_by_slug(kezek_db.session, "demo").id  # open all day: no closing cut-off
    barrier = threading.Barrier(50)
    numbers, errors = [], []

    def tap():
        with factory() as session:
            from kezek.models import Office, VisitKind

            office, kind = session.get(Office, office_id), session.get(VisitKind, kind_id)
            session.rollback()  # hand the connection back: 50 taps share the pool like 50 requests
            barrier.wait()
            try:
                ticket = issue_ticket(session, office, kind, clock()).ticket
                session.commit()
                numbers.append(ticket.number)
            except Exception as error:  # pragma: no cover - reported below
                errors.append(repr(error))

    threads = [threading.Thread(target=tap) for _ in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == list(range(1, 51))
    with factory() as session:
        stored = session.scalars(select(Ticket.number).where(Ticket.office_id == office_id)).all()
        assert sorted(stored) == list(range(1, 51))
        assert session.query(TicketEvent).count() == 50


def test_a_refused_ticket_does_not_use_up_a_number(db, clock):
    office = office_by_slug(db, "taraz")
    kind = kind_by_prefix(db, "A")
    clock.set_local(2026, 11, 25, 13, 30)  # lunch
    from kezek.queue.errors import OfficeClosed

    try:
        issue_ticket(db, office, kind, clock())
    except OfficeClosed:
        db.rollback()
    clock.set_local(2026, 11, 25, 14, 0)
    ticket = issue_ticket(db, office, kind, clock()).ticket
    db.commit()
    assert ticket.label == "A-001"
    assert len(all_tickets(db)) == 1


@pytest.mark.parametrize("reuse", [Reuse(seconds=1.0), Reuse(seconds=0)], ids=["kept-table", "no-reuse"])
def test_a_ticket_taken_while_another_kiosk_was_estimating_counts_the_other_one_ahead(db, clock, reuse):
    # Kiosks estimate before their turn to write; a visitor who got in first in between must show up
    # in the second visitor's "people ahead" and push their estimate later, not be silently missed,
    # whether the writer's turn reads the queue again from a kept table or plays it forward anew.
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "A")
    for _ in range(3):
        issue_ticket(db, office, kind, clock(), reuse=reuse)
    db.commit()
    read_first = foresee(db, office, kind, clock(), reuse)
    other = issue_ticket(db, office, kind, clock(), reuse=reuse).ticket  # another kiosk's write lands first
    db.commit()
    mine = issue_ticket(db, office, kind, clock(), prospect=read_first, reuse=reuse).ticket
    db.commit()
    assert (read_first.ahead, other.people_ahead, mine.people_ahead) == (3, 3, 4)
    assert mine.number == other.number + 1
    assert mine.estimate_high_minutes >= other.estimate_high_minutes
    assert mine.estimate_low_minutes > read_first.estimate.low or mine.estimate_high_minutes > read_first.estimate.high


def test_a_call_between_the_taps_read_and_its_turn_takes_one_from_people_ahead(db, clock):
    # The writer's turn reads the kept table again: a clerk's call in between is not a new ticket,
    # so the table no longer stands and the queue is played forward anew.
    from kezek.models import Cabinet
    from kezek.queue import clerk
    from kezek.seeding import create_user

    office, kind = office_by_slug(db, "demo"), kind_by_prefix(db, "A")
    cabinet = db.scalars(select(Cabinet).where(Cabinet.office_id == office.id).order_by(Cabinet.number)).first()
    user = create_user(db, "clerk", "pw", "clerk", office)
    clerk.set_cabinet_state(db, cabinet, user, "open")
    for _ in range(3):
        issue_ticket(db, office, kind, clock())
    db.commit()
    read_first = foresee(db, office, kind, clock())
    called = clerk.call_next(db, cabinet, user, clock())
    db.commit()
    mine = issue_ticket(db, office, kind, clock(), prospect=read_first).ticket
    db.commit()
    assert called.ticket is not None
    assert (read_first.ahead, mine.people_ahead) == (3, 2)
