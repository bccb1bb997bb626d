"""What a transaction has already done or learnt once and need not again (no Flask): a memo kept in the session.

A clerk's command and each event of a ticket take the office's lock and mark the ticket's month changed
in the rollup; inside one transaction, the second time changes nothing. The memo belongs to the
session's innermost transaction (a savepoint has its own, so what one rolled back did is done again
after it) and is dropped with it.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from sqlalchemy.orm import Session

_KEY = "kezek.per_transaction"


def _memo(session: Session) -> dict[str, Any] | None:
    transaction = session.get_nested_transaction() or session.get_transaction()
    if transaction is None:
        return None
    memo = session.info.get(_KEY)
    if memo is None or memo[0] is not transaction:
        memo = session.info[_KEY] = (transaction, {})
    return memo[1]


def first_time(session: Session, key: Hashable) -> bool:
    """True the first time `key` is asked in the session's current transaction (always, outside of one)."""
    memo = _memo(session)
    if memo is None:
        return True
    done = memo.setdefault("done", set())
    if key in done:
        return False
    done.add(key)
    return True


def forget(session: Session, key: Hashable) -> None:
    """Have `key` done again when next asked in this transaction (what it did was undone or overtaken)."""
    memo = _memo(session)
    if memo is not None:
        memo.get("done", set()).discard(key)


def known(session: Session, name: str) -> dict:
    """What this transaction has learnt under `name` (empty at its start; a throwaway dict outside of one)."""
    memo = _memo(session)
    return {} if memo is None else memo.setdefault(name, {})
