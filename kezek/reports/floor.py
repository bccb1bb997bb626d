"""The manager's live floor (no Flask): who waits for what and how long, what each cabinet is doing, today so far.

One office's floor is read in one go from the live tables: the waiting visitors per visit kind with
the longest wait against its limit (the console's traffic-light levels), the visitors the wait
estimate expects to pass their limit in the next `AT_RISK_WITHIN` at the current pace, every active
cabinet with its clerk and what it is doing since when, and today's served visitors with the share
called within each limit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kezek.models import CALLED, PAUSED, SERVING, WAITING, Cabinet, Office, Ticket, User, VisitKind
from kezek.models.reports import WaitRecord
from kezek.queue.counts import places
from kezek.queue.estimate import estimate_wait
from kezek.queue.hours import local_now
from kezek.queue.offer import offered_visit_kinds
from kezek.queue.waiting import level_of

AT_RISK_WITHIN = timedelta(minutes=10)
AT_RISK_MOST = 20  # visitors looked at (closest to their limit first): each is one projection of the queue
LEVELS = ("ok", "near", "over")


@dataclass(frozen=True)
class Waited:
    """One waiting visitor's wait against their limit."""

    label: str
    minutes: int
    limit_minutes: int
    level: str  # ok, near (from 80 % of the limit), over (past it): as the console colours it


@dataclass(frozen=True)
class KindLine:
    """The waiting visitors of one visit kind."""

    visit_kind: VisitKind
    waiting: int
    longest: Waited | None


@dataclass(frozen=True)
class AtRisk:
    """A visitor the estimate expects to be called only after their limit has passed."""

    label: str
    minutes_left: int  # until the limit
    expected_minutes: int  # until the call, as estimated now


@dataclass(frozen=True)
class CabinetLine:
    """What one cabinet is doing."""

    cabinet_id: int
    number: str
    state: str  # open, paused, closed
    since: datetime | None
    since_minutes: int | None
    paused_until: datetime | None
    pause_kind: str | None
    clerk: str | None
    serving: str | None  # the visitor's number, while one is called or served here
    serving_status: str | None  # called or serving
    serving_minutes: int | None


@dataclass(frozen=True)
class LimitShare:
    """Today's visitors called within one wait limit."""

    limit_minutes: int
    called: int
    within: int

    @property
    def share(self) -> int | None:
        """Percent called within the limit, whole; None before anyone was called."""
        return round(100 * self.within / self.called) if self.called else None


@dataclass(frozen=True)
class Floor:
    """One office's live floor."""

    office_id: int
    version: int
    kinds: list[KindLine]
    longest: Waited | None  # the wait closest to (or furthest past) its limit
    at_risk: list[AtRisk]
    cabinets: list[CabinetLine]
    served_today: int
    shares: list[LimitShare]

    @property
    def waiting(self) -> int:
        """Everyone waiting."""
        return sum(line.waiting for line in self.kinds)

    @property
    def level(self) -> str:
        """The worst level of any wait now (ok when nobody waits)."""
        return self.longest.level if self.longest else "ok"

    @property
    def attention(self) -> str:
        """The tile's colour: the worst wait's level, amber at least while anyone is expected to pass their limit."""
        return "near" if self.level == "ok" and self.at_risk else self.level

    def cabinets_in(self, state: str) -> int:
        """How many cabinets are in `state`."""
        return sum(line.state == state for line in self.cabinets)


def _minutes(seconds: float) -> int:
    return max(0, int(seconds // 60))


def _waited(ticket: Ticket, now: datetime) -> Waited:
    seconds = max(0.0, (now - ticket.queue_since).total_seconds())
    return Waited(
        ticket.label, _minutes(seconds), ticket.wait_limit_minutes, level_of(seconds, ticket.wait_limit_minutes)
    )


def _urgency(ticket: Ticket, now: datetime) -> float:
    return (now - ticket.queue_since).total_seconds() / (60 * ticket.wait_limit_minutes)


def waiting_tickets(session: Session, office_id: int) -> list[Ticket]:
    """The office's waiting visitors, oldest first."""
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.office_id == office_id, Ticket.status == WAITING)
            .order_by(Ticket.queue_since, Ticket.id)
        )
    )


