"""Office nodes: the centre's register of enrolled nodes, and on a node its link to the centre and its outbox."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kezek.models.base import Base, UTCDateTime
from kezek.models.office import Office


class Node(Base):
    """At the centre: one office's node, known by its credential (a SHA-256 hash, as a device's).

    `acked_seq` is the last outbox sequence number of the node applied here: the next batch must
    follow it, and anything at or below it is a copy already applied.
    """

    __tablename__ = "node"

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("office.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100), unique=True)
    credential_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    enrolment_hash: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    enrolment_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    acked_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_sync_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # The newest change number the node had when it sent its last batch: head_seq - acked_seq still wait there.
    head_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # When the node last reached the centre at all (a batch, or asking for the office's data), within a minute.
    last_contact_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    office: Mapped[Office] = relationship()


class CentreLink(Base):
    """On a node (one row, id 1): the centre it ships to, its credential there, and how shipping goes."""

    __tablename__ = "centre_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_url: Mapped[str] = mapped_column(String(300))
    node_id: Mapped[int] = mapped_column(Integer)
    office_slug: Mapped[str] = mapped_column(String(40))
    # The node must present it, so it is kept as is (in the node's own database, like a print agent's token).
    credential: Mapped[str] = mapped_column(String(100))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime)
    acked_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Set when the centre answered that this node's credential was revoked: shipping stops.
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Down-sync (kezek.nodes.down): the version of the office's settings last taken from the centre, and
    # their values then (what a setting changed here since is compared with).
    down_version: Mapped[str | None] = mapped_column(String(64), nullable=True)
    down_settings: Mapped[dict | None] = mapped_column(JSON, nullable=True)


class OutboxEntry(Base):
    """On a node: one change to ship, appended by a trigger in the change's own transaction (kezek.nodes.outbox).

    `seq` never repeats (AUTOINCREMENT) and follows the commit order (SQLite has one writer).
    `row_key` is the changed row's uid, or its ticket's uid for a wait record or feedback answer.
    """

    __tablename__ = "outbox_entry"
    __table_args__ = {"sqlite_autoincrement": True}

    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    table_name: Mapped[str] = mapped_column(String(20))
    row_key: Mapped[str] = mapped_column(String(32))
    # When the trigger appended it (UTC, the database's clock): acknowledged entries older than some days are pruned.
    created_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
