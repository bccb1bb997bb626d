"""The honest wait estimate a kiosk, a ticket and a phone show: the office's own queue played forward.

Method (docs/call-policy.md explains it for managers): take the visitors waiting now, the cabinets
that are open (a paused one back in a few minutes; before anyone signs in, every active cabinet),
what each one serves and how long its current visit has still to run, and let the office's own call
policy call them one by one, each visit lasting as long as recent visits of its kind did (the mean
time a call kept a cabinet busy, over the last 30 such visits in 14 days, or the visit kind's
default before there is history). Newcomers keep arriving at the rate of the last half hour, so a
policy that lets urgent visits go first is accounted for; nobody is called during the lunch break.
The wait is when the visitor is called; the range around it widens with the spread of real visit
times and with how many visits lie ahead.
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from kezek.models import (
    CALLED, NO_SHOW, OPEN, PAUSED, SERVED, SERVING, WAITING, Cabinet, Office, Ticket, VisitKind, cabinet_visit_kind,
)
from kezek.queue.hours import DaySchedule, local_now, schedule_for
from kezek.queue.policy import CallContext, Policy, policy_named

HISTORY_VISITS = 30
HISTORY_DAYS = 14
ARRIVAL_WINDOW = timedelta(minutes=30)
PAUSE_MINUTES = 10.0  # a paused cabinet is expected back this soon
MIN_HISTORY = 5
MAX_CALLS = 3000
ARRIVAL_IDS = 10**12  # ids of the projection's imagined newcomers, after every real ticket


@dataclass(frozen=True)
class WaitEstimate:
    """How long a visitor of one visit kind should expect to wait, in minutes."""

    people_ahead: int
    low: int
    high: int
    expected: float
    cabinets: int
    service_minutes: float
    calls_ahead: int = 0  # visits the projection saw called before this visitor, all cabinets together


@dataclass(frozen=True)
class VisitTime:
    """How long a call of one visit kind keeps a cabinet busy: mean and spread, in minutes."""

    mean: float
    sd: float


def people_ahead(session: Session, office_id: int, visit_kind_id: int) -> int:
    """How many visitors of this visit kind are waiting now."""
    query = select(func.count(Ticket.id)).where(
        Ticket.office_id == office_id, Ticket.visit_kind_id == visit_kind_id, Ticket.status == WAITING
    )
    return session.scalar(query) or 0


def ahead_of(session: Session, ticket: Ticket) -> int:
    """How many waiting visitors of the same visit kind queued before `ticket`."""
    earlier = or_(
        Ticket.queue_since < ticket.queue_since,
        and_(Ticket.queue_since == ticket.queue_since, Ticket.id < ticket.id),
    )
    query = select(func.count(Ticket.id)).where(
        Ticket.office_id == ticket.office_id,
        Ticket.visit_kind_id == ticket.visit_kind_id,
        Ticket.status == WAITING,
        earlier,
    )
    return session.scalar(query) or 0


def _visit_minutes_column(session: Session):
    """Minutes from the call (or the start) to the finish, computed by the database."""
    begun = func.coalesce(Ticket.called_at, Ticket.started_at)
    if session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", Ticket.finished_at - begun) / 60
    return (func.julianday(Ticket.finished_at) - func.julianday(begun)) * 1440


def _recent(session: Session, office_id: int, now: datetime):
    """The office's finished visits of the last 14 days, newest first per visit kind, numbered."""
    minutes = _visit_minutes_column(session)
    return (
        select(Ticket.visit_kind_id.label("kind_id"), minutes.label("minutes"),
               func.row_number().over(partition_by=Ticket.visit_kind_id, order_by=Ticket.id.desc()).label("n"))
        .where(Ticket.office_id == office_id, Ticket.service_day >= (now - timedelta(days=HISTORY_DAYS + 1)).date(),
               Ticket.status.in_((SERVED, NO_SHOW)), Ticket.finished_at.is_not(None),
               Ticket.finished_at >= now - timedelta(days=HISTORY_DAYS), Ticket.finished_at <= now,
               minutes >= 0)
        .subquery()
    )


