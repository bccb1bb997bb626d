"""The monthly rollup of the wait records (no Flask): built per office and month, read instead of the records.

Why months and not days: one office's day has a few hundred tickets, and grouped by clerk, hour and
whole minute waited it has about as many groups, so a daily rollup would be no smaller than the
records. An office's month (some 5,700 tickets in the benchmark) rolls up into about a thousand rows,
and the database sums a region's year of them in a fraction of a second. Each group keeps a row per
whole minute waited, so medians and 95th percentiles come out exactly as from the records.

A report reads from the rollup only whole months that ended before `closed_before` and are current
(not changed since they were rolled up); the days at the ends of the range, the current month and
any month changed since come from the wait records. kezek.queue.wait_record marks a month changed in the same
transaction that changes one of its wait records or decisions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Date, Integer, String, and_, case, cast, delete, func, insert, literal, null, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from kezek.models import NO_SHOW, SERVED, Office
from kezek.models.reports import ServiceDecision, WaitRecord
from kezek.models.rollup import RollupMonth, WaitRollup
from kezek.queue import per_transaction
from kezek.queue.wait_record import month_key, month_of

# Each family's group keys (besides office and service); the first three keep a row per minute waited.
FAMILIES = {
    "detail": ("visit_kind_id", "clerk_id", "wait_limit_minutes", "hand_in"),
    "weekday": ("weekday",),
    "hour": ("hour",),
    "heat": ("weekday", "hour"),
    "day": ("day",),
}
# Read from the records only: the weekday, hour and heat families of the days outside the rollup, in one pass.
RECORDS_ONLY = {"timing": ("weekday", "hour")}
HISTOGRAM = {"detail", "weekday", "hour", "timing"}
# Families whose groups the reports tell apart by office and service; the others are summed over them.
PER_OFFICE = {"detail"}
FIGURES = (
    "tickets",
    "called",
    "within",
    "at_40",
    "served",
    "no_show",
    "wait_seconds",
    "longest_seconds",
    "docs_ok",
    "docs",
)


def month_end(month: date) -> date:
    """The last day of the month starting on `month`."""
    return (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)


def closed_before(today: date) -> date:
    """The day before which a month counts as closed: yesterday and today are always read from the records."""
    return today - timedelta(days=1)


def whole_months(first: date, last: date, closed_before: date | None) -> list[date]:
    """The months lying wholly within first..last and ended before `closed_before`."""
    if closed_before is None:
        return []
    months, month = [], month_of(first) if first.day == 1 else month_end(first) + timedelta(days=1)
    while month_end(month) <= last and month_end(month) < closed_before:
        months.append(month)
        month = month_end(month) + timedelta(days=1)
    return months


@dataclass
class Plan:
    """Where a range's figures come from: current rolled-up months, and day ranges read from the records."""

    months: list[date] = field(default_factory=list)
    ranges: list[tuple[date, date]] = field(default_factory=list)


def _all_offices(session: Session) -> list[int]:
    return list(session.scalars(select(Office.id).order_by(Office.id)))


def current(session: Session, months: list[date], office_ids: list[int] | None) -> set[date]:
    """Which of `months` are rolled up and unchanged since for every office asked about (None: all)."""
    if not months:
        return set()
    offices = office_ids if office_ids is not None else _all_offices(session)
    query = (
        select(RollupMonth.month)
        .where(
            RollupMonth.month.in_(months),
            RollupMonth.office_id.in_(offices),
            RollupMonth.built_generation == RollupMonth.generation,
        )
        .group_by(RollupMonth.month)
        .having(func.count() == len(offices))
    )
    return set(session.scalars(query))


def plan(session: Session, first: date, last: date, office_ids: list[int] | None, closed_before: date | None) -> Plan:
    """Split first..last into current rolled-up months and the day ranges between them."""
    months = sorted(current(session, whole_months(first, last, closed_before), office_ids))
    result, start = Plan(months=months), first
    for month in months:
        if start < month:
            result.ranges.append((start, month - timedelta(days=1)))
        start = month_end(month) + timedelta(days=1)
    if start <= last:
        result.ranges.append((start, last))
    return result


