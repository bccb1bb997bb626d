"""Call policies: which waiting visitor a cabinet calls next, and why. One replaceable function each.

The default, "deadline", in words a manager can check (docs/call-policy.md says it at length):
1. Anyone who has waited longer than their limit plus 15 minutes is called first, longest wait
   first: nobody is abandoned, whatever happens.
2. Otherwise, among the visitors who can still be called within their limit, the one whose limit
   runs out first (a few minutes sooner for a visit only this cabinet serves); when nobody can
   still make their limit, the one who came first.
3. Never across a closed period: a visitor is not called before the ones who came earlier if those
   could then not all be called before lunch or closing time; then the one who came first is called.
"Balanced" follows the same rules and one more, which caps how far the first in line can be passed over:
4. Not past the queue's pace: a visitor is called before the one who came first only if the one who came
   first would then still not have waited longer than the time the open cabinets need to serve everyone
   now waiting, plus 15 % (PACE_MARGIN); otherwise the one who came first is called.
"FIFO" calls strictly in the order tickets were taken, and stays available per office.

Every built-in policy also says which rule chose (`decide`: a short reason code the console shows)
and has a grouped form (`GROUPED`) for the wait estimate, which plays hundreds of calls forward: it
is given the candidates in groups of one visit kind and limit, in queue order, and picks the same
visitor while looking at a few per group. tests/queue/test_policy_grouped.py checks both forms agree.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

from kezek.queue.candidates import Waiting

FAIRNESS_GRACE = timedelta(minutes=15)
ONLY_HERE_BONUS = timedelta(minutes=5)
PACE_MARGIN = 0.15  # "balanced": the first in line waits at most the queue's pace plus this share of it
TYPICAL_VISIT_MINUTES = 6.0  # a visit's length when the office has no history yet

# Why a visitor was called: the console shows these (translated) under the called number.
EARLIEST_TICKET = "earliest_ticket"  # the ticket taken first among those this cabinet may call
LIMIT_SOON = "limit_soon"  # about to pass their limit: their limit runs out first among those who can still make it
WAITED_LONGEST = "waited_longest"  # someone waited past their limit + 15 minutes: longest wait first
BEFORE_BREAK = "before_break"  # lunch or closing is near: strictly in ticket order, nobody pushed past the break
OFFICE_RULE = "office_rule"  # an office's own policy chose
PACE_CAP = "pace_cap"  # "balanced": the first in line would wait longer than the queue's pace, so is not passed
REASONS = (EARLIEST_TICKET, LIMIT_SOON, WAITED_LONGEST, BEFORE_BREAK, OFFICE_RULE, PACE_CAP)


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
    # when the office next stops calling: the start of lunch, else closing time (None: not known)
    stop_at: datetime | None = None


class Decision(NamedTuple):
    """The visitor a policy calls (None: nobody waits) and the reason code of the rule that chose."""

    ticket: Waiting | None
    reason: str


Policy = Callable[[CallContext], Waiting | None]
# The same choice made from the candidates kept in groups: each group one visit kind and one wait limit,
# sorted by (queue_since, id), none empty. Arguments: groups, now, other_cabinets, visit_minutes, stop_at.
GroupedPolicy = Callable[..., Waiting | None]


def _order(ticket: Waiting) -> tuple:
    return (ticket.queue_since, ticket.id)


def _deadline_of(ticket: Waiting) -> datetime:
    return ticket.deadline


def decide_fifo(context: CallContext) -> Decision:
    """`fifo` with its reason."""
    return Decision(min(context.candidates, key=_order, default=None), EARLIEST_TICKET)


def fifo(context: CallContext) -> Waiting | None:
    """First come, first served across every visit kind the cabinet serves."""
    return decide_fifo(context).ticket


def fifo_grouped(
    groups: Sequence[Sequence[Waiting]],
    now: datetime,
    other_cabinets: dict[int, int],
    visit_minutes: dict[int, float],
    stop_at: datetime | None = None,
) -> Waiting | None:
    """`fifo` on grouped candidates: the oldest group head."""
    return min((group[0] for group in groups), key=_order, default=None)


def fairness_bound(ticket: Waiting) -> timedelta:
    """How long a visitor may wait before they are called first, whoever else is waiting."""
    return _bound(ticket.wait_limit_minutes)


@lru_cache(maxsize=64)
def _bound(limit_minutes: int) -> timedelta:
    return timedelta(minutes=limit_minutes) + FAIRNESS_GRACE


def _past_bound(ticket: Waiting, now: datetime) -> bool:
    return now - ticket.queue_since >= _bound(ticket.wait_limit_minutes)


class _Rule:
    """The default policy's arithmetic for one call: visit lengths, when each ticket is due, the break check."""

    __slots__ = ("now", "other_cabinets", "visit_minutes", "stop_at")

    def __init__(
        self, now: datetime, other_cabinets: dict[int, int], visit_minutes: dict[int, float], stop_at: datetime | None
    ):
        self.now, self.other_cabinets, self.visit_minutes, self.stop_at = now, other_cabinets, visit_minutes, stop_at

    def minutes(self, kind_id: int) -> float:
        """How long a visit of the kind keeps the cabinet busy, in minutes."""
        return self.visit_minutes.get(kind_id, TYPICAL_VISIT_MINUTES)

    def due(self, ticket: Waiting) -> datetime:
        """When the ticket must be called: its deadline, a little earlier if only this cabinet serves it."""
        if self.other_cabinets.get(ticket.visit_kind_id):
            return ticket.deadline
        return ticket.deadline - ONLY_HERE_BONUS

    def rank(self, ticket: Waiting) -> tuple:
        """Among those who can still make their limit, the one due first goes first (then the one who came first)."""
        return (self.due(ticket), _order(ticket))

    def crosses_break(self, chosen: Waiting, passed: dict[int, int]) -> bool:
        """Whether calling `chosen` before the `passed` earlier tickets (count per visit kind) could leave one of
        them waiting through lunch or closing: the chosen visit plus the passed ones' visits, each shared with
        the other open cabinets that serve it, would not all fit before the office stops calling."""
        if self.stop_at is None:
            return False
        work = self.minutes(chosen.visit_kind_id)
        for kind_id in sorted(passed):
            work += passed[kind_id] * self.minutes(kind_id) / (1 + self.other_cabinets.get(kind_id, 0))
        return self.now + timedelta(minutes=work) >= self.stop_at


