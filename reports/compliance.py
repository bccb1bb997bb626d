"""Compliance with the wait limits over a date range (no Flask): shares, mean, median, 95th percentile, breaches.

Everything is aggregated in SQL into histograms of whole minutes waited, so memory does not grow
with the range; percentiles are nearest-rank over whole minutes (a wait of 12 min 40 s counts as 12).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from kezek.models import NO_SHOW, SERVED, Ticket, VisitKind
from kezek.models.reports import WaitRecord

BREACHES_SHOWN = 100


@dataclass
class Stats:
    """Wait figures of one group: counts, share within the limit and the wait distribution in minutes."""

    tickets: int = 0
    called: int = 0
    within: int = 0
    within_40: int = 0
    served: int = 0
    no_show: int = 0
    wait_seconds: int = 0
    longest_seconds: int = 0
    minutes: dict[int, int] = field(default_factory=dict)

    def add(self, tickets, within, at_40, served, no_show, wait, longest, minute) -> None:
        """Merge one aggregated SQL row (as plain values) into these figures."""
        self.tickets += tickets
        self.served += served or 0
        self.no_show += no_show or 0
        if minute is not None:
            self.called += tickets
            self.within += within or 0
            self.within_40 += at_40 or 0
            self.wait_seconds += wait or 0
            if longest and longest > self.longest_seconds:
                self.longest_seconds = longest
            self.minutes[minute] = self.minutes.get(minute, 0) + tickets

    @property
    def share(self) -> float | None:
        """Percent of called visitors whose wait stayed within their limit."""
        return round(100 * self.within / self.called, 1) if self.called else None

    @property
    def share_40(self) -> float | None:
        """Percent of called visitors who waited no more than 40 minutes (annex 2, indicator 1.2)."""
        return round(100 * self.within_40 / self.called, 1) if self.called else None

    @property
    def mean(self) -> float | None:
        """Mean wait in minutes, one decimal."""
        return round(self.wait_seconds / self.called / 60, 1) if self.called else None

    def percentile(self, share: float) -> int | None:
        """The nearest-rank percentile of the wait in whole minutes."""
        if not self.called:
            return None
        rank, seen = max(1, math.ceil(share * self.called)), 0
        for minute in sorted(self.minutes):
            seen += self.minutes[minute]
            if seen >= rank:
                return minute
        return None

    @property
    def median(self) -> int | None:
        """The median wait in whole minutes."""
        return self.percentile(0.5)

    @property
    def p95(self) -> int | None:
        """The 95th percentile wait in whole minutes."""
        return self.percentile(0.95)

    @property
    def longest(self) -> float | None:
        """The longest wait in minutes, one decimal."""
        return round(self.longest_seconds / 60, 1) if self.called else None


@dataclass
class Scope:
    """Which tickets a report covers: local service days from `first` to `last`, some offices or all."""

    first: date
    last: date
    office_ids: list[int] | None = None
    service_id: int | None = None

    def where(self, query):
        """`query` restricted to this scope."""
        query = query.where(WaitRecord.service_day >= self.first, WaitRecord.service_day <= self.last)
        if self.office_ids is not None:
            query = query.where(WaitRecord.office_id.in_(self.office_ids))
        if self.service_id is not None:
            query = query.where(WaitRecord.service_id == self.service_id)
        return query


def _minute():
    return case((WaitRecord.wait_seconds.is_(None), None), else_=WaitRecord.wait_seconds // 60)


def _sums():
    one = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    return [
        func.count().label("tickets"),
        one(WaitRecord.within_limit.is_(True)).label("within"),
        one(WaitRecord.wait_seconds <= 40 * 60).label("at_40"),
        one(WaitRecord.outcome == SERVED).label("served"),
        one(WaitRecord.outcome == NO_SHOW).label("no_show"),
        func.sum(WaitRecord.wait_seconds).label("wait"),
        func.max(WaitRecord.wait_seconds).label("longest"),
    ]


def _grouped(session: Session, scope: Scope, *keys) -> list[tuple]:
    """Rows of (keys..., figures...) where the figures are the arguments of Stats.add, minute last."""
    minute = _minute().label("minute")
    query = scope.where(select(*keys, *_sums(), minute)).group_by(*keys, minute)
    return [tuple(row) for row in session.execute(query)]


def _fold(rows: list[tuple], width: int, keys: dict) -> dict[str, dict]:
    """One pass over the rows: figures per group for every grouping in `keys` (name -> key function)."""
    groups: dict[str, dict] = {name: {} for name in keys}
    for row in rows:
        figures = row[width:]
        for name, key in keys.items():
            value = key(row)
            if value is not _SKIP:
                stats = groups[name].get(value)
                if stats is None:
                    stats = groups[name][value] = Stats()
                stats.add(*figures)
    return groups


_SKIP = object()


def compliance(session: Session, scope: Scope) -> dict:
    """Every figure of the compliance page for `scope`."""
    detail = _grouped(session, scope, WaitRecord.office_id, WaitRecord.service_id, WaitRecord.visit_kind_id,
                      WaitRecord.clerk_id, WaitRecord.wait_limit_minutes)
    timing = _grouped(session, scope, WaitRecord.weekday, WaitRecord.hour)
    report = _fold(detail, 5, {
        "total": lambda r: "all", "by_office": lambda r: r[0], "by_service": lambda r: r[1],
        "by_kind": lambda r: r[2], "by_clerk": lambda r: _SKIP if r[-1] is None else r[3], "by_limit": lambda r: r[4],
    })
    report["total"] = report["total"].get("all", Stats())
    report.update(_fold(timing, 2, {
        "by_weekday": lambda r: r[0], "by_hour": lambda r: r[1], "heat": lambda r: (r[0], r[1]),
    }))
    report["daily"] = daily(session, scope)
    report["breaches"] = breaches(session, scope)
    return report


def daily(session: Session, scope: Scope) -> list[dict]:
    """Per local day: tickets, called, share within the limit and mean wait, for the trend chart."""
    one = lambda cond: func.sum(case((cond, 1), else_=0))  # noqa: E731
    query = scope.where(select(
        WaitRecord.service_day, func.count().label("tickets"), func.count(WaitRecord.wait_seconds).label("called"),
        one(WaitRecord.within_limit.is_(True)).label("within"), func.sum(WaitRecord.wait_seconds).label("wait"),
    )).group_by(WaitRecord.service_day).order_by(WaitRecord.service_day)
    return [{
        "day": row.service_day, "tickets": row.tickets, "called": row.called,
        "share": round(100 * row.within / row.called, 1) if row.called else None,
        "mean": round(row.wait / row.called / 60, 1) if row.called else None,
    } for row in session.execute(query)]


def breaches(session: Session, scope: Scope, limit: int = BREACHES_SHOWN) -> dict:
    """The waits over their limit, the furthest over first (at most `limit` listed), and how many in all."""
    over = (WaitRecord.wait_seconds - WaitRecord.wait_limit_minutes * 60).label("over")
    count = session.scalar(scope.where(select(func.count()).where(WaitRecord.within_limit.is_(False))))
    query = scope.where(select(
        WaitRecord, Ticket.prefix, Ticket.number, Ticket.issued_at, over,
    ).join(Ticket, Ticket.id == WaitRecord.ticket_id).where(WaitRecord.within_limit.is_(False)))
    rows = session.execute(query.order_by(over.desc(), WaitRecord.ticket_id).limit(limit)).all()
    return {"count": count or 0, "rows": [{
        "ticket_id": row.WaitRecord.ticket_id, "label": f"{row.prefix}-{row.number:03d}",
        "office_id": row.WaitRecord.office_id, "visit_kind_id": row.WaitRecord.visit_kind_id,
        "clerk_id": row.WaitRecord.clerk_id, "day": row.WaitRecord.service_day, "issued_at": row.issued_at,
        "wait": round(row.WaitRecord.wait_seconds / 60, 1), "limit": row.WaitRecord.wait_limit_minutes,
        "over": round(row.over / 60, 1),
    } for row in rows]}


def kind_names(session: Session) -> dict[int, VisitKind]:
    """Every visit kind by id (for labels)."""
    return {kind.id: kind for kind in session.scalars(select(VisitKind))}

