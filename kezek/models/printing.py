"""The print journal: every ticket print job and what became of it."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kezek.models.base import Base, UTCDateTime
from kezek.models.cabinet import Kiosk
from kezek.models.ticket import Ticket

QUEUED = "queued"
SENT = "sent"
FAILED = "failed"
# Not to be printed: a later job of the same ticket (a clerk's reprint) or a job already on paper replaced it.
SUPERSEDED = "superseded"
# The states of a job still to print.
UNSENT = (QUEUED, FAILED)


class PrintJob(Base):
    """One ticket to print on one kiosk's printer: queued, sent, failed with the reason, or superseded."""

    __tablename__ = "print_job"
    __table_args__ = (Index("ix_print_job_state", "kiosk_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("ticket.id"))
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id", ondelete="SET NULL"), nullable=True)
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(40), default="")
    # The phone status address printed as the QR code, fixed when the ticket was issued.
    status_url: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    ticket: Mapped[Ticket] = relationship()
    kiosk: Mapped[Kiosk | None] = relationship()
