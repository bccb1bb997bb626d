"""The waiting list a clerk sees: each visitor's time waited against their limit, in traffic-light levels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from kezek.models import Cabinet
from kezek.queue.candidates import QueuedTicket
from kezek.queue.clerk import waiting_for

NEAR_SHARE = 0.8


@dataclass(frozen=True)
class WaitingRow:
    """One waiting ticket as the console lists it."""

    ticket_id: int
    label: str
    visit_kind_id: int
    waited_minutes: int
    limit_minutes: int
    level: str  # "ok", "near" (from 80 % of the limit), "over" (past the limit)
    transferred: bool


def level_of(waited_seconds: float, limit_minutes: int) -> str:
    """Traffic-light level of a wait: ok, near (>= 80 % of the limit) or over (past it)."""
    limit = limit_minutes * 60
    if waited_seconds > limit:
        return "over"
    if waited_seconds >= NEAR_SHARE * limit:
        return "near"
    return "ok"


def row_of(ticket: QueuedTicket, now: datetime) -> WaitingRow:
    """The console's row for one ticket."""
    waited = max(0.0, (now - ticket.queue_since).total_seconds())
    return WaitingRow(
        ticket.id,
        ticket.label,
        ticket.visit_kind_id,
        int(waited // 60),
        ticket.wait_limit_minutes,
        level_of(waited, ticket.wait_limit_minutes),
        ticket.transfers > 0,
    )


def waiting_rows(session: Session, cabinet: Cabinet, now: datetime) -> list[WaitingRow]:
    """Every ticket this cabinet may call, oldest first, with its wait level."""
    return [row_of(ticket, now) for ticket in waiting_for(session, cabinet)]
