"""Clerk commands already carried out, so a retried or replayed request acts only once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base, UTCDateTime


class ClerkCommand(Base):
    """One clerk command by its client-made id, and the ticket it acted on."""

    __tablename__ = "clerk_command"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    cabinet_id: Mapped[int] = mapped_column(ForeignKey("cabinet.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(20))
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("ticket.id"), nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
