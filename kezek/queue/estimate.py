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

The parts live beside it: queue counts in counts.py, visit-time statistics in visit_stats.py, the
office's cached figures in office_cache.py and the simulation engine in projection.py.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, literal_column, null, select
from sqlalchemy.orm import Session

from kezek.models import CALLED, OPEN, PAUSED, SERVING, WAITING, Cabinet, Office, Ticket, VisitKind
from kezek.queue.caches import caches_of
from kezek.queue.candidates import Waiting
from kezek.queue.hours import DaySchedule
from kezek.queue.office_cache import figures, schedule_from
from kezek.queue.policy import policy_named
from kezek.queue.projection import ARRIVAL_IDS, PAUSE_MINUTES, OfficeNow, Outcome, project, project_all, queue_order
from kezek.queue.visit_stats import UNKNOWN_VISIT, VisitTime

ARRIVAL_WINDOW = timedelta(minutes=30)
OVERDUE_PAUSE = timedelta(minutes=2)  # a clerk not back when they said is expected this soon


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


def _back_from_pause(until: datetime | None, now: datetime) -> datetime:
    """When a paused cabinet is expected back: when its clerk said (the pause's length), a little after now if
    that has passed, or in `PAUSE_MINUTES` for a pause without a length."""
    if until is None:
        return now + timedelta(minutes=PAUSE_MINUTES)
    if until.tzinfo is None:
        until = until.replace(tzinfo=now.tzinfo)
    return max(until, now + OVERDUE_PAUSE)


def _now_part(part: str):
    return literal_column(f"'{part}'").label("part")


# Everything about the office that changes from one minute to the next, in one reading: (part, number, kind,
# moment, limit, target, state) rows of the waiting tickets ("w": id, visit kind, place in the queue, limit,
# target cabinet), the cabinets' current visits ("b": cabinet, kind, called or started), the arrivals of the
# last half hour ("a": count, kind) and the active cabinets' states ("c": cabinet, paused until, state).
_NOW = (
    select(
        _now_part("w"),
        Ticket.id.label("number"),
        Ticket.visit_kind_id.label("kind"),
        Ticket.queue_since.label("moment"),
        Ticket.wait_limit_minutes.label("limit"),
        Ticket.target_cabinet_id.label("target"),
        null().label("state"),
    )
    .where(Ticket.office_id == bindparam("office_id"), Ticket.status == WAITING)
    .union_all(
        select(
            _now_part("b"),
            Ticket.cabinet_id,
            Ticket.visit_kind_id,
            func.coalesce(Ticket.called_at, Ticket.started_at),
            null(),
            null(),
            null(),
        ).where(
            Ticket.office_id == bindparam("office_id"),
            Ticket.status.in_((CALLED, SERVING)),
            Ticket.cabinet_id.is_not(None),
        ),
        select(_now_part("a"), func.count(Ticket.id), Ticket.visit_kind_id, null(), null(), null(), null())
        .where(
            Ticket.office_id == bindparam("office_id"),
            Ticket.issued_at > bindparam("since"),
            Ticket.issued_at <= bindparam("now"),
        )
        .group_by(Ticket.visit_kind_id),
        select(_now_part("c"), Cabinet.id, null(), Cabinet.paused_until, null(), null(), Cabinet.state).where(
            Cabinet.office_id == bindparam("office_id"), Cabinet.active
        ),
    )
)


def _load(session: Session, office: Office, now: datetime, schedule: DaySchedule | None) -> OfficeNow:
    known = figures(session, office.id, now)
    rows = session.execute(_NOW, {"office_id": office.id, "since": now - ARRIVAL_WINDOW, "now": now}).all()
    if any(part == "c" and number not in known.served for part, number, *_rest in rows):
        caches_of(session).forget({office.id})  # a cabinet added in another process: read what it serves
        known = figures(session, office.id, now)
    times = known.times
    cabinets, waiting, busy_until, rates, back = {}, [], {}, {}, {}
    for part, number, kind_id, moment, limit, target, state in rows:
        if part == "w":
            waiting.append(Waiting(number, kind_id, moment, limit, target))
        elif part == "b":
            visit = times.get(kind_id, UNKNOWN_VISIT)
            end = max(
                (moment or now) + timedelta(minutes=visit.mean), now + timedelta(minutes=min(2.0, visit.mean / 2))
            )
            busy_until[number] = max(end, busy_until.get(number, end))
        elif part == "a":
            rates[kind_id] = number
        elif known.served.get(number):  # a cabinet that serves no visit kind plays no part
            cabinets[number] = (state, known.served[number])
            if state == PAUSED:
                back[number] = _back_from_pause(moment, now)
    if schedule is None:
        schedule = schedule_from(session, office, now, known)
    window = _open_minutes(schedule, now - ARRIVAL_WINDOW, now)
    rates = {kind_id: count / window for kind_id, count in rates.items()}
    limits = {kind_id: limit for kind_id, _default, limit in known.kinds}
    return OfficeNow(
        cabinets, busy_until, waiting, times, rates, limits, schedule, policy_named(office.call_policy), back
    )


