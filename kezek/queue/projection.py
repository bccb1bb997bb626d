"""The simulation engine of the wait estimate: the office's queue played forward, call by call.

Given the office now (`OfficeNow`: the waiting visitors, the open cabinets and what each serves, how long
visits last, how fast newcomers arrive, the day's hours and the call policy), let the policy call the
visitors one by one until the watched ones are called. Reads no database: estimate.py loads the state.
"""

from __future__ import annotations

import heapq
import math
from bisect import bisect_left, insort
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kezek.models import OPEN, PAUSED
from kezek.queue.candidates import Waiting
from kezek.queue.hours import DaySchedule
from kezek.queue.policy import GROUPED, CallContext, GroupedPolicy, Policy
from kezek.queue.visit_stats import UNKNOWN_VISIT, VisitTime

PAUSE_MINUTES = 10.0  # a paused cabinet whose clerk gave no length is expected back this soon
MAX_CALLS = 3000
ARRIVAL_IDS = 10**12  # ids of the projection's imagined newcomers, after every real ticket
_MICROSECOND = timedelta(microseconds=1)


@dataclass
class OfficeNow:
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


def after_lunch(schedule: DaySchedule | None, moment: datetime) -> datetime:
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


class Newcomers:
    """Newcomers at the recent rate of each visit kind, evenly spaced, none after closing; those who would come
    during lunch wait at the door and take their tickets when it ends (as the kiosk turns them away until then).
    At most MAX_CALLS in all, the visit kinds in id order. Made as the projection reaches them, in order of arrival."""

    def __init__(self, state: OfficeNow, now: datetime):
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
                self.next.append((after_lunch(state.schedule, first), kind_id, count, gap, first))
        heapq.heapify(self.next)
        self.made = 0

    def until(self, moment: datetime) -> Iterator[Waiting]:
        """The newcomers arriving up to `moment`, in order."""
        while self.next and self.next[0][0] <= moment:
            at, kind_id, count, gap, even = self.next[0]
            if count > 1:
                even += gap
                heapq.heapreplace(self.next, (after_lunch(self.schedule, even), kind_id, count - 1, gap, even))
            else:
                heapq.heappop(self.next)
            yield Waiting(ARRIVAL_IDS + self.made, kind_id, at, self.limits.get(kind_id, 10))
            self.made += 1

    def first_of(self, kinds: frozenset[int]) -> datetime | None:
        """When the next newcomer of one of these visit kinds arrives."""
        return min((entry[0] for entry in self.next if entry[1] in kinds), default=None)


def queue_order(waiting: Waiting) -> tuple:
    return (waiting.queue_since, waiting.id)


class _Everyone:
    """The projection's waiting visitors in one list: the policy is shown every one a cabinet may call."""

    def __init__(self, policy: Policy, cabinets: dict[int, frozenset[int]], waiting: list[Waiting]):
        self.policy, self.cabinets, self.items = policy, cabinets, list(waiting)

    def add(self, waiting: Waiting) -> None:
        self.items.append(waiting)

    def remove(self, waiting: Waiting) -> None:
        self.items.remove(waiting)

    def choose(
        self,
        cabinet_id: int,
        moment: datetime,
        others: dict[int, int],
        means: dict[int, float],
        stop_at: datetime | None = None,
    ):
        kinds = self.cabinets[cabinet_id]
        candidates = [
            w
            for w in self.items
            if w.target_cabinet_id == cabinet_id or (w.target_cabinet_id is None and w.visit_kind_id in kinds)
        ]
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
            group.sort(key=queue_order)

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
        if group and queue_order(visitor) < queue_order(group[-1]):
            insort(group, visitor, key=queue_order)
        else:
            group.append(visitor)  # newcomers join at the end

    def remove(self, visitor: Waiting) -> None:
        group = self.groups[visitor.visit_kind_id, visitor.wait_limit_minutes, visitor.target_cabinet_id]
        if group[0] is visitor:  # mostly the first of the group is called
            del group[0]
        else:
            del group[bisect_left(group, queue_order(visitor), key=queue_order)]

    def choose(
        self,
        cabinet_id: int,
        moment: datetime,
        others: dict[int, int],
        means: dict[int, float],
        stop_at: datetime | None = None,
    ):
        return self.policy([group for group in self.of_cabinet[cabinet_id] if group], moment, others, means, stop_at)


Outcome = tuple[datetime | None, int, float]  # when called (None: not today), calls before, that cabinet's spread


def project(state: OfficeNow, now: datetime, subject: Waiting, *, generic: bool = False) -> Outcome:
    """Play the queue forward; when `subject` is called, how many calls came before, and that cabinet's spread.

    The built-in policies choose from grouped visitors (`policy.GROUPED`), with the same result as when
    shown every candidate; an office's own policy, or `generic`, is shown every candidate."""
    return project_all(state, now, [subject], generic=generic)[0]


def project_all(state: OfficeNow, now: datetime, subjects: list[Waiting], *, generic: bool = False) -> list[Outcome]:
    """`project` for several subjects at once, each one called in turn like any visitor (in `subjects` order)."""
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
        heapq.heappush(free, (after_lunch(state.schedule, start), cabinet_id))
    serving = Counter(kind for kinds in cabinets.values() for kind in kinds)
    others = {cid: {kind: serving[kind] - 1 for kind in kinds} for cid, kinds in cabinets.items()}
    means = {kind_id: visit.mean for kind_id, visit in state.times.items()}
    coming = Newcomers(state, now)
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
            visits[chosen.visit_kind_id] = (timedelta(minutes=visit.mean), visit.sd**2)
        length, spread = visits[chosen.visit_kind_id]
        variance[cabinet_id] += spread
        heapq.heappush(free, (after_lunch(state.schedule, moment + length), cabinet_id))
    return outcomes
