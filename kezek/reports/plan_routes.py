"""The staffing plan page and its XLSX file: thin views over kezek.planning (office, week and target from the query)."""

from __future__ import annotations

import re
import tempfile
from datetime import date, timedelta

from flask import abort, current_app, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from kezek.access import roles_required
from kezek.audit import record
from kezek.clock import app_now
from kezek.extensions import db
from kezek.home import localized, weekday_name
from kezek.models import Office
from kezek.planning.cache import plan_key
from kezek.planning.learn import learn
from kezek.planning.plan import SEEDS, WeekPlan, week_plan
from kezek.reports import bp
from kezek.reports.exports import Sheet, write_xlsx
from kezek.reports.forms import PlanTargetForm
from kezek.reports.scope import MANAGERS, is_regional, offices_in_reach, today
from kezek.services import current_services

LOWEST_TARGET, HIGHEST_TARGET = 50, 99
_WEEK = re.compile(r"^([0-9]{4})-W([0-9]{2})$")


class BadPlanInput(Exception):
    """The plan's office, week or target cannot be read; the page says why (400)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@bp.errorhandler(BadPlanInput)
def bad_plan_input(error: BadPlanInput):
    """The plan's form again with the reason; nothing is computed."""
    return render_template(
        "reports/plan.html",
        plan=None,
        message=error.message,
        offices=offices_in_reach(),
        office=None,
        week=next_monday(),
        target=None,
        regional=is_regional(),
    ), 400


def next_monday() -> date:
    """The Monday of next week (local)."""
    day = today()
    return day + timedelta(days=7 - day.weekday())


def week_message() -> str:
    """Why a week was refused."""
    return _("The week could not be read. Choose it in the calendar or write it as 2026-W50.")


def parse_week(text: str | None) -> date:
    """The Monday of the week asked for: an ISO week (2026-W50, as a week field sends it) or any day of it."""
    if not text:
        return next_monday()
    text = text.strip()
    try:
        match = _WEEK.match(text)
        if match:
            return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
        day = date.fromisoformat(text)
    except ValueError:
        raise BadPlanInput(
            _("The week could not be read. Choose it in the calendar or write it as 2026-W50.")
        ) from None
    if not 2000 <= day.year <= 2100:
        raise BadPlanInput(_("The week could not be read. Choose it in the calendar or write it as 2026-W50."))
    return day - timedelta(days=day.weekday())


def parse_target(text: str | None, office: Office | None) -> int:
    """The share to keep within the limit: the one asked for, else the office's own (95 % unless it set one)."""
    if text is None or text == "":
        return office.plan_target if office is not None and office.plan_target else 95
    if not re.fullmatch(r"[0-9]{1,3}", text.strip()) or not LOWEST_TARGET <= int(text) <= HIGHEST_TARGET:
        raise BadPlanInput(
            _(
                "The target share must be a whole number of percent from %(low)d to %(high)d.",
                low=LOWEST_TARGET,
                high=HIGHEST_TARGET,
            )
        )
    return int(text)


def chosen_office() -> Office | None:
    """The office asked for (404 unknown, 403 out of reach); an office's manager's own office by default."""
    text = request.args.get("office", "")
    if text == "":
        return None if is_regional() else db.session.get(Office, current_user.office_id)
    if not re.fullmatch(r"[0-9]{1,10}", text):
        raise BadPlanInput(_("The office could not be read. Choose it in the list."))
    office = db.session.get(Office, int(text)) if int(text) < 2**31 else None
    if office is None or office.is_regional:
        abort(404)
    if not current_user.may_see_office(office.id):
        abort(403)
    return office


def make_plan(office: Office, monday: date, target: int) -> WeekPlan:
    """The plan, with as many simulated days per weekday as the application is configured for; the same plan
    again while nothing it is worked out from has changed (kezek.planning.cache)."""
    seeds, day = current_app.config.get("PLAN_SEEDS", SEEDS), today()
    learned = learn(db.session, office, min(monday, day))
    key = plan_key(db.session, office, monday, target, seeds, day, learned)
    return current_services().plans.get(
        key, lambda: week_plan(db.session, office, monday, target, seeds=seeds, learned=learned, today=day)
    )


def _levels(plan: WeekPlan) -> int:
    return max((h.cabinets for day in plan.days for h in day.hours), default=1)


