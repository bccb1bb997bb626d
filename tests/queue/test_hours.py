"""Office hours from the seed: weekdays 09-18, lunch 13-14, public holidays, the office's own calendar."""
from __future__ import annotations

from datetime import date, datetime, time

import pytest

from kezek.models import CalendarDay
from kezek.queue.errors import OfficeClosed, TooLateToday
from kezek.queue.hours import opening_state, public_holiday
from kezek.queue.issuing import issue_ticket
from tests.conftest import ALMATY, kind_by_prefix, office_by_slug


def local(*args):
    return datetime(*args, tzinfo=ALMATY)


@pytest.mark.parametrize(
    ("moment", "is_open", "reason", "opens_at"),
    [
        (local(2026, 11, 25, 8, 59), False, "before_opening", local(2026, 11, 25, 9, 0)),
        (local(2026, 11, 25, 9, 0), True, None, None),
        (local(2026, 11, 25, 12, 59), True, None, None),
        (local(2026, 11, 25, 13, 0), False, "lunch", local(2026, 11, 25, 14, 0)),
        (local(2026, 11, 25, 13, 59), False, "lunch", local(2026, 11, 25, 14, 0)),
        (local(2026, 11, 25, 14, 0), True, None, None),
        (local(2026, 11, 25, 18, 0), False, "after_closing", local(2026, 11, 26, 9, 0)),
        (local(2026, 11, 27, 18, 30), False, "after_closing", local(2026, 11, 30, 9, 0)),  # Friday evening
        (local(2026, 11, 28, 11, 0), False, "day_off", local(2026, 11, 30, 9, 0)),  # Saturday
    ],
)
def test_opening_hours_of_a_district_department(db, moment, is_open, reason, opens_at):
    state = opening_state(db, office_by_slug(db, "baizak"), moment)
    assert (state.is_open, state.reason) == (is_open, reason)
    if opens_at:
        assert state.opens_at == opens_at


def test_public_holidays_close_the_office_and_the_next_working_day_is_announced(db):
    # 16 December is Independence Day in Kazakhstan; the 17th is a working Thursday in 2026.
    assert public_holiday(date(2026, 12, 16))
    state = opening_state(db, office_by_slug(db, "taraz"), local(2026, 12, 16, 10, 0))
    assert (state.is_open, state.reason) == (False, "holiday")
    assert state.opens_at.date() > date(2026, 12, 16)


def test_an_office_calendar_can_open_a_holiday_and_close_a_working_day(db):
    office = office_by_slug(db, "taraz")
    db.add(CalendarDay(office_id=office.id, day=date(2026, 12, 16), closed=False, opens=time(10), closes=time(15)))
    db.add(CalendarDay(office_id=office.id, day=date(2026, 11, 26), closed=True, note="sanitary day"))
    db.commit()
    assert opening_state(db, office, local(2026, 12, 16, 10, 30)).is_open
    assert not opening_state(db, office, local(2026, 12, 16, 9, 30)).is_open
    closed = opening_state(db, office, local(2026, 11, 26, 10, 0))
    assert (closed.is_open, closed.reason) == (False, "holiday")
    assert closed.opens_at == local(2026, 11, 27, 9, 0)


def test_no_ticket_at_lunch_and_the_refusal_says_when_it_reopens(db):
    with pytest.raises(OfficeClosed) as refusal:
        issue_ticket(db, office_by_slug(db, "taraz"), kind_by_prefix(db, "A"), local(2026, 11, 25, 13, 20))
    assert refusal.value.reason == "lunch"
    assert refusal.value.opens_at == local(2026, 11, 25, 14, 0)


def test_near_closing_a_ticket_that_cannot_be_served_today_is_refused(db):
    office, kind = office_by_slug(db, "taraz"), kind_by_prefix(db, "A")  # 12 min default service
    issue_ticket(db, office, kind, local(2026, 11, 25, 17, 40))  # served by 17:52
    db.commit()
    with pytest.raises(TooLateToday) as refusal:
        # One visitor ahead (12 min) and own service (12 min) would end at 18:14, after closing.
        issue_ticket(db, office, kind, local(2026, 11, 25, 17, 50))
    assert refusal.value.opens_at == local(2026, 11, 26, 9, 0)
    db.rollback()
    # A short collect visit still fits where nobody is ahead of it (at Taraz the waiting A visitor
    # shares the only cabinet, so even a collect visit would end after closing).
    baizak = office_by_slug(db, "baizak")
    assert issue_ticket(db, baizak, kind_by_prefix(db, "B"), local(2026, 11, 25, 17, 50)).ticket.label == "B-001"
    with pytest.raises(TooLateToday):
        issue_ticket(db, office, kind_by_prefix(db, "B"), local(2026, 11, 25, 17, 50))


def test_a_morning_ticket_that_would_run_into_lunch_still_counts_the_lunch_hour(db):
    from kezek.queue.hours import finish_after, schedule_for

    schedule = schedule_for(db, office_by_slug(db, "taraz"), date(2026, 11, 25))
    assert finish_after(schedule, local(2026, 11, 25, 12, 50), 20) == local(2026, 11, 25, 14, 10)
