"""Visitors the kiosk turned away: no ticket, so the queue's own records would never show them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base, UTCDateTime

TOO_LATE = "too_late_today"  # could not be served before closing
CLOSED_NOW = "office_closed"  # lunch, before opening, after closing, a day off
NOT_ACCEPTING = "not_accepting"  # the visit kind was closed for new tickets


class TurnedAway(Base):
    """One refusal at a kiosk: which office and visit kind, when, and why."""

    __tablename__ = "turned_away"
    __table_args__ = (Index("ix_turned_away_office_day", "office_id", "service_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    visit_kind_id: Mapped[int | None] = mapped_column(ForeignKey("visit_kind.id", ondelete="SET NULL"), nullable=True)
    service_day: Mapped[date] = mapped_column(Date)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(20))
