"""A clerk cancels a ticket (the visitor left, or it was taken by mistake), saying why, and may take it back
within UNDO_SECONDS; both are in the ticket's log. Same contract as kezek.queue.clerk: the caller commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import CALLED, CANCELLED, SERVING, WAITING, Cabinet, Ticket, TicketEvent, User
from kezek.queue.changes import changed, hold_office
from kezek.queue.clerk import NotAllowed, Outcome, current_ticket, log_event, outcome_note, own_ticket
from kezek.queue.errors import NotFound

# How long a cancellation can be taken back from the console.
UNDO_SECONDS = 60

CANCEL_REASONS = ("left", "mistake", "duplicate", "other")


def cancel(
    session: Session,
    cabinet: Cabinet,
    clerk: User,
    ticket_id: int,
    now: datetime,
    *,
    reason: str = "other",
    note: str | None = None,
) -> Outcome:
    """Cancel a ticket (the visitor left, or it was taken by mistake), saying why; undone within
    UNDO_SECONDS by `uncancel`."""
    if reason not in CANCEL_REASONS:
        raise NotAllowed(reason="cancel_reason")
    ticket = own_ticket(session, cabinet, ticket_id, (WAITING, CALLED, SERVING, CANCELLED))
    if ticket.status == CANCELLED:
        return Outcome(ticket, None)
    before = ticket.status
    ticket.status, ticket.finished_at, ticket.outcome_note = CANCELLED, now, outcome_note(note)
    log_event(session, ticket, "cancelled", now, cabinet, clerk, reason=reason, note=ticket.outcome_note, before=before)
    return Outcome(ticket, changed(session, cabinet.office_id, "cancelled", ticket.id, cabinet.id))


def last_cancel(session: Session, ticket_id: int) -> TicketEvent | None:
    """The ticket's newest log entry if it is its cancellation (None otherwise)."""
    newest = session.scalar(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket_id)
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(1)
    )
    return newest if newest is not None and newest.kind == "cancelled" else None


def undoable_cancel(session: Session, cabinet: Cabinet, now: datetime) -> tuple[Ticket, TicketEvent] | None:
    """The ticket this cabinet cancelled within the last UNDO_SECONDS, if it is still cancelled."""
    found = session.execute(
        select(Ticket, TicketEvent)
        .join(TicketEvent, TicketEvent.ticket_id == Ticket.id)
        .where(
            TicketEvent.kind == "cancelled",
            TicketEvent.cabinet_id == cabinet.id,
            TicketEvent.at >= now - timedelta(seconds=UNDO_SECONDS),
            Ticket.status == CANCELLED,
        )
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(1)
    ).first()
    return None if found is None else (found[0], found[1])


def uncancel(session: Session, cabinet: Cabinet, clerk: User, ticket_id: int, now: datetime) -> Outcome:
    """Take back this cabinet's cancellation of the last UNDO_SECONDS: the visitor is where they were (back
    in the queue at their place if the cabinet has called someone else meanwhile)."""
    hold_office(session, cabinet.office_id)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.office_id != cabinet.office_id:
        raise NotFound(what="ticket")
    if ticket.status != CANCELLED:
        return Outcome(ticket, None)  # undone already (a retried command)
    cancelled = last_cancel(session, ticket.id)
    if cancelled is None or cancelled.cabinet_id != cabinet.id:
        raise NotAllowed(reason="not_cancelled_here")
    if now - cancelled.at > timedelta(seconds=UNDO_SECONDS):
        raise NotAllowed(reason="too_late_to_undo", seconds=UNDO_SECONDS)
    before = (cancelled.detail or {}).get("before", WAITING)
    if before in (CALLED, SERVING) and current_ticket(session, cabinet) is None:
        ticket.status = before
    else:
        ticket.status, ticket.cabinet_id, ticket.started_at = WAITING, None, None
    ticket.finished_at, ticket.outcome_note = None, None
    log_event(session, ticket, "uncancelled", now, cabinet, clerk, status=ticket.status)
    return Outcome(ticket, changed(session, cabinet.office_id, "uncancelled", ticket.id, cabinet.id))
