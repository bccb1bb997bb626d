"""What a signed-in manager may report on: offices in reach, the date range asked for (Flask side)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, request
from flask_login import current_user
from sqlalchemy import select

from kezek.extensions import db
from kezek.models import ADMIN, MANAGER, REGIONAL_MANAGER, Office, Service, User, VisitKind
from kezek.reports import rollup
from kezek.reports.forms import FilterForm

MANAGERS = (MANAGER, REGIONAL_MANAGER, ADMIN)
ALMATY = ZoneInfo("Asia/Almaty")
LONGEST_RANGE = timedelta(days=3 * 366)


def now() -> datetime:
    """The app's clock (UTC)."""
    return current_app.config["CLOCK"]()


def today() -> date:
    """Today in Asia/Almaty, where the offices are."""
    return now().astimezone(ALMATY).date()


def is_regional() -> bool:
    """Whether the signed-in user sees every office."""
    return current_user.role in (REGIONAL_MANAGER, ADMIN) and current_user.office_id is None


def offices_in_reach() -> list[Office]:
    """The offices the user may pick (regional staff: all departments; others: their own)."""
    query = select(Office).where(~Office.is_regional).order_by(Office.id)
    if not is_regional():
        query = query.where(Office.id == current_user.office_id)
    return list(db.session.scalars(query))


def office_ids(requested: int | None) -> list[int] | None:
    """The offices a report covers: the one asked for (403 if out of reach), or all the user may see."""
    if requested is not None:
        if db.session.get(Office, requested) is None:
            abort(404)
        if not current_user.may_see_office(requested):
            abort(403)
        return [requested]
    return None if is_regional() else [current_user.office_id]


def parse_filters() -> tuple[FilterForm, date, date]:
    """The filter form from the query string and its date range (the last 30 days unless given); 400 if bad."""
    form = FilterForm(request.args)
    if not form.validate():
        abort(400)
    last = form.end.data or today()
    first = form.start.data or last - timedelta(days=29)
    if first > last or last - first > LONGEST_RANGE:
        abort(400)
    for field, model in ((form.service, Service), (form.visit_kind, VisitKind), (form.clerk, User)):
        if field.data is not None and db.session.get(model, field.data) is None:
            abort(404)
    return form, first, last


def rolled_up(first: date, last: date, offices: list[int] | None) -> date:
    """Roll up the range's closed months that are not (once after a month ends or changes); the closed_before to use."""
    closed = rollup.closed_before(today())
    if rollup.missing(db.session, first, last, offices, closed):
        db.session.commit()  # end the read transaction: SQLite cannot turn it into a write after waiting
        with db.write_lock:
            rollup.bring_up_to_date(db.session, first, last, offices, closed, now())
            db.session.commit()
    return closed


def choices() -> dict:
    """Offices, services, visit kinds and clerks for the filter menus."""
    offices = offices_in_reach()
    clerks = db.session.scalars(select(User).where(User.office_id.in_([o.id for o in offices])).order_by(User.username))
    return {
        "offices": offices, "regional": is_regional(),
        "services": list(db.session.scalars(select(Service).order_by(Service.position))),
        "kinds": list(db.session.scalars(select(VisitKind).order_by(VisitKind.service_id, VisitKind.position))),
        "clerks": list(clerks),
    }
