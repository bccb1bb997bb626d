"""Two-factor sign-in rules (no Flask): enrol an authenticator app, check its six-digit codes once each."""
from __future__ import annotations

from datetime import datetime

import pyotp
import segno
from sqlalchemy.orm import Session

from kezek.models import TwoFactor, User

ISSUER = "Kezek"
# A code is accepted from the step before to the step after the server's (clocks drift by a few seconds).
WINDOW = 1


def state(session: Session, user: User) -> TwoFactor | None:
    """The account's two-factor row, if it has one."""
    return session.get(TwoFactor, user.id)


def is_enabled(session: Session, user: User) -> bool:
    """Whether signing in as `user` asks for an authenticator code."""
    row = state(session, user)
    return row is not None and row.secret is not None


def start_enrolment(session: Session, user: User) -> str:
    """The secret being enrolled (a new one unless enrolment is already under way); the caller commits."""
    row = state(session, user) or TwoFactor(user_id=user.id, last_step=0)
    if row.pending is None:
        row.pending = pyotp.random_base32()
    session.add(row)
    return row.pending


def enrolment_uri(secret: str, user: User) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_data_uri(uri: str) -> str:
    """The QR code of `uri` as an SVG data: address, drawn here (nothing loaded from elsewhere)."""
    return segno.make(uri, error="m").svg_data_uri(scale=5, border=2)


def _accepted_step(secret: str, code: str, now: datetime, last_step: int) -> int | None:
    """The time step `code` belongs to, if it is valid now and newer than `last_step`."""
    code = (code or "").replace(" ", "")
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in range(current - WINDOW, current + WINDOW + 1):
        if step > last_step and pyotp.utils.strings_equal(code, totp.generate_otp(step)):
            return step
    return None


def confirm_enrolment(session: Session, user: User, code: str, now: datetime) -> bool:
    """Turn two-factor sign-in on if `code` comes from the app being enrolled; the caller commits."""
    row = state(session, user)
    if row is None or row.pending is None:
        return False
    step = _accepted_step(row.pending, code, now, 0)
    if step is None:
        return False
    row.secret, row.pending, row.last_step, row.enabled_at = row.pending, None, step, now
    return True


def check_code(session: Session, user: User, code: str, now: datetime) -> bool:
    """Whether `code` is the account's current code, not used before (it is used up); the caller commits."""
    row = state(session, user)
    if row is None or row.secret is None:
        return False
    step = _accepted_step(row.secret, code, now, row.last_step)
    if step is None:
        return False
    row.last_step = step
    return True


def turn_off(session: Session, user: User) -> None:
    """Remove the account's authenticator (sign-in asks for the password only); the caller commits."""
    row = state(session, user)
    if row is not None:
        session.delete(row)
