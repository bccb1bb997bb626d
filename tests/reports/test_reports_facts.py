"""Wait records: kept by the event log as clerks work, and rebuilt in bulk to the same figures."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kezek.models import Cabinet, Office, Ticket, User, VisitKind
from kezek.models.reports import WaitRecord
from kezek.queue import clerk
from kezek.reports import facts
from kezek.services import services

COLUMNS = [c.name for c in WaitRecord.__table__.columns]


def snapshot(session) -> list[tuple]:
    return [tuple(getattr(r, c) for c in COLUMNS) for r in session.scalars(select(WaitRecord).order_by(WaitRecord.ticket_id))]


def open_b_cabinet(session, number: str) -> tuple[Cabinet, User]:
    """A new open cabinet of Taraz serving visit kind B, and its clerk."""
    office = session.scalar(select(Office).where(Office.slug == "taraz"))
    kind = session.scalar(select(VisitKind).where(VisitKind.prefix == "B"))
    cabinet = Cabinet(office_id=office.id, number=number, visit_kinds=[kind], state="open")
    user = User(username=f"c{number}", password_hash="x", role="clerk", office_id=office.id)
    session.add_all([cabinet, user])
    session.flush()
    return cabinet, user


def test_rebuild_gives_the_records_the_event_log_kept(session, known):
    kept = snapshot(session)
    assert len(kept) == 7  # every ticket that was called or closed
    assert facts.rebuild(session) == 7
    session.flush()
    session.expire_all()
    assert snapshot(session) == kept


def test_clerk_commands_keep_the_record(app, kiosk, clock):
    from kezek.extensions import db

    for _ in range(2):
        assert kiosk.take("B").status_code == 303
    with app.app_context():
        session = db.session
        cabinet, user = open_b_cabinet(session, "5")
        first, second = session.scalars(select(Ticket).order_by(Ticket.id)).all()
        start = clock()
        clerk.call_next(session, cabinet, user, start + timedelta(minutes=12))
        clerk.recall(session, cabinet, user, first.id, start + timedelta(minutes=13))
        clerk.no_show(session, cabinet, user, first.id, start + timedelta(minutes=15))
        clerk.call_next(session, cabinet, user, start + timedelta(minutes=16))
        clerk.transfer(session, cabinet, user, second.id, start + timedelta(minutes=18), to_cabinet_id=cabinet.id)
        clerk.call_next(session, cabinet, user, start + timedelta(minutes=40))
        clerk.finish(session, cabinet, user, second.id, start + timedelta(minutes=45))
        session.commit()
        one, two = session.get(WaitRecord, first.id), session.get(WaitRecord, second.id)
        assert (one.wait_seconds, one.within_limit, one.outcome) == (12 * 60, False, "no_show")
        # The transferred visitor waited 16 minutes for the first call, not 40.
        assert (two.wait_seconds, two.within_limit, two.outcome, two.transferred) == (16 * 60, False, "served", True)


def test_wait_records_are_kept_by_kezeks_sessions_only(app, kiosk, clock):
    """A clerk's call in a session from kezek.sessions (as a script or the simulation makes) keeps the
    visitor's wait in the reports; the hook sits on Kezek's sessions, not on SQLAlchemy's Session class."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from kezek.queue import office_cache
    from kezek.sessions import session_factory

    assert kiosk.take("B").status_code == 303
    with session_factory(services(app).engine, expire_on_commit=False)() as session:
        cabinet, user = open_b_cabinet(session, "6")
        ticket = session.scalar(select(Ticket))
        clerk.call_next(session, cabinet, user, clock() + timedelta(minutes=7))
        session.commit()
        assert session.get(WaitRecord, ticket.id).wait_seconds == 7 * 60
    assert not event.contains(Session, "before_flush", facts._keep_decided_records)
    assert not any(event.contains(Session, name, hook) for name, hook in office_cache._HOOKS)


def test_an_event_keeps_its_wait_record_in_any_session(app, kiosk, clock):
    """The wait record follows the event where it is written (kezek.queue.events), not a session's hook:
    a call, the start and the end of the visit, made in a plain SQLAlchemy session show in the reports alike."""
    from sqlalchemy.orm import Session

    assert kiosk.take("B").status_code == 303
    with Session(services(app).engine, expire_on_commit=False) as session:
        cabinet, user = open_b_cabinet(session, "7")
        ticket = session.scalar(select(Ticket))
        clerk.call_next(session, cabinet, user, clock() + timedelta(minutes=4))
        clerk.start(session, cabinet, user, ticket.id, clock() + timedelta(minutes=5))
        clerk.finish(session, cabinet, user, ticket.id, clock() + timedelta(minutes=9))
        session.commit()
        record = session.get(WaitRecord, ticket.id)
        assert (record.wait_seconds, record.service_seconds, record.outcome) == (4 * 60, 4 * 60, "served")