def missing(
    session: Session, first: date, last: date, office_ids: list[int] | None, closed_before: date | None
) -> dict[date, list[int]]:
    """The offices whose rollup of each whole closed month of the range is absent or out of date."""
    months = whole_months(first, last, closed_before)
    if not months:
        return {}
    offices = office_ids if office_ids is not None else _all_offices(session)
    done = {
        (month, office)
        for month, office in session.execute(
            select(RollupMonth.month, RollupMonth.office_id).where(
                RollupMonth.month.in_(months),
                RollupMonth.office_id.in_(offices),
                RollupMonth.built_generation == RollupMonth.generation,
            )
        )
    }
    result = {month: [o for o in offices if (month, o) not in done] for month in months}
    return {month: todo for month, todo in result.items() if todo}


def bring_up_to_date(
    session: Session, first: date, last: date, office_ids: list[int] | None, closed_before: date | None, now: datetime
) -> int:
    """Roll up what `missing` lists (inside the caller's write transaction); returns how many office-months."""
    todo = missing(session, first, last, office_ids, closed_before)
    for month, offices in todo.items():
        build(session, month, offices, now)
    return sum(len(offices) for offices in todo.values())


# --- from the wait records -------------------------------------------------------------------------


def _record_key(name: str):
    return WaitRecord.service_day.label("day") if name == "day" else getattr(WaitRecord, name).label(name)


def _record_figures() -> list:
    one = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    called = WaitRecord.wait_seconds.is_not(None)
    return [
        func.count().label("tickets"),
        func.count(WaitRecord.wait_seconds).label("called"),
        one(WaitRecord.within_limit.is_(True)).label("within"),
        one(WaitRecord.wait_seconds <= 40 * 60).label("at_40"),
        one(WaitRecord.outcome == SERVED).label("served"),
        one(WaitRecord.outcome == NO_SHOW).label("no_show"),
        func.coalesce(func.sum(WaitRecord.wait_seconds), 0).label("wait_seconds"),
        func.max(WaitRecord.wait_seconds).label("longest_seconds"),
        one(called & WaitRecord.documents_correct.is_(True)).label("docs_ok"),
        one(called & WaitRecord.documents_correct.is_not(None)).label("docs"),
    ]


def _record_select(family: str, where: list, *leading, per_office: bool = True):
    """The family's groups summed from the wait records matching `where`, minute last (by office and service too)."""
    keys = [WaitRecord.office_id.label("office_id"), WaitRecord.service_id.label("service_id")] if per_office else []
    keys += [_record_key(name) for name in {**FAMILIES, **RECORDS_ONLY}[family]]
    if family in HISTOGRAM:
        minute = case((WaitRecord.wait_seconds.is_(None), None), else_=WaitRecord.wait_seconds // 60)
    else:
        minute = cast(null(), Integer)
    query = select(*leading, *keys, *_record_figures(), minute.label("minute")).where(*where)
    return query.group_by(*keys, minute) if family in HISTOGRAM else query.group_by(*keys)


def _scope_where(model, office_ids: list[int] | None, service_id: int | None) -> list:
    where = []
    if office_ids is not None:
        where.append(model.office_id.in_(office_ids))
    if service_id is not None:
        where.append(model.service_id == service_id)
    return where


def _days(column, ranges: list[tuple[date, date]]):
    return or_(*[and_(column >= a, column <= b) for a, b in ranges])


# --- building and invalidating ---------------------------------------------------------------------


def build(session: Session, month: date, office_ids: list[int], now: datetime) -> None:
    """Roll up one month of the given offices from the wait records (inside the caller's write transaction)."""
    insert_ = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert_(RollupMonth)
        .values([{"month": month, "office_id": o, "generation": 0} for o in office_ids])
        .on_conflict_do_nothing(index_elements=["month", "office_id"])
    )
    these = [RollupMonth.month == month, RollupMonth.office_id.in_(office_ids)]
    # Lock the months' rows first: a change committed after this waits, then marks the month changed.
    session.execute(select(RollupMonth.generation).where(*these).with_for_update())
    session.execute(delete(WaitRollup).where(WaitRollup.month == month, WaitRollup.office_id.in_(office_ids)))
    where = [
        WaitRecord.service_day >= month,
        WaitRecord.service_day <= month_end(month),
        WaitRecord.office_id.in_(office_ids),
    ]
    for family, keys in FAMILIES.items():
        query = _record_select(
            family, where, literal(month, Date).label("month"), literal(family, String).label("family")
        )
        names = ["month", "family", "office_id", "service_id", *keys, *FIGURES, "minute"]
        session.execute(insert(WaitRollup).from_select(names, query))
    rows = [
        {
            "month": month,
            "office_id": office,
            "service_id": service,
            "family": "decision",
            "day": day,
            "lag_days": None if decided is None else (decided - day).days,
            "tickets": count,
            "called": 0,
            "within": 0,
            "at_40": 0,
            "served": count,
            "no_show": 0,
            "wait_seconds": 0,
            "docs_ok": 0,
            "docs": 0,
        }
        for office, service, day, decided, count in session.execute(_decision_select(where))
    ]
    if rows:
        session.execute(insert(WaitRollup), rows)
    session.execute(
        update(RollupMonth)
        .where(*these)
        .values(built_generation=RollupMonth.generation, built_at=now)
        .execution_options(synchronize_session=False)
    )
    for office in office_ids:  # a change later in this transaction marks the month changed again
        per_transaction.forget(session, month_key(month, office))


