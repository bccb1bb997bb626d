"""Compliance with the wait limits over a date range (no Flask): shares, mean, median, 95th percentile, breaches.

Everything is aggregated in SQL into histograms of whole minutes waited, so memory does not grow
with the range; percentiles are nearest-rank over whole minutes (a wait of 12 min 40 s counts as 12).
Whole past months come from the monthly rollup (kezek/reports/rollup.py), the rest from the wait records.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter

from sqlalchemy import func, literal_column, select
from sqlalchemy.orm import Session

from kezek.models import Ticket, VisitKind
from kezek.models.reports import WaitRecord
from kezek.reports import rollup
from kezek.reports.closed_time import closed_left_out
from kezek.reports.rollup import FIGURES
from kezek.queue.turned_away import turned_away_by_day

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

    def add(self, tickets, called, within, at_40, served, no_show, wait, longest, minute) -> None:
        """Merge one group's figures (the FIGURES of a row of reports.rollup.rows, and its minute) into these."""
        self.tickets += tickets
        self.called += called or 0
        self.within += within or 0
        self.within_40 += at_40 or 0
        self.served += served or 0
        self.no_show += no_show or 0
        self.wait_seconds += wait or 0
        if longest and longest > self.longest_seconds:
            self.longest_seconds = longest
        if minute is not None:
            self.minutes[minute] = self.minutes.get(minute, 0) + called

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
    """Which tickets a report covers: local service days from `first` to `last`, some offices or all.

    Whole months ended before `closed_before` are read from the rollup where it is current (None:
    everything from the wait records).
    """

    first: date
    last: date
    office_ids: list[int] | None = None
    service_id: int | None = None
    closed_before: date | None = None

    def where(self, query):
        """`query` restricted to this scope."""
        query = query.where(WaitRecord.service_day >= self.first, WaitRecord.service_day <= self.last)
        if self.office_ids is not None:
            query = query.where(WaitRecord.office_id.in_(self.office_ids))
        if self.service_id is not None:
            query = query.where(WaitRecord.service_id == self.service_id)
        return query


def _fold(
    rows,
    keys: dict[str, tuple[str, ...]],
    called_only: tuple[str, ...] = (),
    minutes: bool = True,
    into: dict | None = None,
) -> dict:
    """One pass over the rows: figures per group for every grouping in `keys` (name -> key columns).

    Groupings in `called_only` leave out visitors never called; without `minutes` no histogram is kept;
    `into` continues the groups of an earlier fold (rows of another shape).
    Rows are read by position: attribute access on tens of thousands of rows costs more than the sums.
    """
    groups: dict[str, dict] = into if into is not None else {name: {} for name in keys}
    getters = None
    for row in rows:
        if getters is None:
            getters = [
                (
                    groups[name],
                    itemgetter(*[row._fields.index(c) for c in columns]) if columns else None,
                    name in called_only,
                )
                for name, columns in keys.items()
            ]
        tickets, called, within, at_40, served, no_show, wait, longest, _ok, _docs, minute = row[-len(FIGURES) - 1 :]
        if not minutes:
            minute = None
        for found, get, only_called in getters:
            if only_called and row[-1] is None:
                continue
            value = get(row) if get is not None else "all"
            stats = found.get(value)
            if stats is None:
                stats = found[value] = Stats()
            stats.add(tickets, called, within, at_40, served, no_show, wait, longest, minute)
    return groups


def compliance(session: Session, scope: Scope) -> dict:
    """Every figure of the compliance page for `scope`."""
    where = rollup.plan(session, scope.first, scope.last, scope.office_ids, scope.closed_before)

    def read(family):
        return rollup.rows(session, family, where, scope.office_ids, scope.service_id)

    report = _fold(
        read("detail"),
        {
            "total": (),
            "by_office": ("office_id",),
            "by_service": ("service_id",),
            "by_kind": ("visit_kind_id",),
            "by_clerk": ("clerk_id",),
            "by_limit": ("wait_limit_minutes",),
        },
        called_only=("by_clerk",),
    )
    report["total"] = report["total"].get("all", Stats())
    # The days outside the rollup give weekday, hour and heat in one pass; the months, each its own.
    timing = list(rollup.records(session, "timing", where, scope.office_ids, scope.service_id))
    report.update(_fold(timing, {"by_weekday": ("weekday",), "by_hour": ("hour",)}))
    for name, family in (("by_weekday", "weekday"), ("by_hour", "hour")):
        _fold(rollup.rolled(session, family, where, scope.office_ids, scope.service_id), {name: (family,)}, into=report)
    # Heat cells show the share and the number called: they keep no minutes.
    heat = _fold(timing, {"heat": ("weekday", "hour")}, minutes=False)
    report["heat"] = _fold(
        rollup.rolled(session, "heat", where, scope.office_ids, scope.service_id),
        {"heat": ("weekday", "hour")},
        minutes=False,
        into=heat,
    )["heat"]
    turned = turned_away_by_day(session, scope.office_ids, scope.first, scope.last)
    report["daily"] = daily(read("day"), turned)
    report["turned_away"] = sum(sum(reasons.values()) for reasons in turned.values())
    total = report["total"]
    report["share_everyone"] = share_everyone(total.within, total.called, report["turned_away"])
    # The second reading of the waits, labelled on the page: the office's closed periods left out.
    closed = closed_left_out(
        session,
        scope.office_ids,
        scope.first,
        scope.last,
        scope.service_id,
        total.wait_seconds,
        total.called,
        [(d["day"], d["wait_seconds"], d["called"]) for d in report["daily"]],
    )
    report["closed_left_out"] = closed
    for day in report["daily"]:
        day["mean_open"] = closed.daily_mean.get(day["day"])
    report["breaches"] = breaches(session, scope, count=total.called - total.within, by_limit=report["by_limit"])
    return report


