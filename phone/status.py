"""One ticket's status for its phone page, built from the database without Flask: nothing about anyone else."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import CALLED, SERVING, WAITING, Office, Ticket
from kezek.queue.estimate import ahead_of, estimate_wait


def wait_form(low: int, high: int) -> str:
    """How to word a wait range: "none" (no wait), "up_to" (up to high) or "range" (low–high)."""
    if high <= 1:
        return "none"
    return "up_to" if low == 0 else "range"


def ticket_status(session: Session, ticket: Ticket, now: datetime) -> dict:
    """The ticket's state, place in its queue, estimate and (when called) its cabinet, at the office's version."""
    version = session.scalar(select(Office.version).where(Office.id == ticket.office_id))
    status = {
        "version": version,
        "label": ticket.label,
        "status": ticket.status,
        "cabinet": ticket.cabinet.number if ticket.cabinet and ticket.status in (CALLED, SERVING) else None,
        "recalls": ticket.recalls,
        "ahead": None,
        "wait": None,
    }
    if ticket.status == WAITING:
        ahead = ahead_of(session, ticket)
        estimate = estimate_wait(session, ticket.office_id, ticket.visit_kind, now, ahead=ahead)
        status["ahead"] = ahead
        status["wait"] = {"low": estimate.low, "high": estimate.high, "form": wait_form(estimate.low, estimate.high)}
    return status


def waiting_tickets(session: Session, office_id: int) -> list[Ticket]:
    """The office's waiting tickets, whose place or estimate another visitor's change may move."""
    return list(session.scalars(select(Ticket).where(Ticket.office_id == office_id, Ticket.status == WAITING)))
