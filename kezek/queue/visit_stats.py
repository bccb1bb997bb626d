"""Visit-time statistics: how long a call of each visit kind kept a cabinet busy lately, read by the database.

The mean time a call kept a cabinet busy (call or start to finish) over the last 30 such visits in 14
days, with its spread, or the visit kind's default before there are MIN_HISTORY visits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

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


def _visit_minutes_column(dialect: str):
    """Minutes from the call (or the start) to the finish, computed by the database."""
    begun = func.coalesce(Ticket.called_at, Ticket.started_at)
    if dialect == "postgresql":
        return func.extract("epoch", Ticket.finished_at - begun) / 60
    return (func.julianday(Ticket.finished_at) - func.julianday(begun)) * 1440


@lru_cache(maxsize=4)
def _recent(dialect: str):
    """The office's finished visits of the last 14 days, newest first per visit kind, numbered.

    Built once per database dialect; parameters: office_id, from_day, since, now.
    """
    minutes = _visit_minutes_column(dialect)
    return (
        select(
            Ticket.visit_kind_id.label("kind_id"),
            minutes.label("minutes"),
            func.row_number().over(partition_by=Ticket.visit_kind_id, order_by=Ticket.id.desc()).label("n"),
        )
        .where(
            Ticket.office_id == bindparam("office_id"),
            Ticket.service_day >= bindparam("from_day"),
            Ticket.status.in_((SERVED, NO_SHOW)),
            Ticket.finished_at.is_not(None),
            Ticket.finished_at >= bindparam("since"),
            Ticket.finished_at <= bindparam("now"),
            minutes >= 0,
        )
        .subquery()
    )


def _recent_values(office_id: int, now: datetime) -> dict:
    return {
        "office_id": office_id,
        "from_day": (now - timedelta(days=HISTORY_DAYS + 1)).date(),
        "since": now - timedelta(days=HISTORY_DAYS),
        "now": now,
    }


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def service_minutes(session: Session, office_id: int, visit_kind: VisitKind, now: datetime) -> list[float]:
    """Recent times a call of this visit kind kept a cabinet busy (call or start to finish), newest first."""
    recent = _recent(_dialect(session))
    query = (
        select(recent.c.minutes)
        .where(recent.c.kind_id == visit_kind.id, recent.c.n <= HISTORY_VISITS)
        .order_by(recent.c.n)
    )
    return [float(value) for value in session.scalars(query, _recent_values(office_id, now))]


@lru_cache(maxsize=4)
def _kinds_with_history(dialect: str):
    """Every visit kind (id, default minutes, wait limit) with its recent visits' count, mean and mean square."""
    recent = _recent(dialect)
    history = (
        select(
            recent.c.kind_id,
            func.count().label("count"),
            func.avg(recent.c.minutes).label("mean"),
            func.avg(recent.c.minutes * recent.c.minutes).label("square"),
        )
        .where(recent.c.n <= HISTORY_VISITS)
        .group_by(recent.c.kind_id)
        .subquery()
    )
    return select(
        VisitKind.id,
        VisitKind.default_service_minutes,
        VisitKind.wait_limit_minutes,
        history.c.count,
        history.c.mean,
        history.c.square,
    ).outerjoin(history, history.c.kind_id == VisitKind.id)


UNKNOWN_VISIT = VisitTime(6.0, 3.0)  # a visit kind the office has no figures for


def kinds_and_times(
    session: Session, office_id: int, now: datetime
) -> tuple[list[tuple[int, int, int]], dict[int, VisitTime]]:
    """Every visit kind as (id, default minutes, wait limit), and how long its visits last at the office."""
    kinds, times = [], {}
    for kind_id, default, limit, count, mean, square in session.execute(
        _kinds_with_history(_dialect(session)), _recent_values(office_id, now)
    ):
        kinds.append((kind_id, default, limit))
        if count and count >= MIN_HISTORY:
            mean, square = float(mean), float(square)
            spread = math.sqrt(max(0.0, square - mean * mean) * count / (count - 1))
            times[kind_id] = VisitTime(round(mean, 3), round(spread, 3))  # to the second, not julianday's noise
        else:
            times[kind_id] = VisitTime(float(default), 0.5 * default)
    return kinds, times
