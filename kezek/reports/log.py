"""The wait-time log (no Flask): every ticket with its times, wait and outcome, filtered, keyset-paginated."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from kezek.models import Cabinet, Office, Ticket, User, VisitKind
from kezek.models.reports import WaitRecord
from kezek.reports.closed_time import Schedules, open_minutes

PAGE_SIZE = 50
OUTCOMES = ("served", "no_show", "transferred", "cancelled", "waiting", "called", "serving")


@dataclass
class LogFilter:
    """What the manager filtered the log by; None means any."""

    first: date
    last: date
    office_ids: list[int] | None = None
    service_id: int | None = None
    visit_kind_id: int | None = None
    clerk_id: int | None = None
    outcome: str | None = None


@dataclass
class LogRow:
    """One ticket of the log, with local times and minutes."""

    id: int
    office: Office
    visit_kind: VisitKind
    label: str
    issued: datetime
    called: datetime | None
    started: datetime | None
    finished: datetime | None
    wait: float | None
    service: float | None
    cabinet: str | None
    clerk: str | None
    outcome: str
    transferred: bool
    recalls: int
    limit: int
    limit_held: bool | None
    note: str | None = None  # the clerk's outcome note, or why the ticket was cancelled
    wait_open: float | None = None  # the wait with the office's closed periods (lunch, before opening) left out


def _query(flt: LogFilter):
    clerk = aliased(User)
    query = (
        select(
            Ticket,
            WaitRecord.first_called_at,
            WaitRecord.wait_seconds,
            WaitRecord.within_limit,
            Cabinet.number.label("cabinet"),
            clerk.display_name,
            clerk.username,
        )
        .outerjoin(WaitRecord, WaitRecord.ticket_id == Ticket.id)
        .outerjoin(Cabinet, Cabinet.id == Ticket.cabinet_id)
        .outerjoin(clerk, clerk.id == Ticket.clerk_id)
        .where(Ticket.service_day >= flt.first, Ticket.service_day <= flt.last)
    )
    if flt.office_ids is not None:
        query = query.where(Ticket.office_id.in_(flt.office_ids))
    if flt.visit_kind_id is not None:
        query = query.where(Ticket.visit_kind_id == flt.visit_kind_id)
    if flt.service_id is not None:
        query = query.where(
            Ticket.visit_kind_id.in_(select(VisitKind.id).where(VisitKind.service_id == flt.service_id))
        )
    if flt.clerk_id is not None:
        query = query.where(Ticket.clerk_id == flt.clerk_id)
    if flt.outcome == "transferred":
        query = query.where(Ticket.transfers > 0)
    elif flt.outcome is not None:
        query = query.where(Ticket.status == flt.outcome)
    return query.order_by(Ticket.issued_at.desc(), Ticket.id.desc())


def _lookups(session: Session) -> tuple[dict, dict, dict, Schedules]:
    offices = {office.id: office for office in session.scalars(select(Office))}
    kinds = {kind.id: kind for kind in session.scalars(select(VisitKind))}
    zones = {office.id: ZoneInfo(office.timezone or "Asia/Almaty") for office in offices.values()}
    return offices, kinds, zones, Schedules(session)


def _rows(lookups: tuple[dict, dict, dict, Schedules], result) -> Iterator[LogRow]:
    offices, kinds, zones, schedules = lookups
    for ticket, first_called, wait, held, cabinet, clerk_name, clerk_login in result:
        office, kind, tz = offices[ticket.office_id], kinds[ticket.visit_kind_id], zones[ticket.office_id]
        local = lambda moment: moment.astimezone(tz).replace(tzinfo=None) if moment else None  # noqa: E731
        service = None
        if ticket.started_at and ticket.finished_at:
            service = round((ticket.finished_at - ticket.started_at).total_seconds() / 60, 1)
        wait_open = None
        if wait is not None and first_called is not None:
            schedule = schedules.on(ticket.office_id, ticket.service_day)
            wait_open = open_minutes(schedule, first_called - timedelta(seconds=wait), first_called)
        yield LogRow(
            id=ticket.id,
            office=office,
            visit_kind=kind,
            label=ticket.label,
            issued=local(ticket.issued_at),
            called=local(first_called),
            started=local(ticket.started_at),
            finished=local(ticket.finished_at),
            wait=None if wait is None else round(wait / 60, 1),
            service=service,
            cabinet=cabinet,
            clerk=(clerk_name or clerk_login) if clerk_login else None,
            outcome=ticket.status,
            transferred=ticket.transfers > 0,
            recalls=ticket.recalls,
            limit=ticket.wait_limit_minutes,
            limit_held=held,
            note=ticket.outcome_note,
            wait_open=wait_open,
        )


def encode_cursor(row: LogRow, issued_utc: datetime) -> str:
    """The keyset cursor after `row`: its issue time (UTC, microseconds) and id."""
    return f"{int(issued_utc.timestamp() * 1_000_000)}.{row.id}"


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    """The issue time and id of a cursor; ValueError if it is not one."""
    micros, ticket_id = cursor.split(".")
    try:
        moment = datetime.fromtimestamp(int(micros) / 1_000_000, timezone.utc)
    except (OverflowError, OSError) as error:  # a moment no ticket can have been issued at
        raise ValueError(f"not a cursor: {cursor!r}") from error
    if not 0 < int(ticket_id) <= 2**31 - 1:  # ticket ids are INTEGER columns
        raise ValueError(f"not a cursor: {cursor!r}")
    return moment, int(ticket_id)


def page(
    session: Session, flt: LogFilter, after: str | None = None, size: int = PAGE_SIZE
) -> tuple[list[LogRow], str | None]:
    """One page of the log, newest first, and the cursor of the next page (None on the last)."""
    query = _query(flt)
    if after:
        issued, ticket_id = decode_cursor(after)
        query = query.where((Ticket.issued_at < issued) | ((Ticket.issued_at == issued) & (Ticket.id < ticket_id)))
    result = session.execute(query.limit(size + 1)).all()
    rows = list(_rows(_lookups(session), result[:size]))
    cursor = encode_cursor(rows[-1], result[size - 1][0].issued_at) if len(result) > size else None
    return rows, cursor


def every_row(session: Session, flt: LogFilter, chunk: int = 2000) -> Iterator[LogRow]:
    """Every row of the filtered log, newest first, fetched in chunks so memory stays flat."""
    lookups = _lookups(session)
    result = session.execute(_query(flt).execution_options(yield_per=chunk))
    yield from _rows(lookups, result)
