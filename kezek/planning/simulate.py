"""One office day played in memory with the product's call policy (no database, no Flask).

Visitors take tickets, cabinets call them through `kezek.queue.policy` exactly as the console does
(the same `CallContext`: the candidates the cabinet may call, the other open cabinets, the visit
lengths, the next stop), and the day's waits come out as lived. The staffing plan
(kezek.planning.plan) asks it how many cabinets an hour needs; bench/sim/quick.py compares call
policies with it. Cabinets work in shifts (when a clerk is at the cabinet), pause at lunch and for
their breaks, and after closing call whoever still waits.
"""

from __future__ import annotations

import heapq
import itertools
import math
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from kezek.queue.candidates import Waiting
from kezek.queue.policy import CallContext, Policy

NEVER = float("inf")


@dataclass(frozen=True)
class Visit:
    """One visitor of a simulated day: when they come, for which visit kind, how long their call keeps a cabinet."""

    index: int
    arrives: datetime
    kind_id: int
    limit_minutes: int
    busy: timedelta  # from the call until the cabinet is free again (walk and service, or the recalls of a no-show)
    late: timedelta = timedelta()  # after a closed period, how long after the opening they come back
    tag: Any = None  # the caller's own note (e.g. the hour the visitor belongs to)


@dataclass(frozen=True)
class Desk:
    """A cabinet in the simulation: its number, the visit kinds it serves, its shifts and its clerk's breaks."""

    number: str
    kinds: frozenset[int]
    shifts: tuple[tuple[datetime, datetime], ...]
    breaks: tuple[tuple[datetime, float], ...] = ()  # (when wanted, minutes)


@dataclass(frozen=True)
class Hours:
    """The office's receiving hours that day: opening, closing and the lunch break (none: no break)."""

    opens: datetime
    closes: datetime
    lunch: tuple[datetime, datetime] | None = None


@dataclass
class Played:
    """What a simulated day gave: each visitor's lived wait (NEVER if never called), and who was turned away."""

    waits: list[tuple[Visit, float]] = field(default_factory=list)
    net_waits: list[float] = field(default_factory=list)  # the same with the lunch break left out
    turned_away: list[Visit] = field(default_factory=list)


# Asked when a visitor comes, with the time and the visitors waiting: True turns them away (no ticket).
Refusal = Callable[[datetime, Visit, Sequence[Visit]], bool]


def play(
    hours: Hours,
    desks: Sequence[Desk],
    visits: Sequence[Visit],
    policy: Policy,
    visit_minutes: dict[int, float],
    refuse: Refusal | None = None,
) -> Played:
    """Play one day: every visit arrives, every cabinet calls by `policy` while its shift lasts."""
    day = _Day(hours, desks, policy, visit_minutes, refuse)
    for visit in visits:
        day.at(visit.arrives, day.arrive, visit)
    for desk in desks:
        for start, _end in desk.shifts:
            day.at(max(start, hours.opens), day.sign_in, desk.number)
    return day.run()


