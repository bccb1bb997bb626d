"""The queue's caches, one object per application: the offices' rarely changing figures and the newcomer tables.

The object rides on the app's sessionmaker (kezek.sessions puts it in the sessions' `info`), so the
Flask-free rules find it from the session they are given (`caches_of`), every session of the app
shares it, and a test's app, with its own database, has its own. Invalidation is explicit: `forget`
(the office figures of some offices, or all) and `clear`; the flush hooks of Kezek's sessions call
`forget` when a write changes the figures (kezek.queue.office_cache).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.orm import Session

INFO_KEY = "kezek.queue_caches"


class QueueCaches:
    """What the wait estimate keeps between readings, for one application (one database)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.figures: dict[int, Any] = {}  # office id -> office_cache.OfficeFigures
        self.tables: dict[tuple[int, int], Any] = {}  # (office id, visit kind id) -> forecast's newcomer table entry
        self.playing: dict[tuple[int, int], threading.Lock] = {}  # one projection at a time per office and kind

    def forget(self, office_ids: set[int] | None) -> None:
        """Drop the figures of these offices (of every office when None): they are read afresh when next asked.

        A newcomer table made with dropped figures is not used again (forecast checks `still_known`)."""
        with self.lock:
            if office_ids is None:
                self.figures.clear()
            for office_id in office_ids or ():
                self.figures.pop(office_id, None)

    def clear(self) -> None:
        """Drop everything kept."""
        with self.lock:
            self.figures.clear()
            self.tables.clear()


def caches_of(session: Session) -> QueueCaches:
    """The caches of the application `session` belongs to; a session made another way gets its own, for its life."""
    found = session.info.get(INFO_KEY)
    if found is None:
        found = session.info[INFO_KEY] = QueueCaches()
    return found
