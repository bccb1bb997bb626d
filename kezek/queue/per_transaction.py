"""What a transaction has already done once and need not do again (no Flask): a memo kept in the session.

A clerk's command and each event of a ticket take the office's lock and mark the ticket's month changed
in the rollup; inside one transaction, the second time changes nothing. The memo belongs to the
session's innermost transaction (a savepoint has its own, so one rolled back is done again after it)
and is dropped with it.
"""

from __future__ import annotations

from collections.abc import Hashable

from sqlalchemy.orm import Session

_KEY = "kezek.per_transaction"


def first_time(session: Session, key: Hashable) -> bool:
    """True the first time `key` is asked in the session's current transaction (always, outside of one)."""
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None:
        return True
    memo = session.info.get(_KEY)
    if memo is None or memo[0] is not transaction:
        done: set[Hashable] = set()
        memo = session.info[_KEY] = (transaction, done)
    if key in memo[1]:
        return False
    memo[1].add(key)
    return True


def forget(session: Session, key: Hashable) -> None:
    """Have `key` done again when next asked in this transaction (what it did was undone or overtaken)."""
    memo = session.info.get(_KEY)
    if memo is not None:
        memo[1].discard(key)
