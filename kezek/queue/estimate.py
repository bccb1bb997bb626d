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
import threading
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from weakref import WeakKeyDictionary

from sqlalchemy import and_, bindparam, event, func, inspect, literal_column, null, or_, select
from sqlalchemy.orm import Session

from kezek.models import (
    CALLED, NO_SHOW, OPEN, PAUSED, SERVED, SERVING, WAITING, CalendarDay, Cabinet, Office, OfficeHours, Ticket,
    VisitKind, cabinet_visit_kind,
)
from kezek.queue.candidates import Waiting
from kezek.queue.hours import DaySchedule, local_now, schedule_for
from kezek.queue.policy import GROUPED, CallContext, GroupedPolicy, Policy, policy_named

HISTORY_VISITS = 30
HISTORY_DAYS = 14
ARRIVAL_WINDOW = timedelta(minutes=30)
PAUSE_MINUTES = 10.0  # a paused cabinet whose clerk gave no length is expected back this soon
OVERDUE_PAUSE = timedelta(minutes=2)  # a clerk not back when they said is expected this soon
MIN_HISTORY = 5
MAX_CALLS = 3000
ARRIVAL_IDS = 10**12  # ids of the projection's imagined newcomers, after every real ticket
_MICROSECOND = timedelta(microseconds=1)
KNOWN_FOR = timedelta(minutes=1)  # visit kinds, visit times and hours are read again after this much clock time

# engine -> office id -> _Known; per database, so a test's fresh database never sees another's figures
_KNOWN: WeakKeyDictionary = WeakKeyDictionary()
_KNOWN_LOCK = threading.Lock()
_WRITTEN = "kezek.estimate.written"  # session.info key: offices whose cached figures this transaction's writes touched


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


_PEOPLE_AHEAD = select(func.count(Ticket.id)).where(
    Ticket.office_id == bindparam("office_id"), Ticket.visit_kind_id == bindparam("visit_kind_id"),
    Ticket.status == WAITING,
)
_EARLIER = _PEOPLE_AHEAD.where(or_(
    Ticket.queue_since < bindparam("queue_since"),
    and_(Ticket.queue_since == bindparam("queue_since"), Ticket.id < bindparam("ticket_id")),
))


def people_ahead(session: Session, office_id: int, visit_kind_id: int) -> int:
    """How many visitors of this visit kind are waiting now."""
    return session.scalar(_PEOPLE_AHEAD, {"office_id": office_id, "visit_kind_id": visit_kind_id}) or 0


def ahead_of(session: Session, ticket: Ticket) -> int:
    """How many waiting visitors of the same visit kind queued before `ticket`."""
    values = {"office_id": ticket.office_id, "visit_kind_id": ticket.visit_kind_id,
              "queue_since": ticket.queue_since, "ticket_id": ticket.id}
    return session.scalar(_EARLIER, values) or 0


def places(session: Session, office_id: int) -> dict[int, int]:
    """For every waiting ticket of the office, how many of its visit kind queued before it (one query)."""
    rows = session.execute(
        select(Ticket.id, Ticket.visit_kind_id)
        .where(Ticket.office_id == office_id, Ticket.status == WAITING)
        .order_by(Ticket.visit_kind_id, Ticket.queue_since, Ticket.id)
    )
    seen: dict[int, int] = {}
    found = {}
    for ticket_id, kind_id in rows:
        found[ticket_id] = seen.get(kind_id, 0)
        seen[kind_id] = found[ticket_id] + 1
    return found


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
        select(Ticket.visit_kind_id.label("kind_id"), minutes.label("minutes"),
               func.row_number().over(partition_by=Ticket.visit_kind_id, order_by=Ticket.id.desc()).label("n"))
        .where(Ticket.office_id == bindparam("office_id"), Ticket.service_day >= bindparam("from_day"),
               Ticket.status.in_((SERVED, NO_SHOW)), Ticket.finished_at.is_not(None),
               Ticket.finished_at >= bindparam("since"), Ticket.finished_at <= bindparam("now"),
               minutes >= 0)
        .subquery()
    )


def _recent_values(office_id: int, now: datetime) -> dict:
    return {"office_id": office_id, "from_day": (now - timedelta(days=HISTORY_DAYS + 1)).date(),
            "since": now - timedelta(days=HISTORY_DAYS), "now": now}


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def service_minutes(session: Session, office_id: int, visit_kind: VisitKind, now: datetime) -> list[float]:
    """Recent times a call of this visit kind kept a cabinet busy (call or start to finish), newest first."""
    recent = _recent(_dialect(session))
    query = (select(recent.c.minutes).where(recent.c.kind_id == visit_kind.id, recent.c.n <= HISTORY_VISITS)
             .order_by(recent.c.n))
    return [float(value) for value in session.scalars(query, _recent_values(office_id, now))]


