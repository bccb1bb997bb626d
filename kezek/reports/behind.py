"""How far behind each office served by a node is at the centre (no Flask): the sync note of the reports.

Built on the node registry's sync states (kezek.nodes.registry.sync_states): when the office's node last
shipped, and how many changes still waited there then. An office's figures at the centre are incomplete
when its node never shipped, had changes still waiting at its last sync, or has not synced for
`stale_minutes` (whatever it did since is not here yet). The report days affected run from the day of the
first change the centre may lack to today, in the office's time zone: the day of the newest ticket event
the centre has from the office when changes were waiting (a node ships in order, so what is missing came
after it), else the day of the last sync.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kezek.models import Node, Office, Ticket, TicketEvent
from kezek.nodes.registry import sync_states

STALE_MINUTES = 15


@dataclass(frozen=True)
class SyncNote:
    """One office's node: when it last synced, how long ago, and how many changes waited there then."""

    office_id: int
    node: str
    last_sync_at: datetime | None
    minutes_ago: int | None  # since the last sync
    waiting: int | None  # changes still at the node at its last sync (None: the node never said)
    stale: bool  # no sync for `stale_minutes` or more

    @property
    def incomplete(self) -> bool:
        """Whether the centre's figures of the office may lack some of what the office did."""
        return self.last_sync_at is None or bool(self.waiting) or self.stale


@dataclass(frozen=True)
class Behind:
    """An office whose figures are incomplete, and the report days that may lack some of its visitors."""

    note: SyncNote
    first_day: date
    last_day: date

    @property
    def days(self) -> int:
        """How many report days are affected."""
        return (self.last_day - self.first_day).days + 1


def sync_notes(
    session: Session, office_ids: list[int] | None, now: datetime, stale_minutes: int = STALE_MINUTES
) -> dict[int, SyncNote]:
    """The sync note of each office of `office_ids` (None: every office) that an enrolled node serves."""
    notes = {}
    for state in sync_states(session, office_ids):
        at = state["last_sync_at"]
        minutes = max(0, int((now - at).total_seconds() // 60)) if at is not None else None
        notes[state["office_id"]] = SyncNote(
            state["office_id"],
            state["node"],
            at,
            minutes,
            state["waiting"],
            minutes is not None and minutes >= stale_minutes,
        )
    return notes


def _first_day(session: Session, note: SyncNote, zone: ZoneInfo, today: date) -> date:
    """The first report day that may lack some of the office's changes."""
    moment = note.last_sync_at
    if moment is None or note.waiting:
        newest = session.scalar(
            select(func.max(TicketEvent.at))
            .join(Ticket, Ticket.id == TicketEvent.ticket_id)
            .where(Ticket.office_id == note.office_id)
        )
        if newest is not None:
            moment = newest if moment is None else min(moment, newest)
    if moment is None:  # nothing from the office at all: since the node was added
        moment = session.scalar(select(func.min(Node.created_at)).where(Node.office_id == note.office_id))
    return min(moment.astimezone(zone).date(), today) if moment is not None else today


def incomplete_offices(
    session: Session, office_ids: list[int] | None, now: datetime, stale_minutes: int = STALE_MINUTES
) -> list[Behind]:
    """The offices of `office_ids` (None: all) whose figures at the centre are incomplete, longest behind first."""
    zones = {office.id: ZoneInfo(office.timezone) for office in session.scalars(select(Office))}
    found = []
    for note in sync_notes(session, office_ids, now, stale_minutes).values():
        if not note.incomplete:
            continue
        zone = zones[note.office_id]
        today = now.astimezone(zone).date()
        found.append(Behind(note, _first_day(session, note, zone, today), today))
    old = now - timedelta(days=36500)
    return sorted(found, key=lambda behind: (behind.note.last_sync_at or old, behind.note.office_id))
