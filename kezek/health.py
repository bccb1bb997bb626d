"""Readiness checks for load balancers: database at the latest migration, message queue reachable."""
from __future__ import annotations

from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from kezek.migrate import alembic_config


def readiness(engine: Engine, message_queue: str | None) -> dict[str, bool]:
    """Each check's name and whether it passed."""
    checks: dict[str, bool] = {}
    try:
        with engine.connect() as connection:
            current = set(MigrationContext.configure(connection).get_current_heads())
        heads = set(ScriptDirectory.from_config(alembic_config(str(engine.url))).get_heads())
        checks["database"] = True
        checks["migrations"] = current == heads
    except Exception:
        checks["database"] = False
        checks["migrations"] = False
    if message_queue:
        try:
            import redis

            checks["message_queue"] = bool(redis.Redis.from_url(message_queue, socket_timeout=1).ping())
        except Exception:
            checks["message_queue"] = False
    return checks
