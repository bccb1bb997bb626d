"""Staff accounts: clerks, managers and administrators."""
from __future__ import annotations

import secrets

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kezek.models.base import Base

CLERK = "clerk"
MANAGER = "manager"
REGIONAL_MANAGER = "regional_manager"
ADMIN = "admin"
ROLES = (CLERK, MANAGER, REGIONAL_MANAGER, ADMIN)


def new_session_token() -> str:
    """A fresh random session token (128 bits)."""
    return secrets.token_hex(16)


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
    # Where a manager who asked for them gets the live floor's alerts by e-mail (none: not by e-mail).
    alert_email: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Part of every session's id: a new token ends every session of the account at once.
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)

    # The four attributes Flask-Login reads, without importing Flask here.
    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        """Whether the account may sign in."""
        return self.active

    def get_id(self) -> str:
        """The id Flask-Login keeps in the session: the account and its current session token."""
        return f"{self.id}:{self.session_token}"

    def end_sessions(self) -> None:
        """End every session of this account (signed in anywhere); the caller commits."""
        self.session_token = new_session_token()

    def may_see_office(self, office_id: int) -> bool:
        """Regional staff see every office; everyone else only their own."""
        regional = self.role in (REGIONAL_MANAGER, ADMIN) and self.office_id is None
        return regional or self.office_id == office_id
