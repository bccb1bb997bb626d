"""The first-start setup of a production installation: the first administrator and the offices to enable."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kezek.admin.rules import Refused
from kezek.admin.users import USERNAME, check_password
from kezek.audit import record
from kezek.models import ADMIN, Office, User
from kezek.seeding import DEMO_SLUG, create_user, load_offices, load_services


def needs_setup(session: Session, demo: bool) -> bool:
    """A production installation without any account yet needs its first administrator."""
    return not demo and not session.scalar(select(func.count()).select_from(User))


def seed_offices(session: Session) -> list[Office]:
    """The offices to offer: the seed's 11 departments and the regional one (loaded if missing)."""
    load_services(session)
    load_offices(session)
    return list(session.scalars(select(Office).where(Office.slug != DEMO_SLUG).order_by(Office.is_regional, Office.id)))


def complete_setup(session: Session, username: str, password: str, display_name: str, slugs: list[str]) -> User:
    """Create the first (regional) administrator and enable exactly the chosen offices; the caller commits."""
    if session.scalar(select(func.count()).select_from(User)):
        raise Refused("already_set_up", 409)
    username = (username or "").strip()
    if not USERNAME.match(username):
        raise Refused("username_format", 400)
    check_password(password, username, display_name)
    offices = seed_offices(session)
    chosen = set(slugs)
    if not chosen or not chosen <= {office.slug for office in offices}:
        raise Refused("offices_required", 400)
    user = create_user(session, username, password, ADMIN, None, display_name.strip())
    for office in offices:
        office.enabled = office.slug in chosen
    record(session, user, "admin.setup", {"user": username, "offices": sorted(chosen)}, office_id=None)
    return user
