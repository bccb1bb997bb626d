"""Alerts of the live floor (a condition a manager must act on) and their append-only record."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base, UTCDateTime, append_only

# What an alert is about.
ALERT_RULES = ("near_limit", "breach", "queue_length", "long_pause", "printer", "device_offline")
# The kinds of entries in an alert's record.
ALERT_EVENTS = ("raised", "repeated", "acknowledged", "ended", "mailed", "mail_failed")


class Alert(Base):
    """One condition of one office, from when it was raised until it ended."""

    __tablename__ = "alert"
    __table_args__ = (Index("ix_alert_office_open", "office_id", "ended_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    rule: Mapped[str] = mapped_column(String(20))
    subject: Mapped[str] = mapped_column(String(40))  # e.g. ticket:12, kind:3, cabinet:5, device:7
    detail: Mapped[dict] = mapped_column(JSON, default=dict)  # what the message names: a number, a cabinet
    raised_at: Mapped[datetime] = mapped_column(UTCDateTime)
    shown_at: Mapped[datetime] = mapped_column(UTCDateTime)  # last raised or repeated
    times_shown: Mapped[int] = mapped_column(Integer, default=1)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class AlertSetting(Base):
    """An office's own alert thresholds (an office without a row uses the defaults, kezek.alerts.rules.Thresholds)."""

    __tablename__ = "alert_setting"

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), primary_key=True)
    near_share: Mapped[int] = mapped_column(Integer)
    queue_length: Mapped[int] = mapped_column(Integer)
    pause_grace_minutes: Mapped[int] = mapped_column(Integer)
    repeat_minutes: Mapped[int] = mapped_column(Integer)


class AlertEvent(Base):
    """One entry of the record of alerts: raised, repeated, acknowledged (by whom), ended, e-mailed (to whom) or not."""

    __tablename__ = "alert_event"
    __table_args__ = (Index("ix_alert_event_alert", "alert_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


append_only(AlertEvent, "the record of alerts")
