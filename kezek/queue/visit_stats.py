"""Visit-time statistics: how long a call of each visit kind kept a cabinet busy lately.

The mean time a call kept a cabinet busy (call or start to finish) over the last 30 such visits in 14
days, with its spread, or the visit kind's default before there are MIN_HISTORY visits. The visits are
read from the database once (`recent_visits`), then a visit that ends in this process is added to them
as reading them again would give (`with_visit`): a clerk's call after each finish needs no new reading.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from kezek.models import NO_SHOW, SERVED, Ticket, VisitKind

HISTORY_VISITS = 30
HISTORY_DAYS = 14
MIN_HISTORY = 5


@dataclass(frozen=True)
class VisitTime:
    """How long a call of one visit kind keeps a cabinet busy: mean and spread, in minutes."""

    mean: float
    sd: float


def _recent_values(office_id: int, now: datetime) -> dict:
    return {
        "office_id": office_id,
        "from_day": (now - timedelta(days=HISTORY_DAYS + 1)).date(),
        "since": now - timedelta(days=HISTORY_DAYS),
        "now": now,
    }


_KINDS = select(VisitKind.id, VisitKind.default_service_minutes, VisitKind.wait_limit_minutes).order_by(VisitKind.id)


def _recent_rows():
    """The office's newest HISTORY_VISITS finished visits of each visit kind in the last 14 days, as rows
    (kind, ticket id, finished, call or start, day); a visit ending before it began is left out. Parameters:
    office_id, from_day, since, now. The minutes are worked out in Python, as for a visit added by `with_visit`."""
    begun = func.coalesce(Ticket.called_at, Ticket.started_at)
    numbered = (
        select(
            Ticket.visit_kind_id.label("kind_id"),
            Ticket.id,
            Ticket.finished_at,
            begun.label("begun"),
            Ticket.service_day,
            func.row_number().over(partition_by=Ticket.visit_kind_id, order_by=Ticket.id.desc()).label("n"),
        )
        .where(
            Ticket.office_id == bindparam("office_id"),
            Ticket.service_day >= bindparam("from_day"),
            Ticket.status.in_((SERVED, NO_SHOW)),
            Ticket.finished_at.is_not(None),
            Ticket.finished_at >= bindparam("since"),
            Ticket.finished_at <= bindparam("now"),
            Ticket.finished_at >= begun,
        )
        .subquery()
    )
    columns = numbered.c
    return select(columns.kind_id, columns.id, columns.finished_at, columns.begun, columns.service_day).where(
        columns.n <= HISTORY_VISITS
    )


_RECENT_ROWS = _recent_rows()

UNKNOWN_VISIT = VisitTime(6.0, 3.0)  # a visit kind the office has no figures for


class Visit(NamedTuple):
    """One finished visit as the visit times count it."""

    ticket_id: int
    minutes: float
    finished: datetime
    day: date


# visit kind id -> its newest visits (at most HISTORY_VISITS), newest ticket first
Recent = dict[int, tuple[Visit, ...]]


def recent_visits(session: Session, office_id: int, now: datetime) -> Recent:
    """The office's recent finished visits of each visit kind (see the module's docstring)."""
    found: dict[int, list[Visit]] = {}
    for kind_id, ticket_id, finished, begun, day in session.execute(_RECENT_ROWS, _recent_values(office_id, now)):
        found.setdefault(kind_id, []).append(Visit(ticket_id, (finished - begun).total_seconds() / 60, finished, day))
    return {kind_id: tuple(sorted(visits, reverse=True)) for kind_id, visits in found.items()}


def visit_time(visits: tuple[Visit, ...], default_minutes: int) -> VisitTime:
    """The mean and spread of these visits, or the visit kind's default before there are MIN_HISTORY."""
    count = len(visits)
    if count < MIN_HISTORY:
        return VisitTime(float(default_minutes), 0.5 * default_minutes)
    mean = sum(visit.minutes for visit in visits) / count
    square = sum(visit.minutes * visit.minutes for visit in visits) / count
    spread = math.sqrt(max(0.0, square - mean * mean) * count / (count - 1))
    return VisitTime(round(mean, 3), round(spread, 3))  # to the second


def times_of(kinds: list[tuple[int, int, int]], recent: Recent) -> dict[int, VisitTime]:
    """The visit time of every visit kind (id, default minutes, wait limit) from its recent visits."""
    return {kind_id: visit_time(recent.get(kind_id, ()), default) for kind_id, default, _limit in kinds}


def with_visit(recent: Recent, kind_id: int, visit: Visit, now: datetime) -> Recent | None:
    """`recent` with a visit that has just ended, as reading them again at `now` would give, or None when only
    reading them again can tell (the visit already counted, or one counted has left the 14 days)."""
    if visit.minutes < 0 or not _in_window(visit, now):
        return recent  # the reading would leave it out
    visits = recent.get(kind_id, ())
    if any(known.ticket_id == visit.ticket_id for known in visits):
        return None
    kept = tuple(known for known in visits if _in_window(known, now))
    if len(kept) < len(visits) == HISTORY_VISITS:
        return None  # an older visit than these, left out while they were the newest, may count now
    return {**recent, kind_id: tuple(sorted((*kept, visit), reverse=True)[:HISTORY_VISITS])}


def _in_window(visit: Visit, now: datetime) -> bool:
    values = _recent_values(0, now)
    return visit.day >= values["from_day"] and values["since"] <= visit.finished <= now


def kinds_and_times(
    session: Session, office_id: int, now: datetime
) -> tuple[list[tuple[int, int, int]], dict[int, VisitTime], Recent]:
    """Every visit kind as (id, default minutes, wait limit), how long its visits last at the office, and the
    recent visits that says so."""
    kinds = [(kind_id, default, limit) for kind_id, default, limit in session.execute(_KINDS)]
    recent = recent_visits(session, office_id, now)
    return kinds, times_of(kinds, recent), recent
