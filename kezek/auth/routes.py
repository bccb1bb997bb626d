"""Sign in (throttled) and sign out."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash

from kezek import twofactor
from kezek.auth import bp, throttle
from kezek.auth.forms import LoginForm
from kezek.auth.redirects import safe_next
from kezek.auth.signin import finish_sign_in
from kezek.auth.twofactor_routes import ask_for_code
from kezek.audit import record
from kezek.extensions import db
from kezek.models import User

# A hash to compare against when the username is unknown, so both cases take the same time.
_UNKNOWN = "scrypt:32768:8:1$k3zek$" + "0" * 128


@bp.route("/login", methods=["GET", "POST"])
@throttle.limits
def login():
    """Sign a member of staff in."""
    form = LoginForm()
    if form.validate_on_submit():
        user = db.session.scalar(select(User).where(User.username == form.username.data.strip()))
        valid = check_password_hash(user.password_hash if user else _UNKNOWN, form.password.data)
        if user is not None and valid and user.active:
            if twofactor.is_enabled(db.session, user):
                return ask_for_code(user, safe_next(request.args.get("next")))
            return finish_sign_in(user, safe_next(request.args.get("next")), {})
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