@bp.get("/plan")
@roles_required(*MANAGERS)
def plan_page():
    """The staffing plan of one office for one week: cabinets per weekday and hour, a heat map, shares."""
    office = chosen_office()
    monday = parse_week(request.args.get("week"))
    target = parse_target(request.args.get("target"), office)
    plan = make_plan(office, monday, target) if office is not None else None
    return render_template(
        "reports/plan.html",
        plan=plan,
        office=office,
        week=monday,
        target=target,
        offices=offices_in_reach(),
        regional=is_regional(),
        message=None,
        most=_levels(plan) if plan else 1,
        kinds=_kind_labels(plan) if plan else {},
        form=PlanTargetForm(formdata=None, target=office.plan_target if office else 95),
    )


def _kind_labels(plan: WeekPlan) -> dict[int, str]:
    return {
        kind.id: f"{kind.prefix} · {_('limit %(n)s min', n=kind.limit_minutes)}" for kind in plan.learned.kinds.values()
    }


def plan_rows(plan: WeekPlan) -> list[list]:
    """The plan as sheet rows: one per day and hour (day, weekday, hour, arrivals, cabinets, which, shares)."""
    rows = []
    for day in plan.days:
        if day.closed or day.no_history:
            rows.append(
                [
                    day.day,
                    weekday_name(day.day.weekday(), "wide"),
                    None,
                    None,
                    None,
                    _("closed") if day.closed else _("no history for this weekday"),
                    None,
                    None,
                    None,
                ]
            )
            continue
        for hour in day.hours:
            rows.append(
                [
                    day.day,
                    weekday_name(day.day.weekday(), "wide"),
                    f"{hour.hour:02d}:00–{hour.hour + 1:02d}:00",
                    hour.arrivals,
                    hour.cabinets,
                    ", ".join(hour.numbers),
                    _round(hour.share),
                    hour.opened,
                    _round(hour.opened_share),
                ]
            )
    return rows


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def plan_header() -> list[str]:
    """The titles of the plan's columns (the XLSX file)."""
    return [
        _("Day"),
        _("Weekday"),
        _("Hour"),
        _("Expected arrivals"),
        _("Cabinets to open"),
        _("Cabinets"),
        _("Expected within the limit with the plan, %"),
        _("Cabinets open last week"),
        _("Expected within the limit with those, %"),
    ]


@bp.get("/plan.xlsx")
@roles_required(*MANAGERS)
def plan_xlsx():
    """The staffing plan as an XLSX workbook."""
    office = chosen_office()
    if office is None:
        raise BadPlanInput(_("Choose an office."))
    monday = parse_week(request.args.get("week"))
    target = parse_target(request.args.get("target"), office)
    plan = make_plan(office, monday, target)
    with db.write_lock:
        record(
            db.session,
            current_user,
            "reports.export.plan.xlsx",
            {"office": office.id, "week": monday.isoformat(), "target": target},
            office_id=office.id,
            at=app_now(),
        )
        db.session.commit()
    heading = [
        f"{localized(office)} · {_('Staffing plan')} · {monday.isoformat()}",
        _("Target: %(n)s %% of each visit kind within its limit", n=target),
    ]
    target_file = tempfile.SpooledTemporaryFile(max_size=4 * 1024 * 1024)
    write_xlsx(
        target_file,
        [Sheet(_("Staffing plan"), plan_header(), plan_rows(plan), (12, 14, 13, 10, 10, 16, 14, 12, 14), heading)],
    )
    target_file.seek(0)
    return send_file(
        target_file,
        as_attachment=True,
        download_name=f"kezek-plan-{office.slug}-{monday.isoformat()}.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.post("/plan/<int:office_id>/target")
@roles_required(*MANAGERS)
def plan_target(office_id: int):
    """An office's own target share for its plans (recorded in the audit log)."""
    office = db.session.get(Office, office_id)
    if office is None or office.is_regional:
        abort(404)
    if not current_user.may_see_office(office.id):
        abort(403)
    form = PlanTargetForm()
    if not form.validate_on_submit():
        raise BadPlanInput(
            _(
                "The target share must be a whole number of percent from %(low)d to %(high)d.",
                low=LOWEST_TARGET,
                high=HIGHEST_TARGET,
            )
        )
    with db.write_lock:
        before = office.plan_target
        office.plan_target = form.target.data
        record(
            db.session,
            current_user,
            "reports.plan_target",
            {"from": before, "to": form.target.data},
            office_id=office.id,
            at=app_now(),
        )
        db.session.commit()
    return redirect(url_for("reports.plan_page", office=office.id, week=request.args.get("week") or None), 303)
