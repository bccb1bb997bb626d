"""Administration: who may enter, the overview of offices, an office's page and settings, the audit log."""
from __future__ import annotations

import csv
import io
import json
from zoneinfo import ZoneInfo

from flask import Response, abort, current_app, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user
from sqlalchemy import func, select

from kezek.admin import bp
from kezek.admin.audit_words import Names, changes, sentence
from kezek.admin.warnings import office_warnings
from kezek.admin.forms import ButtonForm, OfficeForm
from kezek.admin.offices import OFFICE_FIELDS, create_office, save_office
from kezek.admin.first_start import needs_setup
from kezek.admin.users import is_regional_admin
from kezek.admin.view_helpers import managed_offices, office_or_404, require_regional, submit
from kezek.extensions import db, login_manager
from kezek.inputs import query_id
from kezek.models import ADMIN, AuditEntry, Cabinet, Kiosk, Office, User
from kezek.services import current_services

AUDIT_PAGE = 50
OPEN_ENDPOINTS = ("admin.setup",)


def setup_needed() -> bool:
    """Whether this installation still needs its first administrator (never a demo one)."""
    found = current_services()
    if found.admin_set_up:
        return False
    needed = needs_setup(db.session, bool(current_app.config.get("DEMO")))
    if not needed:
        found.admin_set_up = True  # accounts are never all deleted from the browser
    return needed


@bp.app_template_global("setup_needed")
def setup_needed_global() -> bool:
    """For the start page: offer the setup wizard on a fresh production installation."""
    return setup_needed()


@bp.before_app_request
def first_start_wizard():
    """On a fresh production installation, the administration pages lead to the setup wizard."""
    endpoint = request.endpoint or ""
    if endpoint.startswith("admin.") and endpoint not in OPEN_ENDPOINTS:
        if setup_needed():
            return redirect(url_for("admin.setup"))
    return None


@bp.before_request
def administrators_only():
    """Every administration page but the wizard is for administrators."""
    if request.endpoint in OPEN_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if current_user.role != ADMIN:
        abort(403)
    return None


@bp.get("/")
def index():
    """Regional administrators see every office; an office's administrator goes to their office."""
    if not is_regional_admin(current_user):
        office = db.session.get(Office, current_user.office_id)
        return redirect(url_for(".office", slug=office.slug))
    offices = managed_offices()
    counts = dict(db.session.execute(select(Cabinet.office_id, func.count()).where(Cabinet.active)
                                     .group_by(Cabinet.office_id)).all())
    return render_template("admin/index.html", offices=offices, cabinet_counts=counts)


def _office_values(form: OfficeForm, new: bool) -> dict:
    fields = OFFICE_FIELDS if new else [f for f in OFFICE_FIELDS if f not in ("slug", "district")]
    if not is_regional_admin(current_user):
        fields = [f for f in fields if f != "enabled"]
    return {field: getattr(form, field).data for field in fields}


@bp.route("/offices/new", methods=["GET", "POST"])
def new_office():
    """Bring a new office online: names and queue settings (the standards' week is filled in)."""
    require_regional()
    form = OfficeForm()

    def page(error=None):
        return render_template("admin/form.html", form=form, error=error, title_key="new_office")

    if request.method == "GET":
        return page()
    return submit(form, lambda: create_office(db.session, current_user, _office_values(form, True)), page,
                  lambda office: url_for(".office", slug=office.slug))


@bp.route("/offices/<slug>", methods=["GET", "POST"])
def office(slug: str):
    """An office: its settings, cabinets, kiosks, board, hours, staff and directory entry."""
    office = office_or_404(slug)
    form = OfficeForm(obj=office)
    del form.slug, form.district
    if not is_regional_admin(current_user):
        del form.enabled

    def page(error=None):
        cabinets = db.session.scalars(select(Cabinet).where(Cabinet.office_id == office.id)
                                      .order_by(Cabinet.active.desc(), Cabinet.number)).all()
        kiosks = db.session.scalars(select(Kiosk).where(Kiosk.office_id == office.id).order_by(Kiosk.id)).all()
        staff = db.session.scalars(select(User).where(User.office_id == office.id).order_by(User.username)).all()
        return render_template("admin/office.html", office=office, form=form, error=error, cabinets=cabinets,
                               kiosks=kiosks, staff=staff, delete_form=ButtonForm())

    if request.method == "GET":
        return page()
    return submit(form, lambda: save_office(db.session, current_user, office, _office_values(form, False)), page,
                  lambda _changes: url_for(".office", slug=office.slug), office_id=office.id,
                  warnings=lambda: office_warnings(db.session, office, {"enabled": form.enabled.data}))


def _audit_query():
    """The audit entries the reader asked for (an office's administrator sees only their office)."""
    query = select(AuditEntry)
    office_id = query_id("office")
    if not is_regional_admin(current_user):
        office_id = current_user.office_id
    if office_id:
        query = query.where(AuditEntry.office_id == office_id)
    username = (request.args.get("user") or "").strip()[:80]
    if username:
        query = query.where(AuditEntry.username == username)
    return query, office_id, username


@bp.get("/audit")
def audit():
    """The audit log, newest first, filterable by office and user, 50 a page, each entry a sentence."""
    query, office_id, username = _audit_query()
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, -(-total // AUDIT_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int)), pages)
    entries = db.session.scalars(query.order_by(AuditEntry.id.desc()).offset((page - 1) * AUDIT_PAGE)
                                 .limit(AUDIT_PAGE)).all()
    offices = {office.id: office for office in managed_offices()}
    return render_template("admin/audit.html", entries=entries, offices=offices, office_id=office_id,
                           username=username, page=page, pages=pages, total=total, names=Names.load(db.session),
                           sentence=sentence, changes=changes, zone=ZoneInfo(current_app.config["TIMEZONE"]))


@bp.get("/audit.csv")
def audit_csv():
    """The filtered audit log with its codes, for programs and audits: action codes and details as recorded."""
    query, _office_id, _username = _audit_query()
    slugs = {office.id: office.slug for office in db.session.scalars(select(Office))}

    def rows():
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["at_utc", "username", "action", "office", "detail"])
        for entry in db.session.scalars(query.order_by(AuditEntry.id.desc()).execution_options(yield_per=500)):
            writer.writerow([entry.at.isoformat(), entry.username, entry.action, slugs.get(entry.office_id, ""),
                             json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)])
            yield out.getvalue()
            out.seek(0)
            out.truncate()
        yield out.getvalue()

    return Response(stream_with_context(rows()), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="kezek-audit.csv"'})
