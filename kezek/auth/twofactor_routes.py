"""Two-factor sign-in: enrolling an authenticator app, and the code asked for after the right password."""
from __future__ import annotations

from datetime import datetime

import click
from flask import abort, current_app, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from kezek.clock import app_now
from kezek import twofactor
from kezek.audit import record
from kezek.auth import bp
from kezek.auth.forms import CodeForm
from kezek.auth.signin import finish_sign_in
from kezek.extensions import db, limiter
from kezek.models import User

# What the session holds between the right password and the code (nobody is signed in meanwhile).
PENDING_USER, PENDING_NEXT, PENDING_SINCE, PENDING_TRIES = "2fa_user", "2fa_next", "2fa_since", "2fa_tries"
CODE_SECONDS = 300
MOST_TRIES = 5


def _forget_pending() -> None:
    for key in (PENDING_USER, PENDING_NEXT, PENDING_SINCE, PENDING_TRIES):
        session.pop(key, None)


def ask_for_code(user: User, target: str | None):
    """After the right password of an account with two-factor sign-in: remember who, ask for the code."""
    _forget_pending()
    session.update({PENDING_USER: user.id, PENDING_NEXT: target, PENDING_SINCE: app_now().timestamp(),
                    PENDING_TRIES: 0})
    return redirect(url_for("auth.code"))


def _pending_user() -> User | None:
    user_id, since = session.get(PENDING_USER), session.get(PENDING_SINCE)
    if not isinstance(user_id, int) or not isinstance(since, (int, float)):
        return None
    if not 0 <= app_now().timestamp() - since <= CODE_SECONDS:
        return None
    user = db.session.get(User, user_id)
    return user if user is not None and user.active else None


def _pending_account() -> str:
    """The rate-limit key of code attempts: the account being signed in to, whichever address tries."""
    return f"two-factor:{session.get(PENDING_USER)}"


@bp.route("/login/code", methods=["GET", "POST"])
@limiter.limit("10 per minute; 50 per hour", methods=["POST"])
@limiter.limit("30 per hour", methods=["POST"], key_func=_pending_account)
def code():
    """The second step of signing in: the code of the account's authenticator app."""
    user = _pending_user()
    if user is None:
        _forget_pending()
        flash(_("Sign in again: the time for the code ran out."), "error")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    if form.validate_on_submit():
        if twofactor.check_code(db.session, user, form.code.data, app_now()):
            target = session.get(PENDING_NEXT)
            _forget_pending()
            return finish_sign_in(user, target, {"two_factor": True})
        db.session.rollback()
        session[PENDING_TRIES] = session.get(PENDING_TRIES, 0) + 1
        if session[PENDING_TRIES] >= MOST_TRIES:
            _forget_pending()
            flash(_("Too many wrong codes. Sign in again."), "error")
            return redirect(url_for("auth.login"))
        flash(_("Wrong code. Type the six digits the app shows now."), "error")
        return render_template("auth/code.html", form=form), 401
    return render_template("auth/code.html", form=form), 400 if form.errors else 200


@bp.route("/account/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Turn two-factor sign-in on (scan the QR code, type a code) or off (type a code)."""
    form = CodeForm()
    enabled = twofactor.is_enabled(db.session, current_user)
    if form.validate_on_submit():
        if enabled and twofactor.check_code(db.session, current_user, form.code.data, app_now()):
            twofactor.turn_off(db.session, current_user)
            record(db.session, current_user, "auth.two_factor.off", {}, office_id=current_user.office_id)
            db.session.commit()
            flash(_("Two-factor sign-in is off."), "ok")
            return redirect(url_for("auth.two_factor"), 303)
        if not enabled and twofactor.confirm_enrolment(db.session, current_user, form.code.data, app_now()):
            record(db.session, current_user, "auth.two_factor.on", {}, office_id=current_user.office_id)
            db.session.commit()
            flash(_("Two-factor sign-in is on: from now on, signing in asks for a code from the app."), "ok")
            return redirect(url_for("auth.two_factor"), 303)
        db.session.rollback()
        flash(_("Wrong code. Type the six digits the app shows now."), "error")
    status = 400 if form.is_submitted() else 200
    if enabled:
        return render_template("auth/two_factor.html", form=form, enabled=True), status
    row = twofactor.state(db.session, current_user)
    if form.is_submitted() and (row is None or row.pending is None):
        abort(400)  # a refused form changes nothing: only opening the page starts an enrolment
    secret = twofactor.start_enrolment(db.session, current_user)
    db.session.commit()
    uri = twofactor.enrolment_uri(secret, current_user)
    return render_template("auth/two_factor.html", form=form, enabled=False, qr=twofactor.qr_data_uri(uri),
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4))), status


@bp.cli.command("reset-two-factor")
@click.argument("username")
def reset_two_factor_command(username):
    """Turn off two-factor sign-in of an account whose phone is lost (it signs in with the password again)."""
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"no account {username!r}")
    twofactor.turn_off(db.session, user)
    record(db.session, None, "auth.two_factor.reset", {"user": username}, office_id=user.office_id)
    db.session.commit()
    click.echo(f"Two-factor sign-in of {username} is off.")
