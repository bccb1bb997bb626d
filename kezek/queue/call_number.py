"""Calling a chosen number: the visitor comes up to the cabinet with their ticket in hand."""

from __future__ import annotations

import re
from datetime import datetime
from typing import cast

from sqlalchemy import CursorResult, update
from sqlalchemy.orm import Session

from kezek.models import CALLED, WAITING, Cabinet, Ticket, User
from kezek.queue.call_reason import CHOSEN, CallReason
from kezek.queue.candidates import QueuedTicket
from kezek.queue.changes import changed, hold_office
from kezek.queue.clerk import NotAllowed, Outcome, _remember, _replayed, current_ticket, log_event, waiting_for
from kezek.queue.errors import NotFound

# A number as a clerk types it: "B-7", "b 007", "7"; with a Russian or Kazakh layout the letter may come out
# Cyrillic ("В-007"), so the letters that look alike (and Д for D) are read as their Latin twins.
_LOOKALIKES = str.maketrans("АВСДЕНКМОРТХавсдеонкмртх", "ABCDEHKMOPTXABCDEOHKMPTX")
_NUMBER = re.compile(r"\s*([A-Z]{0,3})\s*[-–—\s]?\s*0*(\d{1,5})\s*")


def parse_number(text: str) -> tuple[str | None, int] | None:
    """The prefix (None when only digits were typed) and number of a typed ticket number; None if it is not one."""
    found = _NUMBER.fullmatch((text or "").upper().translate(_LOOKALIKES))
    if found is None:
        return None
    return found.group(1) or None, int(found.group(2))


def find_waiting(candidates: list[QueuedTicket], prefix: str | None, number: int) -> QueuedTicket:
    """The one waiting ticket with that number among those the cabinet may call; NotAllowed if several match
    (only digits typed), NotFound if none does."""
    suffix = f"-{number:03d}"
    matches = [t for t in candidates if t.label.endswith(suffix) and (prefix is None or t.label == f"{prefix}{suffix}")]
    if not matches:
        raise NotFound(what="number")
    if len(matches) > 1:
        raise NotAllowed(reason="ambiguous_number", labels=[t.label for t in matches])
    return matches[0]


def call_number(
    session: Session, cabinet: Cabinet, clerk: User, now: datetime, typed: str, *, command_id: str | None = None
) -> Outcome:
    """Call the waiting ticket with the typed number, out of turn (the log says it was the clerk's choice)."""
    parsed = parse_number(typed)
    if parsed is None:
        raise NotAllowed(reason="bad_number")
    hold_office(session, cabinet.office_id)
    replay = _replayed(session, command_id)
    if replay is not None:
        return Outcome(session.get(Ticket, replay.ticket_id) if replay.ticket_id else None, None)
    busy = current_ticket(session, cabinet)
    if busy is not None:
        raise NotAllowed(reason="still_serving", label=busy.label)
    if cabinet.state != "open":
        raise NotAllowed(state=cabinet.state)
    chosen = find_waiting(waiting_for(session, cabinet), *parsed)
    taken = cast(
        CursorResult,
        session.execute(
            update(Ticket)
            .where(Ticket.id == chosen.id, Ticket.status == WAITING)
            .values(status=CALLED, called_at=now, cabinet_id=cabinet.id, clerk_id=clerk.id, recalls=0)
            .execution_options(synchronize_session=False)
        ),
    ).rowcount
    if not taken:
        raise NotFound(what="number")  # another cabinet called it a moment ago
    ticket = session.get(Ticket, chosen.id, populate_existing=True)
    assert ticket is not None  # its row was updated in this transaction a moment ago
    log_event(
        session, ticket, "called", now, cabinet, clerk, **CallReason(CHOSEN, ticket.wait_limit_minutes).as_detail()
    )
    _remember(session, command_id, cabinet, "call", ticket, now)
    return Outcome(ticket, changed(session, cabinet.office_id, "called", ticket.id, cabinet.id))