def daily(rows, turned: dict | None = None) -> list[dict]:
    """Per local day: tickets, called, share within the limit and mean wait, for the trend chart; with `turned`
    (day -> reason -> count) also the visitors turned away and the share within the limit counting them."""
    days = _fold(rows, {"day": ("day",)})["day"]
    turned = turned or {}
    for day in turned:
        days.setdefault(day, Stats())
    result = []
    for day, s in sorted(days.items()):
        away = sum(turned.get(day, {}).values())
        result.append(
            {
                "day": day,
                "tickets": s.tickets,
                "called": s.called,
                "share": s.share,
                "mean": s.mean,
                "wait_seconds": s.wait_seconds,
                "turned_away": away,
                "share_everyone": share_everyone(s.within, s.called, away),
            }
        )
    return result


def share_everyone(within: int, called: int, turned_away: int) -> float | None:
    """Percent within the limit counting everyone who came: a visitor turned away at the kiosk counts as not
    served within their limit."""
    everyone = called + turned_away
    return round(100 * within / everyone, 1) if everyone else None


def over_limit():
    """Seconds waited beyond the limit, written as the index ix_wait_record_over is (a literal 60, not a parameter)."""
    return WaitRecord.wait_seconds - WaitRecord.wait_limit_minutes * literal_column("60")


def over_band(by_limit: dict[int, Stats], limit: int) -> tuple[int, int, int] | None:
    """Seconds over the limit (from, to) that hold the `limit` furthest breaches, and how many waits that band holds.

    A wait of m whole minutes under a limit of L minutes is 60 (m - L) to 60 (m - L) + 59 seconds over,
    so whole bands of minutes over are summed from the top until they hold enough waits.
    """
    bands: dict[int, int] = {}
    for minutes_limit, stats in by_limit.items():
        for minute, count in stats.minutes.items():
            if minute >= minutes_limit:
                bands[minute - minutes_limit] = bands.get(minute - minutes_limit, 0) + count
    if not bands:
        return None
    seen, lowest = 0, 0
    for band in sorted(bands, reverse=True):
        seen += bands[band]
        if seen >= limit:
            lowest = band
            break
    return 60 * lowest, 60 * max(bands) + 59, seen


def _band_is_cheaper(session: Session, scope: Scope, in_band: int, count: int, in_scope: int) -> bool:
    """Whether walking the band through the index (every office and day in it) beats sorting the range's breaches.

    The band holds `in_band` of the range's waits; over the whole table about that share of all
    records (the highest ticket id stands for their number), while sorting costs every breach.
    """
    everything = session.scalar(select(func.max(WaitRecord.ticket_id))) or 0
    return 4 * in_band * everything / max(in_scope, 1) < count


def breaches(
    session: Session,
    scope: Scope,
    limit: int = BREACHES_SHOWN,
    count: int | None = None,
    by_limit: dict[int, Stats] | None = None,
) -> dict:
    """The waits over their limit, the furthest over first (at most `limit` listed), and how many in all.

    With the range's histograms by limit (`by_limit`), only the band of seconds over that holds the
    first `limit` is read, through the index on how far over, instead of sorting every breach.
    """
    over = over_limit().label("over")
    if count is None:
        count = session.scalar(scope.where(select(func.count()).where(WaitRecord.within_limit.is_(False))))
    query = scope.where(
        select(
            WaitRecord,
            Ticket.prefix,
            Ticket.number,
            Ticket.issued_at,
            over,
        )
        .join(Ticket, Ticket.id == WaitRecord.ticket_id)
        .where(WaitRecord.within_limit.is_(False))
    )
    band = over_band(by_limit, limit) if by_limit is not None and count else None
    if band is not None and _band_is_cheaper(session, scope, band[2], count, sum(s.tickets for s in by_limit.values())):
        query = query.where(over_limit().between(band[0], band[1]))
    rows = session.execute(query.order_by(over.desc(), WaitRecord.ticket_id).limit(limit)).all()
    return {
        "count": count or 0,
        "rows": [
            {
                "ticket_id": row.WaitRecord.ticket_id,
                "label": f"{row.prefix}-{row.number:03d}",
                "office_id": row.WaitRecord.office_id,
                "visit_kind_id": row.WaitRecord.visit_kind_id,
                "clerk_id": row.WaitRecord.clerk_id,
                "day": row.WaitRecord.service_day,
                "issued_at": row.issued_at,
                "wait": round(row.WaitRecord.wait_seconds / 60, 1),
                "limit": row.WaitRecord.wait_limit_minutes,
                "over": round(row.over / 60, 1),
            }
            for row in rows
        ],
    }


def kind_names(session: Session) -> dict[int, VisitKind]:
    """Every visit kind by id (for labels)."""
    return {kind.id: kind for kind in session.scalars(select(VisitKind))}
