"""The row /readyz writes to prove the database takes writes."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base, UTCDateTime


class HealthProbe(Base):
    """One row, rewritten by each readiness check: ready means a write commits."""

    __tablename__ = "health_probe"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime())