class _Day:
    """The event loop of one day: a heap of (moment, order, action, arguments)."""

    def __init__(self, hours: Hours, desks: Sequence[Desk], policy: Policy, minutes: dict[int, float], refuse):
        self.hours, self.policy, self.minutes, self.refuse = hours, policy, minutes, refuse
        self.desks = {desk.number: desk for desk in desks}
        self.breaks = {desk.number: sorted(desk.breaks) for desk in desks}
        self.events: list = []
        self.order = itertools.count()
        self.waiting: dict[int, tuple[Waiting, Visit]] = {}
        self.state = dict.fromkeys(self.desks, "closed")
        self.open_count: dict[int, int] = {kind: 0 for desk in desks for kind in desk.kinds}
        self.idle: set[str] = set()
        self.lunched: set[str] = set()
        self.busy: set[str] = set()
        self.played = Played()

    def at(self, moment: datetime, action, *args) -> None:
        heapq.heappush(self.events, (moment, next(self.order), action, args))

    def run(self) -> Played:
        while self.events:
            moment, _n, action, args = heapq.heappop(self.events)
            action(moment, *args)
        for _w, visit in self.waiting.values():
            self.played.waits.append((visit, NEVER))
            self.played.net_waits.append(NEVER)
        return self.played

    def _closed_now(self, now: datetime) -> datetime | None:
        """When the office next receives visitors if it does not at `now` (before opening or at lunch)."""
        if now < self.hours.opens:
            return self.hours.opens
        lunch = self.hours.lunch
        if lunch and lunch[0] <= now < lunch[1]:
            return lunch[1]
        return None

    def arrive(self, now: datetime, visit: Visit) -> None:
        back = self._closed_now(now)
        if back is not None:
            self.at(back + visit.late, self.arrive, visit)
            return
        if now >= self.hours.closes or (
            self.refuse is not None and self.refuse(now, visit, [v for _w, v in self.waiting.values()])
        ):
            self.played.turned_away.append(visit)
            return
        self.waiting[visit.index] = (Waiting(visit.index, visit.kind_id, now, visit.limit_minutes), visit)
        # Only an idle cabinet that serves the visit can call it (an idle one had nobody of its kinds waiting).
        for number in sorted(self.idle):
            if visit.kind_id in self.desks[number].kinds:
                self.idle.discard(number)
                self.free(now, number)
                if visit.index not in self.waiting:
                    break

    def _shift_end(self, number: str, now: datetime) -> datetime | None:
        """The end of the cabinet's shift under way at `now` (None: no shift now)."""
        for start, end in self.desks[number].shifts:
            if start <= now < end or (start <= now and end >= self.hours.closes):
                return end
        return None

    def free(self, now: datetime, number: str) -> None:
        """The cabinet is free: lunch, a break, the end of its shift, or its next call."""
        lunch = self.hours.lunch
        if lunch and lunch[0] <= now < lunch[1] and number not in self.lunched:
            self.lunched.add(number)
            self._set(number, "paused")
            self.at(lunch[1], self.sign_in, number)
            return
        breaks = self.breaks[number]
        if breaks and breaks[0][0] <= now:
            _when, minutes = breaks.pop(0)
            self._set(number, "paused")
            self.at(now + timedelta(minutes=minutes), self.sign_in, number)
            return
        end = self._shift_end(number, now)
        if end is None or (now >= end and end < self.hours.closes):
            self._set(number, "closed")
            return
        chosen = self._choose(now, number, end)
        if chosen is None:
            if now >= self.hours.closes:
                self._set(number, "closed")
                return
            self.idle.add(number)
            wake = [w for w in (end, *(lunch[:1] if lunch else ()), *(b[0] for b in breaks)) if w > now]
            self.at(min(wake) if wake else self.hours.closes + timedelta(hours=6), self.wake_up, number)
            return
        _w, visit = self.waiting.pop(chosen.id)
        lived = (now - chosen.queue_since).total_seconds() / 60
        closed = 0.0
        if lunch:
            closed = max(0.0, (min(lunch[1], now) - max(lunch[0], chosen.queue_since)).total_seconds() / 60)
        self.played.waits.append((visit, lived))
        self.played.net_waits.append(lived - closed)
        self.busy.add(number)
        self.at(now + visit.busy, self.done, number)

    def done(self, now: datetime, number: str) -> None:
        self.busy.discard(number)
        self.free(now, number)

    def _choose(self, now: datetime, number: str, end: datetime) -> Waiting | None:
        kinds = self.desks[number].kinds
        candidates = [w for w, _v in self.waiting.values() if w.visit_kind_id in kinds]
        if not candidates:
            return None
        others = dict(self.open_count)
        if self.state[number] == "open":
            for kind in kinds:
                others[kind] -= 1
        lunch = self.hours.lunch
        stop = lunch[0] if lunch and now < lunch[0] else self.hours.closes
        return self.policy(CallContext(0, candidates, now, others, self.minutes, stop))

    def _set(self, number: str, state: str) -> None:
        """Change a cabinet's state, keeping the count of open cabinets per visit kind."""
        if (self.state[number] == "open") != (state == "open"):
            step = 1 if state == "open" else -1
            for kind in self.desks[number].kinds:
                self.open_count[kind] += step
        self.state[number] = state

    def sign_in(self, now: datetime, number: str) -> None:
        self._set(number, "open")
        if number not in self.busy:  # a visit that ran past the end of the last shift ends first
            self.free(now, number)

    def wake_up(self, now: datetime, number: str) -> None:
        if number in self.idle:
            self.idle.discard(number)
            self.free(now, number)


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count with the given mean (a normal approximation for large means)."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count
