"""Editing a directory entry (administrators of its district or the region), with a history of every change."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kezek.clock import app_now
from directory import bp
from directory.hours import WEEK
from directory.editing import apply_changes, form_values, parse_changes, parse_resolved
from directory.forms import EditEntryForm
from directory.routes import KINDS, _entry_or_404
from kezek.access import may_edit_district, roles_required
from kezek.extensions import db
from kezek.models import ADMIN


def _form(entry, formdata=None) -> EditEntryForm:
    return EditEntryForm(formdata=formdata, data=None if formdata else form_values(entry))


def _page(entry, form, errors=None, status=200):
    days = request.form.getlist("hours_days") if errors else form_values(entry)["hours_days"]
    return render_template("directory/edit.html", entry=entry, form=form, errors=errors or {},
                           week=WEEK, checked_days=days), status


@bp.route(f"/<{KINDS}:kind>/<district>/edit", methods=["GET", "POST"])
@roles_required(ADMIN)
def edit(kind: str, district: str):
    """Show the entry's form and history; save what changed."""
    entry = _entry_or_404(kind, district)
    if not may_edit_district(entry.district):
        abort(403)
    if request.method == "GET":
        return _page(entry, _form(entry))
    form = _form(entry, request.form)
    if not form.validate():
        return _page(entry, form, {name: "too_long" for name in form.errors if name != "csrf_token"} or
                     {"form": "expired"}, 400)
    sent = {name: value for name, value in form.data.items() if name in request.form}
    if any(key.startswith("hours_") for key in request.form):
        sent["hours_days"] = request.form.getlist("hours_days")
    changes, errors = parse_changes(entry, sent)
    resolved, problem = parse_resolved(entry, request.form.getlist("resolved"))
    if problem:
        errors["resolved"] = problem
    if errors:
        return _page(entry, form, errors, 400)
    rows = apply_changes(db.session, entry, changes, resolved, current_user, app_now())
    db.session.commit()
    flash(_("Saved.") if rows else _("Nothing was changed."), "ok")
    return redirect(url_for(".edit", kind=kind, district=district), 303)
