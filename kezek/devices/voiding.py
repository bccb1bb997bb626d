"""Voiding a burst of tickets nobody took (no Flask): chosen by the device that issued them and a time window."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.audit import record
from kezek.models import CANCELLED, WAITING, Ticket, User
from kezek.queue.changes import Change, changed, hold_office
from kezek.queue.events import record_event

# The longest list voided at once: a burst that closed an office's day is a few hundred tickets.
MOST = 1000


def burst(session: Session, office_id: int, device_id: int | None, start: datetime, end: datetime) -> list[Ticket]:
    """The office's tickets still waiting (never called) that were issued from `start` to `end` by one source.

    `device_id` names the enrolled device; None means the office's open web kiosk (tickets of no device).
    """
    source = Ticket.device_id.is_(None) if device_id is None else Ticket.device_id == device_id
    return list(session.scalars(
        select(Ticket).where(Ticket.office_id == office_id, Ticket.status == WAITING, source,
                             Ticket.issued_at >= start, Ticket.issued_at <= end)
        .order_by(Ticket.issued_at, Ticket.id).limit(MOST)
    ))


def void(session: Session, user: User, office_id: int, ticket_ids: list[int], now: datetime,
         detail: dict) -> tuple[list[str], Change | None]:
    """Cancel those of `ticket_ids` still waiting in the office, in the log and the audit log as `user`'s doing.

    Returns the numbers voided and the change to publish (None when nothing was left to void). The
    caller commits.
    """
    if not ticket_ids:
        return [], None
    hold_office(session, office_id)
    tickets = session.scalars(
        select(Ticket).where(Ticket.id.in_(ticket_ids), Ticket.office_id == office_id, Ticket.status == WAITING)
        .with_for_update()
    ).all()
    if not tickets:
        return [], None
    for ticket in tickets:
        ticket.status, ticket.finished_at = CANCELLED, now
        record_event(session, ticket, "cancelled", now, clerk=user, detail={"voided": "burst"})
    labels = [ticket.label for ticket in tickets]
    record(session, user, "tickets.void_burst", {**detail, "count": len(labels), "tickets": labels},
           office_id=office_id, at=now)
    return labels, changed(session, office_id, "cancelled")
