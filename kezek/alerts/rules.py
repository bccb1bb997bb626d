"""The conditions that raise an alert (no Flask), each found from the live tables with the office's thresholds.

A visitor reaching `near_share` percent of their limit while no cabinet that serves them is free; a
visitor past their limit; more than `queue_length` waiting for one visit kind; a cabinet paused
`pause_grace_minutes` past the end its clerk gave; a kiosk's printer out of paper or offline; an
enrolled kiosk or board that stopped reporting.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.devices.registry import is_online, office_devices
from kezek.models import (
    BOARD, CALLED, KIOSK, OPEN, PAUSED, SERVING, WAITING, Cabinet, Office, Ticket, cabinet_visit_kind,
)

PRINTER_TROUBLE = ("paper_out", "offline")


@dataclass(frozen=True)
class Thresholds:
    """What raises an alert and how often it is shown again; the defaults until an office sets its own."""

    near_share: int = 80  # percent of the limit
    queue_length: int = 10  # visitors of one visit kind
    pause_grace_minutes: int = 0
    repeat_minutes: int = 5


@dataclass(frozen=True)
class Condition:
    """One condition found now: which rule, about what (a stable key), and what the message names."""

    rule: str
    subject: str
    detail: dict = field(default_factory=dict, compare=False)


def free_kinds(session: Session, office_id: int) -> set[int]:
    """The visit kinds some open cabinet with nobody called or served could take now."""
    busy = set(session.scalars(select(Ticket.cabinet_id).where(
        Ticket.office_id == office_id, Ticket.status.in_((CALLED, SERVING)), Ticket.cabinet_id.is_not(None))))
    rows = session.execute(
        select(Cabinet.id, cabinet_visit_kind.c.visit_kind_id)
        .join(cabinet_visit_kind, cabinet_visit_kind.c.cabinet_id == Cabinet.id)
        .where(Cabinet.office_id == office_id, Cabinet.active, Cabinet.state == OPEN))
    return {kind_id for cabinet_id, kind_id in rows if cabinet_id not in busy}


def wait_conditions(session: Session, office_id: int, now: datetime, limits: Thresholds) -> list[Condition]:
    """Visitors near their limit with no free cabinet for them, visitors past it, visit kinds with too many waiting."""
    tickets = session.scalars(select(Ticket).where(Ticket.office_id == office_id, Ticket.status == WAITING)
                              .order_by(Ticket.queue_since, Ticket.id)).all()
    free = free_kinds(session, office_id) if tickets else set()
    found: list[Condition] = []
    counts: dict[int, int] = {}
    for ticket in tickets:
        counts[ticket.visit_kind_id] = counts.get(ticket.visit_kind_id, 0) + 1
        waited = (now - ticket.queue_since).total_seconds()
        limit = ticket.wait_limit_minutes * 60
        detail = {"label": ticket.label, "prefix": ticket.prefix, "minutes": int(waited // 60),
                  "limit": ticket.wait_limit_minutes}
        if waited > limit:
            found.append(Condition("breach", f"ticket:{ticket.id}", detail))
        elif waited >= limits.near_share / 100 * limit and ticket.visit_kind_id not in free:
            found.append(Condition("near_limit", f"ticket:{ticket.id}", detail))
    prefixes = {ticket.visit_kind_id: ticket.prefix for ticket in tickets}
    for kind_id, count in counts.items():
        if count > limits.queue_length:
            found.append(Condition("queue_length", f"kind:{kind_id}",
                                   {"prefix": prefixes[kind_id], "count": count, "most": limits.queue_length}))
    return found


def cabinet_conditions(session: Session, office_id: int, now: datetime, limits: Thresholds) -> list[Condition]:
    """Cabinets paused past the end their clerk gave (and the grace)."""
    grace = timedelta(minutes=limits.pause_grace_minutes)
    cabinets = session.scalars(select(Cabinet).where(Cabinet.office_id == office_id, Cabinet.active,
                                                     Cabinet.state == PAUSED))
    return [Condition("long_pause", f"cabinet:{cabinet.id}",
                      {"cabinet": cabinet.number, "minutes": int((now - cabinet.paused_until).total_seconds() // 60)})
            for cabinet in cabinets if cabinet.paused_until is not None and now > cabinet.paused_until + grace]


def device_conditions(session: Session, office_id: int, now: datetime) -> list[Condition]:
    """Kiosk printers out of paper or offline; enrolled kiosks and boards not reporting."""
    found = []
    for device in office_devices(session, office_id):
        if device.revoked_at is not None or not device.enrolled or device.kind not in (KIOSK, BOARD):
            continue
        if not is_online(device, now):
            found.append(Condition("device_offline", f"device:{device.id}", {"kind": device.kind, "name": device.name}))
        elif device.kind == KIOSK and device.printer_state in PRINTER_TROUBLE:
            found.append(Condition("printer", f"device:{device.id}",
                                   {"name": device.name, "state": device.printer_state}))
    return found


def conditions(session: Session, office: Office, now: datetime, limits: Thresholds) -> list[Condition]:
    """Every condition of the office that should be alerted now."""
    return [*wait_conditions(session, office.id, now, limits), *cabinet_conditions(session, office.id, now, limits),
            *device_conditions(session, office.id, now)]
