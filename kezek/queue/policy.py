"""Call policies: which waiting visitor a cabinet calls next. One replaceable function each.

The default, "deadline", in words a manager can check (docs/call-policy.md says it at length):
1. Anyone who has waited longer than their limit plus 15 minutes is called first, longest wait
   first, and is never passed over again: nobody is abandoned, whatever happens.
2. Otherwise visitors are called in the order they took their tickets, with one exception: a
   visitor who would miss their limit by waiting for the visit of the one ahead goes first, but
   only if that costs the one ahead no longer a wait than the one who goes first would have had.
   So a 10-minute visit is not stuck behind a 30-minute one, and the longest wait does not grow.
3. A visitor only this cabinet can serve (no other open cabinet takes their visit kind) is rescued
   first among those at risk, because nobody else will take them.
"FIFO" calls strictly in the order tickets were taken, and stays available per office.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from kezek.models import Ticket

FAIRNESS_GRACE = timedelta(minutes=15)
ONLY_HERE_BONUS = timedelta(minutes=5)
TYPICAL_VISIT_MINUTES = 6.0  # a visit's length when the office has no history yet


@dataclass(frozen=True)
class CallContext:
    """What a policy sees: the calling cabinet, the tickets it may call, the time, other open cabinets."""

    cabinet_id: int
    candidates: Sequence[Ticket]
    now: datetime
    # visit_kind_id -> how many open cabinets other than this one serve it
    other_cabinets: dict[int, int] = field(default_factory=dict)
    # visit_kind_id -> how long a call of that kind keeps a cabinet busy, in minutes (recent mean)
    visit_minutes: dict[int, float] = field(default_factory=dict)


Policy = Callable[[CallContext], Ticket | None]


def _order(ticket: Ticket) -> tuple:
    return (ticket.queue_since, ticket.id)


def fifo(context: CallContext) -> Ticket | None:
    """First come, first served across every visit kind the cabinet serves."""
    return min(context.candidates, key=_order, default=None)


def fairness_bound(ticket: Ticket) -> timedelta:
    """How long a visitor may wait before nobody may be called ahead of them any more."""
    return timedelta(minutes=ticket.wait_limit_minutes) + FAIRNESS_GRACE


def deadline(context: CallContext) -> Ticket | None:
    """Oldest first, except a visitor about to miss their limit goes first when that lengthens no one's wait beyond theirs."""
    if not context.candidates:
        return None
    now = context.now
    oldest = min(context.candidates, key=_order)
    if any(now - t.queue_since >= fairness_bound(t) for t in context.candidates):
        return oldest  # someone is past the bound: strictly in order until nobody is

    def visit(ticket: Ticket) -> timedelta:
        return timedelta(minutes=context.visit_minutes.get(ticket.visit_kind_id, TYPICAL_VISIT_MINUTES))

    def due(ticket: Ticket) -> datetime:
        if context.other_cabinets.get(ticket.visit_kind_id):
            return ticket.deadline
        return ticket.deadline - ONLY_HERE_BONUS

    waited_oldest = now - oldest.queue_since
    at_risk = []
    for ticket in context.candidates:
        if ticket is oldest or ticket.deadline <= now or ticket.deadline >= oldest.deadline:
            continue  # only someone whose limit runs out sooner, and not yet, may go first
        if due(ticket) > now + visit(oldest):
            continue  # they would still be in time after the oldest visitor's visit
        # The oldest visitor then waits one more visit (another cabinet may take them sooner; not counted on).
        delay = visit(ticket)
        if oldest.deadline > now and now + delay > oldest.deadline:
            continue  # it would cost the oldest their own limit
        if waited_oldest + delay <= (now - ticket.queue_since) + visit(oldest):
            at_risk.append(ticket)
    if at_risk:
        return min(at_risk, key=lambda t: (due(t), _order(t)))
    return oldest


POLICIES: dict[str, Policy] = {"deadline": deadline, "fifo": fifo}


def policy_named(name: str) -> Policy:
    """The policy an office is configured with (the default when the name is unknown)."""
    return POLICIES.get(name, deadline)
