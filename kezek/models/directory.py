"""The office directory: departments, akimats and the regional department, with their edit history."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kezek.models.base import Base, UTCDateTime, append_only

DEPARTMENT = "department"
AKIMAT = "akimat"
REGIONAL = "regional"
ENTRY_KINDS = (REGIONAL, DEPARTMENT, AKIMAT)


class DirectoryEntry(Base):
    """One office of the directory: where it is, how to reach it, when it receives, where it came from."""

    __tablename__ = "directory_entry"
    __table_args__ = (UniqueConstraint("kind", "district"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    # The district slug (taraz, baizak, ...; "region" for the regional department), as Office.district.
    district: Mapped[str] = mapped_column(String(40))
    number: Mapped[int] = mapped_column(Integer, default=0)
    name_kk: Mapped[str] = mapped_column(String(400))
    name_ru: Mapped[str] = mapped_column(String(400), default="")
    name_en: Mapped[str] = mapped_column(String(400), default="")
    head: Mapped[str] = mapped_column(String(300), default="")
    settlement: Mapped[str] = mapped_column(String(300), default="")
    street: Mapped[str] = mapped_column(String(300), default="")
    house: Mapped[str] = mapped_column(String(300), default="")
    floor: Mapped[str] = mapped_column(String(300), default="")
    cabinet: Mapped[str] = mapped_column(String(300), default="")
    # Each phone is {"e164", "source", "valid", "problem"}; an invalid one is never a tel: link.
    phones: Mapped[list[dict]] = mapped_column(JSON, default=list)
    emails: Mapped[list[str]] = mapped_column(JSON, default=list)
    web_sites: Mapped[list[str]] = mapped_column(JSON, default=list)
    # {"weekdays": ["mon", ...], "opens": "09:00", "closes": "18:00", "lunch_start", "lunch_end"} or null.
    hours: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # The regional department's reception days: {"head": hours, "deputy": hours}.
    receptions: Mapped[dict] = mapped_column(JSON, default=dict)
    # Codes "category:kind:field" still open; those an administrator resolved stay resolved on re-import.
    review_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    resolved_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    # The import report's issues for this entry, with both source texts, standard and line.
    seed_issues: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # Where the seed writes the entry: [{"standard", "part", "first", "last"}].
    seed_lines: Mapped[list[dict]] = mapped_column(JSON, default=list)
    # Fields an administrator has set: a re-import leaves them alone.
    edited_fields: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    changes: Mapped[list[DirectoryChange]] = relationship(
        back_populates="entry", order_by="DirectoryChange.id.desc()", cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def needs_review(self) -> bool:
        """Whether some conflict or anomaly of the seed is still unresolved."""
        return bool(self.review_reasons)

    @property
    def key(self) -> str:
        """The entry's stable name, e.g. akimat:shu."""
        return f"{self.kind}:{self.district}"

    def name(self, lang: str) -> str:
        """The entry's name in `lang`, falling back to Kazakh."""
        return getattr(self, f"name_{lang}", None) or self.name_kk


class DirectoryChange(Base):
    """One field of one entry changed: before and after, by whom (or by the seed import), when."""

    __tablename__ = "directory_change"
    __table_args__ = (Index("ix_directory_change_entry", "entry_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("directory_entry.id", ondelete="CASCADE"))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    origin: Mapped[str] = mapped_column(String(10))  # "admin" or "seed"
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), nullable=True)
    username: Mapped[str] = mapped_column(String(80), default="")
    field: Mapped[str] = mapped_column(String(40))
    before: Mapped[object] = mapped_column(JSON, nullable=True)
    after: Mapped[object] = mapped_column(JSON, nullable=True)

    entry: Mapped[DirectoryEntry] = relationship(back_populates="changes")


append_only(DirectoryChange, "the directory history", ("before_update",))
