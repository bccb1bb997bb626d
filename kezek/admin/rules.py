"""Applying an administrator's change field by field, with the audit entry of what was before and after."""
from __future__ import annotations

from datetime import date, time
from typing import Any

from sqlalchemy.orm import Session

from kezek.audit import record
from kezek.models import AuditEntry, User


class Refused(Exception):
    """A change the rules refuse; `reason` is a code the view words, `status` the HTTP status to answer."""

    def __init__(self, reason: str, status: int = 409, **params: Any):
        super().__init__(reason)
        self.reason, self.status, self.params = reason, status, params


def plain(value: Any) -> Any:
    """A value as the audit log keeps it: times as HH:MM, dates as ISO, visit kinds by prefix."""
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [plain(item) for item in value]
    if hasattr(value, "prefix") and hasattr(value, "wait_limit_minutes"):
        return value.prefix
    return value


def update(
    session: Session, user: User | None, obj: Any, values: dict[str, Any], action: str,
    office_id: int | None, subject: dict[str, Any],
) -> dict[str, list]:
    """Set `values` on `obj` and log the fields that changed as [before, after]; returns those changes."""
    changes = {}
    for field, new in values.items():
        old = getattr(obj, field)
        if plain(old) != plain(new):
            changes[field] = [plain(old), plain(new)]
            setattr(obj, field, new)
    if changes:
        record(session, user, action, {**subject, "changes": changes}, office_id=office_id)
    return changes


def created(
    session: Session, user: User | None, obj: Any, fields: list[str], action: str,
    office_id: int | None, subject: dict[str, Any],
) -> AuditEntry:
    """Add `obj` and log each of its `fields` as [None, value]; returns the audit entry."""
    session.add(obj)
    session.flush()
    changes = {field: [None, plain(getattr(obj, field))] for field in fields}
    return record(session, user, action, {**subject, "id": obj.id, "changes": changes}, office_id=office_id)


def removed(
    session: Session, user: User | None, obj: Any, fields: list[str], action: str,
    office_id: int | None, subject: dict[str, Any],
) -> None:
    """Delete `obj` and log each of its `fields` as [value, None]."""
    changes = {field: [plain(getattr(obj, field)), None] for field in fields}
    record(session, user, action, {**subject, "id": obj.id, "changes": changes}, office_id=office_id)
    session.delete(obj)
    session.flush()


def save(
    session: Session, user: User | None, obj: Any, values: dict[str, Any], fields: list[str], what: str,
    office_id: int | None, subject: dict[str, Any],
) -> dict[str, list]:
    """Create `obj` with `values` if it is new (logged as '<what>.create'), else update it ('<what>.update')."""
    if obj.id is not None:
        return update(session, user, obj, values, f"admin.{what}.update", office_id, {**subject, "id": obj.id})
    for field, value in values.items():
        setattr(obj, field, value)
    created(session, user, obj, fields, f"admin.{what}.create", office_id, subject)
    return {field: [None, plain(getattr(obj, field))] for field in fields}
