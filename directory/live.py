"""Which office to visit now, as plain data: open or not (today's real hours, lunch, holidays), how many
wait for each service and a newcomer's estimated wait, and the usually quietest hours of each weekday.

No Flask here: the queue's own rules answer (kezek.queue.offer.outlooks, kezek.queue.hours), nothing is
computed twice. Only counts and minutes leave this module: no ticket, number or visitor.
"""
from __future__ import annotations

import threading
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import distinct, func, select
from sqlalchemy.orm import Session

from kezek.models import DEPARTMENT, REGIONAL, Office, OfficeHours, WaitRecord
from kezek.queue.hours import Opening, public_holiday
from kezek.queue.offer import offered_visit_kinds, outlooks

WINDOW_WEEKS = 8  # the quietest hours are read from this many weeks of the office's wait log
MIN_WEEKS = 4  # ... and shown for a weekday only once that many of its days have records
QUIET_SHOWN = 2  # hours named per weekday


def office_slug_for(kind: str, district: str) -> str | None:
    """The slug of the office a directory entry describes (akimats run no queue here)."""
    return {DEPARTMENT: district, REGIONAL: "region"}.get(kind)


def find_live_office(session: Session, slug: str) -> Office | None:
    """An enabled office that the directory lists (a district department or the regional department)."""
    office = session.scalar(select(Office).where(Office.slug == slug, Office.enabled))
    if office is None or (office.slug != office.district and not office.is_regional):
        return None
    return office


def listed_offices(session: Session) -> list[Office]:
    """Every enabled office the directory lists: the regional department, then the districts in seed order."""
    offices = session.scalars(select(Office).where(Office.enabled).order_by(Office.id)).all()
    listed = [o for o in offices if o.slug == o.district or o.is_regional]
    return sorted(listed, key=lambda o: (not o.is_regional, o.id))


def _hhmm(moment: datetime | None) -> str | None:
    return moment.strftime("%H:%M") if moment else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def status(opening: Opening) -> dict:
    """Open now or not, why, today's hours, and the next change: when it opens, breaks for lunch or closes."""
    today = opening.today
    here = opening.now_local
    lunch_ahead = bool(opening.is_open and today and today.lunch_start and here < today.lunch_start)
    return {
        "open": opening.is_open,
        "reason": opening.reason,
        "local_time": _hhmm(here),
        "today": None if today is None else {
            "opens": _hhmm(today.opens), "closes": _hhmm(today.closes),
            "lunch_start": _hhmm(today.lunch_start), "lunch_end": _hhmm(today.lunch_end)},
        "opens_at": None if opening.is_open else _iso(opening.opens_at),
        "lunch_at": _iso(today.lunch_start) if lunch_ahead else None,
        "closes_at": _iso(today.closes) if opening.is_open and today else None,
        "holiday": public_holiday(here.date()) if opening.reason == "holiday" else None,
    }


def services(opening: Opening, found: list) -> list[dict]:
    """Waiting counts per service and visit kind, with a newcomer's estimate while tickets can be taken."""
    by_service: dict[int, dict] = {}
    for outlook in found:
        kind = outlook.visit_kind
        service = by_service.setdefault(kind.service_id, {
            "code": kind.service.code, "name": _names(kind.service), "waiting": 0, "visit_kinds": []})
        waiting = outlook.estimate.people_ahead
        service["waiting"] += waiting
        service["visit_kinds"].append({
            "kind": kind.kind, "name": _names(kind), "waiting": waiting,
            "wait_limit_minutes": kind.wait_limit_minutes,
            "estimate_minutes": ({"low": outlook.estimate.low, "high": outlook.estimate.high}
                                 if opening.is_open else None),
            "can_take_ticket": outlook.available, "reason": outlook.reason,
        })
    return list(by_service.values())


def _names(thing) -> dict[str, str]:
    return {lang: thing.name(lang) for lang in ("kk", "ru", "en")}


def _receiving_hours(office: Office, weekday: int) -> list[int]:
    """The whole hours of a weekday in which the office receives, lunch left out."""
    row: OfficeHours | None = next((h for h in office.hours if h.weekday == weekday), None)
    if row is None:
        return []
    hours = []
    for hour in range(row.opens.hour, 24):
        start = time(hour)
        if start >= row.closes:
            break
        if row.lunch_start and row.lunch_end and row.lunch_start <= start < row.lunch_end:
            continue
        hours.append(hour)
    return hours


def quiet_hours(session: Session, office: Office, now: datetime) -> dict:
    """The usually quietest hours of each weekday from the office's own wait log of the last weeks:
    the hours whose visitors waited least (fewest visitors first on a tie); a weekday is left out until
    MIN_WEEKS of its days have records."""
    today = now.astimezone(ZoneInfo(office.timezone)).date()
    since = today - timedelta(weeks=WINDOW_WEEKS)
    recent = (WaitRecord.office_id == office.id, WaitRecord.service_day >= since, WaitRecord.service_day < today)
    weeks = dict(session.execute(
        select(WaitRecord.weekday, func.count(distinct(WaitRecord.service_day))).where(*recent)
        .group_by(WaitRecord.weekday)).all())
    hourly = {(weekday, hour): (count, waited or 0.0) for weekday, hour, count, waited in session.execute(
        select(WaitRecord.weekday, WaitRecord.hour, func.count(), func.avg(WaitRecord.wait_seconds))
        .where(*recent).group_by(WaitRecord.weekday, WaitRecord.hour)).all()}
    days = []
    for weekday in range(7):
        hours = _receiving_hours(office, weekday)
        if not hours or weeks.get(weekday, 0) < MIN_WEEKS:
            continue
        ranked = sorted(hours, key=lambda h: (hourly.get((weekday, h), (0, 0.0))[1],
                                              hourly.get((weekday, h), (0, 0.0))[0], h))
        days.append({"weekday": weekday, "hours": sorted(ranked[:QUIET_SHOWN])})
    return {"window_weeks": WINDOW_WEEKS, "weeks_needed": MIN_WEEKS,
            "weeks_of_data": max(weeks.values(), default=0), "days": days}


def office_now(session: Session, office: Office, now: datetime) -> dict:
    """The whole live state of one office, JSON-ready: status, services with waits, quietest hours."""
    opening, found = outlooks(session, office, offered_visit_kinds(session, office), now)
    return {
        "office": office.slug,
        "name": _names(office),
        "timezone": office.timezone,
        "generated_at": now.isoformat(),
        "status": status(opening),
        "services": services(opening, found),
        "quiet_hours": quiet_hours(session, office, now),
    }


class LiveCache:
    """Offices' live states as last built, reused while the office's version and the clock's ten seconds stay
    the same: a region's pages fetch the feed every few seconds, the queue changes far less often."""

    SECONDS = 10
    SIZE = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[tuple, dict] = {}

    def state(self, session: Session, office, now: datetime) -> dict:
        """The office's live state at `now` (built, or reused from the same version and ten seconds)."""
        version = session.scalar(select(Office.version).where(Office.id == office.id))
        key = (office.id, version, int(now.timestamp() // self.SECONDS))
        with self._lock:
            known = self._states.get(key)
        if known is not None:
            return known
        state = office_now(session, office, now)
        with self._lock:
            if len(self._states) >= self.SIZE:
                self._states.clear()
            self._states[key] = state
        return state

    def clear(self) -> None:
        """Forget every kept state."""
        with self._lock:
            self._states.clear()
