"""Offices, their weekly hours and their own calendar of exceptions."""
from __future__ import annotations

from datetime import date, time

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Time, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kezek.models.base import Base


class Office(Base):
    """A department of employment and social programmes (or the regional department)."""

    __tablename__ = "office"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(40), unique=True)
    district: Mapped[str] = mapped_column(String(40))
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(40), default="Asia/Almaty")
    call_policy: Mapped[str] = mapped_column(String(20), default="deadline")
    is_regional: Mapped[bool] = mapped_column(Boolean, default=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    observes_public_holidays: Mapped[bool] = mapped_column(Boolean, default=True)
    # Recalls a clerk must make before marking a called visitor as a no-show.
    recalls_before_no_show: Mapped[int] = mapped_column(Integer, default=1)
    # Any browser may issue tickets as the office's web kiosk (under its own strict limit), not only
    # enrolled kiosks: an administrator's explicit choice (kezek/devices).
    open_web_kiosk: Mapped[bool] = mapped_column(Boolean, default=False)
    # The share (%) of each visit kind's visitors the staffing plan keeps within their wait limit.
    plan_target: Mapped[int] = mapped_column(Integer, default=95, server_default="95")
    # Bumped with every change screens show; updates carry it so a screen can spot a gap.
    # Raised by kezek.queue.changes.bump_version with a plain UPDATE: read it with a query, not from a
    # loaded Office (which keeps the value it was loaded with).
    version: Mapped[int] = mapped_column(Integer, default=0)

    hours: Mapped[list[OfficeHours]] = relationship(
        back_populates="office", order_by="OfficeHours.weekday", cascade="all, delete-orphan"
    )

    def name(self, lang: str) -> str:
        """The office's name in `lang` (kk, ru or en)."""
        return getattr(self, f"name_{lang}", None) or self.name_kk


class OfficeHours(Base):
    """When an office receives visitors on one weekday (0 = Monday)."""

    __tablename__ = "office_hours"
    __table_args__ = (UniqueConstraint("office_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[time] = mapped_column(Time)
    closes: Mapped[time] = mapped_column(Time)
    lunch_start: Mapped[time | None] = mapped_column(Time, nullable=True)
    lunch_end: Mapped[time | None] = mapped_column(Time, nullable=True)

    office: Mapped[Office] = relationship(back_populates="hours")


class CalendarDay(Base):
    """An office's exception for one date: closed, or open with other hours (e.g. a moved holiday)."""

    __tablename__ = "calendar_day"
    __table_args__ = (UniqueConstraint("office_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    closed: Mapped[bool] = mapped_column(Boolean, default=True)
    opens: Mapped[time | None] = mapped_column(Time, nullable=True)
    closes: Mapped[time | None] = mapped_column(Time, nullable=True)
    note: Mapped[str] = mapped_column(String(200), default="")