def kind_lines(session: Session, office: Office, tickets: list[Ticket], now: datetime) -> list[KindLine]:
    """Each offered visit kind (and any other one with visitors waiting) with its waiting count and longest wait."""
    kinds = {kind.id: kind for kind in offered_visit_kinds(session, office)}
    for ticket in tickets:
        if ticket.visit_kind_id not in kinds:
            kinds[ticket.visit_kind_id] = ticket.visit_kind
    lines = []
    for kind in kinds.values():
        mine = [ticket for ticket in tickets if ticket.visit_kind_id == kind.id]
        longest = max(mine, key=lambda ticket: _urgency(ticket, now), default=None)
        lines.append(KindLine(kind, len(mine), _waited(longest, now) if longest else None))
    return lines


def at_risk(
    session: Session, office_id: int, tickets: list[Ticket], now: datetime, within: timedelta = AT_RISK_WITHIN
) -> list[AtRisk]:
    """The waiting visitors whose limit comes within `within` and whom the estimate expects to be called after it."""
    soon = sorted(
        (ticket for ticket in tickets if now < ticket.deadline <= now + within), key=lambda ticket: ticket.deadline
    )[:AT_RISK_MOST]
    if not soon:
        return []
    ahead = places(session, office_id)
    found = []
    for ticket in soon:
        estimate = estimate_wait(session, office_id, ticket.visit_kind, now, ahead.get(ticket.id, 0))
        if now + timedelta(minutes=estimate.expected) > ticket.deadline:
            found.append(
                AtRisk(ticket.label, _minutes((ticket.deadline - now).total_seconds()), round(estimate.expected))
            )
    return found


def cabinet_lines(session: Session, office_id: int, now: datetime) -> list[CabinetLine]:
    """Every active cabinet of the office in number order, with its clerk and the visitor it serves."""
    cabinets = list(session.scalars(select(Cabinet).where(Cabinet.office_id == office_id, Cabinet.active)))
    cabinets.sort(key=lambda cabinet: (len(cabinet.number), cabinet.number))
    clerk_ids = {cabinet.clerk_id for cabinet in cabinets if cabinet.clerk_id}
    names = (
        {
            user.id: user.display_name or user.username
            for user in session.scalars(select(User).where(User.id.in_(clerk_ids)))
        }
        if clerk_ids
        else {}
    )
    current = {
        ticket.cabinet_id: ticket
        for ticket in session.scalars(
            select(Ticket).where(Ticket.office_id == office_id, Ticket.status.in_((CALLED, SERVING)))
        )
    }
    lines = []
    for cabinet in cabinets:
        ticket = current.get(cabinet.id)
        began = (ticket.started_at or ticket.called_at) if ticket else None
        since = cabinet.state_since
        lines.append(
            CabinetLine(
                cabinet.id,
                cabinet.number,
                cabinet.state,
                since,
                _minutes((now - since).total_seconds()) if since else None,
                cabinet.paused_until if cabinet.state == PAUSED else None,
                cabinet.pause_kind if cabinet.state == PAUSED else None,
                names.get(cabinet.clerk_id) if cabinet.clerk_id else None,
                ticket.label if ticket else None,
                ticket.status if ticket else None,
                _minutes((now - began).total_seconds()) if began else None,
            )
        )
    return lines


def today_shares(session: Session, office: Office, now: datetime) -> tuple[int, list[LimitShare]]:
    """Today's served visitors, and per wait limit how many were called and how many within it."""
    day = local_now(office, now).date()
    where = (WaitRecord.office_id == office.id, WaitRecord.service_day == day)
    served = session.scalar(select(func.count()).where(*where, WaitRecord.outcome == "served")) or 0
    rows = session.execute(
        select(
            WaitRecord.wait_limit_minutes, func.count(), func.sum(case((WaitRecord.within_limit.is_(True), 1), else_=0))
        )
        .where(*where, WaitRecord.within_limit.is_not(None))
        .group_by(WaitRecord.wait_limit_minutes)
        .order_by(WaitRecord.wait_limit_minutes)
    )
    return served, [LimitShare(limit, called, int(within or 0)) for limit, called, within in rows]


def office_floor(session: Session, office: Office, now: datetime) -> Floor:
    """The office's live floor now."""
    tickets = waiting_tickets(session, office.id)
    longest = max(tickets, key=lambda ticket: _urgency(ticket, now), default=None)
    served, shares = today_shares(session, office, now)
    version = session.scalar(select(Office.version).where(Office.id == office.id)) or 0
    return Floor(
        office.id,
        version,
        kind_lines(session, office, tickets, now),
        _waited(longest, now) if longest else None,
        at_risk(session, office.id, tickets, now),
        cabinet_lines(session, office.id, now),
        served,
        shares,
    )
