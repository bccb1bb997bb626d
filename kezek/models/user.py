"""Staff accounts: clerks, managers and administrators."""
from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base

CLERK = "clerk"
MANAGER = "manager"
REGIONAL_MANAGER = "regional_manager"
ADMIN = "admin"
ROLES = (CLERK, MANAGER, REGIONAL_MANAGER, ADMIN)


class User(Base):
    """A member of staff who signs in; belongs to one office unless regional."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(300))
    role: Mapped[str] = mapped_column(String(20))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("office.id", ondelete="SET NULL"), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