def service_minutes(session: Session, office_id: int, visit_kind: VisitKind, now: datetime) -> list[float]:
    """Recent times a call of this visit kind kept a cabinet busy (call or start to finish), newest first."""
    recent = _recent(session, office_id, now)
    query = (select(recent.c.minutes).where(recent.c.kind_id == visit_kind.id, recent.c.n <= HISTORY_VISITS)
             .order_by(recent.c.n))
    return [float(value) for value in session.scalars(query)]


def _kinds(session: Session) -> list[tuple[int, int, int]]:
    return session.execute(select(VisitKind.id, VisitKind.default_service_minutes, VisitKind.wait_limit_minutes)).all()


def _visit_times(session: Session, office_id: int, now: datetime,
                 kinds: list[tuple[int, int, int]]) -> dict[int, VisitTime]:
    recent = _recent(session, office_id, now)
    rows = session.execute(
        select(recent.c.kind_id, func.count(), func.avg(recent.c.minutes), func.avg(recent.c.minutes * recent.c.minutes))
        .where(recent.c.n <= HISTORY_VISITS).group_by(recent.c.kind_id)
    ).all()
    history = {kind_id: (count, float(mean), float(square)) for kind_id, count, mean, square in rows}
    times = {}
    for kind_id, default, _limit in kinds:
        count, mean, square = history.get(kind_id, (0, 0.0, 0.0))
        if count >= MIN_HISTORY:
            spread = math.sqrt(max(0.0, square - mean * mean) * count / (count - 1))
            times[kind_id] = VisitTime(round(mean, 3), round(spread, 3))  # to the second, not julianday's noise
        else:
            times[kind_id] = VisitTime(float(default), 0.5 * default)
    return times


def visit_times(session: Session, office_id: int, now: datetime) -> dict[int, VisitTime]:
    """For every visit kind, how long a call keeps a cabinet busy: recent history, else the kind's default."""
    return _visit_times(session, office_id, now, _kinds(session))


def cabinets_for(session: Session, office_id: int, visit_kind_id: int) -> int:
    """How many cabinets can take this visit kind now (open ones, else all active ones)."""
    serving = (
        select(Cabinet.state)
        .join(cabinet_visit_kind, cabinet_visit_kind.c.cabinet_id == Cabinet.id)
        .where(Cabinet.office_id == office_id, Cabinet.active, cabinet_visit_kind.c.visit_kind_id == visit_kind_id)
    )
    states = session.scalars(serving).all()
    open_now = sum(1 for state in states if state == OPEN)
    return open_now or len(states)


class _Waiting:
    """A waiting visitor as the projection sees it (the fields a call policy reads)."""

    __slots__ = ("id", "visit_kind_id", "queue_since", "wait_limit_minutes", "target_cabinet_id", "deadline")

    def __init__(self, id, visit_kind_id, queue_since, wait_limit_minutes, target_cabinet_id=None):
        self.id, self.visit_kind_id, self.queue_since = id, visit_kind_id, queue_since
        self.wait_limit_minutes, self.target_cabinet_id = wait_limit_minutes, target_cabinet_id
        self.deadline = queue_since + timedelta(minutes=wait_limit_minutes)


@dataclass
class _Office:
    """What the projection needs to know about the office now."""

    cabinets: dict[int, tuple[str, frozenset[int]]]  # id -> (state, visit kinds)
    busy_until: dict[int, datetime]
    waiting: list[_Waiting]
    times: dict[int, VisitTime]
    rates: dict[int, float]  # visit_kind_id -> arrivals per minute lately
    wait_limits: dict[int, int]
    schedule: DaySchedule | None
    policy: Policy


