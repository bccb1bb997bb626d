"""Publishing queue changes to the screens after the commit (placeholder until the board lands)."""
from __future__ import annotations

from kezek.queue.changes import Change


def publish(change: Change | None) -> None:
    """Tell the office's screens (and the ticket's phone) what changed; call only after commit."""
    return None
