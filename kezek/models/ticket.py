"""Tickets, the per-day number counters and the append-only ticket event log."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kezek.models.base import Base, UTCDateTime, append_only, new_uid
from kezek.models.cabinet import Cabinet
from kezek.models.office import Office
from kezek.models.service import VisitKind

WAITING = "waiting"
CALLED = "called"
SERVING = "serving"
SERVED = "served"
NO_SHOW = "no_show"
CANCELLED = "cancelled"
TRANSFERRED = "transferred"
OPEN_STATES = (WAITING, CALLED, SERVING)

# The kinds of entries in the ticket event log.
EVENT_KINDS = ("issued", "called", "recalled", "started", "finished", "no_show", "transferred", "cancelled",
               "uncancelled")


class DailyCounter(Base):
    """The last number handed out for one prefix in one office on one local day."""

    __tablename__ = "daily_counter"

    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"), primary_key=True)
    service_day: Mapped[date] = mapped_column(Date, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(3), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer)


class Ticket(Base):
    """A visitor's numbered ticket for one visit kind in one office on one day."""

    __tablename__ = "ticket"
    __table_args__ = (
        UniqueConstraint("office_id", "service_day", "prefix", "number"),
        Index("ix_ticket_queue", "office_id", "status", "queue_since"),
        # A kiosk tap counts who of its visit kind waits; by office and status alone that read every waiting
        # ticket of the office (hundreds in a rush), on every tap.
        Index("ix_ticket_kind_status", "office_id", "visit_kind_id", "status"),
        Index("ix_ticket_day", "office_id", "service_day"),
        Index("ix_ticket_issued", "issued_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique across the region: the row's identity when an office node ships it to the centre.
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id"))
    visit_kind_id: Mapped[int] = mapped_column(ForeignKey("visit_kind.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id", ondelete="SET NULL"), nullable=True)
    # The enrolled device that issued it (none: the office's open web kiosk); a burst is voided by it.
    device_id: Mapped[int | None] = mapped_column(ForeignKey("device.id", ondelete="SET NULL"), nullable=True)
    service_day: Mapped[date] = mapped_column(Date)
    prefix: Mapped[str] = mapped_column(String(3))
    number: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    lang: Mapped[str] = mapped_column(String(2), default="kk")
    status: Mapped[str] = mapped_column(String(12), default=WAITING)
    # The limit in force when the ticket was issued: later edits of the visit kind do not change it.
    wait_limit_minutes: Mapped[int] = mapped_column(Integer)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Place in the queue: the issue time, kept across a transfer.
    queue_since: Mapped[datetime] = mapped_column(UTCDateTime)
    called_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    cabinet_id: Mapped[int | None] = mapped_column(ForeignKey("cabinet.id", ondelete="SET NULL"), nullable=True)
    clerk_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    recalls: Mapped[int] = mapped_column(Integer, default=0)
    people_ahead: Mapped[int] = mapped_column(Integer, default=0)
    estimate_low_minutes: Mapped[int] = mapped_column(Integer, default=0)
    estimate_high_minutes: Mapped[int] = mapped_column(Integer, default=0)
    # Set by a transfer to one cabinet: only that cabinet may call the ticket.
    target_cabinet_id: Mapped[int | None] = mapped_column(ForeignKey("cabinet.id", ondelete="SET NULL"), nullable=True)
    transfers: Mapped[int] = mapped_column(Integer, default=0)
    # A clerk's tick when finishing a hand-in: were the documents complete and correct the first time?
    documents_correct: Mapped[bool | None] = mapped_column(nullable=True)
    # The clerk's optional note on how the visit ended (or why the ticket was cancelled); the log keeps each.
    outcome_note: Mapped[str | None] = mapped_column(String(200), nullable=True)

    office: Mapped[Office] = relationship()
    visit_kind: Mapped[VisitKind] = relationship()
    cabinet: Mapped[Cabinet | None] = relationship(foreign_keys=[cabinet_id])

    @property
    def deadline(self):
        """When the visitor's wait reaches the legal limit."""
        from datetime import timedelta

        return self.queue_since + timedelta(minutes=self.wait_limit_minutes)

    @property
    def label(self) -> str:
        """The number as visitors see it, e.g. A-007."""
        return f"{self.prefix}-{self.number:03d}"


class TicketEvent(Base):
    """One entry of the append-only log of what happened to a ticket."""

    __tablename__ = "ticket_event"
    __table_args__ = (Index("ix_ticket_event_ticket", "ticket_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=new_uid)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    kind: Mapped[str] = mapped_column(String(20))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    cabinet_id: Mapped[int | None] = mapped_column(ForeignKey("cabinet.id", ondelete="SET NULL"), nullable=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


append_only(TicketEvent, "the ticket event log")
