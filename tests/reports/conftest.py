"""A known set of tickets with chosen times, written as the queue rules would write them."""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import Cabinet, Office, Service, Ticket, VisitKind
from kezek.queue.events import record_event
from kezek.seeding import create_user

ALMATY = ZoneInfo("Asia/Almaty")


def local(*args: int) -> datetime:
    """A local (Asia/Almaty) time as aware UTC."""
    return datetime(*args, tzinfo=ALMATY).astimezone(timezone.utc)


@dataclass
class Known:
    """Ids of the known data set's rows (built in its own app context, so pages get fresh ones)."""

    office: int
    other: int
    clerk1: int
    clerk2: int
    tickets: dict[str, int]
    kinds: dict[str, int]
    services: dict[str, int]


class Builder:
    """Adds tickets with their event log, as kezek.queue.clerk would, at chosen moments."""

    def __init__(self, session):
        self.session = session
        self.numbers: dict[tuple, int] = {}

    def ticket(self, office: Office, prefix: str, issued: datetime, *, calls=(), recalls=(), started=None,
               finished=None, status="served", transfer=None, documents_correct=None, cabinet=None) -> Ticket:
        """`calls` are (moment, clerk, cabinet); `transfer` is (moment, clerk, to_cabinet) between the calls."""
        kind = self.session.scalar(select(VisitKind).where(VisitKind.prefix == prefix))
        day = issued.astimezone(ALMATY).date()
        number = self.numbers[(office.id, day, prefix)] = self.numbers.get((office.id, day, prefix), 0) + 1
        ticket = Ticket(office_id=office.id, visit_kind_id=kind.id, service_day=day, prefix=prefix, number=number,
                        code=secrets.token_urlsafe(12), status="waiting", wait_limit_minutes=kind.wait_limit_minutes,
                        issued_at=issued, queue_since=issued)
        self.session.add(ticket)
        self.session.flush()
        self.event(ticket, "issued", issued)
        for index, (moment, clerk, cab) in enumerate(calls):
            if index == 1 and transfer:
                ticket.status, ticket.transfers, ticket.cabinet_id = "waiting", 1, None
                self.event(ticket, "transferred", transfer[0], transfer[1], calls[0][2])
            ticket.status, ticket.called_at, ticket.clerk_id, ticket.cabinet_id = "called", moment, clerk.id, cab.id
            self.event(ticket, "called", moment, clerk, cab)
        for count, moment in enumerate(recalls, 1):
            ticket.recalls = count
            self.event(ticket, "recalled", moment, calls[-1][1], calls[-1][2])
        if started:
            ticket.status, ticket.started_at = "serving", started
            self.event(ticket, "started", started, calls[-1][1], calls[-1][2])
        if finished:
            ticket.status, ticket.finished_at, ticket.documents_correct = status, finished, documents_correct
            kind_name = {"served": "finished", "no_show": "no_show", "cancelled": "cancelled"}[status]
            who = calls[-1] if calls else (finished, None, None)
            self.event(ticket, kind_name, finished, who[1], who[2])
        self.session.flush()
        return ticket

    def event(self, ticket, kind, moment, clerk=None, cabinet=None):
        record_event(self.session, ticket, kind, moment, cabinet=cabinet, clerk=clerk)
        self.session.flush()


@pytest.fixture
def known(app) -> Known:
    """Six Taraz tickets on Monday 23 and Tuesday 24 November 2026 and one in Shu, with known waits.

    A-001 waits 10 min (served); A-002 45 min (breach +15, served); B-001 12 min (breach +2, recalled,
    no-show); A-003 5 min to its first call, then transferred to another cabinet and called again 35 min
    later (served); A-004 cancelled before a call; C-001 issued 04:30 local on the 24th, which is
    23:30 UTC on the 23rd, waits 6 min (served). Shu: one A ticket waiting 20 min.
    """
    with app.app_context():
        return _build(kezek_db.session)


def _build(db) -> Known:
    office = db.scalar(select(Office).where(Office.slug == "taraz"))
    other = db.scalar(select(Office).where(Office.slug == "shu"))
    kinds = {k.prefix: k for k in db.scalars(select(VisitKind))}
    cab1 = Cabinet(office_id=office.id, number="1", visit_kinds=[kinds["A"], kinds["B"]])
    cab2 = Cabinet(office_id=office.id, number="2", visit_kinds=list(kinds.values()))
    cab9 = Cabinet(office_id=other.id, number="9", visit_kinds=list(kinds.values()))
    db.add_all([cab1, cab2, cab9])
    clerk1 = create_user(db, "aigul", "pass-1234", "clerk", office)
    clerk2 = create_user(db, "bolat", "pass-1234", "clerk", office)
    clerk9 = create_user(db, "shu-clerk", "pass-1234", "clerk", other)
    clerk1.display_name, clerk2.display_name = "Aigul", "Bolat"
    db.flush()
    b = Builder(db)
    t = {}
    t["A-001"] = b.ticket(office, "A", local(2026, 11, 23, 9, 0), calls=[(local(2026, 11, 23, 9, 10), clerk1, cab1)],
                          started=local(2026, 11, 23, 9, 11), finished=local(2026, 11, 23, 9, 20), documents_correct=True)
    t["B-001"] = b.ticket(office, "B", local(2026, 11, 23, 9, 0), calls=[(local(2026, 11, 23, 9, 12), clerk1, cab1)],
                          recalls=[local(2026, 11, 23, 9, 14)], finished=local(2026, 11, 23, 9, 16), status="no_show")
    t["A-002"] = b.ticket(office, "A", local(2026, 11, 23, 9, 5), calls=[(local(2026, 11, 23, 9, 50), clerk1, cab1)],
                          started=local(2026, 11, 23, 9, 51), finished=local(2026, 11, 23, 10, 0), documents_correct=False)
    t["A-003"] = b.ticket(office, "A", local(2026, 11, 23, 10, 0),
                          calls=[(local(2026, 11, 23, 10, 5), clerk1, cab1), (local(2026, 11, 23, 10, 40), clerk2, cab2)],
                          transfer=(local(2026, 11, 23, 10, 10), clerk1, cab2),
                          started=local(2026, 11, 23, 10, 41), finished=local(2026, 11, 23, 10, 50), documents_correct=True)
    t["A-004"] = b.ticket(office, "A", local(2026, 11, 23, 11, 0), finished=local(2026, 11, 23, 11, 20), status="cancelled")
    t["C-001"] = b.ticket(office, "C", local(2026, 11, 24, 4, 30), calls=[(local(2026, 11, 24, 4, 36), clerk2, cab2)],
                          started=local(2026, 11, 24, 4, 37), finished=local(2026, 11, 24, 4, 45))
    t["shu A-001"] = b.ticket(other, "A", local(2026, 11, 23, 9, 0), calls=[(local(2026, 11, 23, 9, 20), clerk9, cab9)],
                              started=local(2026, 11, 23, 9, 21), finished=local(2026, 11, 23, 9, 30))
    db.commit()
    return Known(office.id, other.id, clerk1.id, clerk2.id, {label: ticket.id for label, ticket in t.items()},
                 {prefix: kind.id for prefix, kind in kinds.items()},
                 {s.code: s.id for s in db.scalars(select(Service))})


@pytest.fixture
def session(app, known):
    """A session of its own for rule tests (after the known data is in)."""
    with app.app_context():
        yield kezek_db.session
