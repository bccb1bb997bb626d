"""Down-sync of what the region owns (no Flask): the office's settings, versioned at the centre, taken by its node.

The centre answers a node with its office's settings and their version (a digest of the values: any
change at the centre is a new version, with no counter to keep). The node applies a new version in
one transaction: every setting, or none.

Who may change what where, and the rule for conflicts:
- The office's settings (names, time zone, call policy, recalls before a no-show, public holidays,
  weekly hours) belong to the region: an administrator changes them at the centre, and every node
  of the office takes the change when it next reaches the centre.
- An administrator at the office may still change them at the node (the line may be down for days
  when the hours must change). Such a change stays until the centre changes the same setting.
- A setting changed at both since the node last took the centre's: the centre's value is written
  (the centre is the last writer, whatever the clocks say), and the node records the conflict in its
  audit log with both values, which its administrators read and which travels to the centre's log.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime

from sqlalchemy.orm import Session

from kezek.audit import record
from kezek.models import CentreLink, Office, OfficeHours

FIELDS = (
    "name_kk",
    "name_ru",
    "name_en",
    "timezone",
    "call_policy",
    "recalls_before_no_show",
    "observes_public_holidays",
)
HOURS = "hours"
CONFLICT = "node.settings_conflict"


def _clock(value) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def settings_of(office: Office) -> dict:
    """The office's region-owned settings as JSON values (hours as [weekday, opens, closes, lunch from, to])."""
    values: dict = {name: getattr(office, name) for name in FIELDS}
    values[HOURS] = sorted(
        [hours.weekday, _clock(hours.opens), _clock(hours.closes), _clock(hours.lunch_start), _clock(hours.lunch_end)]
        for hours in office.hours
    )
    return values


def version_of(settings: dict) -> str:
    """The settings' version: a digest of their values."""
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()


def _set_hours(office: Office, week: list) -> None:
    def moment(text):
        return datetime.strptime(text, "%H:%M").time() if text else None

    by_day = {hours.weekday: hours for hours in office.hours}
    wanted = {row[0]: row for row in week}
    for day, hours in by_day.items():
        if day not in wanted:
            office.hours.remove(hours)
    for day, (_day, opens, closes, lunch_start, lunch_end) in wanted.items():
        hours = by_day.get(day) or OfficeHours(weekday=day)
        if hours not in office.hours:
            office.hours.append(hours)
        hours.opens, hours.closes = moment(opens), moment(closes)
        hours.lunch_start, hours.lunch_end = moment(lunch_start), moment(lunch_end)


def take(session: Session, link: CentreLink, office: Office, version: str, centre: dict, now: datetime) -> list[str]:
    """Apply the centre's settings `centre` of `version` at the node; the settings in conflict (changed at both).

    The caller commits: every setting and the new version together, or nothing.
    """
    if not isinstance(centre, dict) or set(centre) != {*FIELDS, HOURS}:
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
            record(
                session,
                None,
                CONFLICT,
                {"setting": name, "changes": {name: [here[name], centre[name]]}},
                office_id=office.id,
                at=now,
            )
        if name == HOURS:
            _set_hours(office, centre[name])
        else:
            setattr(office, name, centre[name])
    link.down_version, link.down_settings = version, centre
    return conflicts
