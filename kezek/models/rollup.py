"""The monthly rollup of the wait records: per office, service and group, counts and a whole-minute histogram."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base, UTCDateTime


class WaitRollup(Base):
    """The wait records of one office's month summed for one group of one family (see kezek/reports/rollup.py).

    Families: `detail` (visit kind, clerk, limit), `weekday`, `hour` (each with a row per whole
    minute waited, so percentiles come out as from the records), `heat` (weekday and hour), `day`
    (the daily trend) and `decision` (served hand-ins by day and days to the decision).
    """

    __tablename__ = "wait_rollup"
    __table_args__ = (Index("ix_wait_rollup_family_month", "family", "month", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    office_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(Integer)
    family: Mapped[str] = mapped_column(String(8))
    visit_kind_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    wait_limit_minutes: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hand_in: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    weekday: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hour: Mapped[int | None] = mapped_column(Integer, nullable=True)
    day: Mapped[date | None] = mapped_column(Date, nullable=True)
    lag_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # Whole minutes waited (None: not called, or a family without a histogram).
    minute: Mapped[int | None] = mapped_column(Integer, nullable=True)
    tickets: Mapped[int] = mapped_column(Integer)
    called: Mapped[int] = mapped_column(Integer)
    within: Mapped[int] = mapped_column(Integer)
    at_40: Mapped[int] = mapped_column(Integer)
    served: Mapped[int] = mapped_column(Integer)
    no_show: Mapped[int] = mapped_column(Integer)
    wait_seconds: Mapped[int] = mapped_column(Integer)
    longest_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    docs_ok: Mapped[int] = mapped_column(Integer)
    docs: Mapped[int] = mapped_column(Integer)


class RollupMonth(Base):
    """Whether one office's month is rolled up: current while `built_generation` equals `generation`.

    A change to a wait record or a decision of the month adds one to `generation` in the same
    transaction, so the reports read that month from the records until it is rolled up again.
    """

    __tablename__ = "rollup_month"

    month: Mapped[date] = mapped_column(Date, primary_key=True)
    office_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    built_generation: Mapped[int | None] = mapped_column(Integer, nullable=True)
    built_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
