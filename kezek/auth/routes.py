"""Sign in (throttled) and sign out."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash

from kezek.auth import bp, throttle
from kezek.auth.forms import LoginForm
from kezek.audit import record
from kezek.extensions import db
from kezek.models import User
from kezek.security import warn_plain_sign_in

# A hash to compare against when the username is unknown, so both cases take the same time.
_UNKNOWN = "scrypt:32768:8:1$k3zek$" + "0" * 128


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths are followed after sign-in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\\\" not in target:
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@throttle.limits
def login():
    """Sign a member of staff in."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        valid = check_password_hash(user.password_hash if user else _UNKNOWN, form.password.data)
        if user is not None and valid and user.active:
            session.permanent = True  # ends after PERMANENT_SESSION_LIFETIME without a request (idle time)
            login_user(user)
            record(db.session, user, "login", {})
            db.session.commit()
            answer = redirect(_safe_next(request.args.get("next")) or url_for("home.index"))
            throttle.remember_device(answer, user.username)
            warn_plain_sign_in()
            return answer
        flash(_("Wrong username or password."), "error")
        return render_template("auth/login.html", form=form), 401
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.post("/logout")
def logout():
    """Sign out."""
    if current_user.is_authenticated:
        current_user.end_sessions()  # a copy of this cookie, and the account's other sessions, end too
        record(db.session, current_user, "logout", {})
        db.session.commit()
    logout_user()
    return redirect(url_for("auth.login"))
