"""Down-sync of what the region owns (no Flask): versioned at the centre, taken by its node whole or not at all.

The centre answers a node with its office's data and their version (a digest of the values: any
change at the centre is a new version, with no counter to keep). The data has four parts:
`settings` (this module), `services` and `directory` (kezek.nodes.down_catalogue) and `staff`
(kezek.nodes.down_staff). The node applies a new version in one transaction: every part and the new
version together, or, when anything fails on the way, nothing (the old version stays whole and is
asked for again at the next round).

Who may change what where:
- The office's settings (names, time zone, call policy, recalls before a no-show, the staffing
  plan's target share, whether it keeps the public holidays), its weekly hours and its own
  calendar days (closed or other hours on a date): at either end. An administrator changes them at
  the centre, and the node takes the change when it next reaches the centre; an administrator at
  the office may still change them at the node (the line may be down for days when the hours must
  change), and that change stays until the centre changes the same setting, weekday's hours or
  date.
- A setting, the week's hours or a date changed at both since the node last took the centre's: the
  centre's value is written (the centre is the last writer, whatever the clocks say), and the node
  records the conflict in its audit log with both values; its administrators read it there, and it
  travels up to the centre's audit log and the centre's page of nodes.
- Services, visit kinds with their wait limits and documents, and the directory: only at the centre.
  At an enrolled node their edit pages refuse and say where to change them; what the node has is
  replaced by the centre's at each new version.
- Staff accounts of the office (user name, name, role, password hash, active): only at the centre,
  likewise. An account disabled, removed or given a new password at the centre ends its sessions at
  the node with the next version; an account the centre no longer has for the office is disabled.
- The public holidays are not stored: both ends compute them from the same library; whether an
  office keeps them is a setting. Cabinets, kiosks and devices are the office's own, kept at the node
  (one the centre lacks is added there when the node's rows first name it: kezek.nodes.apply).
"""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from kezek.audit import record
from kezek.models import CalendarDay, CentreLink, Office, OfficeHours
from kezek.nodes import down_catalogue, down_staff

FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "timezone",
    "call_policy",
    "recalls_before_no_show",
    "observes_public_holidays",
    "plan_target",
)
HOURS = "hours"
CALENDAR = "calendar"
PARTS = ("settings", "services", "directory", "staff")
CONFLICT = "node.settings_conflict"


def _clock(value) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _moment(text):
    return datetime.strptime(text, "%H:%M").time() if text else None


def _calendar_of(session: Session, office: Office) -> list:
    rows = session.scalars(select(CalendarDay).where(CalendarDay.office_id == office.id).order_by(CalendarDay.day))
    return [[row.day.isoformat(), row.closed, _clock(row.opens), _clock(row.closes), row.note] for row in rows]


def settings_of(office: Office) -> dict:
    """The office's region-owned settings as JSON values (hours as [weekday, opens, closes, lunch from, to], calendar
    days as [date, closed, opens, closes, note])."""
    values: dict = {name: getattr(office, name) for name in FIELDS}
    values[HOURS] = sorted(
        [hours.weekday, _clock(hours.opens), _clock(hours.closes), _clock(hours.lunch_start), _clock(hours.lunch_end)]
        for hours in office.hours
    )
    session = object_session(office)
    values[CALENDAR] = _calendar_of(session, office) if session is not None else []
    return values


def data_of(session: Session, office: Office) -> dict:
    """Everything the centre sends the office's node."""
    return {
        "settings": settings_of(office),
        "services": down_catalogue.services_of(session),
        "directory": down_catalogue.directory_of(session),
        "staff": down_staff.staff_of(session, office),
    }


