"""Shared set-ups of the alert tests."""
from __future__ import annotations

from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import Cabinet, User
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from tests.conftest import kind_by_prefix, office_by_slug


def busy_demo(app, clock):
    """The demo office with only cabinet 103 open and busy, and B-002 waiting; returns (office id, cabinet id)."""
    with app.app_context():
        session = kezek_db.session
        office = office_by_slug(session, "demo")
        cabinet = session.scalar(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number == "103"))
        user = session.scalar(select(User).where(User.username == "aigul"))
        clerk.set_cabinet_state(session, cabinet, user, "open", now=clock())
        for _ in range(2):
            issue_ticket(session, office, kind_by_prefix(session, "B"), clock())
        clerk.call_next(session, cabinet, user, clock())
        session.commit()
        return office.id, cabinet.id
