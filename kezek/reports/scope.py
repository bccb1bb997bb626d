"""What a signed-in manager may report on: offices in reach, the date range asked for (Flask side)."""
from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from kezek.clock import app_now
from kezek.extensions import db
from kezek.models import ADMIN, MANAGER, REGIONAL_MANAGER, Office, Service, User, VisitKind
from kezek.reports import rollup
from kezek.reports.forms import FilterForm

MANAGERS = (MANAGER, REGIONAL_MANAGER, ADMIN)
ALMATY = ZoneInfo("Asia/Almaty")
LONGEST_RANGE = timedelta(days=3 * 366)


def today() -> date:
    """Today in Asia/Almaty, where the offices are."""
    return app_now().astimezone(ALMATY).date()


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


class BadFilters(Exception):
    """The report's filters cannot be used; the page shows the form again with `message`."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_filters() -> tuple[FilterForm, date, date]:
    """The filter form from the query string and its date range (the last 30 days unless given); BadFilters
    (the form again, with the reason) if the dates cannot be read or do not make a range."""
    form = FilterForm(request.args)
    if not form.validate():
        if form.start.errors or form.end.errors:
            raise BadFilters(_("The dates could not be read. Choose them in the calendar or write them as "
                               "YYYY-MM-DD, for example 2026-12-01."))
        raise BadFilters(_("A filter could not be read. Choose the filters again."))
    last = form.end.data or today()
    first = form.start.data or last - timedelta(days=29)
    if first > last:
        raise BadFilters(_("The start date %(first)s comes after the end date %(last)s. Swap them.",
                           first=first.isoformat(), last=last.isoformat()))
    if last - first > LONGEST_RANGE:
        raise BadFilters(ngettext("A report covers at most %(num)d day. Choose a shorter range.",
                                  "A report covers at most %(num)d days. Choose a shorter range.",
                                  LONGEST_RANGE.days))
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
            rollup.bring_up_to_date(db.session, first, last, offices, closed, app_now())
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