@lru_cache(maxsize=4)
def _kinds_with_history(dialect: str):
    """Every visit kind (id, default minutes, wait limit) with its recent visits' count, mean and mean square."""
    recent = _recent(dialect)
    history = (
        select(recent.c.kind_id, func.count().label("count"), func.avg(recent.c.minutes).label("mean"),
               func.avg(recent.c.minutes * recent.c.minutes).label("square"))
        .where(recent.c.n <= HISTORY_VISITS).group_by(recent.c.kind_id).subquery()
    )
    return (
        select(VisitKind.id, VisitKind.default_service_minutes, VisitKind.wait_limit_minutes,
               history.c.count, history.c.mean, history.c.square)
        .outerjoin(history, history.c.kind_id == VisitKind.id)
    )


UNKNOWN_VISIT = VisitTime(6.0, 3.0)  # a visit kind the office has no figures for


@dataclass(frozen=True)
class _Known:
    """What rarely changes about an office, as read at `at`: the visit kinds, their visit times, day schedules."""

    at: datetime
    kinds: list[tuple[int, int, int]]  # (id, default minutes, wait limit)
    times: dict[int, VisitTime]
    served: dict[int, frozenset[int]]  # active cabinet id -> the visit kinds it serves
    schedules: dict  # local date -> DaySchedule | None, filled as asked


_SERVED = (
    select(Cabinet.id, cabinet_visit_kind.c.visit_kind_id)
    .outerjoin(cabinet_visit_kind, cabinet_visit_kind.c.cabinet_id == Cabinet.id)
    .where(Cabinet.office_id == bindparam("office_id"), Cabinet.active)
)


def _read_known(session: Session, office_id: int, now: datetime) -> _Known:
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
    served: dict[int, set[int]] = {}
    for cabinet_id, kind_id in session.execute(_SERVED, {"office_id": office_id}):
        served.setdefault(cabinet_id, set()).update(() if kind_id is None else (kind_id,))
    return _Known(now, kinds, times, {cabinet_id: frozenset(k) for cabinet_id, k in served.items()}, {})


def _known(session: Session, office_id: int, now: datetime) -> _Known:
    """The office's visit kinds, visit times and what each cabinet serves: read again after a minute of the
    clock, or at once after a visit ends or a visit kind, a cabinet's visit kinds or the office's hours
    change in this process (`_forget_on_flush`)."""
    bind = session.get_bind()
    with _KNOWN_LOCK:
        entry = _KNOWN.setdefault(bind.engine, {}).get(office_id)
    if entry is not None and entry.at <= now < entry.at + KNOWN_FOR:
        return entry
    entry = _read_known(session, office_id, now)
    with _KNOWN_LOCK:
        _KNOWN.setdefault(bind.engine, {})[office_id] = entry
    return entry


def _forget(office_ids: set[int] | None) -> None:
    """Drop what `_known` holds for these offices (all offices when None), on every database."""
    with _KNOWN_LOCK:
        for offices in _KNOWN.values():
            if office_ids is None:
                offices.clear()
            for office_id in office_ids or ():
                offices.pop(office_id, None)


def _touches_known(row, how: str) -> tuple[bool, int | None]:
    """Whether writing `row` (`how`: "new", "dirty" or "deleted") may change what `_known` holds, and for
    which office (None: any office). Reads only what is loaded: nothing here may query in a flush."""
    state = inspect(row)
    loaded = state.dict
    if isinstance(row, Ticket):  # a new ticket without an end leaves visit times as they were
        finished = loaded.get("finished_at") is not None or ("finished_at" not in loaded and how != "new")
        return finished or bool(state.attrs.finished_at.history.deleted), loaded.get("office_id")
    if isinstance(row, VisitKind):
        return True, None
    if isinstance(row, (OfficeHours, CalendarDay)):
        return True, loaded.get("office_id")
    if isinstance(row, Cabinet):
        changed = how != "dirty" or any(
            state.attrs[name].history.has_changes() for name in ("visit_kinds", "active", "office_id"))
        return changed, loaded.get("office_id")
    if isinstance(row, Office):
        return True, loaded.get("id")
    return False, None


