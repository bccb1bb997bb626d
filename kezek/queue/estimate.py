"""The honest wait estimate a kiosk shows: people ahead, recent service times, open cabinets.

Method: the service time of a visit kind is the median of (started -> finished) of the last
30 visits of that kind finished in the office over the last 14 days, or the visit kind's default
before there is such history. The cabinets are those serving the visit kind that are open now (or,
when none is open yet, all active ones that serve it). The expected wait is the work ahead shared
between those cabinets; the range widens it by the spread of real service times.
"""
from __future__ import annotations

import math
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from kezek.models import OPEN, SERVED, WAITING, Cabinet, Ticket, VisitKind, cabinet_visit_kind

HISTORY_VISITS = 30
HISTORY_DAYS = 14


@dataclass(frozen=True)
class WaitEstimate:
    """How long a new visitor of one visit kind should expect to wait, in minutes."""

    people_ahead: int
    low: int
    high: int
    expected: float
    cabinets: int
    service_minutes: float


def people_ahead(session: Session, office_id: int, visit_kind_id: int) -> int:
    """How many visitors of this visit kind are waiting now."""
    query = select(func.count(Ticket.id)).where(
        Ticket.office_id == office_id, Ticket.visit_kind_id == visit_kind_id, Ticket.status == WAITING
    )
    return session.scalar(query) or 0


def ahead_of(session: Session, ticket: Ticket) -> int:
    """How many waiting visitors of the same visit kind queued before `ticket`."""
    earlier = or_(
        Ticket.queue_since < ticket.queue_since,
        and_(Ticket.queue_since == ticket.queue_since, Ticket.id < ticket.id),
    )
    query = select(func.count(Ticket.id)).where(
        Ticket.office_id == ticket.office_id,
        Ticket.visit_kind_id == ticket.visit_kind_id,
        Ticket.status == WAITING,
        earlier,
    )
    return session.scalar(query) or 0


def service_minutes(session: Session, office_id: int, visit_kind: VisitKind, now: datetime) -> list[float]:
    """Recent real service times of a visit kind in an office, newest first."""
    rows = session.execute(
        select(Ticket.started_at, Ticket.finished_at)
        .where(
            Ticket.office_id == office_id,
            Ticket.visit_kind_id == visit_kind.id,
            Ticket.status == SERVED,
            Ticket.finished_at >= now - timedelta(days=HISTORY_DAYS),
            Ticket.started_at.is_not(None),
        )
        .order_by(Ticket.finished_at.desc())
        .limit(HISTORY_VISITS)
    ).all()
    return [(end - start).total_seconds() / 60 for start, end in rows if end and start and end >= start]


def cabinets_for(session: Session, office_id: int, visit_kind_id: int) -> int:
    """How many cabinets can take this visit kind now (open ones, else all active ones)."""
    serving = (
        select(Cabinet.state)
        .join(cabinet_visit_kind, cabinet_visit_kind.c.cabinet_id == Cabinet.id)
        .where(Cabinet.office_id == office_id, Cabinet.active, cabinet_visit_kind.c.visit_kind_id == visit_kind_id)
    )
    states = session.scalars(serving).all()
    open_now = sum(1 for state in states if state == OPEN)
    return open_now or len(states)


def estimate_wait(
    session: Session, office_id: int, visit_kind: VisitKind, now: datetime, ahead: int | None = None
) -> WaitEstimate:
    """The wait a visitor taking a ticket of `visit_kind` now should expect."""
    if ahead is None:
        ahead = people_ahead(session, office_id, visit_kind.id)
    history = service_minutes(session, office_id, visit_kind, now)
    if len(history) >= 5:
        typical = statistics.median(history)
        quartiles = statistics.quantiles(history, n=4)
        spread_low, spread_high = quartiles[0] / typical if typical else 0.7, quartiles[2] / typical if typical else 1.4
    else:
        typical = float(visit_kind.default_service_minutes)
        spread_low, spread_high = 0.7, 1.4
    cabinets = max(1, cabinets_for(session, office_id, visit_kind.id))
    expected = ahead * typical / cabinets
    low = math.floor(expected * min(spread_low, 0.9))
    high = math.ceil(expected * max(spread_high, 1.2) + (typical if ahead else typical / 2))
    return WaitEstimate(ahead, low, max(high, low + 1), expected, cabinets, typical)
