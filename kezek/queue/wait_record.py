"""A ticket's wait record (no Flask): what the reports read of its log, kept right as each event is written.

Reports aggregate `wait_record` rather than the event log (kezek.reports.facts says why);
kezek.queue.events.record_event calls `refresh` for every event the record depends on, and marks the
ticket's month changed in the rollup (`invalidate_months`, kezek.reports.rollup), in the transaction that
writes the event.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kezek.models import HAND_IN, Office, Ticket, TicketEvent, VisitKind
from kezek.models.reports import WaitRecord
from kezek.models.rollup import RollupMonth

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


def month_of(day: date) -> date:
    """The first day of the month of `day`."""
    return day.replace(day=1)


def refresh(session: Session, ticket: Ticket, pending: Sequence[TicketEvent] = ()) -> None:
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
    assert kind is not None and office is not None  # a ticket's visit kind and office are never deleted
    values = record_values(ticket, first, (kind.service_id, kind.kind), ZoneInfo(office.timezone or "Asia/Almaty"))
    record = session.get(WaitRecord, ticket.id)
    if record is None:
        session.add(WaitRecord(**values))
    else:
        for name, value in values.items():
            setattr(record, name, value)


def invalidate_months(session: Session, days: set[tuple[date, int]]) -> None:
    """Mark the months of these (local day, office) pairs changed, in the caller's transaction."""
    for month, office in sorted({(month_of(day), office) for day, office in days}):
        session.execute(
            update(RollupMonth)
            .where(RollupMonth.month == month, RollupMonth.office_id == office)
            .values(generation=RollupMonth.generation + 1)
            .execution_options(synchronize_session=False)
        )
