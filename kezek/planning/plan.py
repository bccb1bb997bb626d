"""The staffing plan of one office for one week (no Flask): the fewest open cabinets per hour, found by simulation.

For every day of the week the office receives visitors, many simulated days are drawn from the
arrivals and visit lengths learned from its history (kezek.planning.learn) and played with the
office's own call policy (kezek.planning.simulate). Hour by hour from opening, the plan takes the
fewest cabinets that keep at least the target share of each visit kind's visitors of that hour within
its wait limit (a start from the offered load, then one more until the share holds), and then
tries one cabinet fewer in every hour with the whole day played again, keeping a cut only if every
hour still holds: so one cabinet fewer in any hour of the plan misses the target somewhere. The
same simulated days (common random numbers) are used for every trial, so trials differ only by the
cabinets. Cabinets open in a fixed order: the office's own first (the one that serves the most of the
demand, then the one adding the most not yet served), then as many more as needed, each serving every
visit kind (the plan then says to open a cabinet the office does not have yet).
"""

from __future__ import annotations

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import CalendarDay, Office
from kezek.planning.learn import Kind, Learned, learn, office_cabinets, opened_cabinets
from kezek.planning.simulate import Desk, Hours, Visit, play, poisson
from kezek.queue.hours import DaySchedule, schedule_from
from kezek.queue.policy import policy_named

SEEDS = 40  # simulated days per weekday
DEFAULT_TARGET = 95.0
MOST_CABINETS = 12
MIN_SAMPLE = 20  # a visit kind with fewer simulated visitors in an hour is judged with the hour's other small kinds
# While planning one hour, later arrivals are played too (they compete for the calls).
LOOK_AHEAD = timedelta(minutes=45)
# A trial that misses the target by SCREEN_MARGIN points on a quarter of the days (at least SCREEN_DAYS) is dropped.
SCREEN_DAYS, SCREEN_MARGIN = 8, 4.0


@dataclass
class HourPlan:
    """One hour of one day: expected arrivals, the cabinets to open, the share within limit each gives."""

    hour: int
    arrivals: float
    cabinets: int
    numbers: tuple[str, ...]
    share: float | None  # expected % within limit of the hour's visitors with the plan (worst visit kind)
    opened: int | None = None  # cabinets the office had open in this hour a week before
    opened_share: float | None = None  # the same visitors with those cabinets


@dataclass
class DayPlan:
    """One day of the planned week: its hours, or why there is no plan (closed, or no history for the weekday)."""

    day: date
    hours: list[HourPlan] = field(default_factory=list)
    closed: bool = False
    no_history: bool = False
    share: dict[int, float] = field(default_factory=dict)  # visit kind -> expected % within limit, plan
    opened_share: dict[int, float] = field(default_factory=dict)  # the same with last week's cabinets


@dataclass
class WeekPlan:
    """The plan of one office for the week starting `monday`."""

    office_id: int
    monday: date
    target: float
    policy: str
    seeds: int
    learned: Learned
    days: list[DayPlan]
    share: dict[int, float] = field(default_factory=dict)  # visit kind -> % within limit over the week, plan
    opened_share: dict[int, float] = field(default_factory=dict)  # the same with last week's cabinets
    compared: date | None = None  # the Monday of the week whose open cabinets the plan is compared with

    @property
    def hours(self) -> list[int]:
        """Every hour some day of the week has a plan for, in order."""
        return sorted({h.hour for day in self.days for h in day.hours})


