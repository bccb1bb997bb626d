"""Learning an office's arrivals from its own tickets: the known rates come back, closed and missing days left out."""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from kezek.models import Office
from kezek.planning.learn import learn
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
