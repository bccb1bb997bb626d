"""The last step of every sign-in (password alone, or password then code): one place for what it sets."""
from __future__ import annotations

from flask import Response, redirect, session, url_for
from flask_login import login_user

from kezek.audit import record
from kezek.auth import throttle
from kezek.extensions import db
from kezek.models import User
from kezek.security import warn_plain_sign_in


def finish_sign_in(user: User, target: str | None, details: dict) -> Response:
    """Sign `user` in, log it, and send them on to `target` (already checked to be of this site)."""
    session.permanent = True  # ends after PERMANENT_SESSION_LIFETIME without a request (idle time)
    login_user(user)
    record(db.session, user, "login", details)
    db.session.commit()
    answer = redirect(target or url_for("home.index"))
    throttle.remember_device(answer, user.username)
    warn_plain_sign_in()
    return answer
