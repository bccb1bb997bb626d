"""The wait record of each ticket (no Flask): kept in step with the event log, rebuilt in bulk when needed.

Reports aggregate `wait_record` rather than the event log: the wait of a ticket is its first call
minus its issue (a transfer keeps the original issue time), and finding the first call among all
events for a year of tickets is too slow to do on every page. A flush hook on Kezek's sessions
(`watch`, registered by kezek.sessions) refreshes the record whenever the queue rules add an event
for a ticket, so the record commits with the event, and marks the ticket's month changed in the
rollup (as it does when a decision date is recorded).
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import delete, event, insert, select
from sqlalchemy.orm import Session

from kezek.models import HAND_IN, Office, Ticket, TicketEvent, VisitKind
from kezek.models.reports import ServiceDecision, WaitRecord
from kezek.reports import rollup

# Events that change what a ticket's record says (the issue alone makes no record).
TRACKED = {"called", "recalled", "started", "finished", "no_show", "transferred", "cancelled", "uncancelled"}


def record_values(ticket, first_call, kind: tuple[int, str], tz: ZoneInfo) -> dict:
    """The wait record of `ticket` (a Ticket or a row with its columns) given its first 'called' event."""
    local = ticket.issued_at.astimezone(tz)
    since = min(ticket.issued_at, ticket.queue_since)
    called_at = first_call.at if first_call is not None else None
    wait = int((called_at - since).total_seconds()) if called_at is not None else None
    service = None
    if ticket.started_at is not None and ticket.finished_at is not None:
        service = int((ticket.finished_at - ticket.started_at).total_seconds())
    return {
        "ticket_id": ticket.id,
        "office_id": ticket.office_id,
        "service_id": kind[0],
        "visit_kind_id": ticket.visit_kind_id,
        "hand_in": kind[1] == HAND_IN,
        "clerk_id": first_call.user_id if first_call is not None else None,
        "cabinet_id": first_call.cabinet_id if first_call is not None else None,
        "service_day": ticket.service_day,
        "weekday": local.weekday(),
        "hour": local.hour,
        "first_called_at": called_at,
        "wait_seconds": wait,
        "service_seconds": service,
        "wait_limit_minutes": ticket.wait_limit_minutes,
        "within_limit": None if wait is None else wait <= ticket.wait_limit_minutes * 60,
        "outcome": ticket.status,
        "transferred": ticket.transfers > 0,
        "documents_correct": ticket.documents_correct,
    }


def _kinds(session: Session) -> dict[int, tuple[int, str]]:
    return {
        row.id: (row.service_id, row.kind)
        for row in session.execute(select(VisitKind.id, VisitKind.service_id, VisitKind.kind))
    }


def _zones(session: Session) -> dict[int, ZoneInfo]:
    return {
        row.id: ZoneInfo(row.timezone or "Asia/Almaty") for row in session.execute(select(Office.id, Office.timezone))
    }


def refresh(session: Session, ticket: Ticket, pending: list[TicketEvent] = ()) -> None:
    """Bring one ticket's wait record up to date (inside the caller's transaction)."""
    calls = [e for e in pending if e.kind == "called"]
    stored = session.scalar(
        select(TicketEvent)
        .where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "called")
        .order_by(TicketEvent.at, TicketEvent.id)
        .limit(1)
    )
    if stored is not None:
        calls.append(stored)
    first = min(calls, key=lambda e: e.at) if calls else None
    kind = session.get(VisitKind, ticket.visit_kind_id)
    office = session.get(Office, ticket.office_id)
    values = record_values(ticket, first, (kind.service_id, kind.kind), ZoneInfo(office.timezone or "Asia/Almaty"))
    record = session.get(WaitRecord, ticket.id)
    if record is None:
        session.add(WaitRecord(**values))
    else:
        for name, value in values.items():
            setattr(record, name, value)


def _keep_wait_records(session: Session, _context, _instances) -> None:
    pending: dict[int, list[TicketEvent]] = {}
    for obj in session.new:
        if isinstance(obj, TicketEvent) and obj.kind in TRACKED and obj.ticket_id is not None:
            pending.setdefault(obj.ticket_id, []).append(obj)
    decided = {
        obj.ticket_id for obj in (*session.new, *session.dirty, *session.deleted) if isinstance(obj, ServiceDecision)
    }
    if not pending and not decided:
        return
    with session.no_autoflush:
        changed = set()
        for ticket_id in {*pending, *decided}:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                continue
            if ticket_id in pending:
                refresh(session, ticket, pending[ticket_id])
            changed.add((ticket.service_day, ticket.office_id))
        # A rolled-up month that changes is read from the records again until it is rolled up anew.
        rollup.invalidate(session, changed)


def watch(factory) -> None:
    """Have the sessions `factory` (a sessionmaker) keep wait records in step as they flush (kezek.sessions)."""
    if not event.contains(factory, "before_flush", _keep_wait_records):
        event.listen(factory, "before_flush", _keep_wait_records)


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
