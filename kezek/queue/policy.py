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

Each built-in policy also has a grouped form (`GROUPED`) for the wait estimate, which plays hundreds of
calls forward: it is given the candidates in groups of one visit kind and limit, in queue order, and
picks the same visitor while looking at a few per group. Both forms share the rule's tests (`_past_bound`,
`_AtRisk`), so they cannot drift apart; tests/queue/test_policy_grouped.py checks them on random queues.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

from kezek.queue.candidates import Waiting

FAIRNESS_GRACE = timedelta(minutes=15)
ONLY_HERE_BONUS = timedelta(minutes=5)
TYPICAL_VISIT_MINUTES = 6.0  # a visit's length when the office has no history yet


@dataclass(frozen=True)
class CallContext:
    """What a policy sees: the calling cabinet, the tickets it may call, the time, other open cabinets."""

    cabinet_id: int
    candidates: Sequence[Waiting]
    now: datetime
    # visit_kind_id -> how many open cabinets other than this one serve it
    other_cabinets: dict[int, int] = field(default_factory=dict)
    # visit_kind_id -> how long a call of that kind keeps a cabinet busy, in minutes (recent mean)
    visit_minutes: dict[int, float] = field(default_factory=dict)


Policy = Callable[[CallContext], Waiting | None]
# The same choice made from the candidates kept in groups: each group one visit kind and one wait limit,
# sorted by (queue_since, id), none empty. Arguments: groups, now, other_cabinets, visit_minutes.
GroupedPolicy = Callable[[Sequence[Sequence[Waiting]], datetime, dict[int, int], dict[int, float]], Waiting | None]


def _order(ticket: Waiting) -> tuple:
    return (ticket.queue_since, ticket.id)


def _deadline_of(ticket: Waiting) -> datetime:
    return ticket.deadline


def fifo(context: CallContext) -> Waiting | None:
    """First come, first served across every visit kind the cabinet serves."""
    return min(context.candidates, key=_order, default=None)


def fifo_grouped(groups: Sequence[Sequence[Waiting]], now: datetime, other_cabinets: dict[int, int],
                 visit_minutes: dict[int, float]) -> Waiting | None:
    """`fifo` on grouped candidates: the oldest group head."""
    return min((group[0] for group in groups), key=_order, default=None)


def fairness_bound(ticket: Waiting) -> timedelta:
    """How long a visitor may wait before nobody may be called ahead of them any more."""
    return _bound(ticket.wait_limit_minutes)


@lru_cache(maxsize=64)
def _bound(limit_minutes: int) -> timedelta:
    return timedelta(minutes=limit_minutes) + FAIRNESS_GRACE


def _past_bound(ticket: Waiting, now: datetime) -> bool:
    return now - ticket.queue_since >= _bound(ticket.wait_limit_minutes)


class _AtRisk:
    """Rule 2 of the default policy for one call: who may go before the oldest visitor, and in what order."""

    __slots__ = ("oldest", "now", "other_cabinets", "visit_minutes", "oldest_visit", "waited_oldest")

    def __init__(self, oldest: Waiting, now: datetime, other_cabinets: dict[int, int],
                 visit_minutes: dict[int, float]):
        self.oldest, self.now = oldest, now
        self.other_cabinets, self.visit_minutes = other_cabinets, visit_minutes
        self.oldest_visit = self.visit(oldest)
        self.waited_oldest = now - oldest.queue_since

    def visit(self, ticket: Waiting) -> timedelta:
        """How long the ticket's visit keeps the cabinet busy."""
        return timedelta(minutes=self.visit_minutes.get(ticket.visit_kind_id, TYPICAL_VISIT_MINUTES))

    def due(self, ticket: Waiting) -> datetime:
        """When the ticket must be called: its deadline, a little earlier if only this cabinet serves it."""
        if self.other_cabinets.get(ticket.visit_kind_id):
            return ticket.deadline
        return ticket.deadline - ONLY_HERE_BONUS

    def may_go_first(self, ticket: Waiting) -> bool:
        """Whether `ticket` is at risk and may be called before the oldest visitor.

        Within one visit kind and wait limit the answer is True for one contiguous run of tickets
        in (queue_since, id) order, starting at the first whose limit has not run out: every test
        below bounds queue_since from one side. `deadline_grouped` relies on that.
        """
        oldest, now = self.oldest, self.now
        if ticket is oldest or ticket.deadline <= now or ticket.deadline >= oldest.deadline:
            return False  # only someone whose limit runs out sooner, and not yet, may go first
        if self.due(ticket) > now + self.oldest_visit:
            return False  # they would still be in time after the oldest visitor's visit
        # The oldest visitor then waits one more visit (another cabinet may take them sooner; not counted on).
        delay = self.visit(ticket)
        if oldest.deadline > now and now + delay > oldest.deadline:
            return False  # it would cost the oldest their own limit
        return self.waited_oldest + delay <= (now - ticket.queue_since) + self.oldest_visit

    def rank(self, ticket: Waiting) -> tuple:
        """Among those at risk, the one due first goes first (then the one who came first)."""
        return (self.due(ticket), _order(ticket))


def deadline(context: CallContext) -> Waiting | None:
    """Oldest first, except a visitor about to miss their limit goes first when that lengthens no one's wait beyond theirs."""
    if not context.candidates:
        return None
    now = context.now
    oldest = min(context.candidates, key=_order)
    if any(_past_bound(t, now) for t in context.candidates):
        return oldest  # someone is past the bound: strictly in order until nobody is
    rule = _AtRisk(oldest, now, context.other_cabinets, context.visit_minutes)
    at_risk = [ticket for ticket in context.candidates if rule.may_go_first(ticket)]
    return min(at_risk, key=rule.rank) if at_risk else oldest


def deadline_grouped(groups: Sequence[Sequence[Waiting]], now: datetime, other_cabinets: dict[int, int],
                     visit_minutes: dict[int, float]) -> Waiting | None:
    """`deadline` on grouped candidates, looking at a few tickets per group instead of all.

    Waits within a group grow towards its head, so only heads can be past the fairness bound; the
    oldest is the oldest head; and the visitors at risk form a run starting at the first ticket whose
    limit has not run out (see `_AtRisk.may_go_first`), whose first is the group's best by `rank`.
    """
    heads = [group[0] for group in groups]
    if not heads:
        return None
    oldest = min(heads, key=_order)
    if any(_past_bound(head, now) for head in heads):
        return oldest
    rule = _AtRisk(oldest, now, other_cabinets, visit_minutes)
    best, best_rank = None, None
    for group in groups:
        # The first whose limit has not run out; if that is the oldest visitor, nobody in their group
        # (same limit, later tickets) runs out sooner than they do.
        index = bisect_right(group, now, key=_deadline_of)
        if index < len(group) and rule.may_go_first(group[index]):
            rank = rule.rank(group[index])
            if best is None or rank < best_rank:
                best, best_rank = group[index], rank
    return oldest if best is None else best


POLICIES: dict[str, Policy] = {"deadline": deadline, "fifo": fifo}
# The built-in policies' grouped forms; an office's own policy without one is asked with every candidate.
GROUPED: dict[Policy, GroupedPolicy] = {deadline: deadline_grouped, fifo: fifo_grouped}


def policy_named(name: str) -> Policy:
    """The policy an office is configured with (the default when the name is unknown)."""
    return POLICIES.get(name, deadline)
