"""The queue's caches, one object per application: the offices' rarely changing figures and the newcomer tables.

The object rides on the app's sessionmaker (kezek.sessions puts it in the sessions' `info`), so the
Flask-free rules find it from the session they are given (`caches_of`), every session of the app
shares it, and a test's app, with its own database, has its own. Invalidation is explicit: `forget`
(the office figures of some offices, or all) and `clear`; the flush hooks of Kezek's sessions call
`forget` when a write changes the figures (kezek.queue.office_cache).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

INFO_KEY = "kezek.queue_caches"
KNOWN_FOR = timedelta(minutes=1)  # visit kinds, visit times and hours are read again after this much clock time


class QueueCaches:
    """What the wait estimate keeps between readings, for one application (one database)."""

    def __init__(self, known_for: timedelta = KNOWN_FOR) -> None:
        # How long an office's figures stand: writes in other processes are seen after this much clock time.
        # Only a process that is the database's one writer (the demo's history) may keep them longer.
        self.known_for = known_for
        self.lock = threading.Lock()
        self.figures: dict[int, Any] = {}  # office id -> office_cache.OfficeFigures
        self.stale_times: set[int] = set()  # offices whose visit times are to be read again
        self.ended: dict[int, list] = {}  # office id -> visits ended here since its figures were read, to add
        self.tables: dict[tuple[int, int], Any] = {}  # (office id, visit kind id) -> forecast's newcomer table entry
        self.playing: dict[tuple[int, int], threading.Lock] = {}  # one projection at a time per office and kind

    def forget(self, office_ids: set[int] | None) -> None:
        """Drop the figures of these offices (of every office when None): they are read afresh when next asked.

        A newcomer table made with dropped figures is not used again (forecast checks `still_known`)."""
        with self.lock:
            if office_ids is None:
                self.figures.clear()
                self.ended.clear()
            for office_id in office_ids or ():
                self.figures.pop(office_id, None)
                self.ended.pop(office_id, None)

    def forget_times(self, office_ids: set[int]) -> None:
        """Have the visit times of these offices read again when next asked, the rest of their figures kept."""
        with self.lock:
            self.stale_times.update(office_ids)

    def add_ended(self, ended: dict[int, list]) -> None:
        """Visits that ended in this process, by office, for the visit times to count when next asked."""
        with self.lock:
            for office_id, visits in ended.items():
                if office_id in self.figures:  # else the next reading counts them anyway
                    self.ended.setdefault(office_id, []).extend(visits)

    def clear(self) -> None:
        """Drop everything kept."""
        with self.lock:
            self.figures.clear()
            self.tables.clear()
            self.stale_times.clear()
            self.ended.clear()


def caches_of(session: Session) -> QueueCaches:
    """The caches of the application `session` belongs to; a session made another way gets its own, for its life."""
    found = session.info.get(INFO_KEY)
    if found is None:
        found = session.info[INFO_KEY] = QueueCaches()
    return found
