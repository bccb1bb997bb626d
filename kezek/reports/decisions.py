"""Decision dates of handed-in cases (no Flask): the cases awaiting one, and recording it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import HAND_IN, SERVED, Ticket, User, VisitKind
from kezek.models.reports import ServiceDecision
from kezek.models.rows import insert_row
from kezek.queue.errors import NotFound, QueueError
from kezek.queue.wait_record import invalidate_months


class BadDecision(QueueError):
    """The decision date is before the hand-in or in the future."""

    code = "bad_decision"
    status = 400


@dataclass
class Case:
    """A served hand-in and its decision date (None while pending)."""

    ticket: Ticket
    decided_on: date | None
    due: date


def cases(session: Session, office_id: int, first: date, last: date) -> list[Case]:
    """Served hand-ins of an office between two local days, newest first, with their decisions."""
    rows = session.execute(
        select(Ticket, ServiceDecision.decided_on)
        .join(VisitKind, VisitKind.id == Ticket.visit_kind_id)
        .outerjoin(ServiceDecision, ServiceDecision.ticket_id == Ticket.id)
        .where(
            Ticket.office_id == office_id,
            Ticket.status == SERVED,
            VisitKind.kind == HAND_IN,
            Ticket.service_day >= first,
            Ticket.service_day <= last,
        )
        .order_by(Ticket.service_day.desc(), Ticket.prefix, Ticket.number.desc())
    ).all()
    return [
        Case(ticket, decided, ticket.service_day + timedelta(days=ticket.visit_kind.service.service_term_days))
        for ticket, decided in rows
    ]


def record_decision(
    session: Session, office_id: int, ticket_id: int, decided_on: date, user: User, now: datetime, today: date
) -> ServiceDecision:
    """Record (or correct) the decision date of a served hand-in of the office."""
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.office_id != office_id or ticket.status != SERVED or ticket.visit_kind.kind != HAND_IN:
        raise NotFound(what="ticket")
    if decided_on < ticket.service_day or decided_on > today:
        raise BadDecision(day=decided_on.isoformat())
    decision = session.get(ServiceDecision, ticket.id)
    if decision is None:  # one plain insert, its month marked changed here as the flush hook would (facts.watch)
        recorded = {
            "decided_on": decided_on,
            "recorded_by_id": user.id,
            "recorded_by": user.username,
            "recorded_at": now,
        }
        decision = insert_row(session, ServiceDecision, {"ticket_id": ticket.id, **recorded})
        invalidate_months(session, {(ticket.service_day, ticket.office_id)})
        return decision
    decision.decided_on, decision.recorded_by_id, decision.recorded_by, decision.recorded_at = (
        decided_on,
        user.id,
        user.username,
        now,
    )
    return decision