def _open_minutes(schedule: DaySchedule | None, start: datetime, end: datetime) -> float:
    """Minutes of [start, end) when the kiosk issues tickets (lunch and before opening left out), at least 5:
    right after lunch the last half hour's arrivals came in the few minutes since it ended."""
    minutes = (end - start).total_seconds() / 60
    if schedule is not None:
        for closed_from, closed_to in ((start, schedule.opens), (schedule.lunch_start, schedule.lunch_end)):
            if closed_from and closed_to:
                overlap = (min(end, closed_to) - max(start, closed_from)).total_seconds() / 60
                minutes -= max(0.0, overlap)
    return max(5.0, minutes)


def estimate_wait(
    session: Session,
    office_id: int,
    visit_kind: VisitKind,
    now: datetime,
    ahead: int | None = None,
    *,
    schedule: DaySchedule | None = None,
) -> WaitEstimate:
    """The wait still ahead of a visitor of `visit_kind`: a newcomer taking a ticket now, or (when fewer of
    the kind wait before them than wait in all) the one waiting with `ahead` visitors of their kind before them."""
    state = _load(session, session.get(Office, office_id), now, schedule)
    mine = _mine(state, visit_kind.id)
    if ahead is None:
        ahead = len(mine)
    if ahead < len(mine):
        return _estimate(state, visit_kind, now, ahead, project(state, now, mine[ahead]))
    # Visitors the caller counts but the queue does not hold yet stand just before the newcomer.
    state.waiting += [
        Waiting(-n - 1, visit_kind.id, now, visit_kind.wait_limit_minutes) for n in range(ahead - len(mine))
    ]
    subject = Waiting(ARRIVAL_IDS - 1, visit_kind.id, now, visit_kind.wait_limit_minutes)
    return _estimate(state, visit_kind, now, ahead, project(state, now, subject))


def _mine(state: OfficeNow, kind_id: int) -> list[Waiting]:
    return sorted((w for w in state.waiting if w.visit_kind_id == kind_id), key=queue_order)


@dataclass(frozen=True)
class NewcomerTable:
    """When the next newcomers of one visit kind would be called, played forward in one projection.

    Entry n is the visitor who takes a ticket after n more of their kind have (all at `taken_at`): the
    built-in policies call within a visit kind in queue order and look only at group heads, so each
    entry is exactly what `estimate_wait` gives a newcomer with `base_ahead + n` ahead."""

    taken_at: datetime
    base_ahead: int  # visitors of the kind waiting when it was played
    outcomes: list[Outcome]
    cabinets: int
    visit: VisitTime
    known: object  # the rarely changing figures it was played with (office_cache.figures)

    def estimate(self, ahead: int, now: datetime) -> WaitEstimate | None:
        """The newcomer's estimate with `ahead` of their kind before them, None beyond the table."""
        n = ahead - self.base_ahead
        if not 0 <= n < len(self.outcomes):
            return None
        return _estimate_from(self.outcomes[n], ahead, now, self.cabinets, self.visit)

    def still_known(self, session: Session, office_id: int, now: datetime) -> bool:
        """Whether the visit times, cabinets and hours it used are still the ones in force."""
        return figures(session, office_id, now) is self.known


def newcomer_table(
    session: Session,
    office: Office,
    visit_kind: VisitKind,
    now: datetime,
    size: int,
    schedule: DaySchedule | None = None,
) -> NewcomerTable:
    """Play the office's queue forward once for the next `size` newcomers of `visit_kind` (see NewcomerTable)."""
    state = _load(session, office, now, schedule)
    base = len(_mine(state, visit_kind.id))
    subjects = [
        Waiting(ARRIVAL_IDS - 1 - size + n, visit_kind.id, now, visit_kind.wait_limit_minutes) for n in range(size)
    ]
    cabinets, visit = _capacity(state, visit_kind)
    outcomes = project_all(state, now, subjects)
    return NewcomerTable(now, base, outcomes, cabinets, visit, figures(session, office.id, now))


def _capacity(state: OfficeNow, visit_kind: VisitKind) -> tuple[int, VisitTime]:
    """How many cabinets take the visit kind (open ones, else all), and how long its visits last."""
    kind_id = visit_kind.id
    visit = state.times.get(kind_id, VisitTime(float(visit_kind.default_service_minutes), 0.0))
    serving = [cid for cid, (st, kinds) in state.cabinets.items() if kind_id in kinds and st == OPEN]
    return len(serving) or sum(kind_id in kinds for _st, kinds in state.cabinets.values()), visit


def _estimate(state: OfficeNow, visit_kind: VisitKind, now: datetime, ahead: int, outcome: Outcome) -> WaitEstimate:
    return _estimate_from(outcome, ahead, now, *_capacity(state, visit_kind))


def _estimate_from(outcome: Outcome, ahead: int, now: datetime, cabinets: int, visit: VisitTime) -> WaitEstimate:
    called, calls, spread = outcome
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
