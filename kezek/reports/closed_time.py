"""Waits with the office's closed periods left out (no Flask), shown beside the waits as visitors lived them.

A wait as lived runs from taking the ticket to the first call, the lunch break included; annex 2
and the share within the limit use that reading. The second reading leaves out the time the office
did not receive visitors (before opening, the lunch break, after closing on the ticket's day), to
tell a wait caused by the queue from one caused by the break. Only waits that could have touched a
closed period are read one by one (a coarse filter on the hour of issue and the wait, from the
earliest and latest hours of the offices in scope); every other wait is the same in both readings.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from kezek.models import CalendarDay, Office, OfficeHours
from kezek.models.reports import WaitRecord
from kezek.queue.hours import DaySchedule, schedule_from

DEFAULT_LUNCH = (time(13), time(14))


def closed_periods(schedule: DaySchedule) -> list[tuple[datetime, datetime]]:
    """The day's closed periods as (start, end): before opening, the lunch break, after closing."""
    midnight = schedule.opens.replace(hour=0, minute=0, second=0, microsecond=0)
    periods = [(midnight, schedule.opens)]
    if schedule.lunch_start and schedule.lunch_end and schedule.opens < schedule.lunch_start < schedule.lunch_end:
        periods.append((schedule.lunch_start, min(schedule.lunch_end, schedule.closes)))
    periods.append((schedule.closes, midnight + timedelta(days=1)))
    return periods


def closed_seconds(schedule: DaySchedule | None, start: datetime, end: datetime) -> int:
    """Seconds of start..end that fall in the day's closed periods (none on a day without hours)."""
    if schedule is None or end <= start:
        return 0
    total = timedelta()
    for begin, finish in closed_periods(schedule):
        overlap = min(end, finish) - max(start, begin)
        if overlap > timedelta():
            total += overlap
    return int(total.total_seconds())


def open_minutes(schedule: DaySchedule | None, start: datetime, end: datetime) -> float:
    """The wait from `start` to `end` in minutes (one decimal) with the closed periods left out."""
    seconds = int((end - start).total_seconds()) - closed_seconds(schedule, start, end)
    return round(max(seconds, 0) / 60, 1)


class Schedules:
    """Each office's hours per day for one report: an office's weekly hours and calendar are read once."""

    def __init__(self, session: Session):
        self.session = session
        self.offices: dict[int, tuple[Office, dict[int, OfficeHours], dict[date, CalendarDay]] | None] = {}
        self.days: dict[tuple[int, date], DaySchedule | None] = {}

    def _office(self, office_id: int):
        if office_id not in self.offices:
            office = self.session.get(Office, office_id)
            if office is None:
                self.offices[office_id] = None
            else:
                weekly = {row.weekday: row for row in self.session.scalars(
                    select(OfficeHours).where(OfficeHours.office_id == office_id))}
                calendar = {row.day: row for row in self.session.scalars(
                    select(CalendarDay).where(CalendarDay.office_id == office_id))}
                self.offices[office_id] = (office, weekly, calendar)
        return self.offices[office_id]

    def on(self, office_id: int, day: date) -> DaySchedule | None:
        """The office's hours on `day` (None: no hours that day, or no such office)."""
        key = (office_id, day)
        if key not in self.days:
            known = self._office(office_id)
            self.days[key] = None if known is None else schedule_from(
                known[0], day, known[1].get(day.weekday()), known[2].get(day))
        return self.days[key]


@dataclass
class ClosedLeftOut:
    """The figures of a range with closed periods left out: mean and longest wait, and mean per day."""

    mean: float | None = None
    longest: float | None = None
    daily_mean: dict[date, float | None] = field(default_factory=dict)
    too_long: bool = False  # the range is longer than LONGEST_DAYS: not read (the page says so)
    longest_days: int = 0  # LONGEST_DAYS, for the page


LONGEST_DAYS = 92  # about a quarter: the longest range the closed-periods reading is made for


