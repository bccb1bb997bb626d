"""What an office's own history says (no Flask): arrivals per weekday and hour, and how long each visit kind takes.

Arrivals are the tickets taken, counted by the office's local weekday and hour, and averaged over the
days that hold data: a day the office was closed (a holiday, a weekend, its own calendar) or left no
tickets (the server was off, the day is missing) is not a day when nobody came, so it is left out,
and so is a day with far fewer tickets than the usual for its weekday (a part of the day is missing).
How long a call keeps a cabinet busy is read per visit kind from the served visits (call to finish);
a no-show keeps it for the recalls. Cabinets that were open are read from the clerks' open, pause and
close commands in the audit log and from the calls each cabinet made.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import NO_SHOW, SERVED, AuditEntry, Cabinet, Office, Ticket, TicketEvent, VisitKind

WEEKS = 8
NO_SHOW_MINUTES = 2.0  # a recall and the minute the clerk waits after it
MOST_SAMPLES = 400  # visit lengths kept per kind (evenly spread over the history)
PART_DAY = 0.3  # a day with under this share of its weekday's median tickets is taken as partly missing
STATE_ACTIONS = {"console.open": "open", "console.pause": "paused", "console.close": "closed"}


@dataclass(frozen=True)
class Kind:
    """A visit kind as the plan needs it: prefix, wait limit and the minutes its calls kept a cabinet busy."""

    id: int
    prefix: str
    limit_minutes: int
    busy_minutes: tuple[float, ...]

    @property
    def mean_minutes(self) -> float:
        """The mean time a call of this kind keeps a cabinet busy."""
        return statistics.fmean(self.busy_minutes)


@dataclass
class Learned:
    """An office's demand: mean arrivals per (weekday, hour, visit kind) over the days with data, and its kinds."""

    office_id: int
    first: date
    last: date
    kinds: dict[int, Kind]
    arrivals: dict[tuple[int, int, int], float] = field(default_factory=dict)
    days: dict[int, int] = field(default_factory=dict)  # weekday -> days with data
    left_out: list[date] = field(default_factory=list)  # days with hours but no (or too little) data

    def hourly(self, weekday: int) -> dict[int, dict[int, float]]:
        """hour -> visit kind -> mean arrivals on `weekday`."""
        table: dict[int, dict[int, float]] = defaultdict(dict)
        for (day, hour, kind_id), rate in self.arrivals.items():
            if day == weekday:
                table[hour][kind_id] = rate
        return dict(table)


def learn(session: Session, office: Office, before: date, weeks: int = WEEKS) -> Learned:
    """Learn `office`'s arrivals and visit lengths from the `weeks` weeks of tickets before the day `before`."""
    first = before - timedelta(weeks=weeks)
    zone = ZoneInfo(office.timezone)
    rows = session.execute(
        select(Ticket.service_day, Ticket.issued_at, Ticket.visit_kind_id).where(
            Ticket.office_id == office.id, Ticket.service_day >= first, Ticket.service_day < before
        )
    ).all()
    per_day: dict[date, list[tuple[int, int]]] = defaultdict(list)
    for day, issued, kind_id in rows:
        per_day[day].append((issued.astimezone(zone).hour, kind_id))
    usual = {
        weekday: statistics.median([len(v) for d, v in per_day.items() if d.weekday() == weekday])
        for weekday in {d.weekday() for d in per_day}
    }
    kept = {d: v for d, v in per_day.items() if len(v) >= PART_DAY * usual[d.weekday()]}
    counts: dict[tuple[int, int, int], int] = defaultdict(int)
    days: dict[int, int] = defaultdict(int)
    for day, tickets in kept.items():
        days[day.weekday()] += 1
        for hour, kind_id in tickets:
            counts[(day.weekday(), hour, kind_id)] += 1
    arrivals = {key: count / days[key[0]] for key, count in counts.items()}
    left_out = sorted(d for d in _days_with_hours(office, first, before) if d not in kept)
    return Learned(
        office.id,
        first,
        before - timedelta(days=1),
        visit_kinds(session, office, first, before),
        arrivals,
        dict(days),
        left_out,
    )