def version_of(data: dict) -> str:
    """The version of `data`: a digest of its values."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def _set_hours(office: Office, week: list) -> None:
    by_day = {hours.weekday: hours for hours in office.hours}
    wanted = {row[0]: row for row in week}
    for day, hours in by_day.items():
        if day not in wanted:
            office.hours.remove(hours)
    for day, (_day, opens, closes, lunch_start, lunch_end) in wanted.items():
        hours = by_day.get(day) or OfficeHours(weekday=day)
        if hours not in office.hours:
            office.hours.append(hours)
        hours.opens, hours.closes = _moment(opens), _moment(closes)
        hours.lunch_start, hours.lunch_end = _moment(lunch_start), _moment(lunch_end)


def _set_day(session: Session, office: Office, day: str, row: list | None) -> None:
    """Write the centre's calendar day `day` (None: the centre has none, the day follows the week)."""
    existing = session.scalar(
        select(CalendarDay).where(CalendarDay.office_id == office.id, CalendarDay.day == date.fromisoformat(day))
    )
    if row is None:
        if existing is not None:
            session.delete(existing)
        return
    existing = existing or CalendarDay(office_id=office.id, day=date.fromisoformat(day))
    _day, existing.closed, opens, closes, existing.note = row
    existing.opens, existing.closes = _moment(opens), _moment(closes)
    session.add(existing)


def _conflict(session: Session, office: Office, name: str, here, centre, now: datetime) -> None:
    record(session, None, CONFLICT, {"setting": name, "changes": {name: [here, centre]}}, office_id=office.id, at=now)


def _take_calendar(session: Session, office: Office, base: dict, centre: list, now: datetime) -> list[str]:
    """Merge the centre's calendar days, date by date, by the rule above; the dates in conflict."""
    if not isinstance(centre, list) or not all(isinstance(row, list) and len(row) == 5 for row in centre):
        raise ValueError("the centre's calendar days are not [date, closed, opens, closes, note]")
    known = CALENDAR in base
    was = {row[0]: row for row in base.get(CALENDAR) or []}
    here = {row[0]: row for row in _calendar_of(session, office)}
    theirs = {row[0]: row for row in centre}
    conflicts = []
    for day in sorted({*here, *theirs}):
        if here.get(day) == theirs.get(day):
            continue
        changed_here = known and here.get(day) != was.get(day)
        if changed_here and theirs.get(day) == was.get(day):
            continue  # changed only at the node: it stays until the centre changes that date
        if changed_here:
            conflicts.append(f"{CALENDAR} {day}")
            _conflict(session, office, f"{CALENDAR} {day}", here.get(day), theirs.get(day), now)
        _set_day(session, office, day, theirs.get(day))
    session.flush()
    return conflicts


def take(session: Session, link: CentreLink, office: Office, version: str, centre: dict, now: datetime) -> list[str]:
    """Apply the centre's settings `centre` of `version` at the node; the settings in conflict (changed at both).

    The caller commits: every setting and the new version together, or nothing.
    """
    if not isinstance(centre, dict) or set(centre) != {*FIELDS, HOURS, CALENDAR}:
        raise ValueError("the centre's settings have not the expected fields")
    base, here = link.down_settings or {}, settings_of(office)
    conflicts = []
    for name in (*FIELDS, HOURS):
        if here[name] == centre[name]:
            continue
        changed_here = name in base and here[name] != base[name]
        if changed_here and centre[name] == base.get(name):
            continue  # changed only at the node: it stays until the centre changes it
        if changed_here:
            conflicts.append(name)
            _conflict(session, office, name, here[name], centre[name], now)
        if name == HOURS:
            _set_hours(office, centre[name])
        else:
            setattr(office, name, centre[name])
    conflicts += _take_calendar(session, office, base, centre[CALENDAR], now)
    link.down_version, link.down_settings = version, centre
    return conflicts


def take_all(session: Session, link: CentreLink, office: Office, version: str, data: dict, now: datetime) -> list[str]:
    """Apply every part of the centre's `data` of `version` at the node; what was in conflict (see `take`).

    ValueError or TypeError when the data is not what the centre sends: the caller rolls back, and the
    node keeps its old version whole. The caller commits otherwise.
    """
    if not isinstance(data, dict) or set(data) != set(PARTS):
        raise ValueError(f"the centre's data has not the parts {', '.join(PARTS)}")
    first = link.down_version is None
    conflicts = take(session, link, office, version, data["settings"], now)
    down_catalogue.take_services(session, data["services"])
    down_catalogue.take_directory(session, data["directory"], now)
    down_staff.take_staff(session, office, data["staff"], first)
    session.flush()
    return conflicts