def invalidate_range(session: Session, first: date | None, last: date | None) -> None:
    """Mark every office's months overlapping first..last changed (None: no bound)."""
    statement = update(RollupMonth).values(generation=RollupMonth.generation + 1)
    if first is not None:
        statement = statement.where(RollupMonth.month >= month_of(first))
    if last is not None:
        statement = statement.where(RollupMonth.month <= last)
    session.execute(statement.execution_options(synchronize_session=False))


# --- reading ---------------------------------------------------------------------------------------


def records(session: Session, family: str, where: Plan, office_ids: list[int] | None, service_id: int | None):
    """The family's groups summed from the wait records of the plan's day ranges, as rows to iterate once.

    Columns: office_id and service_id (PER_OFFICE families), the family's keys, FIGURES, minute (as
    `rolled` gives them). Rows
    stream from the cursor (no ORM loading), so memory holds one row at a time, not the result.
    """
    if not where.ranges:
        return ()
    scope = [_days(WaitRecord.service_day, where.ranges), *_scope_where(WaitRecord, office_ids, service_id)]
    return session.connection().execute(_record_select(family, scope, per_office=family in PER_OFFICE))


def rolled(session: Session, family: str, where: Plan, office_ids: list[int] | None, service_id: int | None):
    """The family's groups summed from the rollup rows of the plan's months, as rows to iterate once."""
    if not where.months:
        return ()
    keys = [WaitRollup.office_id, WaitRollup.service_id] if family in PER_OFFICE else []
    keys += [getattr(WaitRollup, name) for name in FAMILIES[family]]
    figures = [
        (func.max if name == "longest_seconds" else func.sum)(getattr(WaitRollup, name)).label(name) for name in FIGURES
    ]
    query = (
        select(*keys, *figures, WaitRollup.minute)
        .where(
            WaitRollup.family == family,
            WaitRollup.month.in_(where.months),
            *_scope_where(WaitRollup, office_ids, service_id),
        )
        .group_by(*keys, WaitRollup.minute)
    )
    return session.connection().execute(query)


def rows(session: Session, family: str, where: Plan, office_ids: list[int] | None, service_id: int | None):
    """The family's groups over the whole plan; a group may appear once from each part, to be added up."""
    yield from records(session, family, where, office_ids, service_id)
    yield from rolled(session, family, where, office_ids, service_id)


def _decision_select(where: list):
    return (
        select(
            WaitRecord.office_id,
            WaitRecord.service_id,
            WaitRecord.service_day,
            ServiceDecision.decided_on,
            func.count(),
        )
        .outerjoin(ServiceDecision, ServiceDecision.ticket_id == WaitRecord.ticket_id)
        .where(WaitRecord.hand_in, WaitRecord.outcome == SERVED, *where)
        .group_by(WaitRecord.office_id, WaitRecord.service_id, WaitRecord.service_day, ServiceDecision.decided_on)
    )


def decisions(session: Session, where: Plan, office_ids: list[int] | None, service_id: int) -> list[tuple]:
    """Served hand-ins as (local day, days to the decision or None while undecided, how many)."""
    result = []
    if where.ranges:
        scope = [_days(WaitRecord.service_day, where.ranges), *_scope_where(WaitRecord, office_ids, service_id)]
        result += [
            (day, None if decided is None else (decided - day).days, count)
            for _o, _s, day, decided, count in session.execute(_decision_select(scope))
        ]
    if where.months:
        query = (
            select(WaitRollup.day, WaitRollup.lag_days, func.sum(WaitRollup.tickets))
            .where(
                WaitRollup.family == "decision",
                WaitRollup.month.in_(where.months),
                *_scope_where(WaitRollup, office_ids, service_id),
            )
            .group_by(WaitRollup.day, WaitRollup.lag_days)
        )
        result += [tuple(row) for row in session.execute(query)]
    return result
