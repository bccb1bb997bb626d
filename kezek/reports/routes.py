"""Compliance page, wait-time log and their exports: thin views over the report rules."""
from __future__ import annotations

import tempfile
from decimal import ROUND_HALF_UP, Decimal
from datetime import timedelta

import click
from flask import Response, render_template, request, send_file, stream_with_context, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from kezek.clock import app_now
from kezek.access import roles_required
from kezek.audit import record
from kezek.extensions import db
from kezek.home import current_lang, localized
from kezek.models import Office, User
from kezek.models.reports import WaitRecord
from kezek.reports import bp, facts, rollup
from kezek.reports.behind_routes import sync_notes_of
from kezek.reports.compliance import Scope, compliance, kind_names
from kezek.reports.exports import LOG_WIDTHS, Sheet, csv_chunks, log_values, write_xlsx
from kezek.reports.log import LogFilter, every_row, page
from kezek.reports.forms import FilterForm
from kezek.reports.scope import ALMATY, MANAGERS, BadFilters, choices, office_ids, parse_filters, rolled_up, today


@bp.app_template_filter("num")
def num(value, suffix: str = "") -> str:
    """A figure with its unit, or a dash when there is none."""
    return "—" if value is None else f"{value}{suffix}"


@bp.app_template_filter("minutes")
def whole_minutes(value) -> str:
    """A wait in whole minutes, rounded half up, the one rule of every wait figure on the report pages (the
    median and percentiles are counted in whole minutes, so the mean and the longest are shown so too)."""
    return "—" if value is None else str(int(Decimal(str(value)).quantize(Decimal(1), rounding=ROUND_HALF_UP)))


def outcome_names() -> dict[str, str]:
    """Each outcome as people read it."""
    return {"served": _("served"), "no_show": _("no-show"), "cancelled": _("cancelled"), "transferred": _("transferred"),
            "waiting": _("waiting"), "called": _("called"), "serving": _("being served")}


def log_header() -> list[str]:
    """The log's column titles (page and exports alike)."""
    return [_("Office"), _("Service and visit"), _("Number"), _("Issued"), _("Called"), _("Started"), _("Finished"),
            _("Wait, min"), _("Wait, closed periods left out, min"),
            _("Service time, min"), _("Limit, min"), _("Cabinet"), _("Clerk"), _("Outcome"),
            _("Transferred"), _("Recalls"), _("Limit held"), _("Clerk's note")]


@bp.errorhandler(BadFilters)
def bad_filters(error: BadFilters):
    """Filters that cannot be used: the form again, with the reason, for the last 30 days (nothing is computed)."""
    last = today()
    on_log = request.endpoint in ("reports.log_page", "reports.log_csv", "reports.log_xlsx")
    return render_template("reports/bad_filters.html", form=FilterForm(formdata=None), message=error.message,
                           first=last - timedelta(days=29), last=last, on_log=on_log, outcomes=outcome_names(),
                           action=url_for("reports.log_page" if on_log else "reports.compliance_page"),
                           **choices()), 400


@bp.get("/")
@roles_required(*MANAGERS)
def compliance_page():
    """Compliance with the wait limits by office, service, visit kind, clerk, weekday and hour, with breaches."""
    form, first, last = parse_filters()
    offices = office_ids(form.office.data)
    scope = Scope(first, last, offices, form.service.data, closed_before=rolled_up(first, last, offices))
    report = compliance(db.session, scope)
    clerk_ids = [key for key in report["by_clerk"] if key] + [row["clerk_id"] for row in report["breaches"]["rows"]]
    names = {
        "offices": {o.id: o for o in db.session.scalars(select(Office))},
        "kinds": kind_names(db.session),
        "clerks": {u.id: u.display_name or u.username for u in db.session.scalars(select(User).where(User.id.in_(clerk_ids)))},
    }
    menus = choices()
    return render_template("reports/compliance.html", form=form, first=first, last=last, report=report,
                           labels=group_labels(names, menus["services"]), charts=chart_data(report, names["offices"]),
                           nodes=sync_notes_of(offices), zone=ALMATY, **menus)


def group_labels(names: dict, services) -> dict[str, dict]:
    """How each group of the compliance tables is named on the page."""
    from kezek.home import weekday_name

    return {
        "office": {key: localized(office) for key, office in names["offices"].items()},
        "service": {service.id: localized(service) for service in services},
        "kind": {key: f"{k.prefix} · {localized(k.service)} · {localized(k)}" for key, k in names["kinds"].items()},
        "clerk": {**names["clerks"], None: _("not recorded")},
        "weekday": {day: weekday_name(day, "wide") for day in range(7)},
        "hour": {hour: f"{hour:02d}:00–{hour + 1:02d}:00" for hour in range(24)},
        "limit": {limit: _("Limit %(n)s min", n=limit) for limit in report_limits(names["kinds"])},
    }


