"""A pause carries the length the clerk picks (break, lunch, other), and the wait estimate expects the cabinet back then."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek.models import Cabinet
from kezek.queue import clerk
from kezek.queue.estimate import estimate_wait
from kezek.queue.issuing import issue_ticket
from kezek.seeding import create_user
from tests.conftest import kind_by_prefix, office_by_slug


@pytest.fixture
def one_c_cabinet(db):
    """The demo office with only cabinet 103 (B, C, D) open: C visitors wait for it alone."""
    office = office_by_slug(db, "demo")
    cabinets = {c.number: c for c in db.scalars(select(Cabinet).where(Cabinet.office_id == office.id))}
    user = create_user(db, "clerk", "pw", "clerk", office)
    clerk.set_cabinet_state(db, cabinets["103"], user, "open")
    for number in ("101", "102"):
        cabinets[number].active = number != "102"  # 102 (A, C) out of use; 101 (A, B) stays closed
    db.commit()
    return office, cabinets["103"], user


@pytest.mark.parametrize(("pause", "minutes", "expected"), [("break", None, 15), ("lunch", None, 60),
                                                            ("other", None, 30), ("other", 25, 25)])
def test_the_pause_the_clerk_picks_sets_when_the_cabinet_is_expected_back(db, clock, one_c_cabinet, pause, minutes,
                                                                         expected):
    office, cabinet, user = one_c_cabinet
    clerk.set_cabinet_state(db, cabinet, user, "paused", pause=pause, minutes=minutes, now=clock())
    db.commit()
    assert cabinet.pause_kind == pause and cabinet.paused_until == clock() + timedelta(minutes=expected)
    estimate = estimate_wait(db, office.id, kind_by_prefix(db, "C"), clock())
    # Nobody waits: the newcomer is called when the clerk is back, not after a fixed ten minutes.
    assert estimate.expected == pytest.approx(expected, abs=0.01)
    assert estimate.low <= expected <= estimate.high


def test_a_clerk_late_back_from_a_pause_is_expected_shortly_not_in_the_past(db, clock, one_c_cabinet):
    office, cabinet, user = one_c_cabinet
    clerk.set_cabinet_state(db, cabinet, user, "paused", pause="break", minutes=5, now=clock())
    db.commit()
    later = clock() + timedelta(minutes=20)
    assert 0 < estimate_wait(db, office.id, kind_by_prefix(db, "C"), later).expected <= 3


def test_a_25_minute_pause_is_in_the_estimate_of_visitors_already_waiting(db, clock, one_c_cabinet):
    office, cabinet, user = one_c_cabinet
    issue_ticket(db, office, kind_by_prefix(db, "C"), clock())
    db.commit()
    before = estimate_wait(db, office.id, kind_by_prefix(db, "C"), clock(), ahead=0)
    clerk.set_cabinet_state(db, cabinet, user, "paused", pause="other", minutes=25, now=clock())
    db.commit()
    after = estimate_wait(db, office.id, kind_by_prefix(db, "C"), clock(), ahead=0)
    assert before.expected < 1 and after.expected == pytest.approx(25, abs=0.01)


@pytest.mark.parametrize(("pause", "minutes"), [("nap", None), ("other", 0), ("other", 241)])
def test_a_pause_of_an_unknown_kind_or_length_is_refused_and_changes_nothing(db, clock, one_c_cabinet, pause,
                                                                            minutes):
    _office, cabinet, user = one_c_cabinet
    with pytest.raises(clerk.NotAllowed):
        clerk.set_cabinet_state(db, cabinet, user, "paused", pause=pause, minutes=minutes, now=clock())
    assert cabinet.state == "open" and cabinet.paused_until is None


def test_opening_again_forgets_the_pause(db, clock, one_c_cabinet):
    _office, cabinet, user = one_c_cabinet
    clerk.set_cabinet_state(db, cabinet, user, "paused", pause="lunch", now=clock())
    clerk.set_cabinet_state(db, cabinet, user, "open", now=clock())
    assert cabinet.state == "open" and cabinet.pause_kind is None and cabinet.paused_until is None
