"""Recording a ticket event: the one way every writer adds to a ticket's log, its wait record kept right."""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from kezek.models import Cabinet, Ticket, TicketEvent, User
from kezek.queue import wait_record


@lru_cache(maxsize=1)
def _insert():
    return insert(TicketEvent)


def record_event(
    session: Session,
    ticket: Ticket,
    kind: str,
    now: datetime,
    *,
    cabinet: Cabinet | None = None,
    clerk: User | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Add `kind` to `ticket`'s log at `now` and bring its wait record up to date; the caller commits.

    Call it once the ticket's own columns say what the event did (status, times): the wait record is
    computed from them here and now, not by a hook at flush. The event is written with one plain insert
    (no unit-of-work flush: nothing reads it back as an object), and so is the record (`wait_record.refresh`)
    when the event is one it depends on (`wait_record.TRACKED`; the issue makes no record).
    """
    values = {
        "ticket_id": ticket.id,
        "kind": kind,
        "at": now,
        "cabinet_id": cabinet.id if cabinet else None,
        "user_id": clerk.id if clerk else None,
        "detail": detail or {},
    }
    session.connection().execute(_insert(), values)
    if kind == "issued":
        wait_record.issued(session, ticket.id)
    if kind not in wait_record.TRACKED:
        return
    wait_record.refresh(session, ticket, values)
    # A rolled-up month that changes is read from the records again until it is rolled up anew.
    wait_record.invalidate_months(session, {(ticket.service_day, ticket.office_id)})
