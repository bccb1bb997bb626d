"""Registered devices of an office: kiosks, hall boards and cabinet feedback tablets, each known by its credential."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kezek.models.base import Base, UTCDateTime
from kezek.models.cabinet import Cabinet, Kiosk

KIOSK = "kiosk"
BOARD = "board"
TABLET = "tablet"
DEVICE_KINDS = (KIOSK, BOARD, TABLET)

# What a kiosk's printer can be: decoded from its ESC/POS status bytes (printer.status.printer_state).
PRINTER_STATES = ("ready", "paper_near_end", "paper_out", "cover_open", "offline", "unknown")


class Device(Base):
    """A kiosk, board or feedback tablet an administrator enrolled: its credential, and what it last reported.

    The credential and the one-time enrolment code are stored as SHA-256 hashes (each is 256 random
    bits: nothing to guess). A revoked device has no credential until it is enrolled again.
    """

    __tablename__ = "device"
    __table_args__ = (Index("ix_device_office", "office_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    name: Mapped[str] = mapped_column(String(100), default="")
    # A kiosk device is one kiosk of the office (with its printer); a tablet serves one cabinet.
    kiosk_id: Mapped[int | None] = mapped_column(ForeignKey("kiosk.id", ondelete="CASCADE"), nullable=True)
    cabinet_id: Mapped[int | None] = mapped_column(ForeignKey("cabinet.id", ondelete="CASCADE"), nullable=True)
    credential_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    enrolment_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    enrolment_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The last heartbeat: when, from which page and page version, from which address.
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_page: Mapped[str] = mapped_column(String(200), default="")
    last_version: Mapped[str] = mapped_column(String(40), default="")
    last_address: Mapped[str] = mapped_column(String(64), default="")
    # A kiosk's printer as last checked: one of PRINTER_STATES, what it said, and when.
    printer_state: Mapped[str] = mapped_column(String(20), default="unknown")
    printer_detail: Mapped[str] = mapped_column(String(200), default="")
    printer_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    kiosk: Mapped[Kiosk | None] = relationship()
    cabinet: Mapped[Cabinet | None] = relationship()

    @property
    def enrolled(self) -> bool:
        """Whether a browser holds this device's credential now."""
        return self.credential_hash is not None