def decide_deadline(context: CallContext) -> Decision:
    """`deadline` with the reason code of the rule that chose."""
    if not context.candidates:
        return Decision(None, EARLIEST_TICKET)
    now = context.now
    oldest = min(context.candidates, key=_order)
    if any(_past_bound(t, now) for t in context.candidates):
        return Decision(oldest, WAITED_LONGEST)
    rule = _Rule(now, context.other_cabinets, context.visit_minutes, context.stop_at)
    best = min((t for t in context.candidates if t.deadline > now), key=rule.rank, default=None)
    if best is None or best is oldest:
        return Decision(oldest, EARLIEST_TICKET)
    passed: dict[int, int] = {}
    limit = _order(best)
    for ticket in context.candidates:
        if _order(ticket) < limit:
            passed[ticket.visit_kind_id] = passed.get(ticket.visit_kind_id, 0) + 1
    if rule.crosses_break(best, passed):
        return Decision(oldest, BEFORE_BREAK)
    return Decision(best, LIMIT_SOON)


def deadline(context: CallContext) -> Waiting | None:
    """Earliest deadline first among those who can still make their limit; longest wait first past limit + 15
    minutes; in ticket order when a reordering could push someone through lunch or closing."""
    return decide_deadline(context).ticket


def deadline_grouped(
    groups: Sequence[Sequence[Waiting]],
    now: datetime,
    other_cabinets: dict[int, int],
    visit_minutes: dict[int, float],
    stop_at: datetime | None = None,
) -> Waiting | None:
    """`deadline` on grouped candidates, looking at a few tickets per group instead of all.

    Waits within a group grow towards its head, so only heads can be past the fairness bound; the
    oldest is the oldest head; within a group deadlines follow queue order, so the first whose limit
    has not run out is the group's best by `rank`; and the tickets a choice passes are counted per
    group by bisection.
    """
    heads = [group[0] for group in groups]
    if not heads:
        return None
    oldest = min(heads, key=_order)
    if any(_past_bound(head, now) for head in heads):
        return oldest
    rule = _Rule(now, other_cabinets, visit_minutes, stop_at)
    best, best_rank = None, None
    for group in groups:
        index = bisect_right(group, now, key=_deadline_of)
        if index < len(group):
            rank = rule.rank(group[index])
            if best is None or rank < best_rank:
                best, best_rank = group[index], rank
    if best is None or best is oldest:
        return oldest
    if stop_at is not None:
        passed: dict[int, int] = {}
        limit = _order(best)
        for group in groups:
            count = bisect_left(group, limit, key=_order)
            if count:
                kind_id = group[0].visit_kind_id
                passed[kind_id] = passed.get(kind_id, 0) + count
        if rule.crosses_break(best, passed):
            return oldest
    return best