def _bounds(session: Session, office_ids: list[int] | None, first: date, last: date) -> tuple[int, int, int, int]:
    """Seconds after midnight: the latest opening, earliest lunch start, latest lunch end and earliest closing."""
    hours = select(OfficeHours.opens, OfficeHours.closes, OfficeHours.lunch_start, OfficeHours.lunch_end)
    days = select(CalendarDay.opens, CalendarDay.closes).where(CalendarDay.day >= first, CalendarDay.day <= last,
                                                               CalendarDay.closed.is_(False))
    if office_ids is not None:
        hours = hours.where(OfficeHours.office_id.in_(office_ids))
        days = days.where(CalendarDay.office_id.in_(office_ids))
    opens, closes, lunch_starts, lunch_ends = [], [], [DEFAULT_LUNCH[0]], [DEFAULT_LUNCH[1]]
    for row in session.execute(hours):
        opens.append(row.opens)
        closes.append(row.closes)
        if row.lunch_start and row.lunch_end:
            lunch_starts.append(row.lunch_start)
            lunch_ends.append(row.lunch_end)
    for row in session.execute(days):
        opens.append(row.opens or time(0))
        closes.append(row.closes or time(23, 59, 59))

    def seconds(moment: time) -> int:
        return moment.hour * 3600 + moment.minute * 60 + moment.second

    return (seconds(max(opens, default=time(0))), seconds(min(lunch_starts)), seconds(max(lunch_ends)),
            seconds(min(closes, default=time(23, 59, 59))))


def _may_touch_closed(bounds: tuple[int, int, int, int]):
    """Waits that could overlap a closed period, from the local hour of issue (the issue lies in that hour)."""
    latest_open, lunch_start, lunch_end, earliest_close = bounds
    issued = WaitRecord.hour * 3600
    called_by = WaitRecord.wait_seconds + issued + 3600  # the call is no later than this
    return or_(issued < latest_open, and_(issued < lunch_end, called_by > lunch_start), called_by > earliest_close)


def closed_left_out(session: Session, office_ids: list[int] | None, first: date, last: date, service_id: int | None,
                    wait_seconds: int, called: int, daily: Iterable[tuple[date, int, int]] = ()) -> ClosedLeftOut:
    """The range's mean and longest wait with closed periods left out, given its lived total `wait_seconds` over
    `called` visitors, and each day's mean from `daily` (day, lived wait seconds, called).

    Only for ranges of at most LONGEST_DAYS: this reading goes through every wait that may cross a closed
    period, one by one (a region's year took 3.4 s and 218 MB), where the report's other figures come from
    the monthly summaries."""
    if (last - first).days + 1 > LONGEST_DAYS:
        return ClosedLeftOut(too_long=True, longest_days=LONGEST_DAYS)
    if not called:
        return ClosedLeftOut()
    where = [WaitRecord.service_day >= first, WaitRecord.service_day <= last, WaitRecord.wait_seconds.is_not(None)]
    if office_ids is not None:
        where.append(WaitRecord.office_id.in_(office_ids))
    if service_id is not None:
        where.append(WaitRecord.service_id == service_id)
    touch = _may_touch_closed(_bounds(session, office_ids, first, last))
    longest = session.scalar(select(func.max(WaitRecord.wait_seconds)).where(*where, ~touch)) or 0
    schedules, left_out, per_day = Schedules(session), 0, {}
    rows = session.execute(select(WaitRecord.office_id, WaitRecord.service_day, WaitRecord.first_called_at,
                                  WaitRecord.wait_seconds).where(*where, touch))
    for office_id, day, called_at, wait in rows:
        closed = closed_seconds(schedules.on(office_id, day), called_at - timedelta(seconds=wait), called_at)
        left_out += closed
        per_day[day] = per_day.get(day, 0) + closed
        longest = max(longest, wait - closed)
    daily_mean = {day: round((seconds - per_day.get(day, 0)) / count / 60, 1) if count else None
                  for day, seconds, count in daily}
    return ClosedLeftOut(round((wait_seconds - left_out) / called / 60, 1), round(longest / 60, 1), daily_mean)