@event.listens_for(Session, "after_flush")
def _forget_on_flush(session: Session, _context) -> None:
    """A visit ended, or a visit kind, a cabinet's visit kinds or the office's hours were written: read afresh."""
    offices: set[int | None] = set()  # None: every office
    written = [(row, how) for how, rows in (("new", session.new), ("dirty", session.dirty),
                                            ("deleted", session.deleted)) for row in rows]
    for row, how in written:
        touches, office_id = _touches_known(row, how)
        if touches:
            offices.add(office_id)
    if offices:
        _forget(None if None in offices else offices)
        session.info.setdefault(_WRITTEN, set()).update(offices)


@event.listens_for(Session, "after_commit")
def _written_stays(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


@event.listens_for(Session, "after_rollback")
def _written_undone(session: Session) -> None:
    """What was read inside the rolled-back transaction may include its writes: forget it again."""
    offices = session.info.pop(_WRITTEN, None)
    if offices:
        _forget(None if None in offices else offices)


def visit_times(session: Session, office_id: int, now: datetime) -> dict[int, VisitTime]:
    """For every visit kind, how long a call keeps a cabinet busy: recent history, else the kind's default."""
    return dict(_known(session, office_id, now).times)


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


@dataclass
class _Office:
    """What the projection needs to know about the office now."""

    cabinets: dict[int, tuple[str, frozenset[int]]]  # id -> (state, visit kinds)
    busy_until: dict[int, datetime]
    waiting: list[Waiting]
    times: dict[int, VisitTime]
    rates: dict[int, float]  # visit_kind_id -> arrivals per minute lately
    wait_limits: dict[int, int]
    schedule: DaySchedule | None
    policy: Policy
    back: dict[int, datetime] = field(default_factory=dict)  # paused cabinet id -> when its clerk is expected back


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
    select(_now_part("w"), Ticket.id.label("number"), Ticket.visit_kind_id.label("kind"),
           Ticket.queue_since.label("moment"), Ticket.wait_limit_minutes.label("limit"),
           Ticket.target_cabinet_id.label("target"), null().label("state"))
    .where(Ticket.office_id == bindparam("office_id"), Ticket.status == WAITING)
    .union_all(
        select(_now_part("b"), Ticket.cabinet_id, Ticket.visit_kind_id,
               func.coalesce(Ticket.called_at, Ticket.started_at), null(), null(), null())
        .where(Ticket.office_id == bindparam("office_id"), Ticket.status.in_((CALLED, SERVING)),
               Ticket.cabinet_id.is_not(None)),
        select(_now_part("a"), func.count(Ticket.id), Ticket.visit_kind_id, null(), null(), null(), null())
        .where(Ticket.office_id == bindparam("office_id"), Ticket.issued_at > bindparam("since"),
               Ticket.issued_at <= bindparam("now"))
        .group_by(Ticket.visit_kind_id),
        select(_now_part("c"), Cabinet.id, null(), Cabinet.paused_until, null(), null(), Cabinet.state)
        .where(Cabinet.office_id == bindparam("office_id"), Cabinet.active),
    )
)


def _load(session: Session, office: Office, now: datetime, schedule: DaySchedule | None) -> _Office:
    known = _known(session, office.id, now)
    rows = session.execute(_NOW, {"office_id": office.id, "since": now - ARRIVAL_WINDOW, "now": now}).all()
    if any(part == "c" and number not in known.served for part, number, *_rest in rows):
        _forget({office.id})  # a cabinet added in another process: read what it serves
        known = _known(session, office.id, now)
    times = known.times
    cabinets, waiting, busy_until, rates, back = {}, [], {}, {}, {}
    for part, number, kind_id, moment, limit, target, state in rows:
        if part == "w":
            waiting.append(Waiting(number, kind_id, moment, limit, target))
        elif part == "b":
            visit = times.get(kind_id, UNKNOWN_VISIT)
            end = max((moment or now) + timedelta(minutes=visit.mean),
                      now + timedelta(minutes=min(2.0, visit.mean / 2)))
            busy_until[number] = max(end, busy_until.get(number, end))
        elif part == "a":
            rates[kind_id] = number
        elif known.served.get(number):  # a cabinet that serves no visit kind plays no part
            cabinets[number] = (state, known.served[number])
            if state == PAUSED:
                back[number] = _back_from_pause(moment, now)
    if schedule is None:
        schedule = _day_schedule(session, office, now, known)
    window = _open_minutes(schedule, now - ARRIVAL_WINDOW, now)
    rates = {kind_id: count / window for kind_id, count in rates.items()}
    limits = {kind_id: limit for kind_id, _default, limit in known.kinds}
    return _Office(cabinets, busy_until, waiting, times, rates, limits, schedule, policy_named(office.call_policy),
                   back)


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


