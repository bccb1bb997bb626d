"""A newcomer's wait, played forward once for the next few of each visit kind and reused for a moment.

Playing an office's queue forward costs more the longer the queue (hundreds of waiting visitors
under a rush). A kiosk asks it of every visitor, and in a rush several visitors a second ask the
same question with one more person ahead each time. So the projection is made once for the next
`TABLE_SIZE` newcomers of a visit kind (`estimate.NewcomerTable`) and a later tap reads its line,
after one query has shown that, since the table was made:

- at most `Reuse.seconds` of the clock went by (less for some tables: see `_Entry.early`),
- nothing but new tickets changed the office (its version rose by exactly their number),
- the visitors of the kind waiting now are those of the table plus the new ones (each new one is a
  line further down),
- new tickets of other visit kinds came in only when `Reuse.across_kinds` lets them: they stand
  before the newcomer under the office's policy, and are counted at the next projection, a few
  seconds later at most.

With one visit kind's tickets only, the answer is exactly the projection's (for the built-in call
policies); an office's own policy is played forward for every tap.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import bindparam, case, func, select, true
from sqlalchemy.orm import Session

from kezek.models import Office, Ticket, VisitKind, WAITING
from kezek.queue.caches import caches_of
from kezek.queue.estimate import NewcomerTable, WaitEstimate, newcomer_table
from kezek.queue.hours import DaySchedule
from kezek.queue.policy import NEWCOMER_EXACT, policy_named

TABLE_SIZE = 64


@dataclass(frozen=True)
class Reuse:
    """How long a newcomer table stands, and whether other visit kinds' new tickets may pass unplayed."""

    seconds: float = 5.0
    across_kinds: bool = False


class Newcomer(NamedTuple):
    """What a visitor taking a ticket now would be told, and the office's version it was read at."""

    ahead: int
    estimate: WaitEstimate
    version: int


@dataclass(frozen=True)
class _Entry:
    table: NewcomerTable
    version: int  # the office's version, read before the projection
    last_ticket: int  # the newest ticket id of the whole database then
    # Seconds this table stands less than `Reuse.seconds`, drawn from its first half: an office's tables,
    # made together at the first taps, are then made again spread out, not all in one burst that holds
    # up every kiosk of the process.
    early: float = 0.0


_office = bindparam("office_id")
_kind = bindparam("visit_kind_id")
# The new tickets since the table was made (all, and of the kind), found from the newest ids down: on
# the bare column the database would walk every ticket the office ever had through its office index.
_FRESH = (
    select(func.count(Ticket.id).label("new"), func.count(case((Ticket.visit_kind_id == _kind, 1))).label("of_kind"))
    .where(Ticket.id > bindparam("last_ticket"), Ticket.office_id + 0 == _office)
    .subquery()
)
# The office's version, its new tickets, and the kind's waiting visitors, in one query.
_CHECK = (
    select(
        Office.version,
        _FRESH.c.new,
        _FRESH.c.of_kind,
        select(func.count(Ticket.id))
        .where(Ticket.office_id == _office, Ticket.visit_kind_id == _kind, Ticket.status == WAITING)
        .scalar_subquery(),
    )
    .select_from(Office)
    .join(_FRESH, true())
    .where(Office.id == _office)
)
_MARK = select(Office.version, select(func.coalesce(func.max(Ticket.id), 0)).scalar_subquery()).where(
    Office.id == _office
)


def newcomer_outlook(
    session: Session,
    office: Office,
    visit_kind: VisitKind,
    now: datetime,
    schedule: DaySchedule | None = None,
    reuse: Reuse = Reuse(),
) -> Newcomer:
    """How many of the kind wait now, and the estimate of a visitor taking a ticket of it now."""
    caches = caches_of(session)  # the app's: (office id, visit kind id) -> _Entry in `tables`
    tables = caches.tables
    key = (office.id, visit_kind.id)
    known = _reusable(session, tables.get(key), office.id, visit_kind.id, now, reuse)
    if known is not None:
        return known
    with caches.lock:
        playing = caches.playing.setdefault(key, threading.Lock())
    with playing:  # a tap arriving meanwhile waits for this projection instead of making its own
        known = _reusable(session, tables.get(key), office.id, visit_kind.id, now, reuse)
        if known is not None:
            return known
        version, last_ticket = session.connection().execute(_MARK, {"office_id": office.id}).one()
        kept = keeps_tables(office, reuse)
        table = newcomer_table(session, office, visit_kind, now, TABLE_SIZE if kept else 1, schedule)
        if kept:
            tables[key] = _Entry(table, version, last_ticket, random.uniform(0, reuse.seconds / 2))
        return Newcomer(table.base_ahead, table.estimate(table.base_ahead, now), version)


def keeps_tables(office: Office, reuse: Reuse) -> bool:
    """Whether the office's newcomer tables are kept for later taps: only for the built-in policies that call
    within a visit kind in queue order whoever waits behind (`NEWCOMER_EXACT`), which makes a table's lines exact."""
    return reuse.seconds > 0 and policy_named(office.call_policy) in NEWCOMER_EXACT


def _reusable(
    session: Session, entry: _Entry | None, office_id: int, kind_id: int, now: datetime, reuse: Reuse
) -> Newcomer | None:
    if entry is None or reuse.seconds <= 0:
        return None
    if not 0 <= (now - entry.table.taken_at).total_seconds() <= reuse.seconds - entry.early:
        return None
    version, new, new_of_kind, waiting = (
        session.connection()
        .execute(_CHECK, {"office_id": office_id, "visit_kind_id": kind_id, "last_ticket": entry.last_ticket})
        .one()
    )
    if version - entry.version != new or waiting != entry.table.base_ahead + new_of_kind:
        return None  # a call, a finish, a pause, a transfer...: the queue is not the one played
    if new != new_of_kind and not reuse.across_kinds:
        return None
    if not entry.table.still_known(session, office_id, now):
        return None
    estimate = entry.table.estimate(waiting, now)
    return None if estimate is None else Newcomer(waiting, estimate, version)
