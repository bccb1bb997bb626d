"""The plan's search on a known demand: it holds the target in a fresh simulated week, and one cabinet fewer misses it."""
from __future__ import annotations

import math
import random
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from kezek.planning.learn import Kind, Learned
from kezek.planning.plan import DayPlanner, desk_order
from kezek.queue.hours import DaySchedule
from kezek.queue.policy import policy_named

ALMATY = ZoneInfo("Asia/Almaty")
MONDAY = date(2026, 11, 30)
# Visitors per hour on a Monday (a morning rush) and the visit-kind mix.
HOURLY = {9: 22, 10: 16, 11: 12, 12: 10, 14: 12, 15: 10, 16: 8, 17: 4}
MIX = {1: 0.35, 2: 0.25, 3: 0.25, 4: 0.15}
TARGET = 95.0


def known_kinds() -> dict[int, Kind]:
    """Four visit kinds with lognormal visit lengths (A hand-in 30 min limit; B, C, D 10 min)."""
    rng = random.Random(7)
    shapes = {1: ("A", 30, 11.0), 2: ("B", 10, 3.5), 3: ("C", 10, 6.0), 4: ("D", 10, 2.5)}
    return {kind_id: Kind(kind_id, prefix, limit, tuple(median * math.exp(0.45 * rng.gauss(0, 1)) for _ in range(300)))
            for kind_id, (prefix, limit, median) in shapes.items()}


def known_learned() -> Learned:
    arrivals = {(0, hour, kind_id): total * share for hour, total in HOURLY.items() for kind_id, share in MIX.items()}
    return Learned(1, date(2026, 10, 5), date(2026, 11, 29), known_kinds(), arrivals, {0: 8})


def monday() -> DaySchedule:
    def at(hour):
        return datetime.combine(MONDAY, time(hour), tzinfo=ALMATY)

    return DaySchedule(MONDAY, at(9), at(18), at(13), at(14))


@pytest.fixture(scope="module")
def planned():
    learned = known_learned()
    order = desk_order(learned, [("101", frozenset(MIX), 1)])
    planner = DayPlanner(monday(), learned, order, policy_named("deadline"), TARGET, seeds=30)
    day = planner.plan()
    fresh = DayPlanner(monday(), learned, order, policy_named("deadline"), TARGET, seeds=60, first_seed=5000)
    return day, fresh


def test_the_plan_opens_more_cabinets_in_the_monday_rush_than_in_the_quiet_evening(planned):
    day, _fresh = planned
    cabinets = {hour.hour: hour.cabinets for hour in day.hours}
    assert set(cabinets) == set(HOURLY)  # every receiving hour with visitors, none at lunch
    assert cabinets[9] >= 3 and cabinets[17] <= 2
    assert cabinets[9] > cabinets[16]
    assert day.hours[0].numbers[0] == "101"  # the office's own cabinet first, then ones it does not have yet
    assert day.hours[0].numbers[1].startswith("+")


def test_the_plan_keeps_the_target_in_a_fresh_simulation_of_the_day(planned):
    """60 other simulated days of the same Monday: every visit kind keeps the target over the day."""
    day, fresh = planned
    staffing = {hour.hour: hour.cabinets for hour in day.hours}
    found = fresh.shares(staffing)
    for kind_id in MIX:
        within = sum(found[h][kind_id][0] for h in found)
        total = sum(found[h][kind_id][1] for h in found)
        assert 100 * within / total >= TARGET, (kind_id, within, total)
    assert all(hour.share >= TARGET for hour in day.hours)
    # Hour by hour, the fresh days agree within their sampling error (two standard errors of a share).
    for hour, cells in found.items():
        for kind_id, (within, total) in cells.items():
            error = 100 * math.sqrt(TARGET / 100 * (1 - TARGET / 100) / total)
            assert 100 * within / total >= TARGET - 2 * error, (hour, kind_id, within, total)


def test_one_cabinet_fewer_in_any_hour_misses_the_target_or_the_hour_has_one(planned):
    day, fresh = planned
    staffing = {hour.hour: hour.cabinets for hour in day.hours}
    for hour in HOURLY:
        if staffing[hour] == 1:
            continue
        found = fresh.shares({**staffing, hour: staffing[hour] - 1})
        assert not all(fresh.holds(found.get(h, {})) for h in HOURLY), f"{hour}:00 holds with one cabinet fewer"
