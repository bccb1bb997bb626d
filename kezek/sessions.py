"""Kezek's sessions: one factory, whose sessions keep what is derived from the rows in step as they write.

On flush, a session from `session_factory` (the app's sessions are: kezek/__init__.py hands the app's
sessionmaker to `keep_in_step`) marks a report month changed when a decision date is written
(kezek.reports.facts) and drops the cached office figures a write changed (kezek.queue.office_cache);
a ticket event keeps its wait record right where it is written (kezek.queue.events.record_event).
The factory's sessions also share the app's queue caches (kezek.queue.caches). The hooks sit on these
factories' sessions only, never on SQLAlchemy's global Session class: a session
made another way (a migration, the copy to PostgreSQL, a test's seeding) runs none of them, so code that
writes tickets outside the app takes its sessions from here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from kezek import known_devices
from kezek.queue import office_cache
from kezek.queue.caches import INFO_KEY, QueueCaches
from kezek.reports import facts


def keep_in_step(factory: sessionmaker) -> sessionmaker:
    """Give the sessions `factory` makes one set of queue caches and the flush hooks (once); returns `factory`."""
    info = dict(factory.kw.get("info") or {})
    if INFO_KEY not in info:
        factory.configure(info={**info, INFO_KEY: QueueCaches()})
    office_cache.watch(factory)
    facts.watch(factory)
    known_devices.watch(factory)
    return factory


def session_factory(engine: Engine, **options: Any) -> sessionmaker:
    """A sessionmaker for `engine` (options as sessionmaker's) whose sessions run the flush hooks."""
    return keep_in_step(sessionmaker(engine, **options))