def week_plan(
    session: Session,
    office: Office,
    monday: date,
    target: float = DEFAULT_TARGET,
    seeds: int = SEEDS,
    learned: Learned | None = None,
    today: date | None = None,
) -> WeekPlan:
    """Plan the week starting `monday` for `office` from the history before that week (and before `today`)."""
    learned = learned or learn(session, office, min(monday, today or monday))
    cabinets = office_cabinets(session, office)
    order = desk_order(learned, [(c.number, frozenset(k.id for k in c.visit_kinds), c.id) for c in cabinets])
    # Last week: the last whole week before both the planned week and today (the current week is not over yet).
    this_monday = (today or monday) - timedelta(days=(today or monday).weekday())
    compared = min(monday, this_monday) - timedelta(days=7)
    last_week = opened_cabinets(session, office, compared)
    weekly = {hours.weekday: hours for hours in office.hours}
    calendar = {
        row.day: row
        for row in session.scalars(
            select(CalendarDay).where(
                CalendarDay.office_id == office.id,
                CalendarDay.day >= monday,
                CalendarDay.day < monday + timedelta(days=7),
            )
        )
    }
    policy = policy_named(office.call_policy)
    plan = WeekPlan(office.id, monday, target, office.call_policy, seeds, learned, [], compared=compared)
    totals: dict[str, dict[int, list[int]]] = {
        "plan": defaultdict(lambda: [0, 0]),
        "opened": defaultdict(lambda: [0, 0]),
    }
    for offset in range(7):
        day = monday + timedelta(days=offset)
        schedule = schedule_from(office, day, weekly.get(day.weekday()), calendar.get(day))
        if schedule is None:
            plan.days.append(DayPlan(day, closed=True))
            continue
        if not learned.days.get(day.weekday()):
            plan.days.append(DayPlan(day, no_history=True))
            continue
        planner = DayPlanner(schedule, learned, order, policy, target, seeds)
        day_plan = planner.plan()
        opened = {
            hour.hour: tuple(
                i for i, desk in enumerate(order) if desk[2] in last_week.get((day.weekday(), hour.hour), set())
            )
            for hour in day_plan.hours
        }
        planner.compare(day_plan, opened)
        for name, counts in (("plan", planner.plan_counts), ("opened", planner.opened_counts)):
            for kind_id, (within, total) in counts.items():
                totals[name][kind_id][0] += within
                totals[name][kind_id][1] += total
        plan.days.append(day_plan)
    plan.share = {k: 100 * w / t for k, (w, t) in totals["plan"].items() if t}
    plan.opened_share = {k: 100 * w / t for k, (w, t) in totals["opened"].items() if t}
    return plan


def desk_order(learned: Learned, cabinets: list[tuple[str, frozenset[int], int | None]]) -> list[tuple]:
    """The order cabinets open in: the office's own by the demand they add, then extra cabinets serving every kind."""
    demand: dict[int, float] = defaultdict(float)
    for (_d, _h, kind_id), rate in learned.arrivals.items():
        demand[kind_id] += rate
    left, order = list(cabinets), []
    covered: set[int] = set()

    def gain(cabinet):
        return (sum(demand[k] for k in cabinet[1] - covered), sum(demand[k] for k in cabinet[1]))

    while left:
        best = max(left, key=lambda c: (*gain(c), -left.index(c)))
        left.remove(best)
        order.append(best)
        covered |= best[1]
    every = frozenset(demand) | covered
    order += [(f"+{n}", every, None) for n in range(1, max(1, MOST_CABINETS - len(order)) + 1)]
    return order


