"""An office's cabinets, kiosks (printer state, test page) and hours, holidays and own calendar days."""
from __future__ import annotations

from datetime import timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from kezek.clock import app_now
from kezek.admin import bp
from kezek.admin.forms import ButtonForm, CabinetForm, CalendarDayForm, KioskForm, WeekForm, options
from kezek.admin.guards import delete_cabinet, save_cabinet
from kezek.admin.offices import (
    KIOSK_FIELDS, PAPER_WIDTHS, calendar, delete_day, public_holidays, save_day, save_kiosk, set_week,
)
from kezek.admin.rules import Refused
from kezek.admin.view_helpers import office_or_404, refused_page, submit
from kezek.admin.warnings import cabinet_warnings
from kezek.admin.words import holiday_name
from kezek.audit import record
from kezek.extensions import db
from kezek.models import CalendarDay, Cabinet, Kiosk, Office, VisitKind
from kezek.printer_access import current_policy, staff_statuses
from kezek.printing import is_agent, printer_states, printer_url
from kezek.queue.changes import changed
from kezek.queue.hours import local_now
from kezek.realtime import publish


def _owned(model, row_id: int | None, slug: str | None = None):
    """The row and its office (the office called `slug` and no row when adding one); 404/403 as due."""
    if row_id is None:
        return None, office_or_404(slug)
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    office = db.session.get(Office, row.office_id)
    return row, office_or_404(office.slug)


def _cabinet_form(cabinet: Cabinet | None) -> CabinetForm:
    form = CabinetForm(obj=cabinet, data=None if cabinet else {"active": True})
    kinds = db.session.scalars(select(VisitKind).order_by(VisitKind.service_id, VisitKind.position)).all()
    form.visit_kinds.choices = options(
        (kind.id, f"{kind.prefix} · {kind.name(_lang())} · {kind.service.name(_lang())}") for kind in kinds)
    if cabinet is not None and request.method == "GET":
        form.visit_kinds.data = [kind.id for kind in cabinet.visit_kinds]
    return form


def _lang() -> str:
    from kezek.home import current_lang

    return current_lang()


@bp.route("/offices/<slug>/cabinets/new", methods=["GET", "POST"], defaults={"cabinet_id": None})
@bp.route("/cabinets/<int:cabinet_id>", methods=["GET", "POST"], defaults={"slug": None})
def cabinet(slug: str | None, cabinet_id: int | None):
    """Add or change a cabinet: its number, the visits it serves, whether it is in use."""
    row, office = _owned(Cabinet, cabinet_id, slug)
    form = _cabinet_form(row)

    def page(error=None):
        return render_template("admin/form.html", form=form, error=error, office=office, row=row,
                               title_key="cabinet", delete_form=ButtonForm())

    if request.method == "GET":
        return page()

    def apply():
        kinds = [db.session.get(VisitKind, kind_id) for kind_id in form.visit_kinds.data or []]
        values = {"number": form.number.data, "visit_kinds": [k for k in kinds if k], "active": form.active.data}
        return save_cabinet(db.session, current_user, row or Cabinet(office_id=office.id), values)

    def warnings():
        kinds = [db.session.get(VisitKind, kind_id) for kind_id in form.visit_kinds.data or []]
        return cabinet_warnings(db.session, office, row, {"visit_kinds": kinds, "active": form.active.data})

    return submit(form, apply, page, lambda _c: url_for(".office", slug=office.slug), office_id=office.id,
                  warnings=warnings)


