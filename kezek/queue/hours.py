"""Office hours: the seed's weekly schedule, public holidays and each office's own calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import CalendarDay, Office, OfficeHours

# Standards, section 1 item 10: Monday to Friday 09:00-18:00, lunch 13:00-14:00.
SEED_WEEK = {weekday: (time(9), time(18), time(13), time(14)) for weekday in range(5)}
LOOKAHEAD_DAYS = 40


@dataclass(frozen=True)
class DaySchedule:
    """One day's receiving hours of an office, as aware local datetimes."""

    day: date
    opens: datetime
    closes: datetime
    lunch_start: datetime | None = None
    lunch_end: datetime | None = None

    def at_lunch(self, moment: datetime) -> bool:
        """Whether `moment` falls in the lunch break."""
        return bool(self.lunch_start and self.lunch_end and self.lunch_start <= moment < self.lunch_end)


@dataclass(frozen=True)
class Opening:
    """Whether an office receives visitors now, and if not, why and when it next does."""

    is_open: bool
    reason: str | None  # None, "lunch", "before_opening", "after_closing", "day_off", "holiday"
    now_local: datetime
    today: DaySchedule | None
    opens_at: datetime | None


@lru_cache(maxsize=16)
def _public_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("KZ", years=year)


def public_holiday(day: date) -> str | None:
    """The name of Kazakhstan's public holiday on `day`, if any."""
    return _public_holidays(day.year).get(day)


def local_now(office: Office, now: datetime) -> datetime:
    """`now` (aware) in the office's time zone."""
    return now.astimezone(ZoneInfo(office.timezone))


def _at(day: date, clock: time | None, zone: ZoneInfo) -> datetime | None:
    return datetime.combine(day, clock, tzinfo=zone) if clock else None


def schedule_for(session: Session, office: Office, day: date) -> DaySchedule | None:
    """The office's hours on `day`, or None if it does not receive visitors that day."""
    exception = session.scalar(select(CalendarDay).where(CalendarDay.office_id == office.id, CalendarDay.day == day))
    weekly = session.scalar(
        select(OfficeHours).where(OfficeHours.office_id == office.id, OfficeHours.weekday == day.weekday())
    )
    return schedule_from(office, day, weekly, exception)


def schedule_from(
    office: Office, day: date, weekly: OfficeHours | None, exception: CalendarDay | None
) -> DaySchedule | None:
    """The office's hours on `day` from its weekly hours for that weekday and its calendar entry for the day."""
    zone = ZoneInfo(office.timezone)
    if exception is not None:
        if exception.closed or not (exception.opens and exception.closes):
            return None
        lunch = (weekly.lunch_start, weekly.lunch_end) if weekly else (time(13), time(14))
        return DaySchedule(
            day,
            _at(day, exception.opens, zone),
            _at(day, exception.closes, zone),
            _at(day, lunch[0], zone),
            _at(day, lunch[1], zone),
        )
    if weekly is None or (office.observes_public_holidays and public_holiday(day)):
        return None
    return DaySchedule(
        day,
        _at(day, weekly.opens, zone),
        _at(day, weekly.closes, zone),
        _at(day, weekly.lunch_start, zone),
        _at(day, weekly.lunch_end, zone),
    )


def _closed_reason(session: Session, office: Office, day: date) -> str:
    if session.scalar(select(CalendarDay.id).where(CalendarDay.office_id == office.id, CalendarDay.day == day)):
        return "holiday"
    return "holiday" if office.observes_public_holidays and public_holiday(day) else "day_off"


def next_opening(session: Session, office: Office, after: datetime) -> datetime | None:
    """The first moment after `after` (local, aware) when the office receives visitors."""
    for offset in range(LOOKAHEAD_DAYS):
        day = after.date() + timedelta(days=offset)
        schedule = schedule_for(session, office, day)
        if schedule is None:
            continue
        for start, end in _sessions(schedule):
            if after < end:
                return max(start, after) if after >= start else start
    return None


def _sessions(schedule: DaySchedule) -> list[tuple[datetime, datetime]]:
    if schedule.lunch_start and schedule.lunch_end and schedule.opens < schedule.lunch_start < schedule.closes:
        return [(schedule.opens, schedule.lunch_start), (schedule.lunch_end, schedule.closes)]
    return [(schedule.opens, schedule.closes)]


def opening_state(session: Session, office: Office, now: datetime) -> Opening:
    """Whether `office` receives visitors at `now` (aware, any zone)."""
    return opening_on(session, office, now, schedule_for(session, office, local_now(office, now).date()))


def opening_on(session: Session, office: Office, now: datetime, today: DaySchedule | None) -> Opening:
    """Whether `office` receives visitors at `now`, given its hours `today` (its local day at `now`)."""
    here = local_now(office, now)
    if today is None:
        reason = _closed_reason(session, office, here.date())
    elif here < today.opens:
        reason = "before_opening"
    elif here >= today.closes:
        reason = "after_closing"
    elif today.at_lunch(here):
        reason = "lunch"
    else:
        return Opening(True, None, here, today, here)
    return Opening(False, reason, here, today, next_opening(session, office, here))


def week_summary(office: Office) -> list[tuple[int, int, OfficeHours]]:
    """The office's week as runs of consecutive weekdays with the same hours: (first, last, hours)."""
    runs: list[tuple[int, int, OfficeHours]] = []
    for row in sorted(office.hours, key=lambda hours: hours.weekday):
        key = (row.opens, row.closes, row.lunch_start, row.lunch_end)
        if runs and runs[-1][1] == row.weekday - 1:
            last = runs[-1][2]
            if (last.opens, last.closes, last.lunch_start, last.lunch_end) == key:
                runs[-1] = (runs[-1][0], row.weekday, last)
                continue
        runs.append((row.weekday, row.weekday, row))
    return runs


def finish_after(schedule: DaySchedule, start: datetime, minutes: float) -> datetime:
    """When `minutes` of receiving time from `start` run out, skipping the lunch break."""
    moment = start
    left = timedelta(minutes=minutes)
    for begin, end in _sessions(schedule):
        if moment >= end:
            continue
        moment = max(moment, begin)
        if moment + left <= end:
            return moment + left
        left -= end - moment
        moment = end
    return moment + left
