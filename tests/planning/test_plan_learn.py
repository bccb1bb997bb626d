"""Learning an office's arrivals from its own tickets: the known rates come back, closed and missing days left out."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kezek.models import Office
from kezek.planning.learn import learn, office_cabinets
from kezek.planning.plan import DayPlanner, desk_order, week_plan
from kezek.queue.hours import schedule_from
from kezek.queue.policy import policy_named
from tests.conftest import office_by_slug
from tests.planning.history import MONDAY, known_rate, write_history

FIRST, LAST = date(2026, 9, 28), date(2026, 11, 24)  # eight weeks before the clock's Wednesday 25 November
MISSING = {date(2026, 11, 3), date(2026, 11, 10)}  # two Tuesdays the office was open but left no tickets
PARTIAL = {date(2026, 11, 17)}  # a Tuesday with only its first hour (the server was off after 10:00)


def test_the_learned_arrivals_are_the_known_rates_within_15_percent_each_hour(db):
    office = office_by_slug(db, "taraz")
    write_history(db, office, FIRST, LAST, MISSING, PARTIAL)
    learned = learn(db, office, date(2026, 11, 25))
    for weekday in range(5):
        hourly = learned.hourly(weekday)
        for hour in MONDAY:
            expected = known_rate(weekday, hour)
            found = sum(hourly.get(hour, {}).values())
            assert abs(found - expected) <= 0.15 * expected, (weekday, hour, found, expected)
    # The Monday of Republic Day (26 October) was closed: seven Mondays of data, not eight with a zero.
    assert learned.days[0] == 7
    assert learned.days[1] == 5  # eight Tuesdays less the two missing and the partial one
    assert MISSING <= set(learned.left_out) and PARTIAL <= set(learned.left_out)


def test_visit_lengths_come_from_the_served_visits(db):
    office = office_by_slug(db, "taraz")
    write_history(db, office, date(2026, 11, 16), LAST)
    learned = learn(db, office, date(2026, 11, 25))
    means = {kind.prefix: kind.mean_minutes for kind in learned.kinds.values()}
    assert 9 < means["A"] < 13 and 2 < means["D"] < 3  # from the call to the finish
    assert means["A"] > means["C"] > means["B"] > means["D"]


def test_an_office_without_history_learns_nothing_and_keeps_each_kind_s_default_length(db):
    office = db.scalar(select(Office).where(Office.slug == "baizak"))
    learned = learn(db, office, date(2026, 11, 25))
    assert learned.arrivals == {} and learned.days == {}
    assert all(len(kind.busy_minutes) == 1 for kind in learned.kinds.values())


def test_next_week_s_plan_keeps_the_target_in_a_fresh_simulation_of_each_day(db):
    office = office_by_slug(db, "taraz")
    write_history(db, office, FIRST, LAST, MISSING, PARTIAL)
    plan = week_plan(db, office, date(2026, 11, 30), seeds=20, today=date(2026, 11, 25))
    assert [day.closed for day in plan.days] == [False] * 5 + [True] * 2  # Saturday and Sunday closed
    order = desk_order(plan.learned, [(c.number, frozenset(k.id for k in c.visit_kinds), c.id)
                                      for c in office_cabinets(db, office)])
    weekly = {hours.weekday: hours for hours in office.hours}
    for day in plan.days[:5]:
        schedule = schedule_from(office, day.day, weekly[day.day.weekday()], None)
        fresh = DayPlanner(schedule, plan.learned, order, policy_named(office.call_policy), plan.target, seeds=40,
                           first_seed=9000)
        found = fresh.shares({hour.hour: hour.cabinets for hour in day.hours})
        for kind_id in plan.learned.kinds:
            within = sum(found[h][kind_id][0] for h in found)
            total = sum(found[h][kind_id][1] for h in found)
            if total:
                assert 100 * within / total >= plan.target, (day.day, kind_id, within, total)
    monday = {hour.hour: hour.cabinets for hour in plan.days[0].hours}
    assert monday[9] > monday[17]  # the morning rush needs more cabinets than the evening
