"""Queue counts: how many visitors wait, how many stand before a ticket, how many cabinets take a visit kind."""

from __future__ import annotations

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from kezek.models import OPEN, WAITING, Cabinet, Ticket, cabinet_visit_kind

_PEOPLE_AHEAD = select(func.count(Ticket.id)).where(
    Ticket.office_id == bindparam("office_id"),
    Ticket.visit_kind_id == bindparam("visit_kind_id"),
    Ticket.status == WAITING,
)
_EARLIER = _PEOPLE_AHEAD.where(
    or_(
        Ticket.queue_since < bindparam("queue_since"),
        and_(Ticket.queue_since == bindparam("queue_since"), Ticket.id < bindparam("ticket_id")),
    )
)


def people_ahead(session: Session, office_id: int, visit_kind_id: int) -> int:
    """How many visitors of this visit kind are waiting now."""
    return session.scalar(_PEOPLE_AHEAD, {"office_id": office_id, "visit_kind_id": visit_kind_id}) or 0


def ahead_of(session: Session, ticket: Ticket) -> int:
    """How many waiting visitors of the same visit kind queued before `ticket`."""
    values = {
        "office_id": ticket.office_id,
        "visit_kind_id": ticket.visit_kind_id,
        "queue_since": ticket.queue_since,
        "ticket_id": ticket.id,
    }
    return session.scalar(_EARLIER, values) or 0


def places(session: Session, office_id: int) -> dict[int, int]:
    """For every waiting ticket of the office, how many of its visit kind queued before it (one query)."""
    rows = session.execute(
        select(Ticket.id, Ticket.visit_kind_id)
        .where(Ticket.office_id == office_id, Ticket.status == WAITING)
        .order_by(Ticket.visit_kind_id, Ticket.queue_since, Ticket.id)
    )
    seen: dict[int, int] = {}
    found = {}
    for ticket_id, kind_id in rows:
        found[ticket_id] = seen.get(kind_id, 0)
        seen[kind_id] = found[ticket_id] + 1
    return found


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
