"""Services of the standards and their visit kinds (hand in, collect) with the wait limits."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kezek.models.base import Base

HAND_IN = "hand_in"
COLLECT = "collect"


class Service(Base):
    """A public service of the standards, e.g. targeted social assistance."""

    __tablename__ = "service"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_kk: Mapped[str] = mapped_column(String(300))
    name_ru: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300))
    service_term_days: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    visit_kinds: Mapped[list[VisitKind]] = relationship(
        back_populates="service", order_by="VisitKind.position", cascade="all, delete-orphan"
    )

    def name(self, lang: str) -> str:
        """The service's name in `lang`."""
        return getattr(self, f"name_{lang}", None) or self.name_kk


class VisitKind(Base):
    """Handing in documents for, or collecting the result of, one service; has its own wait limit."""

    __tablename__ = "visit_kind"
    __table_args__ = (UniqueConstraint("service_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("service.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    name_kk: Mapped[str] = mapped_column(String(200))
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    prefix: Mapped[str] = mapped_column(String(3), unique=True)
    wait_limit_minutes: Mapped[int] = mapped_column(Integer)
    default_service_minutes: Mapped[int] = mapped_column(Integer, default=6)
    # Each document is {"kk": ..., "ru": ..., "en": ...}.
    documents: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    accepting: Mapped[bool] = mapped_column(Boolean, default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    service: Mapped[Service] = relationship(back_populates="visit_kinds")

    def name(self, lang: str) -> str:
        """The visit kind's name in `lang`."""
        return getattr(self, f"name_{lang}", None) or self.name_kk

    def document_names(self, lang: str) -> list[str]:
        """The documents to have ready, in `lang`."""
        return [doc.get(lang) or doc.get("kk", "") for doc in self.documents or []]
