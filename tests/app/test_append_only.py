"""The ticket event log, the audit log and the directory history only grow: no edit, no delete."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kezek.audit import record
from kezek.models import DirectoryChange, DirectoryEntry, TicketEvent
from kezek.queue.issuing import issue_ticket
from tests.conftest import kind_by_prefix, office_by_slug


def test_ticket_events_and_audit_entries_cannot_be_changed_or_deleted(db, clock):
    issue_ticket(db, office_by_slug(db, "taraz"), kind_by_prefix(db, "A"), clock())
    entry = record(db, None, "test", {}, at=clock())
    db.commit()
    event = db.scalar(select(TicketEvent))
    for row in (event, entry):
        row.detail = {"forged": True}
        with pytest.raises(PermissionError):
            db.commit()
        db.rollback()
        db.delete(row)
        with pytest.raises(PermissionError):
            db.commit()
        db.rollback()


def test_directory_history_cannot_be_rewritten(db, clock):
    from directory.loading import load_packaged

    load_packaged(db, clock())
    entry = db.scalar(select(DirectoryEntry))
    change = DirectoryChange(entry_id=entry.id, at=clock(), origin="admin", field="head", before="A", after="B")
    db.add(change)
    db.commit()
    change.after = "forged"
    with pytest.raises(PermissionError):
        db.commit()