def _load(session: Session, office: Office, now: datetime, schedule: DaySchedule | None) -> _Office:
    cabinets: dict[int, tuple[str, set[int]]] = {}
    for cabinet_id, state, kind_id in session.execute(
        select(Cabinet.id, Cabinet.state, cabinet_visit_kind.c.visit_kind_id)
        .join(cabinet_visit_kind, cabinet_visit_kind.c.cabinet_id == Cabinet.id)
        .where(Cabinet.office_id == office.id, Cabinet.active)
    ):
        cabinets.setdefault(cabinet_id, (state, set()))[1].add(kind_id)
    kinds = _kinds(session)
    times = _visit_times(session, office.id, now, kinds)
    waiting, busy_until = [], {}
    for row in session.execute(
        select(Ticket.id, Ticket.visit_kind_id, Ticket.queue_since, Ticket.wait_limit_minutes, Ticket.target_cabinet_id,
               Ticket.status, Ticket.cabinet_id, Ticket.called_at, Ticket.started_at)
        .where(Ticket.office_id == office.id, Ticket.status.in_((WAITING, CALLED, SERVING)))
    ):
        if row.status == WAITING:
            waiting.append(_Waiting(row.id, row.visit_kind_id, row.queue_since, row.wait_limit_minutes,
                                    row.target_cabinet_id))
        elif row.cabinet_id is not None:
            visit = times.get(row.visit_kind_id, VisitTime(6.0, 3.0))
            end = (row.called_at or row.started_at or now) + timedelta(minutes=visit.mean)
            busy_until[row.cabinet_id] = max(end, now + timedelta(minutes=min(2.0, visit.mean / 2)))
    rates = {kind_id: count / (ARRIVAL_WINDOW.total_seconds() / 60) for kind_id, count in session.execute(
        select(Ticket.visit_kind_id, func.count(Ticket.id))
        .where(Ticket.office_id == office.id, Ticket.issued_at > now - ARRIVAL_WINDOW, Ticket.issued_at <= now)
        .group_by(Ticket.visit_kind_id)
    )}
    if schedule is None:
        schedule = schedule_for(session, office, local_now(office, now).date())
    frozen = {cabinet_id: (state, frozenset(kinds)) for cabinet_id, (state, kinds) in cabinets.items()}
    limits = {kind_id: limit for kind_id, _default, limit in kinds}
    return _Office(frozen, busy_until, waiting, times, rates, limits, schedule, policy_named(office.call_policy))


def _after_lunch(schedule: DaySchedule | None, moment: datetime) -> datetime:
    if schedule and schedule.lunch_start and schedule.lunch_end and schedule.lunch_start <= moment < schedule.lunch_end:
        return schedule.lunch_end
    return moment


def _arrivals(state: _Office, now: datetime) -> list[tuple[datetime, int]]:
    """Newcomers at the recent rate of each visit kind, evenly spaced, none at lunch or after closing."""
    closes = state.schedule.closes if state.schedule else now + timedelta(hours=4)
    coming = []
    for kind_id, rate in sorted(state.rates.items()):
        gap, moment = timedelta(minutes=1 / rate), now + timedelta(minutes=0.5 / rate)
        while moment < closes and len(coming) < MAX_CALLS:
            moment = _after_lunch(state.schedule, moment)
            coming.append((moment, kind_id))
            moment += gap
    return sorted(coming, key=lambda item: item[0])