class DayPlanner:
    """The search for one day: the simulated days, the staffing tried, the shares each gives."""

    def __init__(
        self,
        schedule: DaySchedule,
        learned: Learned,
        order: list[tuple],
        policy,
        target: float,
        seeds: int,
        first_seed: int = 0,
    ):
        self.schedule, self.order, self.policy, self.target = schedule, order, policy, target
        lunch = (schedule.lunch_start, schedule.lunch_end) if schedule.lunch_start and schedule.lunch_end else None
        self.hours_of_day = Hours(schedule.opens, schedule.closes, lunch)
        self.kinds = learned.kinds
        self.minutes = {k.id: k.mean_minutes for k in learned.kinds.values()}
        self.rates = learned.hourly(schedule.day.weekday())
        self.days = [draw(schedule, self.rates, self.kinds, n) for n in range(first_seed, first_seed + seeds)]
        self.planned = sorted({v.tag for visits in self.days for v in visits} | set(self._open_hours()))
        self.plan_counts: dict[int, list[int]] = {}
        self.opened_counts: dict[int, list[int]] = {}

    def _open_hours(self) -> list[int]:
        """The hours with expected arrivals that fall in the receiving hours."""
        hours = []
        for hour, kinds in self.rates.items():
            start = self.schedule.opens.replace(hour=hour, minute=0)
            if sum(kinds.values()) > 0 and _receiving(self.hours_of_day, start):
                hours.append(hour)
        return hours

    def desks(self, staffing: dict[int, int | tuple[int, ...]]) -> list[Desk]:
        """The cabinets open each hour as desks with shifts (a count: the first ones in order; a tuple: those)."""
        last = max(staffing) if staffing else None
        shifts: dict[int, list[list[datetime]]] = defaultdict(list)
        for hour in sorted(staffing):
            chosen = staffing[hour]
            indices = range(chosen) if isinstance(chosen, int) else chosen
            start = self.schedule.opens.replace(hour=hour, minute=0)
            end = self.hours_of_day.closes if hour == last else start + timedelta(hours=1)
            for index in indices:
                runs = shifts[index]
                if runs and runs[-1][1] == start:
                    runs[-1][1] = end
                else:
                    runs.append([start, end])
        return [Desk(self.order[i][0], self.order[i][1], tuple((s, e) for s, e in runs)) for i, runs in shifts.items()]

    def shares(
        self, staffing, cohorts=None, until: datetime | None = None, days: int | None = None
    ) -> dict[int, dict[int, list[int]]]:
        """hour -> visit kind -> [within limit, visitors] over the simulated days (the first `days` if given; only
        the visitors of the hours `cohorts` if given)."""
        desks = self.desks(staffing)
        found: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
        for visits in self.days[:days]:
            if until is not None:
                visits = [v for v in visits if v.arrives < until]
            played = play(self.hours_of_day, desks, visits, self.policy, self.minutes)
            for visit, wait in played.waits:
                if cohorts is None or visit.tag in cohorts:
                    cell = found[visit.tag][visit.kind_id]
                    cell[0] += wait <= visit.limit_minutes
                    cell[1] += 1
        return found

    def holds(self, cells: dict[int, list[int]], margin: float = 0.0) -> bool:
        """Whether each visit kind of one hour keeps the target share less `margin` (small kinds judged together)."""
        target = self.target - margin
        small = [0, 0]
        for within, total in cells.values():
            if total >= MIN_SAMPLE:
                if 100 * within < target * total:
                    return False
            else:
                small[0] += within
                small[1] += total
        return small[1] == 0 or 100 * small[0] >= target * small[1] or small[1] < MIN_SAMPLE // 2

    def screened_out(self, staffing, hours, until: datetime | None = None) -> bool:
        """Whether a quarter of the simulated days already shows an hour of `hours` clearly missing the target
        (by SCREEN_MARGIN points): such a trial is not played on every day."""
        found = self.shares(staffing, set(hours), until, days=max(SCREEN_DAYS, len(self.days) // 4))
        return not all(self.holds(found.get(hour, {}), SCREEN_MARGIN) for hour in hours)

    def start_count(self, hour: int) -> int:
        """The offered load of the hour in cabinets (visit minutes arriving per minute), rounded down, at least 1."""
        rates = self.rates.get(hour, {})
        load = sum(rate * self.minutes[kind_id] for kind_id, rate in rates.items()) / 60
        return max(1, math.floor(load))

    def plan(self) -> DayPlan:
        """The fewest cabinets per hour that keep the target share, then one fewer tried in every hour."""
        staffing: dict[int, int] = {}
        for hour in self.planned:
            count = self.start_count(hour)
            end = self.schedule.opens.replace(hour=hour, minute=0) + timedelta(hours=1) + LOOK_AHEAD
            while count < len(self.order):
                trial = {**staffing, **{h: count for h in self.planned if h >= hour}}
                if not self.screened_out(trial, [hour], end) and self.holds(
                    self.shares(trial, {hour}, end).get(hour, {})
                ):
                    break
                count += 1
            staffing[hour] = count
        changed = True
        while changed:
            changed = False
            for hour in sorted(self.planned, key=lambda h: -staffing[h]):
                if staffing[hour] <= 1:
                    continue
                trial = {**staffing, hour: staffing[hour] - 1}
                if self.screened_out(trial, self.planned):
                    continue
                found = self.shares(trial)
                if all(self.holds(found.get(h, {})) for h in self.planned):
                    staffing, changed = trial, True
        found = self.shares(staffing)
        self.plan_counts = _by_kind(found)
        return DayPlan(
            self.schedule.day,
            [
                HourPlan(
                    hour,
                    round(sum(self.rates.get(hour, {}).values()), 1),
                    staffing[hour],
                    tuple(self.order[i][0] for i in range(staffing[hour])),
                    _worst(found.get(hour, {})),
                )
                for hour in self.planned
            ],
            share=_percent(self.plan_counts),
        )

    def compare(self, day_plan: DayPlan, opened: dict[int, tuple[int, ...]]) -> None:
        """Fill in last week's cabinets per hour and the share the same simulated days get with them."""
        staffing = {hour: cabinets for hour, cabinets in opened.items() if cabinets}
        if not staffing:  # no record of that day's cabinets (the office was closed, or the day is missing)
            self.opened_counts = {}
            return
        found = self.shares(staffing)
        self.opened_counts = _by_kind(found)
        for hour in day_plan.hours:
            hour.opened = len(opened.get(hour.hour, ()))
            hour.opened_share = _worst(found.get(hour.hour, {}))
        day_plan.opened_share = _percent(self.opened_counts)


def _receiving(hours: Hours, moment: datetime) -> bool:
    if not hours.opens.replace(minute=0) <= moment < hours.closes:
        return False
    return not (hours.lunch and hours.lunch[0] <= moment and moment + timedelta(hours=1) <= hours.lunch[1])


def _by_kind(found) -> dict[int, list[int]]:
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for cells in found.values():
        for kind_id, (within, total) in cells.items():
            totals[kind_id][0] += within
            totals[kind_id][1] += total
    return dict(totals)


def _percent(counts: dict[int, list[int]]) -> dict[int, float]:
    return {kind_id: 100 * w / t for kind_id, (w, t) in counts.items() if t}


def _worst(cells: dict[int, list[int]]) -> float | None:
    """The lowest share within limit among the hour's visit kinds with enough simulated visitors (else all together)."""
    big = [100 * w / t for w, t in cells.values() if t >= MIN_SAMPLE]
    if big:
        return min(big)
    within, total = sum(w for w, _t in cells.values()), sum(t for _w, t in cells.values())
    return 100 * within / total if total else None


def draw(schedule: DaySchedule, rates: dict[int, dict[int, float]], kinds: dict[int, Kind], n: int) -> list[Visit]:
    """The `n`-th simulated day: Poisson arrivals per hour and visit kind, each visit's length drawn from the history.

    A ticket taken while the office is closed (before opening, at lunch) is counted from the next opening, and
    belongs to that hour; one after closing is not issued."""
    rng = random.Random(f"{schedule.day.isoformat()}-{n}")
    zone = schedule.opens.tzinfo
    lunch = (schedule.lunch_start, schedule.lunch_end) if schedule.lunch_start and schedule.lunch_end else None
    visits = []
    for hour in sorted(rates):
        start = datetime.combine(schedule.day, time(hour), tzinfo=zone)
        for kind_id in sorted(rates[hour]):
            kind = kinds.get(kind_id)
            if kind is None:
                continue
            for _ in range(poisson(rng, rates[hour][kind_id])):
                moment = start + timedelta(seconds=3600 * rng.random())
                if moment < schedule.opens:
                    moment = schedule.opens
                elif lunch and lunch[0] <= moment < lunch[1]:
                    moment = lunch[1]
                if moment >= schedule.closes:
                    continue
                busy = timedelta(minutes=rng.choice(kind.busy_minutes))
                visits.append((moment, kind_id, busy))
    visits.sort(key=lambda v: v[0])
    return [
        Visit(i, moment, kind_id, kinds[kind_id].limit_minutes, busy, tag=_local_hour(moment, zone))
        for i, (moment, kind_id, busy) in enumerate(visits)
    ]


def _local_hour(moment: datetime, zone) -> int:
    return moment.astimezone(zone).hour if zone else moment.hour
