"""Writing to the audit log (no Flask): the caller's transaction carries the entry."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from kezek.models import AuditEntry, User, utcnow


def record(
    session: Session, user: User | None, action: str, detail: dict, office_id: int | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    """Add an audit entry for `user` doing `action`; committed with the caller's transaction."""
    entry = AuditEntry(
        at=at or utcnow(),
        user_id=user.id if user else None,
        username=user.username if user else "",
        action=action,
        office_id=office_id if office_id is not None else (user.office_id if user else None),
        detail=detail,
    )
    session.add(entry)
    return entry