def _project(state: _Office, now: datetime, subject: _Waiting) -> tuple[datetime | None, int, float]:
    """Play the queue forward; when `subject` is called, how many calls came before, and that cabinet's spread."""
    cabinets = {cid: kinds for cid, (st, kinds) in state.cabinets.items() if st in (OPEN, PAUSED)}
    if not cabinets:
        cabinets = {cid: kinds for cid, (_st, kinds) in state.cabinets.items()}
    free = []
    for cabinet_id in cabinets:
        start = state.busy_until.get(cabinet_id, now)
        if state.cabinets[cabinet_id][0] == PAUSED:
            start = max(start, now + timedelta(minutes=PAUSE_MINUTES))
        if state.schedule is not None:
            start = max(start, state.schedule.opens)
        heapq.heappush(free, (_after_lunch(state.schedule, start), cabinet_id))
    others = {cid: {kind: sum(kind in k for other, k in cabinets.items() if other != cid) for kind in kinds}
              for cid, kinds in cabinets.items()}
    means = {kind_id: visit.mean for kind_id, visit in state.times.items()}
    coming = _arrivals(state, now)
    pool = list(state.waiting) + [subject]
    variance = dict.fromkeys(cabinets, 0.0)
    calls, step = 0, 0
    while free and calls < MAX_CALLS:
        moment, cabinet_id = heapq.heappop(free)
        while step < len(coming) and coming[step][0] <= moment:
            at, kind_id = coming[step]
            pool.append(_Waiting(ARRIVAL_IDS + step, kind_id, at, state.wait_limits.get(kind_id, 10)))
            step += 1
        kinds = cabinets[cabinet_id]
        candidates = [w for w in pool if w.target_cabinet_id == cabinet_id
                      or (w.target_cabinet_id is None and w.visit_kind_id in kinds)]
        chosen = state.policy(CallContext(cabinet_id, candidates, moment, others[cabinet_id], means))
        if chosen is None:
            later = [at for at, kind in coming[step:] if kind in kinds]
            if later:
                heapq.heappush(free, (later[0], cabinet_id))
            continue
        if chosen is subject:
            return moment, calls, math.sqrt(variance[cabinet_id])
        pool.remove(chosen)
        calls += 1
        visit = state.times.get(chosen.visit_kind_id, VisitTime(6.0, 3.0))
        variance[cabinet_id] += visit.sd ** 2
        heapq.heappush(free, (_after_lunch(state.schedule, moment + timedelta(minutes=visit.mean)), cabinet_id))
    return None, calls, 0.0


def estimate_wait(
    session: Session, office_id: int, visit_kind: VisitKind, now: datetime, ahead: int | None = None,
    *, schedule: DaySchedule | None = None,
) -> WaitEstimate:
    """The wait still ahead of a visitor of `visit_kind`: a newcomer taking a ticket now, or (when fewer of
    the kind wait before them than wait in all) the one waiting with `ahead` visitors of their kind before them."""
    state = _load(session, session.get(Office, office_id), now, schedule)
    mine = sorted((w for w in state.waiting if w.visit_kind_id == visit_kind.id), key=lambda w: (w.queue_since, w.id))
    if ahead is None:
        ahead = len(mine)
    if ahead < len(mine):
        subject = mine[ahead]
    else:
        # Visitors the caller counts but the queue does not hold yet stand just before the newcomer.
        state.waiting += [_Waiting(-n - 1, visit_kind.id, now, visit_kind.wait_limit_minutes)
                          for n in range(ahead - len(mine))]
        subject = _Waiting(ARRIVAL_IDS - 1, visit_kind.id, now, visit_kind.wait_limit_minutes)
    visit = state.times.get(visit_kind.id, VisitTime(float(visit_kind.default_service_minutes), 0.0))
    serving = [cid for cid, (st, kinds) in state.cabinets.items() if visit_kind.id in kinds and st == OPEN]
    cabinets = len(serving) or sum(visit_kind.id in kinds for _st, kinds in state.cabinets.values())
    called, calls, spread = _project(state, now, subject)
    if called is None:  # nobody can serve this kind today: the old rule of thumb, work ahead shared out
        expected = ahead * visit.mean / max(1, cabinets)
        calls, spread = ahead, visit.sd * math.sqrt(ahead)
    else:
        expected = max(0.0, (called - now).total_seconds() / 60)
    return WaitEstimate(ahead, *_range(expected, spread, calls), expected, cabinets, visit.mean, calls)


def _range(expected: float, spread: float, calls: int) -> tuple[int, int]:
    """Low and high minutes: visit times vary (spread), and the further off, the more that is unknown."""
    low = expected - 0.8 * spread - 0.15 * expected
    high = expected + 1.2 * spread + 0.25 * expected + (1.0 if calls else 0.5)
    return max(0, math.floor(low)), max(math.ceil(high), math.floor(max(low, 0)) + 1)
