"""A newcomer's estimate read off one projection for the next few visitors: exact, and fresh when it must be."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek.models import Cabinet
from kezek.queue import clerk, forecast
from kezek.queue.caches import caches_of
from kezek.queue.estimate import estimate_wait, newcomer_table
from kezek.queue.forecast import Reuse
from kezek.queue.issuing import issue_ticket
from kezek.seeding import create_user
from tests.conftest import kind_by_prefix, office_by_slug

ACROSS = Reuse(seconds=1.0, across_kinds=True)


@pytest.fixture
def office(db, clock):
    """The demo office, its cabinets open, a queue of both kinds of the first service already waiting."""
    office = office_by_slug(db, "demo")
    user = create_user(db, "clerk", "pw", "clerk", office)
    for cabinet in db.scalars(select(Cabinet).where(Cabinet.office_id == office.id)):
        clerk.set_cabinet_state(db, cabinet, user, "open")
    for n, prefix in enumerate("AABABAAB"):
        issue_ticket(db, office, kind_by_prefix(db, prefix), clock() - timedelta(minutes=20 - n))
    db.commit()
    return office


@pytest.fixture
def projections(monkeypatch):
    """How many times the queue was played forward for newcomers."""
    made = []
    real = forecast.newcomer_table

    def counted(*args, **kwargs):
        made.append(args[2].prefix)
        return real(*args, **kwargs)

    monkeypatch.setattr(forecast, "newcomer_table", counted)
    return made


@pytest.mark.parametrize("policy", ["deadline", "fifo"])
@pytest.mark.parametrize("prefix", ["A", "B"])
def test_each_line_of_the_table_is_the_estimate_of_that_newcomer(db, clock, office, policy, prefix):
    office.call_policy = policy
    db.commit()
    kind = kind_by_prefix(db, prefix)
    table = newcomer_table(db, office, kind, clock(), 6)
    lines = [table.estimate(table.base_ahead + n, clock()) for n in range(6)]
    assert lines == [estimate_wait(db, office.id, kind, clock(), ahead=table.base_ahead + n) for n in range(6)]
    assert [line.expected for line in lines] == sorted(line.expected for line in lines)
    assert lines[-1].expected > lines[0].expected


def test_visitors_of_one_kind_in_a_rush_get_what_a_fresh_projection_says(db, clock, office, projections):
    kind = kind_by_prefix(db, "A")
    for _ in range(5):
        fresh = estimate_wait(db, office.id, kind, clock())
        issued = issue_ticket(db, office, kind, clock())
        db.commit()
        assert issued.estimate == fresh
        assert issued.ticket.people_ahead == fresh.people_ahead
    assert projections == ["A"]  # played forward once for the five of them


def test_a_call_makes_the_next_newcomer_estimate_fresh(db, clock, office, projections):
    kind = kind_by_prefix(db, "A")
    before = issue_ticket(db, office, kind, clock()).estimate
    db.commit()
    cabinet = db.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "101"))
    clerk.call_next(db, cabinet, create_user(db, "clerk2", "pw", "clerk", office), clock())
    db.commit()
    after = issue_ticket(db, office, kind, clock()).estimate
    assert after == estimate_wait(db, office.id, kind, clock(), ahead=after.people_ahead)
    assert before.people_ahead == 5 and after.people_ahead == 5  # one more waiting, one called
    assert len(projections) == 2  # played forward again after the call, not read from the old table


def test_other_kinds_tickets_count_at_once_unless_the_office_lets_them_wait_a_second(db, clock, office):
    a, b = kind_by_prefix(db, "A"), kind_by_prefix(db, "B")
    issue_ticket(db, office, a, clock(), reuse=ACROSS)
    db.commit()
    before = forecast.newcomer_outlook(db, office, a, clock(), reuse=ACROSS).estimate
    for _ in range(3):
        issue_ticket(db, office, b, clock(), reuse=ACROSS)
    db.commit()
    shared = forecast.newcomer_outlook(db, office, a, clock(), reuse=ACROSS).estimate
    exact = forecast.newcomer_outlook(db, office, a, clock()).estimate
    assert shared == before  # within the second, the three B visitors are not played yet
    assert exact == estimate_wait(db, office.id, a, clock())
    assert exact.calls_ahead > shared.calls_ahead  # B visitors, with their 10-minute limit, go first
    clock.moment += timedelta(seconds=2)
    later = forecast.newcomer_outlook(db, office, a, clock(), reuse=ACROSS).estimate
    assert later == estimate_wait(db, office.id, a, clock())


def test_a_changed_cabinet_or_visit_time_is_never_read_off_an_old_table(db, clock, office, projections):
    kind = kind_by_prefix(db, "A")
    issue_ticket(db, office, kind, clock())
    db.commit()
    cabinet = db.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "102"))
    cabinet.visit_kinds = [k for k in cabinet.visit_kinds if k.id != kind.id]
    db.commit()
    caches_of(db).forget({office.id})  # what an admin's change does in every process within a minute
    now_shown = forecast.newcomer_outlook(db, office, kind, clock()).estimate
    assert now_shown == estimate_wait(db, office.id, kind, clock())
    assert len(projections) == 2


def test_no_reuse_plays_the_queue_forward_for_every_visitor(db, clock, office, projections):
    kind = kind_by_prefix(db, "A")
    for _ in range(3):
        issue_ticket(db, office, kind, clock(), reuse=Reuse(seconds=0))
        db.commit()
    assert len(projections) == 3  # once a tap (nothing changed before the writer's turn)


def test_checking_a_table_reads_only_the_newest_tickets_not_the_offices_history(db):
    """A tap's check reads the tickets made since the table, and counts its visit kind's waiting visitors from
    an index alone: not the office's history, nor every waiting ticket of the office (hundreds in a rush)."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("the query plan checked is SQLite's")
    compiled = forecast._CHECK.compile(db.get_bind())
    values = compiled.construct_params({"office_id": 1, "visit_kind_id": 1, "last_ticket": 5})
    cursor = db.connection().connection.driver_connection.cursor()
    plan = [row[3] for row in cursor.execute("EXPLAIN QUERY PLAN " + str(compiled),
                                             [values[key] for key in compiled.positiontup])]
    assert any("INTEGER PRIMARY KEY (rowid>?)" in step for step in plan)
    assert not any("ix_ticket_office_issued" in step for step in plan)  # a walk over every ticket it ever had
    assert any("COVERING INDEX ix_ticket_kind_status (office_id=? AND visit_kind_id=? AND status=?)" in step
               for step in plan), plan