@bp.post("/cabinets/<int:cabinet_id>/delete")
def remove_cabinet(cabinet_id: int):
    """Remove a cabinet nobody is served at and the log never named; otherwise say why not."""
    row, office = _owned(Cabinet, cabinet_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    try:
        with db.write_lock:
            delete_cabinet(db.session, current_user, row)
            change = changed(db.session, office.id, "cabinet")
            db.session.commit()
    except Refused as refusal:
        return refused_page(refusal, url_for(".cabinet", cabinet_id=cabinet_id))
    publish(change)
    flash(_("Removed."), "ok")
    return redirect(url_for(".office", slug=office.slug), 303)


@bp.route("/offices/<slug>/kiosks/new", methods=["GET", "POST"], defaults={"kiosk_id": None})
@bp.route("/kiosks/<int:kiosk_id>", methods=["GET", "POST"], defaults={"slug": None})
def kiosk(slug: str | None, kiosk_id: int | None):
    """Add or change a kiosk and its printer; shows the printer's state and a test page button."""
    row, office = _owned(Kiosk, kiosk_id, slug)
    form = KioskForm(obj=row)

    def page(error=None):
        state = None
        if row is not None:
            (state,) = printer_states(db.session, [row], current_app.config["PRINTER_URL"],
                                      timeout=float(current_app.config.get("PRINTER_STATUS_TIMEOUT", 1.0)),
                                      ask=staff_statuses)
        return render_template("admin/kiosk.html", form=form, error=error, office=office, row=row, state=state,
                               test_form=ButtonForm())

    if request.method == "GET":
        return page()
    values = {field: getattr(form, field).data for field in KIOSK_FIELDS}
    policy = current_policy()
    return submit(form, lambda: save_kiosk(db.session, current_user, row or Kiosk(office_id=office.id), values, policy),
                  page, lambda _c: url_for(".office", slug=office.slug))


@bp.post("/kiosks/<int:kiosk_id>/test-page")
def test_page(kiosk_id: int):
    """Print the test page on the kiosk's printer now, and say whether it went."""
    from printer import PrinterError, build_test_page

    row, office = _owned(Kiosk, kiosk_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    url = printer_url(row, current_app.config["PRINTER_URL"])
    if is_agent(url):
        flash(_("This kiosk prints through a print agent on the kiosk PC: print the test page there."), "error")
        return redirect(url_for(".kiosk", kiosk_id=row.id), 303)
    try:
        data = build_test_page(row.printer_profile, PAPER_WIDTHS.get(row.paper_width_mm))
        current_policy().open(url, timeout=float(current_app.config.get("PRINTER_TIMEOUT", 5.0))).send(data)
        outcome, status = "printed", 303
    except PrinterError as error:
        outcome, status = error.reason, 502
    except ValueError:
        outcome, status = "bad_profile", 502
    record(db.session, current_user, "admin.kiosk.test_page", {"kiosk": row.slug, "outcome": outcome},
           office_id=office.id)
    db.session.commit()
    if status == 303:
        flash(_("The test page was sent to the printer."), "ok")
        return redirect(url_for(".kiosk", kiosk_id=row.id), 303)
    flash(_("The printer did not take the test page (%(reason)s).", reason=outcome), "error")
    return redirect(url_for(".kiosk", kiosk_id=row.id), 303)


def _week_form(office: Office, from_request: bool = True) -> WeekForm:
    if from_request and request.method == "POST":
        return WeekForm()
    rows = {row.weekday: row for row in office.hours}
    fields = ("opens", "closes", "lunch_start", "lunch_end")
    days = [{"open": day in rows, **{name: getattr(rows.get(day), name, None) for name in fields}} for day in range(7)]
    return WeekForm(formdata=None, data={"days": days})


def _hours_page(office: Office, form: WeekForm, day_form: CalendarDayForm, error: str | None = None) -> str:
    today = local_now(office, app_now()).date()
    return render_template(
        "admin/hours.html", office=office, form=form, error=error, day_form=day_form,
        holidays=[(day, holiday_name(english, kazakh))
                  for day, english, kazakh in public_holidays([today.year, today.year + 1]) if day >= today],
        exceptions={row.day: row for row in calendar(db.session, office, today - timedelta(days=31))},
        delete_form=ButtonForm(),
    )


@bp.route("/offices/<slug>/hours", methods=["GET", "POST"])
def hours(slug: str):
    """The office's week, Kazakhstan's public holidays, and the office's own closed or changed days."""
    office = office_or_404(slug)
    form = _week_form(office)

    def page(error=None):
        return _hours_page(office, form, CalendarDayForm(formdata=None), error)

    if request.method == "GET":
        return page()

    def apply():
        week = {}
        for weekday, entry in enumerate(form.days.entries):
            day = entry.form
            opened = (day.opens.data, day.closes.data, day.lunch_start.data, day.lunch_end.data)
            week[weekday] = opened if day.open.data else None
        return set_week(db.session, current_user, office, week)

    return submit(form, apply, page, lambda _c: url_for(".hours", slug=office.slug), office_id=office.id)


@bp.post("/offices/<slug>/days")
def add_day(slug: str):
    """Add or change the office's exception for one date."""
    office = office_or_404(slug)
    form = CalendarDayForm()

    def page(error=None):
        return _hours_page(office, _week_form(office, from_request=False), form, error)

    values = {name: getattr(form, name).data for name in ("day", "closed", "opens", "closes", "note")}
    return submit(form, lambda: save_day(db.session, current_user, office, values), page,
                  lambda _row: url_for(".hours", slug=office.slug), office_id=office.id)


@bp.post("/days/<int:day_id>/delete")
def remove_day(day_id: int):
    """Drop one of the office's own calendar days."""
    row, office = _owned(CalendarDay, day_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with db.write_lock:
        delete_day(db.session, current_user, row)
        change = changed(db.session, office.id, "cabinet")
        db.session.commit()
    publish(change)
    flash(_("Removed."), "ok")
    return redirect(url_for(".hours", slug=office.slug), 303)
