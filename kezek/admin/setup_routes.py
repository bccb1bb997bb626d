"""The setup wizard of a fresh production installation: the first administrator and the offices to enable."""
from __future__ import annotations

from flask import redirect, render_template, request, session, url_for
from flask_login import login_user

from kezek.admin import bp
from kezek.admin.forms import SetupForm, options
from kezek.admin.routes import setup_needed
from kezek.admin.first_start import complete_setup, seed_offices
from kezek.admin.view_helpers import submit
from kezek.extensions import db
from kezek.services import current_services
from kezek.home import localized


@bp.route("/setup", methods=["GET", "POST"])
def setup():
    """Create the first administrator and choose the offices; only while no account exists (never in a demo)."""
    if not setup_needed():
        return redirect(url_for("auth.login"))
    with db.write_lock:
        offices = seed_offices(db.session)
        db.session.commit()  # the seed's offices, if `kezek load-seed` was not run
    form = SetupForm(data=None if request.method == "POST" else {"offices": [o.slug for o in offices]})
    form.offices.choices = options((office.slug, localized(office)) for office in offices)

    def page(error=None):
        return render_template("admin/setup.html", form=form, error=error)

    if request.method == "GET":
        return page()

    def apply():
        return complete_setup(db.session, form.username.data, form.password.data, form.display_name.data or "",
                              form.offices.data or [])

    def done(user):
        current_services().admin_set_up = True
        session.permanent = True
        login_user(user)
        return url_for(".index")

    return submit(form, apply, page, done)