def _days_with_hours(office: Office, first: date, before: date) -> list[date]:
    """The days the office's weekly hours say it received visitors (its calendar and holidays aside)."""
    weekdays = {hours.weekday for hours in office.hours}
    return [
        first + timedelta(days=n)
        for n in range((before - first).days)
        if (first + timedelta(days=n)).weekday() in weekdays
    ]


def visit_kinds(session: Session, office: Office, first: date, before: date) -> dict[int, Kind]:
    """Every visit kind with its limit and the minutes its calls kept a cabinet of `office` busy in the range."""
    busy: dict[int, list[float]] = defaultdict(list)
    rows = session.execute(
        select(Ticket.visit_kind_id, Ticket.status, Ticket.called_at, Ticket.started_at, Ticket.finished_at)
        .where(
            Ticket.office_id == office.id,
            Ticket.service_day >= first,
            Ticket.service_day < before,
            Ticket.status.in_((SERVED, NO_SHOW)),
        )
        .order_by(Ticket.id)
    ).all()
    for kind_id, status, called, started, finished in rows:
        begun = called or started
        if status == NO_SHOW:
            busy[kind_id].append(NO_SHOW_MINUTES)
        elif begun is not None and finished is not None and finished > begun:
            busy[kind_id].append((finished - begun).total_seconds() / 60)
    kinds = {}
    for kind in session.scalars(select(VisitKind).order_by(VisitKind.id)):
        samples = busy.get(kind.id) or [float(kind.default_service_minutes)]
        step = max(1, len(samples) // MOST_SAMPLES)
        kinds[kind.id] = Kind(kind.id, kind.prefix, kind.wait_limit_minutes, tuple(samples[::step]))
    return kinds


def office_cabinets(session: Session, office: Office) -> list[Cabinet]:
    """The office's cabinets in use, in number order."""
    return list(
        session.scalars(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.active).order_by(Cabinet.number))
    )


def opened_cabinets(session: Session, office: Office, monday: date) -> dict[tuple[int, int], set[int]]:
    """(weekday, hour) -> ids of the cabinets open in that hour of the week starting `monday`: open by the
    clerk's commands at the middle of the hour, or calling a visitor in it."""
    zone = ZoneInfo(office.timezone)
    start = datetime.combine(monday, time(), tzinfo=zone)
    end = start + timedelta(days=7)
    cabinets = {c.number: c.id for c in session.scalars(select(Cabinet).where(Cabinet.office_id == office.id))}
    opened: dict[tuple[int, int], set[int]] = defaultdict(set)
    calls = session.execute(
        select(TicketEvent.at, TicketEvent.cabinet_id)
        .join(Ticket, Ticket.id == TicketEvent.ticket_id)
        .where(
            Ticket.office_id == office.id,
            TicketEvent.kind == "called",
            TicketEvent.at >= start,
            TicketEvent.at < end,
            TicketEvent.cabinet_id.is_not(None),
        )
    ).all()
    for at, cabinet_id in calls:
        if cabinet_id is not None:
            local = at.astimezone(zone)
            opened[(local.weekday(), local.hour)].add(cabinet_id)
    commands = session.execute(
        select(AuditEntry.at, AuditEntry.action, AuditEntry.detail)
        .where(
            AuditEntry.office_id == office.id,
            AuditEntry.action.in_(STATE_ACTIONS),
            AuditEntry.at < end,
            AuditEntry.at >= start - timedelta(days=1),
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    changes: dict[int, list[tuple[datetime, str]]] = defaultdict(list)
    for at, action, detail in commands:
        cabinet_id = cabinets.get(str((detail or {}).get("cabinet")))
        if cabinet_id is not None:
            changes[cabinet_id].append((at, STATE_ACTIONS[action]))
    for cabinet_id, steps in changes.items():
        for hour in range(7 * 24):
            middle = start + timedelta(hours=hour, minutes=30)
            state = "closed"
            for at, new in steps:
                if at > middle:
                    break
                state = new
            if state == "open":
                local = middle.astimezone(zone)
                opened[(local.weekday(), local.hour)].add(cabinet_id)
    return dict(opened)
