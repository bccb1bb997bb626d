"""Cabinets (rooms) where clerks receive visitors, and kiosks where tickets are taken."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kezek.models.base import Base, UTCDateTime
from kezek.models.service import VisitKind

cabinet_visit_kind = Table(
    "cabinet_visit_kind",
    Base.metadata,
    Column("cabinet_id", ForeignKey("cabinet.id", ondelete="CASCADE"), primary_key=True),
    Column("visit_kind_id", ForeignKey("visit_kind.id", ondelete="CASCADE"), primary_key=True),
)

CLOSED = "closed"
OPEN = "open"
PAUSED = "paused"


class Cabinet(Base):
    """A room of an office that serves some visit kinds; open, paused or closed."""

    __tablename__ = "cabinet"
    __table_args__ = (UniqueConstraint("office_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(10), default=CLOSED)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    # While paused: why ("break", "lunch", "other") and when the clerk said they would be back.
    pause_kind: Mapped[str | None] = mapped_column(String(10), nullable=True)
    paused_until: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # When the cabinet was last opened, paused or closed (the live floor's "paused since").
    state_since: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    visit_kinds: Mapped[list[VisitKind]] = relationship(secondary=cabinet_visit_kind, order_by="VisitKind.id")


class Kiosk(Base):
    """A touch kiosk of an office, with the printer attached to it."""

    __tablename__ = "kiosk"
    __table_args__ = (UniqueConstraint("office_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(100))
    printer_url: Mapped[str] = mapped_column(String(300), default="")
    printer_profile: Mapped[str] = mapped_column(String(40), default="TM-T20II")
    paper_width_mm: Mapped[int] = mapped_column(Integer, default=80)
    agent_token_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)  # see kezek.printing
    active: Mapped[bool] = mapped_column(Boolean, default=True)
