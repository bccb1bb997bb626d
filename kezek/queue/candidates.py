"""A waiting visitor as call policies read it: plain fields, no ORM bookkeeping.

The clerk's call shows the policy every ticket the cabinet may call, and the estimate plays
hundreds of calls forward; both give the policy these instead of loaded `Ticket` rows, which cost
several times more to build and are not needed to choose.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache


@lru_cache(maxsize=256)
def _minutes(minutes: int) -> timedelta:
    return timedelta(minutes=minutes)


class Waiting:
    """The fields a call policy reads: id, visit kind, place in the queue, wait limit, target cabinet, deadline."""

    __slots__ = ("id", "visit_kind_id", "queue_since", "wait_limit_minutes", "target_cabinet_id", "deadline")

    def __init__(
        self,
        id: int,
        visit_kind_id: int,
        queue_since: datetime,
        wait_limit_minutes: int,
        target_cabinet_id: int | None = None,
    ):
        self.id, self.visit_kind_id, self.queue_since = id, visit_kind_id, queue_since
        self.wait_limit_minutes, self.target_cabinet_id = wait_limit_minutes, target_cabinet_id
        self.deadline = queue_since + _minutes(wait_limit_minutes)


class QueuedTicket(Waiting):
    """A real waiting ticket: a policy's candidate, with what the clerk's list shows of it."""

    __slots__ = ("label", "transfers")

    def __init__(
        self,
        id: int,
        visit_kind_id: int,
        queue_since: datetime,
        wait_limit_minutes: int,
        target_cabinet_id: int | None,
        prefix: str,
        number: int,
        transfers: int,
    ):
        super().__init__(id, visit_kind_id, queue_since, wait_limit_minutes, target_cabinet_id)
        self.label = f"{prefix}-{number:03d}"  # as Ticket.label
        self.transfers = transfers
