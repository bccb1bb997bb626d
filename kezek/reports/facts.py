"""The wait record of each ticket (no Flask): kept in step with the event log, rebuilt in bulk when needed.

Reports aggregate `wait_record` rather than the event log: the wait of a ticket is its first call
minus its issue (a transfer keeps the original issue time), and finding the first call among all
events for a year of tickets is too slow to do on every page. Every writer of a ticket event goes
through kezek.queue.events.record_event, which refreshes the record (kezek.queue.wait_record) so it
commits with the event, and marks the ticket's month changed in the rollup. A flush hook on
Kezek's sessions (`watch`, registered by kezek.sessions) marks the month changed when a decision date
is recorded.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from kezek.models import Office, Ticket, TicketEvent, VisitKind
from kezek.models.reports import ServiceDecision, WaitRecord
from kezek.queue.wait_record import invalidate_months, record_values
from kezek.reports import rollup


def _kinds(session: Session) -> dict[int, tuple[int, str]]:
    return {
        row.id: (row.service_id, row.kind)
        for row in session.execute(select(VisitKind.id, VisitKind.service_id, VisitKind.kind))
    }


def _zones(session: Session) -> dict[int, ZoneInfo]:
    return {
        row.id: ZoneInfo(row.timezone or "Asia/Almaty") for row in session.execute(select(Office.id, Office.timezone))
    }


def _keep_decided_records(session: Session, _context, _instances) -> None:
    decided = {
        obj.ticket_id for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, ServiceDecision)
    }
    if not decided:
        return
    with session.no_autoflush:
        changed = set()
        for ticket_id in decided:
            ticket = session.get(Ticket, ticket_id)
            if ticket is not None:
                changed.add((ticket.service_day, ticket.office_id))
        # A rolled-up month that changes is read from the records again until it is rolled up anew.
        invalidate_months(session, changed)


def watch(factory) -> None:
    """Have the sessions `factory` (a sessionmaker) mark a month changed when a decision date is written."""
    if not event.contains(factory, "before_flush", _keep_decided_records):
        event.listen(factory, "before_flush", _keep_decided_records)


def rebuild(session: Session, first_day: date | None = None, last_day: date | None = None, batch: int = 5000) -> int:
    """Recompute the wait records of every called or closed ticket of the days given; returns how many."""
    kinds, zones = _kinds(session), _zones(session)
    query = select(Ticket.id).where(Ticket.called_at.is_not(None) | Ticket.finished_at.is_not(None))
    if first_day:
        query = query.where(Ticket.service_day >= first_day)
    if last_day:
        query = query.where(Ticket.service_day <= last_day)
    ids = list(session.scalars(query.order_by(Ticket.id)))
    rollup.invalidate_range(session, first_day, last_day)
    columns = [c for c in Ticket.__table__.c]
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        tickets = session.execute(select(*columns).where(Ticket.id.in_(chunk))).all()
        calls: dict = {}
        for call in session.execute(
            select(TicketEvent.ticket_id, TicketEvent.at, TicketEvent.user_id, TicketEvent.cabinet_id)
            .where(TicketEvent.ticket_id.in_(chunk), TicketEvent.kind == "called")
            .order_by(TicketEvent.ticket_id, TicketEvent.at.desc(), TicketEvent.id.desc())
        ):
            calls[call.ticket_id] = call  # the last one written is the earliest call
        rows = [record_values(t, calls.get(t.id), kinds[t.visit_kind_id], zones[t.office_id]) for t in tickets]
        session.execute(delete(WaitRecord).where(WaitRecord.ticket_id.in_(chunk)))
        if rows:
            session.execute(insert(WaitRecord), rows)
    return len(ids)
