"""Staff account rules: who may manage whom, which roles and offices, password resets."""
from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from kezek.admin.rules import Refused, save
from kezek.audit import record
from kezek.models import ADMIN, CLERK, MANAGER, ROLES, Office, User
from kezek.passwords import weakness

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{2,80}$")
MIN_PASSWORD = 8
USER_FIELDS = ["username", "display_name", "role", "office_id", "active"]
OFFICE_ROLES = (CLERK, MANAGER, ADMIN)


def is_regional_admin(user: User) -> bool:
    """Whether `user` administers every office."""
    return user.role == ADMIN and user.office_id is None


def roles_for(actor: User) -> tuple[str, ...]:
    """The roles `actor` may give: every role regionally, office roles in an office."""
    return ROLES if is_regional_admin(actor) else OFFICE_ROLES


def may_manage(actor: User, user: User) -> bool:
    """Regional administrators manage everyone; an office's administrator its own office's staff."""
    return is_regional_admin(actor) or (user.office_id is not None and user.office_id == actor.office_id)


def check_password(password: str, *personal: str) -> str:
    """A password long and hard enough to keep, or Refused('password_short' or 'password_weak').

    `personal` are the account's own words (username, name), which a password must not lean on.
    """
    if len(password or "") < MIN_PASSWORD:
        raise Refused("password_short", 400, minimum=MIN_PASSWORD)
    why = weakness(password, personal)
    if why:
        raise Refused("password_weak", 400, why=why)
    return password


def save_user(session: Session, actor: User, user: User, values: dict, password: str | None = None) -> dict:
    """Create or change a staff account within what `actor` may do; the password is set only if given."""
    username = (values.get("username") or "").strip()
    if not USERNAME.match(username):
        raise Refused("username_format", 400)
    if session.scalar(select(User.id).where(User.username == username, User.id != (user.id or 0))) is not None:
        raise Refused("username_taken", 409, username=username)
    role, office_id = values.get("role"), values.get("office_id")
    if role not in roles_for(actor):
        raise Refused("role_not_allowed", 403)
    if not is_regional_admin(actor):
        office_id = actor.office_id
    if office_id is not None and session.get(Office, office_id) is None:
        raise Refused("office_unknown", 400)
    if office_id is None and role in (CLERK, MANAGER):
        raise Refused("needs_office", 400)
    if user.id is not None and not may_manage(actor, user):
        raise Refused("not_your_staff", 403)
    if user.id == actor.id and (role != actor.role or office_id != actor.office_id or not values.get("active", True)):
        raise Refused("own_account", 409)
    if user.id is None and password is None:
        raise Refused("password_short", 400, minimum=MIN_PASSWORD)
    values = {**values, "username": username, "office_id": office_id,
              "display_name": (values.get("display_name") or "").strip() or username}
    if password is not None:
        user.password_hash = generate_password_hash(check_password(password, username, values["display_name"]))
    if user.id is not None and (password is not None or not values.get("active", True)):
        user.end_sessions()  # a deactivated account, or one with a new password, is signed out everywhere
    return save(session, actor, user, values, USER_FIELDS, "user", office_id, {"user": username})


def reset_password(session: Session, actor: User, user: User, password: str) -> None:
    """Set a new password for a member of staff (the log says it was reset, never what to)."""
    if not may_manage(actor, user):
        raise Refused("not_your_staff", 403)
    user.password_hash = generate_password_hash(check_password(password, user.username, user.display_name))
    user.end_sessions()
    record(session, actor, "admin.user.password_reset", {"user": user.username, "id": user.id}, office_id=user.office_id)