def _day_schedule(session: Session, office: Office, now: datetime, known: _Known) -> DaySchedule | None:
    day = local_now(office, now).date()
    if day not in known.schedules:
        known.schedules[day] = schedule_for(session, office, day)
    return known.schedules[day]


def day_schedule(session: Session, office: Office, now: datetime) -> DaySchedule | None:
    """The office's hours on its local day at `now`, kept with the other rarely changing figures (`_known`)."""
    return _day_schedule(session, office, now, _known(session, office.id, now))


def _after_lunch(schedule: DaySchedule | None, moment: datetime) -> datetime:
    if schedule and schedule.lunch_start and schedule.lunch_end and schedule.lunch_start <= moment < schedule.lunch_end:
        return schedule.lunch_end
    return moment


def next_stop(schedule: DaySchedule | None, moment: datetime) -> datetime | None:
    """When the office next stops calling after `moment`: the start of lunch if still ahead, else closing."""
    if schedule is None:
        return None
    if schedule.lunch_start and schedule.lunch_end and moment < schedule.lunch_start:
        return schedule.lunch_start
    return schedule.closes


def _count_before(start: datetime, gap: timedelta, end: datetime) -> int:
    """How many of start, start + gap, start + 2 gap, ... fall before `end`."""
    return 0 if start >= end else (end - start - _MICROSECOND) // gap + 1


class _Newcomers:
    """Newcomers at the recent rate of each visit kind, evenly spaced, none after closing; those who would come
    during lunch wait at the door and take their tickets when it ends (as the kiosk turns them away until then).
    At most MAX_CALLS in all, the visit kinds in id order. Made as the projection reaches them, in order of arrival."""

    def __init__(self, state: _Office, now: datetime):
        self.schedule, self.limits = state.schedule, state.wait_limits
        closes = state.schedule.closes if state.schedule else now + timedelta(hours=4)
        # (moment shown, kind, how many more, gap, moment in the even stream) per kind
        self.next: list[tuple[datetime, int, int, timedelta, datetime]] = []
        room = MAX_CALLS
        for kind_id, rate in sorted(state.rates.items()):
            gap, first = timedelta(minutes=1 / rate), now + timedelta(minutes=0.5 / rate)
            count = min(room, _count_before(first, gap, closes))
            room -= count
            if count:
                self.next.append((_after_lunch(state.schedule, first), kind_id, count, gap, first))
        heapq.heapify(self.next)
        self.made = 0

    def until(self, moment: datetime) -> Iterator[Waiting]:
        """The newcomers arriving up to `moment`, in order."""
        while self.next and self.next[0][0] <= moment:
            at, kind_id, count, gap, even = self.next[0]
            if count > 1:
                even += gap
                heapq.heapreplace(self.next, (_after_lunch(self.schedule, even), kind_id, count - 1, gap, even))
            else:
                heapq.heappop(self.next)
            yield Waiting(ARRIVAL_IDS + self.made, kind_id, at, self.limits.get(kind_id, 10))
            self.made += 1

    def first_of(self, kinds: frozenset[int]) -> datetime | None:
        """When the next newcomer of one of these visit kinds arrives."""
        return min((entry[0] for entry in self.next if entry[1] in kinds), default=None)


def _order(waiting: Waiting) -> tuple:
    return (waiting.queue_since, waiting.id)


class _Everyone:
    """The projection's waiting visitors in one list: the policy is shown every one a cabinet may call."""

    def __init__(self, policy: Policy, cabinets: dict[int, frozenset[int]], waiting: list[Waiting]):
        self.policy, self.cabinets, self.items = policy, cabinets, list(waiting)

    def add(self, waiting: Waiting) -> None:
        self.items.append(waiting)

    def remove(self, waiting: Waiting) -> None:
        self.items.remove(waiting)

    def choose(self, cabinet_id: int, moment: datetime, others: dict[int, int], means: dict[int, float],
               stop_at: datetime | None = None):
        kinds = self.cabinets[cabinet_id]
        candidates = [w for w in self.items if w.target_cabinet_id == cabinet_id
                      or (w.target_cabinet_id is None and w.visit_kind_id in kinds)]
        return self.policy(CallContext(cabinet_id, candidates, moment, others, means, stop_at))