def test_a_table_stands_at_least_half_its_time_and_never_longer(db, clock, office, projections):
    reuse = Reuse(seconds=4.0, across_kinds=True)
    kind = kind_by_prefix(db, "A")
    made_at = clock()
    forecast.newcomer_outlook(db, office, kind, made_at, reuse=reuse)
    clock.moment = made_at + timedelta(seconds=1.9)
    forecast.newcomer_outlook(db, office, kind, clock(), reuse=reuse)
    assert len(projections) == 1  # within half its time: read off the table
    clock.moment = made_at + timedelta(seconds=4.1)
    forecast.newcomer_outlook(db, office, kind, clock(), reuse=reuse)
    assert len(projections) == 2  # past its time: played again


def test_tables_made_at_the_same_moment_are_not_all_made_again_at_the_same_moment(db, clock, office):
    """At the first taps of the day every table of an office is made within a second; if they all
    ran out together, every later rebuild would come in one burst that holds up every kiosk."""
    reuse = Reuse(seconds=4.0, across_kinds=True)
    kind = kind_by_prefix(db, "A")
    tables = caches_of(db).tables
    standing = set()
    for _ in range(12):
        tables.clear()
        forecast.newcomer_outlook(db, office, kind, clock(), reuse=reuse)
        standing.add(reuse.seconds - tables[office.id, kind.id].early)
    assert all(2.0 <= seconds <= 4.0 for seconds in standing)
    assert len(standing) > 6


def test_an_office_on_the_balanced_rule_projects_each_newcomer_afresh(db, office):
    # Under "balanced" the first in line is weighed against everyone waiting, newcomers included, so a table made
    # for the next 64 newcomers would not be exactly each one's own estimate: none is kept.
    assert forecast.keeps_tables(office, Reuse(5))
    office.call_policy = "balanced"
    assert not forecast.keeps_tables(office, Reuse(5))