def report_limits(kinds: dict) -> set[int]:
    """Every wait limit a visit kind has (tickets keep the limit they were issued with)."""
    return {kind.wait_limit_minutes for kind in kinds.values()}


def chart_data(report: dict, offices: dict) -> dict:
    """What the charts draw (the same figures as the tables beside them)."""
    by_office = sorted(report["by_office"].items())
    return {
        "trend": {"labels": [d["day"].isoformat() for d in report["daily"]], "share": [d["share"] for d in report["daily"]],
                  "mean": [d["mean"] for d in report["daily"]], "share_label": _("Within the limit, %"),
                  "mean_label": _("Mean wait, min")},
        "offices": {"labels": [localized(offices[key]) for key, _s in by_office], "share": [s.share for _k, s in by_office],
                    "label": _("Within the limit, %")},
    }


def log_filter() -> tuple:
    """The log filter from the query string, within the user's reach."""
    form, first, last = parse_filters()
    flt = LogFilter(first, last, office_ids(form.office.data), form.service.data, form.visit_kind.data,
                    form.clerk.data, form.outcome.data or None)
    return form, flt


@bp.get("/log")
@roles_required(*MANAGERS)
def log_page():
    """The wait-time log, newest first, one page at a time."""
    form, flt = log_filter()
    rows, cursor = page(db.session, flt, form.after.data)
    query = {k: v for k, v in request.args.items() if k not in ("after", "excel")}
    return render_template("reports/log.html", form=form, flt=flt, rows=rows, cursor=cursor, query=query,
                           header=log_header(), outcomes=outcome_names(), **choices())


def _audit_export(kind: str, flt) -> None:
    with db.write_lock:
        record(db.session, current_user, f"reports.export.{kind}", {
            "from": flt.first.isoformat(), "to": flt.last.isoformat(), "offices": flt.office_ids,
            "service": getattr(flt, "service_id", None), "visit_kind": getattr(flt, "visit_kind_id", None),
            "clerk": getattr(flt, "clerk_id", None), "outcome": getattr(flt, "outcome", None),
        }, at=app_now())
        db.session.commit()


def _log_values(flt):
    """The log's rows as export values. A generator: a streamed export reads `db.session` only when it runs,
    so it uses the streaming context's session, which is closed when the stream ends."""
    lang, outcomes, yes_no = current_lang(), outcome_names(), (_("yes"), _("no"))
    for row in every_row(db.session, flt):
        yield log_values(row, lang, outcomes, yes_no)


def _filename(flt, extension: str) -> str:
    return f"kezek-log-{flt.first.isoformat()}-{flt.last.isoformat()}.{extension}"


@bp.get("/log.csv")
@roles_required(*MANAGERS)
def log_csv():
    """The filtered log as CSV, streamed."""
    _form, flt = log_filter()
    _audit_export("log.csv", flt)
    body = stream_with_context(csv_chunks(log_header(), _log_values(flt), excel=request.args.get("excel") == "1"))
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{_filename(flt, "csv")}"'})


@bp.get("/log.xlsx")
@roles_required(*MANAGERS)
def log_xlsx():
    """The filtered log as an XLSX workbook (written row by row, so memory stays flat)."""
    _form, flt = log_filter()
    _audit_export("log.xlsx", flt)
    target = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    write_xlsx(target, [Sheet(_("Wait-time log"), log_header(), _log_values(flt), LOG_WIDTHS)])
    target.seek(0)
    return send_file(target, as_attachment=True, download_name=_filename(flt, "xlsx"),
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.cli.command("rebuild")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="first local day (default: all)")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="last local day (default: all)")
def rebuild_command(start, end):
    """Recompute the wait records the reports read from the ticket event log."""
    with db.write_lock:
        count = facts.rebuild(db.session, start.date() if start else None, end.date() if end else None)
        db.session.commit()
    click.echo(f"{count} tickets")


@bp.cli.command("rollup")
@click.option("--start", type=click.DateTime(["%Y-%m-%d"]), default=None, help="first local day (default: the first record)")
@click.option("--end", type=click.DateTime(["%Y-%m-%d"]), default=None, help="last local day (default: today)")
def rollup_command(start, end):
    """Roll up every closed month of the range that is not rolled up or changed since (reports do it on demand)."""
    first = start.date() if start else db.session.scalar(select(func.min(WaitRecord.service_day)))
    last = end.date() if end else today()
    if first is None:
        click.echo("0 office-months")
        return
    db.session.commit()
    with db.write_lock:
        count = rollup.bring_up_to_date(db.session, first, last, None, rollup.closed_before(today()), app_now())
        db.session.commit()
    click.echo(f"{count} office-months")
