"""Down-sync of the office's staff accounts (no Flask): user name, name, role, password hash, active flag and
the confirmed two-factor secret.

Only the centre changes them (kezek.nodes.down says who may change what where). An account is
matched by user name. When the centre disabled an account, gave it a new password or another role,
or no longer has it for the office, its sessions at the node end at once, and a disabled account
cannot sign in at the node from that version on. An account that signs in with an authenticator code at
the centre does so at the node too, with the same authenticator (its confirmed secret travels, over the
node's HTTPS link); one whose second step the centre turned off has none at the node either. The node
keeps the rest of an account (an enrolment in progress, its alert address) as it is.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import ROLES, Office, TwoFactor, User, utcnow

STAFF_FIELDS = ("username", "display_name", "password_hash", "role", "active")
SECOND_STEP = "two_factor"  # the confirmed authenticator secret, or None


def staff_of(session: Session, office: Office) -> list[dict]:
    """The office's staff accounts as JSON values."""
    users = list(session.scalars(select(User).where(User.office_id == office.id).order_by(User.username)))
    secrets = dict(
        session.execute(
            select(TwoFactor.user_id, TwoFactor.secret).where(
                TwoFactor.user_id.in_([user.id for user in users]), TwoFactor.secret.is_not(None)
            )
        ).all()
    )
    return [
        {**{name: getattr(user, name) for name in STAFF_FIELDS}, SECOND_STEP: secrets.get(user.id)} for user in users
    ]


def _checked(staff: object) -> list[dict]:
    fields = {*STAFF_FIELDS, SECOND_STEP}
    if not isinstance(staff, list) or not all(isinstance(row, dict) and set(row) == fields for row in staff):
        raise ValueError("the centre's staff accounts have not the expected fields")
    for row in staff:
        if row["role"] not in ROLES or not isinstance(row["active"], bool):
            raise ValueError(f"the centre's account {row['username']!r} has an unknown role")
        if not isinstance(row["username"], str) or not isinstance(row["password_hash"], str):
            raise TypeError("a user name and a password hash are text")
        if row[SECOND_STEP] is not None and not (isinstance(row[SECOND_STEP], str) and len(row[SECOND_STEP]) <= 64):
            raise TypeError("an authenticator secret is text of at most 64 characters")
    return staff


def take_staff(session: Session, office: Office, staff: object, first: bool = False) -> None:
    """Make the office's accounts at the node the centre's `staff`. The caller commits.

    `first`: the node's first version. Its accounts were set up here with hashes of their own (the same
    password gives another hash), so a different hash alone ends no session then.
    """
    rows = _checked(staff)
    names = [row["username"] for row in rows]
    found = {user.username: user for user in session.scalars(select(User).where(User.username.in_(names)))}
    for row in rows:
        user = found.get(row["username"])
        if user is None:
            user = User(username=row["username"], office_id=office.id)
            session.add(user)
        ends = user.id is not None and (
            (user.password_hash != row["password_hash"] and not first) or user.role != row["role"] or not row["active"]
        )
        for name in STAFF_FIELDS:
            setattr(user, name, row[name])
        user.office_id = office.id
        if _take_second_step(session, user, row[SECOND_STEP]) or ends:
            user.end_sessions()
    gone = select(User).where(User.office_id == office.id, User.active.is_(True), User.username.not_in(names))
    for user in session.scalars(gone):
        user.active = False  # the centre moved or removed the account
        user.end_sessions()


def _take_second_step(session: Session, user: User, secret: str | None) -> bool:
    """Give `user` at the node the centre's authenticator secret (or none); True when it changed."""
    if user.id is None:
        session.flush()  # a new account: its id for its authenticator row
    row = session.get(TwoFactor, user.id)
    if (row.secret if row is not None else None) == secret:
        return False
    if row is None:
        row = TwoFactor(user_id=user.id)
        session.add(row)
    row.secret, row.enabled_at = secret, (utcnow() if secret else None)
    return True
