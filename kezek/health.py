"""Readiness checks for load balancers: the database takes a write at the latest migration; Redis answers."""
from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import datetime

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, insert, update
from sqlalchemy.exc import IntegrityError

from kezek.migrate import alembic_config
from kezek.models.health import HealthProbe

log = logging.getLogger(__name__)


def write_works(engine: Engine, now: datetime, write_lock=None) -> bool:
    """Whether a write commits: the probe row is rewritten (a read-only or full database refuses it)."""
    try:
        # the connection first: a thread holding the writer's turn must not wait for one (kezek.writelock)
        with engine.connect() as connection, write_lock or nullcontext(), connection.begin():
            done = connection.execute(update(HealthProbe).where(HealthProbe.id == 1).values(checked_at=now)).rowcount
            if not done:
                connection.execute(insert(HealthProbe).values(id=1, checked_at=now))
        return True
    except IntegrityError:  # another process inserted the row at the same moment: its write committed
        return True
    except Exception:
        log.warning("readiness: the database refuses a write", exc_info=True)
        return False


def readiness(engine: Engine, message_queue: str | None, now: datetime | None = None,
              write_lock=None) -> dict[str, bool]:
    """Each check's name and whether it passed; with `now`, "database" also needs a write to commit."""
    checks: dict[str, bool] = {}
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
        heads = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
        checks["database"] = now is None or write_works(engine, now, write_lock)
        checks["migrations"] = current == heads
    except Exception:
        checks["database"] = False
        checks["migrations"] = False
    if message_queue:
        try:
            import redis

            checks["message_queue"] = bool(redis.Redis.from_url(message_queue, socket_timeout=1).ping())
        except Exception:
            log.warning("readiness: the message queue (live channel between processes) does not answer")
            checks["message_queue"] = False
    return checks


def rate_limit_storage_answers() -> bool | None:
    """Whether the rate limiter's shared storage (Redis) answers; None when it is this process's memory."""
    from flask import current_app

    from kezek.extensions import limiter

    if not current_app.config.get("RATELIMIT_STORAGE_URI", "").startswith(("redis", "rediss")):
        return None
    answers = bool(limiter.storage.check())
    if not answers:
        log.warning("readiness: the rate limiter's storage does not answer; limits are counted in memory meanwhile")
    return answers
