"""Why a call picked the visitor it did: a code (and the limit it is about) the console puts in words.

Derived here from the chosen ticket among the candidates; once the call policy gives its own reason
with its choice, `reason_for` is the one place to take it from there instead.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kezek.queue.candidates import Waiting

EARLIEST = "earliest"            # the one who took their ticket first
EARLIEST_OVER = "earliest_over"  # the same, already waiting past their limit
NEAR_LIMIT = "near_limit"        # called ahead of older tickets: about to pass their limit
POLICY = "policy"                # called ahead of older tickets for another reason of the office's policy
CHOSEN = "chosen"                # the clerk called this number (the visitor came up with the ticket)


@dataclass(frozen=True)
class CallReason:
    """Why one ticket was called: a code and, where it speaks of one, the wait limit in minutes."""

    code: str
    limit_minutes: int | None = None

    def as_detail(self) -> dict:
        """The reason as kept in the ticket's "called" log entry."""
        return {"reason": self.code, "limit": self.limit_minutes}


def reason_for(candidates: Sequence[Waiting], chosen: Waiting, now: datetime) -> CallReason:
    """Why `chosen` was called out of `candidates` (the tickets the cabinet could call at `now`)."""
    oldest = min(candidates, key=lambda ticket: (ticket.queue_since, ticket.id), default=chosen)
    if oldest.id == chosen.id:
        if now > chosen.deadline:
            return CallReason(EARLIEST_OVER, chosen.wait_limit_minutes)
        return CallReason(EARLIEST, chosen.wait_limit_minutes)
    if chosen.deadline < oldest.deadline:
        return CallReason(NEAR_LIMIT, chosen.wait_limit_minutes)
    return CallReason(POLICY, chosen.wait_limit_minutes)


def reason_of_detail(detail: dict | None) -> CallReason | None:
    """The reason kept in a "called" log entry (None for calls logged before reasons were kept)."""
    if not isinstance(detail, dict) or not isinstance(detail.get("reason"), str):
        return None
    limit = detail.get("limit")
    return CallReason(detail["reason"], limit if isinstance(limit, int) else None)