def _passes_pace(rule: _Rule, best: Waiting, oldest: Waiting, work_minutes: float) -> bool:
    """Whether calling `best` before `oldest` keeps the oldest's wait within the queue's pace plus PACE_MARGIN:
    the oldest's wait so far plus the chosen visit (shared with the other open cabinets serving the oldest's
    kind) against `work_minutes`, the time the open cabinets need to serve everyone this cabinet may call."""
    waited = (rule.now - oldest.queue_since).total_seconds() / 60
    slot = rule.minutes(best.visit_kind_id) / (1 + rule.other_cabinets.get(oldest.visit_kind_id, 0))
    return waited + slot <= (1 + PACE_MARGIN) * work_minutes


def _work(rule: _Rule, counts: dict[int, int]) -> float:
    """Minutes the open cabinets need to serve `counts` waiting visitors per visit kind, each kind's visits shared
    among the open cabinets that serve it (summed in one order, so both forms of the policy agree exactly)."""
    return sum(
        counts[kind_id] * rule.minutes(kind_id) / (1 + rule.other_cabinets.get(kind_id, 0))
        for kind_id in sorted(counts)
    )


def decide_balanced(context: CallContext) -> Decision:
    """`balanced` with the reason code of the rule that chose."""
    decision = decide_deadline(context)
    if decision.reason != LIMIT_SOON or decision.ticket is None:
        return decision
    rule = _Rule(context.now, context.other_cabinets, context.visit_minutes, context.stop_at)
    counts: dict[int, int] = {}
    for ticket in context.candidates:
        counts[ticket.visit_kind_id] = counts.get(ticket.visit_kind_id, 0) + 1
    work = _work(rule, counts)
    oldest = min(context.candidates, key=_order)
    if _passes_pace(rule, decision.ticket, oldest, work):
        return decision
    return Decision(oldest, PACE_CAP)


def balanced(context: CallContext) -> Waiting | None:
    """`deadline`, but the first in line is not passed once their wait would exceed the queue's pace by 15 %."""
    return decide_balanced(context).ticket


def balanced_grouped(
    groups: Sequence[Sequence[Waiting]],
    now: datetime,
    other_cabinets: dict[int, int],
    visit_minutes: dict[int, float],
    stop_at: datetime | None = None,
) -> Waiting | None:
    """`balanced` on grouped candidates: `deadline_grouped`, then the pace check on the groups' sizes."""
    chosen = deadline_grouped(groups, now, other_cabinets, visit_minutes, stop_at)
    if chosen is None:
        return None
    oldest = min((group[0] for group in groups), key=_order)
    if chosen is oldest:
        return chosen
    rule = _Rule(now, other_cabinets, visit_minutes, stop_at)
    counts: dict[int, int] = {}
    for group in groups:
        counts[group[0].visit_kind_id] = counts.get(group[0].visit_kind_id, 0) + len(group)
    return chosen if _passes_pace(rule, chosen, oldest, _work(rule, counts)) else oldest


POLICIES: dict[str, Policy] = {"deadline": deadline, "balanced": balanced, "fifo": fifo}
# The built-in policies' grouped forms; an office's own policy without one is asked with every candidate.
GROUPED: dict[Policy, GroupedPolicy] = {deadline: deadline_grouped, balanced: balanced_grouped, fifo: fifo_grouped}
# The policies whose choice among the visitors waiting does not depend on how many more wait behind them, so that
# one projection for the next few newcomers of a kind gives each of them exactly their own estimate ("balanced"
# weighs everyone waiting against the first in line: each newcomer is projected afresh).
NEWCOMER_EXACT: frozenset[Policy] = frozenset({deadline, fifo})
# The built-in policies' forms that also say why (`Decision`); an office's own policy's reason is OFFICE_RULE.
DECIDING: dict[Policy, Callable[[CallContext], Decision]] = {
    deadline: decide_deadline,
    balanced: decide_balanced,
    fifo: decide_fifo,
}


def decide(policy: Policy, context: CallContext) -> Decision:
    """Ask `policy` whom to call and why."""
    decider = DECIDING.get(policy)
    if decider is not None:
        return decider(context)
    return Decision(policy(context), OFFICE_RULE)


def policy_named(name: str) -> Policy:
    """The policy an office is configured with (the default when the name is unknown)."""
    return POLICIES.get(name, deadline)
