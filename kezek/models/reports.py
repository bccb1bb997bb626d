"""Tables of the manager reports: the wait record per ticket, visitor feedback, decisions, annex 2 values."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, UniqueConstraint, literal_column
from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base, UTCDateTime
from kezek.models.ticket import Ticket


class WaitRecord(Base):
    """One ticket's wait and outcome in plain numbers, kept up to date from the event log for fast reports."""

    __tablename__ = "wait_record"
    __table_args__ = (
        Index("ix_wait_record_day", "service_day", "office_id"),
        Index("ix_wait_record_office_day", "office_id", "service_day"),
    )

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    office_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(Integer)
    visit_kind_id: Mapped[int] = mapped_column(Integer)
    hand_in: Mapped[bool] = mapped_column(Boolean)
    # The clerk and cabinet of the first call: who answered for the wait.
    clerk_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    cabinet_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_day: Mapped[date] = mapped_column(Date)
    # Local (office time zone) weekday (0 = Monday) and hour of the issue.
    weekday: Mapped[int] = mapped_column(Integer)
    hour: Mapped[int] = mapped_column(Integer)
    first_called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Seconds from the (original) issue to the first call; None while never called.
    wait_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    service_seconds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    wait_limit_minutes: Mapped[int] = mapped_column(Integer)
    within_limit: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    # served, no_show, cancelled or, while the ticket is open, its status.
    outcome: Mapped[str] = mapped_column(String(12))
    transferred: Mapped[bool] = mapped_column(Boolean, default=False)
    documents_correct: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class FeedbackAnswer(Base):
    """A visitor's anonymous answers after a finished visit: one row per ticket, one tap per question."""

    __tablename__ = "feedback_answer"
    __table_args__ = (Index("ix_feedback_answer_day", "service_day", "office_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), unique=True)
    office_id: Mapped[int] = mapped_column(Integer)
    service_id: Mapped[int] = mapped_column(Integer)
    service_day: Mapped[date] = mapped_column(Date)
    process: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    information: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    politeness: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ServiceDecision(Base):
    """The date the office decided on (delivered) a handed-in case, recorded by a clerk."""

    __tablename__ = "service_decision"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id", ondelete="CASCADE"), primary_key=True)
    decided_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(80), default="")
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Annex2Value(Base):
    """A manager's figures for one annex 2 indicator of one service and year (office or, with none, region)."""

    __tablename__ = "annex2_value"
    __table_args__ = (UniqueConstraint("service_id", "year", "scope", "indicator"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    year: Mapped[int] = mapped_column(Integer)
    # The office's id, or 0 for the whole region (a NULL would not be unique).
    scope: Mapped[int] = mapped_column(Integer)
    indicator: Mapped[str] = mapped_column(String(8))
    normative: Mapped[float | None] = mapped_column(Float, nullable=True)
    target: Mapped[float | None] = mapped_column(Float, nullable=True)
    value: Mapped[float | None] = mapped_column(Float, nullable=True)
    entered_by: Mapped[str] = mapped_column(String(80), default="")
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime)


# The compliance page lists the waits furthest over their limit first: an index on how far over
# lets it read the first hundred without sorting every breach of the range.
Index("ix_wait_record_over", WaitRecord.__table__.c.wait_seconds - WaitRecord.__table__.c.wait_limit_minutes * literal_column("60"))

# The wait-time log reads one office's tickets newest first.
Index("ix_ticket_office_issued", Ticket.__table__.c.office_id, Ticket.__table__.c.issued_at)
