"""An administrator's edit of a directory entry: parse the form's text, then apply it with history."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from directory.hours import WEEK
from directory.phones import normalise_typed_phone
from kezek.audit import record
from kezek.models import DirectoryChange, DirectoryEntry, User

TEXT_FIELDS = ("name_kk", "name_ru", "name_en", "head", "settlement", "street", "house", "floor", "cabinet")
LIST_FIELDS = ("phones", "emails", "web_sites")
HOURS_KEYS = ("hours_opens", "hours_closes", "hours_lunch_start", "hours_lunch_end")
EDITABLE = (*TEXT_FIELDS, *LIST_FIELDS, "hours")
MAX_TEXT = 300
MAX_ITEMS = 10
REQUIRED = ("name_kk",)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_EMAIL = re.compile(r"^[A-Za-z0-9._%+\-]{1,64}@[A-Za-z0-9\-]+(\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}$")
_HOST = re.compile(r"^([a-z0-9]([a-z0-9\-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
_TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


def _phone_text(phone: dict) -> str:
    return phone.get("e164") or phone.get("source") or ""


def form_values(entry: DirectoryEntry) -> dict[str, object]:
    """The entry as the edit form shows it: plain text, one list item per line, hours split up."""
    values: dict[str, object] = {name: getattr(entry, name) or "" for name in TEXT_FIELDS}
    values["phones"] = "\n".join(_phone_text(p) for p in entry.phones or [])
    values["emails"] = "\n".join(entry.emails or [])
    values["web_sites"] = "\n".join(entry.web_sites or [])
    hours = entry.hours or {}
    values["hours_days"] = list(hours.get("weekdays") or [])
    for key in HOURS_KEYS:
        values[key] = hours.get(key.removeprefix("hours_")) or ""
    return values


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _check_text(text: str) -> str | None:
    if len(text) > MAX_TEXT:
        return "too_long"
    if _CONTROL.search(text):
        return "control_characters"
    if "<" in text or ">" in text:
        return "markup"
    return None


def _parse_list(name: str, text: str) -> tuple[list, str | None]:
    lines = _lines(text)
    if len(lines) > MAX_ITEMS:
        return [], "too_many"
    problem = next((p for p in (_check_text(line) for line in lines) if p), None)
    if problem:
        return [], problem
    if name == "phones":
        phones = [normalise_typed_phone(line) for line in lines]
        if any(not p.valid for p in phones):
            return [], "phone_invalid"
        return [{"e164": p.e164, "source": p.source, "valid": True, "problem": None} for p in phones], None
    if name == "emails":
        emails = [line.replace(" ", "") for line in lines]
        return emails, None if all(_EMAIL.match(e) for e in emails) else "email_invalid"
    hosts = [re.sub(r"^[a-z]+://", "", line.lower()).rstrip("/") for line in lines]
    return hosts, None if all(_HOST.match(h) for h in hosts) else "web_invalid"


def _parse_hours(submitted: Mapping[str, object]) -> tuple[dict | None, str | None]:
    days = submitted.get("hours_days") or []
    days = [days] if isinstance(days, str) else list(days)
    times = {key: str(submitted.get(key) or "").strip() for key in HOURS_KEYS}
    if not any(times.values()) and not days:
        return None, None
    if any(day not in WEEK for day in days) or not days:
        return None, "weekdays_invalid"
    if any(value and not _TIME.match(value) for value in times.values()):
        return None, "time_invalid"
    opens, closes = times["hours_opens"], times["hours_closes"]
    start, end = times["hours_lunch_start"] or None, times["hours_lunch_end"] or None
    if not opens or not closes or opens >= closes or bool(start) != bool(end):
        return None, "time_invalid"
    if start and not (opens <= start < end <= closes):
        return None, "time_invalid"
    ordered = [day for day in WEEK if day in days]
    return {"weekdays": ordered, "opens": opens, "closes": closes, "lunch_start": start, "lunch_end": end}, None


def parse_changes(entry: DirectoryEntry, submitted: Mapping[str, object]) -> tuple[dict, dict[str, str]]:
    """The fields the form changes, with their new stored values, and an error code per bad field."""
    current = form_values(entry)
    changes: dict[str, object] = {}
    errors: dict[str, str] = {}
    for name in TEXT_FIELDS:
        if name not in submitted:  # a field the form did not send stays as it is
            continue
        text = " ".join(str(submitted.get(name) or "").split())
        if text == current[name]:
            continue
        problem = _check_text(text) or ("required" if name in REQUIRED and not text else None)
        if problem:
            errors[name] = problem
        else:
            changes[name] = text
    for name in LIST_FIELDS:
        if name not in submitted:
            continue
        text = str(submitted.get(name) or "")
        if _lines(text) == _lines(str(current[name])):
            continue
        value, problem = _parse_list(name, text)
        if problem:
            errors[name] = problem
        elif value != getattr(entry, name):
            changes[name] = value
    if not any(key in submitted for key in (*HOURS_KEYS, "hours_days")):
        return changes, errors
    hours, problem = _parse_hours(submitted)
    if problem:
        errors["hours"] = problem
    elif hours != (entry.hours or None):
        changes["hours"] = hours
    return changes, errors


def parse_resolved(entry: DirectoryEntry, codes: list[str]) -> tuple[list[str], str | None]:
    """The review reasons the administrator marks resolved; an unknown code is an error."""
    open_codes = entry.review_reasons or []
    if any(code not in open_codes for code in codes):
        return [], "unknown_reason"
    return [code for code in open_codes if code in codes], None


def apply_changes(
    session: Session, entry: DirectoryEntry, changes: dict, resolved: list[str], user: User, now: datetime
) -> list[DirectoryChange]:
    """Set the changed fields, keep a before/after row per field and an audit entry; never commits."""
    rows = []
    for name, after in changes.items():
        rows.append(
            DirectoryChange(
                entry=entry,
                at=now,
                origin="admin",
                user_id=user.id,
                username=user.username,
                field=name,
                before=getattr(entry, name),
                after=after,
            )
        )
        setattr(entry, name, after)
    if changes:
        entry.edited_fields = sorted({*(entry.edited_fields or []), *changes})
    if resolved:
        remaining = [code for code in entry.review_reasons if code not in resolved]
        rows.append(
            DirectoryChange(
                entry=entry,
                at=now,
                origin="admin",
                user_id=user.id,
                username=user.username,
                field="review_reasons",
                before=list(entry.review_reasons),
                after=remaining,
            )
        )
        entry.review_reasons = remaining
        entry.resolved_reasons = sorted({*(entry.resolved_reasons or []), *resolved})
    if rows:
        entry.edited_at = now
        session.add_all(rows)
        record(session, user, "directory_edit", {"entry": entry.key, "fields": [row.field for row in rows]}, at=now)
    return rows
