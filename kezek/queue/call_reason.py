"""Why a call picked the visitor it did: a code (and the limit it is about) the console puts in words.

The call policy names the rule that chose (`policy.REASONS`); this keeps that code in the ticket's
"called" log entry with the limit it is about and whether the visitor was already past it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from kezek.queue.candidates import Waiting
from kezek.queue.policy import BEFORE_BREAK, LIMIT_SOON, OFFICE_RULE, PACE_CAP, WAITED_LONGEST
from kezek.queue.policy import EARLIEST_TICKET as EARLIEST

__all__ = [
    "BEFORE_BREAK",
    "CHOSEN",
    "EARLIEST",
    "NEAR_LIMIT",
    "PACE_CAP",
    "POLICY",
    "WAITED_LONGEST",
    "CallReason",
    "reason_for",
    "reason_of_detail",
]

NEAR_LIMIT = LIMIT_SOON  # called ahead of older tickets: about to pass their limit
POLICY = OFFICE_RULE  # called ahead of older tickets by an office's own policy
CHOSEN = "chosen"  # the clerk called this number (the visitor came up with the ticket)


@dataclass(frozen=True)
class CallReason:
    """Why one ticket was called: a code and, where it speaks of one, the wait limit in minutes."""

    code: str
    limit_minutes: int | None = None
    over: bool = False  # the visitor was already past their limit when called

    def as_detail(self) -> dict:
        """The reason as kept in the ticket's "called" log entry."""
        return {"reason": self.code, "limit": self.limit_minutes, "over": self.over}


def reason_for(code: str, chosen: Waiting, now: datetime) -> CallReason:
    """Why `chosen` was called at `now`: the policy's rule `code`, its limit, and whether it had passed."""
    return CallReason(code, chosen.wait_limit_minutes, now > chosen.deadline)


def reason_of_detail(detail: dict | None) -> CallReason | None:
    """The reason kept in a "called" log entry (None for calls logged before reasons were kept)."""
    if not isinstance(detail, dict) or not isinstance(detail.get("reason"), str):
        return None
    limit = detail.get("limit")
    return CallReason(detail["reason"], limit if isinstance(limit, int) else None, detail.get("over") is True)
