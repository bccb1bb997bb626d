"""A made-up past of an office with known arrivals per weekday and hour, written as the ticket tables hold it."""
from __future__ import annotations

import random
import secrets
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from kezek.models import Cabinet, Office, Ticket, TicketEvent, VisitKind
from kezek.queue.hours import public_holiday

ALMATY = ZoneInfo("Asia/Almaty")
# Visitors per hour on a Monday (a morning rush); the other weekdays have RATIO of it.
MONDAY = {9: 20, 10: 14, 11: 10, 12: 8, 14: 10, 15: 8, 16: 6, 17: 3}
RATIO = 0.6
MIX = {"A": 0.35, "B": 0.25, "C": 0.25, "D": 0.15}
SERVICE = {"A": 11.0, "B": 3.5, "C": 6.0, "D": 2.5}
JITTER = (0.85, 1.15, 1.0, 0.9, 1.1, 0.95, 1.05, 1.0)  # one factor per week: days are not all alike


def known_rate(weekday: int, hour: int) -> float:
    """The arrivals per hour the history is made with."""
    return MONDAY.get(hour, 0) * (1.0 if weekday == 0 else RATIO)


def write_history(session, office: Office, first: date, last: date, missing=(), partial=()) -> int:
    """Tickets for every working day from `first` to `last` (public holidays and `missing` days left empty; on
    `partial` days only the first hour), each called 3 minutes after it was taken at a cabinet serving it (in
    turn) and served; returns how many."""
    rng = random.Random(23)
    kinds = {kind.prefix: kind for kind in session.scalars(select(VisitKind))}
    cabinets = list(session.scalars(select(Cabinet).where(Cabinet.office_id == office.id).order_by(Cabinet.number)))
    serving = {prefix: [c for c in cabinets if kinds[prefix] in c.visit_kinds] or cabinets for prefix in MIX}
    tickets, calls = [], []
    day = first
    while day <= last:
        if day.weekday() < 5 and not public_holiday(day) and day not in missing:
            factor = JITTER[((day - first).days // 7) % len(JITTER)]
            numbers: dict[str, int] = {}
            for hour in sorted(MONDAY):
                if day in partial and hour != min(MONDAY):
                    continue
                for _ in range(round(known_rate(day.weekday(), hour) * factor)):
                    prefix = rng.choices(list(MIX), list(MIX.values()))[0]
                    numbers[prefix] = numbers.get(prefix, 0) + 1
                    issued = datetime.combine(day, time(hour), tzinfo=ALMATY) + timedelta(seconds=rng.uniform(0, 3599))
                    called = issued + timedelta(minutes=3)
                    finished = called + timedelta(minutes=SERVICE[prefix] * rng.uniform(0.6, 1.4))
                    kind = kinds[prefix]
                    cabinet = serving[prefix][numbers[prefix] % len(serving[prefix])] if cabinets else None
                    tickets.append({
                        "office_id": office.id, "visit_kind_id": kind.id, "service_day": day, "prefix": prefix,
                        "number": numbers[prefix], "code": secrets.token_urlsafe(12), "status": "served",
                        "wait_limit_minutes": kind.wait_limit_minutes, "issued_at": issued, "queue_since": issued,
                        "called_at": called, "started_at": called, "finished_at": finished,
                        "cabinet_id": cabinet.id if cabinet else None,
                    })
                    calls.append((called, cabinet.id if cabinet else None))
        day += timedelta(days=1)
    session.execute(insert(Ticket), tickets)
    ids = session.scalars(select(Ticket.id).where(Ticket.office_id == office.id).order_by(Ticket.id)).all()
    session.execute(insert(TicketEvent), [
        {"ticket_id": ticket_id, "kind": "called", "at": at, "cabinet_id": cabinet_id}
        for ticket_id, (at, cabinet_id) in zip(ids, calls, strict=True)
    ])
    session.commit()
    return len(tickets)
