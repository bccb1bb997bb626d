"""A ticket's wait record (no Flask): what the reports read of its log, kept right as each event is written.

Reports aggregate `wait_record` rather than the event log (kezek.reports.facts says why);
kezek.queue.events.record_event calls `refresh` for every event the record depends on, and marks the
ticket's month changed in the rollup (`invalidate_months`, kezek.reports.rollup), in the transaction that
writes the event.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.orm.util import identity_key

from kezek.models import HAND_IN, Office, Ticket, TicketEvent, VisitKind
from kezek.models.reports import WaitRecord
from kezek.models.rollup import RollupMonth
from kezek.queue import per_transaction

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


class FirstCall(NamedTuple):
    """A ticket's first call as its wait record reads it (the columns of its "called" log entry)."""

    at: datetime
    user_id: int | None
    cabinet_id: int | None


_FIRST_CALLS = "first calls"  # per_transaction.known: ticket id -> FirstCall | None

# The earliest call of one ticket (its wait ends there), and the record written whole, new or not: built once.
_FIRST_CALL = (
    select(TicketEvent.at, TicketEvent.user_id, TicketEvent.cabinet_id)
    .where(TicketEvent.ticket_id == bindparam("ticket_id"), TicketEvent.kind == "called")
    .order_by(TicketEvent.at, TicketEvent.id)
    .limit(1)
)


@lru_cache(maxsize=4)
def _upsert(dialect: str):
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(WaitRecord)
    columns = [column.name for column in WaitRecord.__table__.columns if column.name != "ticket_id"]
    return statement.on_conflict_do_update(
        index_elements=["ticket_id"], set_={name: statement.excluded[name] for name in columns}
    )


def refresh(session: Session, ticket: Ticket, event: dict) -> None:
    """Bring one ticket's wait record up to date after `event` (the values of the log entry just written).

    The first call is read from the log once per transaction and then kept (`per_transaction.known`): every
    later event of the ticket in the transaction passes through here. The record is written whole with one
    statement, new or not; a record loaded in the session is expired so that it reads the new one.
    """
    connection = session.connection()
    calls = per_transaction.known(session, _FIRST_CALLS)
    if ticket.id in calls:
        first = calls[ticket.id]
        if event["kind"] == "called" and (first is None or event["at"] < first.at):
            first = FirstCall(event["at"], event["user_id"], event["cabinet_id"])
    else:
        first = connection.execute(_FIRST_CALL, {"ticket_id": ticket.id}).first()
    calls[ticket.id] = first
    kind = session.get(VisitKind, ticket.visit_kind_id)
    office = session.get(Office, ticket.office_id)
    assert kind is not None and office is not None  # a ticket's visit kind and office are never deleted
    values = record_values(ticket, first, (kind.service_id, kind.kind), ZoneInfo(office.timezone or "Asia/Almaty"))
    connection.execute(_upsert(connection.dialect.name), values)
    loaded = session.identity_map.get(identity_key(WaitRecord, ticket.id))
    if loaded is not None:
        session.expire(loaded)


def issued(session: Session, ticket_id: int) -> None:
    """A ticket issued in this transaction has no call yet: its first call needs no reading."""
    per_transaction.known(session, _FIRST_CALLS)[ticket_id] = None


def month_key(month: date, office_id: int) -> tuple:
    """What `per_transaction` remembers of a month marked changed."""
    return ("rollup month", month, office_id)


def invalidate_months(session: Session, days: set[tuple[date, int]]) -> None:
    """Mark the months of these (local day, office) pairs changed, in the caller's transaction (once in it)."""
    for month, office in sorted({(month_of(day), office) for day, office in days}):
        if per_transaction.first_time(session, month_key(month, office)):
            session.connection().execute(_INVALIDATE, {"of_month": month, "of_office": office})


_INVALIDATE = (
    update(RollupMonth)
    .where(RollupMonth.month == bindparam("of_month"), RollupMonth.office_id == bindparam("of_office"))
    .values(generation=RollupMonth.generation + 1)
)
