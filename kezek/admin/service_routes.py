"""Services and their visit kinds: names, wait limits, service terms, ticket prefixes, documents to bring."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from kezek.admin import bp
from kezek.admin.forms import ButtonForm, ServiceForm, VisitKindForm
from kezek.admin.guards import (
    delete_visit_kind, documents_as_lines, documents_from_lines, open_tickets, save_service, save_visit_kind,
)
from kezek.admin.rules import Refused
from kezek.admin.view_helpers import refused_page, require_regional, submit
from kezek.admin.warnings import visit_kind_warnings
from kezek.extensions import db
from kezek.models import Service, VisitKind

KIND_FORM_FIELDS = ("kind", "name_kk", "name_ru", "name_en", "prefix", "wait_limit_minutes",
                    "default_service_minutes", "accepting")


@bp.get("/services")
def services():
    """Every service with its visit kinds, limits and prefixes (shared by all offices)."""
    rows = db.session.scalars(select(Service).order_by(Service.position, Service.id)).all()
    waiting = {kind.id: open_tickets(db.session, kind) for service in rows for kind in service.visit_kinds}
    return render_template("admin/services.html", services=rows, waiting=waiting)


@bp.route("/services/new", methods=["GET", "POST"], defaults={"service_id": None})
@bp.route("/services/<int:service_id>", methods=["GET", "POST"])
def service(service_id: int | None):
    """Add or change a service (regional administrators: the standards are the region's)."""
    require_regional()
    row = db.session.get(Service, service_id) if service_id else None
    if service_id and row is None:
        abort(404)
    form = ServiceForm(obj=row)

    def page(error=None):
        return render_template("admin/form.html", form=form, error=error, row=row, title_key="service")

    if request.method == "GET":
        return page()
    values = {name: getattr(form, name).data for name in ("code", "name_kk", "name_ru", "name_en",
                                                          "service_term_days")}
    return submit(form, lambda: save_service(db.session, current_user, row or Service(), values), page,
                  lambda _c: url_for(".services"))


def _kind_form(row: VisitKind | None) -> VisitKindForm:
    if row is None or request.method == "POST":
        return VisitKindForm(obj=row)
    lines = {f"documents_{lang}": documents_as_lines(row.documents, lang) for lang in ("kk", "ru", "en")}
    return VisitKindForm(obj=row, **lines)


@bp.route("/services/<int:service_id>/kinds/new", methods=["GET", "POST"], defaults={"kind_id": None})
@bp.route("/kinds/<int:kind_id>", methods=["GET", "POST"], defaults={"service_id": None})
def visit_kind(service_id: int | None, kind_id: int | None):
    """Add or change a visit kind; a new wait limit applies to tickets issued from now on."""
    require_regional()
    row = db.session.get(VisitKind, kind_id) if kind_id is not None else None
    parent = row.service if row else (db.session.get(Service, service_id) if service_id is not None else None)
    if parent is None or (kind_id is not None and row is None):
        abort(404)
    form = _kind_form(row)

    def page(error=None):
        return render_template("admin/form.html", form=form, error=error, row=row, service=parent,
                               title_key="visit_kind", delete_form=ButtonForm())

    if request.method == "GET":
        return page()

    def apply():
        values = {name: getattr(form, name).data for name in KIND_FORM_FIELDS}
        values["documents"] = documents_from_lines(form.documents_kk.data, form.documents_ru.data,
                                                   form.documents_en.data)
        values["service_id"] = parent.id
        if row is None:
            values["position"] = len(parent.visit_kinds)
        return save_visit_kind(db.session, current_user, row or VisitKind(), values)

    def warnings():
        return visit_kind_warnings(parent, {"kind": form.kind.data, "wait_limit_minutes": form.wait_limit_minutes.data})

    return submit(form, apply, page, lambda _c: url_for(".services"), warnings=warnings)


@bp.post("/kinds/<int:kind_id>/delete")
def remove_visit_kind(kind_id: int):
    """Delete a visit kind nobody ever took a ticket for; otherwise explain and suggest closing it."""
    require_regional()
    row = db.session.get(VisitKind, kind_id)
    if row is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        with db.write_lock:
            delete_visit_kind(db.session, current_user, row)
            db.session.commit()
    except Refused as refusal:
        return refused_page(refusal, url_for(".visit_kind", kind_id=kind_id))
    flash(_("Removed."), "ok")
    return redirect(url_for(".services"), 303)