class _Groups:
    """The projection's waiting visitors in groups of one visit kind, wait limit and target cabinet, each in
    queue order, for a policy's grouped form: a call looks at a few visitors per group, not at everyone."""

    def __init__(self, policy: GroupedPolicy, cabinets: dict[int, frozenset[int]], waiting: list[Waiting]):
        self.policy, self.cabinets = policy, cabinets
        self.groups: dict[tuple, list[Waiting]] = {}
        self.of_cabinet: dict[int, list[list[Waiting]]] = {cabinet_id: [] for cabinet_id in cabinets}
        for visitor in waiting:
            self._group(visitor).append(visitor)
        for group in self.groups.values():
            group.sort(key=_order)

    def _group(self, visitor: Waiting) -> list[Waiting]:
        key = (visitor.visit_kind_id, visitor.wait_limit_minutes, visitor.target_cabinet_id)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = []
            kind, _limit, target = key
            for cabinet_id, kinds in self.cabinets.items():
                if target == cabinet_id or (target is None and kind in kinds):
                    self.of_cabinet[cabinet_id].append(group)
        return group

    def add(self, visitor: Waiting) -> None:
        group = self._group(visitor)
        if group and _order(visitor) < _order(group[-1]):
            insort(group, visitor, key=_order)
        else:
            group.append(visitor)  # newcomers join at the end

    def remove(self, visitor: Waiting) -> None:
        group = self.groups[visitor.visit_kind_id, visitor.wait_limit_minutes, visitor.target_cabinet_id]
        if group[0] is visitor:  # mostly the first of the group is called
            del group[0]
        else:
            del group[bisect_left(group, _order(visitor), key=_order)]

    def choose(self, cabinet_id: int, moment: datetime, others: dict[int, int], means: dict[int, float],
               stop_at: datetime | None = None):
        return self.policy([group for group in self.of_cabinet[cabinet_id] if group], moment, others, means, stop_at)


Outcome = tuple[datetime | None, int, float]  # when called (None: not today), calls before, that cabinet's spread


def _project(state: _Office, now: datetime, subject: Waiting, *, generic: bool = False) -> Outcome:
    """Play the queue forward; when `subject` is called, how many calls came before, and that cabinet's spread.

    The built-in policies choose from grouped visitors (`policy.GROUPED`), with the same result as when
    shown every candidate; an office's own policy, or `generic`, is shown every candidate."""
    return _project_all(state, now, [subject], generic=generic)[0]


def _project_all(state: _Office, now: datetime, subjects: list[Waiting], *, generic: bool = False) -> list[Outcome]:
    """`_project` for several subjects at once, each one called in turn like any visitor (in `subjects` order)."""
    cabinets = {cid: kinds for cid, (st, kinds) in state.cabinets.items() if st in (OPEN, PAUSED)}
    if not cabinets:
        cabinets = {cid: kinds for cid, (_st, kinds) in state.cabinets.items()}
    free = []
    for cabinet_id in cabinets:
        start = state.busy_until.get(cabinet_id, now)
        if state.cabinets[cabinet_id][0] == PAUSED:
            start = max(start, state.back.get(cabinet_id) or now + timedelta(minutes=PAUSE_MINUTES))
        if state.schedule is not None:
            start = max(start, state.schedule.opens)
        heapq.heappush(free, (_after_lunch(state.schedule, start), cabinet_id))
    serving = Counter(kind for kinds in cabinets.values() for kind in kinds)
    others = {cid: {kind: serving[kind] - 1 for kind in kinds} for cid, kinds in cabinets.items()}
    means = {kind_id: visit.mean for kind_id, visit in state.times.items()}
    coming = _Newcomers(state, now)
    present = {id(w) for w in state.waiting}
    waiting = [*state.waiting, *(subject for subject in subjects if id(subject) not in present)]
    watched = {id(subject): n for n, subject in enumerate(subjects)}
    outcomes: list[Outcome] = [(None, 0, 0.0)] * len(subjects)
    left = len(subjects)
    grouped = None if generic else GROUPED.get(state.policy)
    pool = _Groups(grouped, cabinets, waiting) if grouped else _Everyone(state.policy, cabinets, waiting)
    variance = dict.fromkeys(cabinets, 0.0)
    visits: dict[int, tuple[timedelta, float]] = {}  # visit kind -> how long a visit keeps a cabinet, variance
    calls = 0
    while free and calls < MAX_CALLS:
        moment, cabinet_id = heapq.heappop(free)
        if coming.next and coming.next[0][0] <= moment:
            for newcomer in coming.until(moment):
                pool.add(newcomer)
        chosen = pool.choose(cabinet_id, moment, others[cabinet_id], means, next_stop(state.schedule, moment))
        if chosen is None:  # idle until the next newcomer it serves
            later = coming.first_of(cabinets[cabinet_id])
            if later is not None:
                heapq.heappush(free, (later, cabinet_id))
            continue
        if id(chosen) in watched:
            outcomes[watched[id(chosen)]] = (moment, calls, math.sqrt(variance[cabinet_id]))
            left -= 1
            if not left:
                break
        pool.remove(chosen)
        calls += 1
        if chosen.visit_kind_id not in visits:
            visit = state.times.get(chosen.visit_kind_id, UNKNOWN_VISIT)
            visits[chosen.visit_kind_id] = (timedelta(minutes=visit.mean), visit.sd ** 2)
        length, spread = visits[chosen.visit_kind_id]
        variance[cabinet_id] += spread
        heapq.heappush(free, (_after_lunch(state.schedule, moment + length), cabinet_id))
    return outcomes


