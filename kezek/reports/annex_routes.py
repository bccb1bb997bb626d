"""Annex 2 table (view, edit, XLSX) and the decision dates clerks record for handed-in cases."""
from __future__ import annotations

import io
from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from kezek.clock import app_now
from kezek.access import roles_required
from kezek.audit import record
from kezek.extensions import db
from kezek.inputs import query_id
from kezek.home import current_lang, localized
from kezek.models import ADMIN, CLERK, MANAGER, REGIONAL_MANAGER, Office, Service
from kezek.reports import bp
from kezek.reports.annex2 import CODES, GROUPS, REGION, save, table
from kezek.reports.decisions import cases, record_decision
from kezek.reports.exports import Sheet, write_xlsx
from kezek.reports.forms import Annex2EntryForm, Annex2FilterForm, DecisionForm
from kezek.reports.scope import MANAGERS, is_regional, offices_in_reach, rolled_up, today


def annex_scope() -> tuple[Service, int, int]:
    """The service, year and scope (office id or REGION) asked for, within the user's reach."""
    form = Annex2FilterForm(request.args)
    if not form.validate():
        abort(400)
    services = db.session.scalars(select(Service).order_by(Service.position)).all()
    service = db.session.get(Service, form.service.data) if form.service.data else services[0]
    if service is None:
        abort(404)
    year = form.year.data or today().year
    if form.office.data is not None:
        if db.session.get(Office, form.office.data) is None:
            abort(404)
        if not current_user.may_see_office(form.office.data):
            abort(403)
        return service, year, form.office.data
    return service, year, REGION if is_regional() else current_user.office_id


def current_table(service: Service, year: int, scope: int):
    """The annex 2 rows, after rolling up the year's closed months where that is still to do."""
    rolled_up(date(year, 1, 1), date(year, 12, 31), None if scope == REGION else [scope])
    return table(db.session, service, year, scope, today())


@bp.get("/annex2")
@roles_required(*MANAGERS)
def annex2_page():
    """The annex 2 table of one service and reporting year, measured where the system can, entered otherwise."""
    service, year, scope = annex_scope()
    rows = current_table(service, year, scope)
    services = db.session.scalars(select(Service).order_by(Service.position)).all()
    return render_template("reports/annex2.html", rows=rows, groups=GROUPS, service=service, year=year, scope=scope,
                           services=services, offices=offices_in_reach(), regional=is_regional(), form=Annex2EntryForm())


@bp.post("/annex2")
@roles_required(*MANAGERS)
def annex2_save():
    """Store a manager's figures for one indicator, with who and when."""
    service, year, scope = annex_scope()
    if scope == REGION and not is_regional():
        abort(403)
    form = Annex2EntryForm()
    if not form.validate_on_submit() or form.indicator.data not in CODES:
        abort(400)
    with db.write_lock:
        save(db.session, service.id, year, scope, form.indicator.data, current_user, app_now(),
             normative=form.normative.data, target=form.target.data, value=form.value.data)
        record(db.session, current_user, "reports.annex2.save", {
            "service": service.code, "year": year, "scope": scope, "indicator": form.indicator.data,
            "normative": form.normative.data, "target": form.target.data, "value": form.value.data,
        }, office_id=scope or None, at=app_now())
        db.session.commit()
    flash(_("Saved."))
    return redirect(url_for(".annex2_page", service=service.id, year=year, office=scope or None), 303)


@bp.get("/annex2.xlsx")
@roles_required(*MANAGERS)
def annex2_xlsx():
    """The annex 2 table as an XLSX workbook."""
    service, year, scope = annex_scope()
    lang = current_lang()
    rows = []
    for row in current_table(service, year, scope):
        rows.append([row.code, row.names.get(lang) or row.names["kk"], row.normative, row.target, row.value,
                     _("measured") if row.measured else row.entered_by,
                     f"{row.numerator} / {row.denominator}" if row.measured else ""])
        if row.code == "1.2":  # beside the 40-minute rule of annex 2, each legal limit, as the page shows
            for b in row.beside:
                label = (_("Legal limit for handing in, %(limit)s min", limit=b["limit"]) if b["hand_in"] else
                         _("Legal limit for collecting, %(limit)s min", limit=b["limit"]))
                rows.append(["1.2", label, None, None, b["share"], _("measured"), f"{b['within']} / {b['called']}"])
    header = [_("Indicator"), _("Quality and accessibility indicator"), _("Normative value"), _("Next year's target"),
              _("Current value in the reporting year"), _("Source"), _("Counted")]
    office = db.session.get(Office, scope) if scope != REGION else None
    heading = [_("Annex 2: quality and accessibility indicators of the public service"), localized(service),
               localized(office) if office else _("All offices of the region"), _("Year %(year)s", year=year)]
    target = io.BytesIO()
    write_xlsx(target, [Sheet(f"{service.code} {year}", header, rows, (8, 80, 12, 12, 14, 16, 14), heading)])
    with db.write_lock:
        record(db.session, current_user, "reports.export.annex2.xlsx", {"service": service.code, "year": year,
                                                                       "scope": scope}, office_id=scope or None, at=app_now())
        db.session.commit()
    target.seek(0)
    return send_file(target, as_attachment=True, download_name=f"kezek-annex2-{service.code}-{year}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


DECIDERS = (CLERK, MANAGER, REGIONAL_MANAGER, ADMIN)


def decision_office() -> int:
    """The office whose cases are shown: the user's own, or the one a regional user picked."""
    office_id = current_user.office_id or query_id("office")
    if office_id is None or db.session.get(Office, office_id) is None:
        abort(404)
    if not current_user.may_see_office(office_id):
        abort(403)
    return office_id


@bp.get("/decisions")
@roles_required(*DECIDERS)
def decisions_page():
    """Served hand-ins of the last 60 days with their decision dates, for clerks to fill in."""
    office_id = decision_office()
    last = today()
    rows = cases(db.session, office_id, last - timedelta(days=60), last)
    return render_template("reports/decisions.html", rows=rows, office=db.session.get(Office, office_id),
                           form=DecisionForm(), today=last)


@bp.post("/decisions")
@roles_required(*DECIDERS)
def decisions_save():
    """Record the date the office decided on a handed-in case."""
    office_id = decision_office()
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    with db.write_lock:
        decision = record_decision(db.session, office_id, form.ticket_id.data, form.decided_on.data, current_user,
                                   app_now(), today())
        record(db.session, current_user, "reports.decision", {"ticket": decision.ticket_id,
                                                             "decided_on": form.decided_on.data.isoformat()},
               office_id=office_id, at=app_now())
        db.session.commit()
    flash(_("Decision date saved."))
    return redirect(url_for(".decisions_page", office=office_id if not current_user.office_id else None), 303)
