"""Issuing a ticket: opening hours, the closing-time cut-off, the daily number, the log entry."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kezek.models import DailyCounter, Kiosk, Office, Ticket, VisitKind, WAITING
from kezek.models.rows import insert_row
from kezek.queue.changes import Change, changed, office_version
from kezek.queue.codes import new_code
from kezek.queue.errors import NotAccepting, NotFound, OfficeClosed, TooLateToday
from kezek.queue.estimate import WaitEstimate
from kezek.queue.events import record_event
from kezek.queue.office_cache import day_schedule
from kezek.queue.forecast import Reuse, keeps_tables, newcomer_outlook
from kezek.queue.hours import Opening, next_opening, opening_on
from kezek.queue.offer import fits_today

MAX_NUMBER = 999
TURN_GRACE = 1.0  # seconds a projection may age while its tap waits for the writer's turn


@dataclass(frozen=True)
class Issued:
    """A freshly issued ticket and the estimate given to the visitor."""

    ticket: Ticket
    estimate: WaitEstimate
    change: Change


def find_office(session: Session, slug: str) -> Office:
    """The enabled office called `slug`, or NotFound."""
    office = session.scalar(select(Office).where(Office.slug == slug, Office.enabled))
    if office is None:
        raise NotFound(what="office")
    return office


@lru_cache(maxsize=4)
def _take_number(dialect: str):
    """The upsert of `next_number`, built once per dialect (parameters: office_id, service_day, prefix)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(DailyCounter)
        .values(
            office_id=bindparam("office_id"),
            service_day=bindparam("service_day"),
            prefix=bindparam("prefix"),
            last_number=1,
        )
        .on_conflict_do_update(
            index_elements=["office_id", "service_day", "prefix"],
            set_={"last_number": DailyCounter.last_number + 1},
        )
        .returning(DailyCounter.last_number)
    )


def next_number(session: Session, office_id: int, service_day, prefix: str) -> int:
    """Take the next number of a prefix for the office's day; the row lock makes it atomic."""
    connection = session.connection()
    statement = _take_number(connection.dialect.name)
    return connection.execute(
        statement, {"office_id": office_id, "service_day": service_day, "prefix": prefix}
    ).scalar_one()


@dataclass(frozen=True)
class Prospect:
    """What a ticket of one visit kind would bring if taken now: read before the write begins."""

    opening: Opening
    ahead: int
    estimate: WaitEstimate
    version: int  # the office's version the queue was read at


def foresee(session: Session, office: Office, visit_kind: VisitKind, now: datetime, reuse: Reuse = Reuse()) -> Prospect:
    """Check that a ticket can be taken now and estimate its wait, reading only; refusals as in issue_ticket.

    Kiosks call this before taking the database's write lock, so the one writer at a time spends
    its turn on the few writes of `issue_ticket` and not on the estimate. `reuse` says how long a
    newcomer's projection may stand for the next taps (`forecast`).
    """
    if not visit_kind.accepting:
        raise NotAccepting()
    opening = opening_on(session, office, now, day_schedule(session, office, now))
    if not opening.is_open:
        raise OfficeClosed(opening.reason or "closed", opening.opens_at)
    return _checked(session, office, visit_kind, now, opening, reuse)


# What a ticket of the past carries instead of an estimate (`issue_ticket(estimate=False)`).
NO_ESTIMATE = WaitEstimate(people_ahead=0, low=0, high=0, expected=0.0, cabinets=0, service_minutes=0.0)


def _unestimated(session: Session, office: Office, visit_kind: VisitKind, now: datetime) -> Prospect:
    """`foresee` without the wait estimate: the visit kind accepting, the office open; the cut-off at closing."""
    if not visit_kind.accepting:
        raise NotAccepting()
    opening = opening_on(session, office, now, day_schedule(session, office, now))
    if not opening.is_open:
        raise OfficeClosed(opening.reason or "closed", opening.opens_at)
    if not fits_today(opening, NO_ESTIMATE):
        raise TooLateToday(opening.today.closes, next_opening(session, office, opening.today.closes))
    return Prospect(opening, 0, NO_ESTIMATE, 0)


def _checked(
    session: Session, office: Office, visit_kind: VisitKind, now: datetime, opening: Opening, reuse: Reuse
) -> Prospect:
    ahead, estimate, version = newcomer_outlook(session, office, visit_kind, now, opening.today, reuse)
    if not fits_today(opening, estimate):
        raise TooLateToday(opening.today.closes, next_opening(session, office, opening.today.closes))
    return Prospect(opening, ahead, estimate, version)


def issue_ticket(
    session: Session,
    office: Office,
    visit_kind: VisitKind,
    now: datetime,
    *,
    kiosk: Kiosk | None = None,
    lang: str = "kk",
    prospect: Prospect | None = None,
    reuse: Reuse = Reuse(),
    device_id: int | None = None,
    estimate: bool = True,
) -> Issued:
    """Issue the next ticket of `visit_kind` at `office`; the caller commits.

    Refuses (and changes nothing) when the office is closed, at lunch, or when a visitor taking a
    ticket now could not be served before closing time. `prospect` is `foresee`'s answer read just
    before; if anything changed the office since (its version), the queue is read again here.
    `estimate=False` is for a ticket of the past (the demo's history), which nobody reads an estimate
    from: none is played (the ticket says 0 ahead, 0 minutes) and only closing time cuts off.
    """
    if not estimate:
        prospect = _unestimated(session, office, visit_kind, now)
    elif prospect is None:
        prospect = foresee(session, office, visit_kind, now, reuse)
    opening = prospect.opening
    here = opening.now_local
    number = next_number(session, office.id, here.date(), visit_kind.prefix)
    if number > MAX_NUMBER:
        raise TooLateToday(opening.today.closes, next_opening(session, office, opening.today.closes))
    # The queue is read again in the writer's turn, in case something changed the office since the tap
    # read it. With a kept table one query both tells and reads; a table the tap read may have aged past
    # `reuse.seconds` while waiting for the turn: it stands a little longer here rather than hold every
    # writer up. Otherwise the office's version tells whether to play the queue forward again.
    if estimate and keeps_tables(office, reuse):
        prospect = _checked(
            session, office, visit_kind, now, opening, replace(reuse, seconds=reuse.seconds + TURN_GRACE)
        )
    elif estimate and office_version(session, office.id) != prospect.version:
        prospect = _checked(session, office, visit_kind, now, opening, reuse)
    ahead = prospect.ahead
    ticket = insert_row(
        session,
        Ticket,
        {
            "office_id": office.id,
            "visit_kind_id": visit_kind.id,
            "kiosk_id": kiosk.id if kiosk else None,
            "device_id": device_id,
            "service_day": here.date(),
            "prefix": visit_kind.prefix,
            "number": number,
            "code": new_code(),
            "lang": lang,
            "status": WAITING,
            "wait_limit_minutes": visit_kind.wait_limit_minutes,
            "issued_at": now,
            "queue_since": now,
            "people_ahead": ahead,
            "estimate_low_minutes": prospect.estimate.low,
            "estimate_high_minutes": prospect.estimate.high,
        },
    )
    record_event(session, ticket, "issued", now, detail={"kiosk": kiosk.slug if kiosk else None})
    return Issued(ticket, prospect.estimate, changed(session, office.id, "issued", ticket.id))