def estimate_wait(
    session: Session, office_id: int, visit_kind: VisitKind, now: datetime, ahead: int | None = None,
    *, schedule: DaySchedule | None = None,
) -> WaitEstimate:
    """The wait still ahead of a visitor of `visit_kind`: a newcomer taking a ticket now, or (when fewer of
    the kind wait before them than wait in all) the one waiting with `ahead` visitors of their kind before them."""
    state = _load(session, session.get(Office, office_id), now, schedule)
    mine = _mine(state, visit_kind.id)
    if ahead is None:
        ahead = len(mine)
    if ahead < len(mine):
        return _estimate(state, visit_kind, now, ahead, _project(state, now, mine[ahead]))
    # Visitors the caller counts but the queue does not hold yet stand just before the newcomer.
    state.waiting += [Waiting(-n - 1, visit_kind.id, now, visit_kind.wait_limit_minutes)
                      for n in range(ahead - len(mine))]
    subject = Waiting(ARRIVAL_IDS - 1, visit_kind.id, now, visit_kind.wait_limit_minutes)
    return _estimate(state, visit_kind, now, ahead, _project(state, now, subject))


def _mine(state: _Office, kind_id: int) -> list[Waiting]:
    return sorted((w for w in state.waiting if w.visit_kind_id == kind_id), key=_order)


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
    known: object  # the rarely changing figures it was played with (`_known`)

    def estimate(self, ahead: int, now: datetime) -> WaitEstimate | None:
        """The newcomer's estimate with `ahead` of their kind before them, None beyond the table."""
        n = ahead - self.base_ahead
        if not 0 <= n < len(self.outcomes):
            return None
        return _estimate_from(self.outcomes[n], ahead, now, self.cabinets, self.visit)

    def still_known(self, session: Session, office_id: int, now: datetime) -> bool:
        """Whether the visit times, cabinets and hours it used are still the ones in force."""
        return _known(session, office_id, now) is self.known


def newcomer_table(session: Session, office: Office, visit_kind: VisitKind, now: datetime, size: int,
                   schedule: DaySchedule | None = None) -> NewcomerTable:
    """Play the office's queue forward once for the next `size` newcomers of `visit_kind` (see NewcomerTable)."""
    state = _load(session, office, now, schedule)
    base = len(_mine(state, visit_kind.id))
    subjects = [Waiting(ARRIVAL_IDS - 1 - size + n, visit_kind.id, now, visit_kind.wait_limit_minutes)
                for n in range(size)]
    cabinets, visit = _capacity(state, visit_kind)
    outcomes = _project_all(state, now, subjects)
    return NewcomerTable(now, base, outcomes, cabinets, visit, _known(session, office.id, now))


def _capacity(state: _Office, visit_kind: VisitKind) -> tuple[int, VisitTime]:
    """How many cabinets take the visit kind (open ones, else all), and how long its visits last."""
    kind_id = visit_kind.id
    visit = state.times.get(kind_id, VisitTime(float(visit_kind.default_service_minutes), 0.0))
    serving = [cid for cid, (st, kinds) in state.cabinets.items() if kind_id in kinds and st == OPEN]
    return len(serving) or sum(kind_id in kinds for _st, kinds in state.cabinets.values()), visit


def _estimate(state: _Office, visit_kind: VisitKind, now: datetime, ahead: int, outcome: Outcome) -> WaitEstimate:
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
