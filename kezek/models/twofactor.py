"""A staff member's second sign-in factor: the TOTP secret of their authenticator app."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base, UTCDateTime


class TwoFactor(Base):
    """One account's authenticator: the confirmed secret (sign-in asks for its code) or one being enrolled."""

    __tablename__ = "two_factor"

    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    # Base32 TOTP secrets: `secret` once confirmed with a code, `pending` while the app is being set up.
    secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    pending: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The last 30-second step whose code was accepted: a code is good once, never replayed.
    last_step: Mapped[int] = mapped_column(Integer, default=0)
    enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
