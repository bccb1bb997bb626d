"""Call policies: which waiting visitor a cabinet calls next. One replaceable function each.

The default, "deadline", in words a manager can check:
1. Anyone who has waited longer than the fairness bound (their limit plus 15 minutes) is called
   first, longest wait first: nobody is passed over indefinitely, nobody past the limit is dropped.
2. Otherwise the visitor whose legal limit runs out soonest is called, so a 10-minute visit is not
   stuck behind a 30-minute one that still has time to spare.
3. A visitor only this cabinet can serve (no other open cabinet takes their visit kind) counts as
   if their limit ran out a few minutes sooner, because nobody else will take them.
"FIFO" calls strictly in the order tickets were taken, and stays available per office.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kezek.models import Ticket

FAIRNESS_GRACE = timedelta(minutes=15)
ONLY_HERE_BONUS = timedelta(minutes=5)


@dataclass(frozen=True)
class CallContext:
    """What a policy sees: the calling cabinet, the tickets it may call, the time, other open cabinets."""

    cabinet_id: int
    candidates: Sequence[Ticket]
    now: datetime
    # visit_kind_id -> how many open cabinets other than this one serve it
    other_cabinets: dict[int, int] = field(default_factory=dict)


Policy = Callable[[CallContext], Ticket | None]


def _order(ticket: Ticket) -> tuple:
    return (ticket.queue_since, ticket.id)


def fifo(context: CallContext) -> Ticket | None:
    """First come, first served across every visit kind the cabinet serves."""
    return min(context.candidates, key=_order, default=None)


def deadline(context: CallContext) -> Ticket | None:
    """Earliest legal deadline first, with a fairness bound and a preference for tickets only we can serve."""
    if not context.candidates:
        return None
    overdue = [t for t in context.candidates if context.now - t.queue_since > _bound(t)]
    if overdue:
        return min(overdue, key=_order)

    def urgency(ticket: Ticket) -> tuple:
        due = ticket.deadline
        if not context.other_cabinets.get(ticket.visit_kind_id):
            due -= ONLY_HERE_BONUS
        return (due, ticket.queue_since, ticket.id)

    return min(context.candidates, key=urgency)


def _bound(ticket: Ticket) -> timedelta:
    return timedelta(minutes=ticket.wait_limit_minutes) + FAIRNESS_GRACE


POLICIES: dict[str, Policy] = {"deadline": deadline, "fifo": fifo}


def policy_named(name: str) -> Policy:
    """The policy an office is configured with (the default when the name is unknown)."""
    return POLICIES.get(name, deadline)
