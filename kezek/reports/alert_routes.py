"""Alerts on the live floor: a thin view over kezek.alerts; the floor asks for a check, a manager acknowledges."""
from __future__ import annotations

import smtplib
from dataclasses import asdict
from datetime import datetime, timedelta

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from kezek.access import require_office, roles_required
from kezek.alerts.engine import (
    Checked,
    acknowledge,
    check,
    look,
    mail_recipients,
    note_mail,
    open_alerts,
    record,
    set_thresholds,
    settled,
    thresholds,
)
from kezek.alerts.mail import mail_server, send
from kezek.alerts.rules import Thresholds
from kezek.audit import record as audit
from kezek.clock import app_now
from kezek.console.events import NAMESPACE as CONSOLE
from kezek.console.events import office_room
from kezek.extensions import db
from kezek.home import localized
from kezek.models import Alert, Office, User
from kezek.realtime import emit
from kezek.reports import bp
from kezek.reports.floor_events import NAMESPACE as FLOOR
from kezek.reports.floor_events import office_room as floor_room
from kezek.reports.floor_routes import office_or_404
from kezek.reports.forms import AlertSettingsForm
from kezek.reports.scope import MANAGERS, office_ids, offices_in_reach

RECORD_DAYS = 30


@bp.app_template_global()
def alert_message(alert: Alert) -> str:
    """What an alert says, in the page's language."""
    d = alert.detail
    if alert.rule == "near_limit":
        return _("%(label)s has waited %(minutes)s of %(limit)s minutes and no cabinet for %(prefix)s is free: "
                 "open a cabinet for %(prefix)s.", label=d["label"], minutes=d["minutes"], limit=d["limit"],
                 prefix=d["prefix"])
    if alert.rule == "breach":
        return _("%(label)s has waited %(minutes)s minutes, past the %(limit)s-minute limit: call them now.",
                 label=d["label"], minutes=d["minutes"], limit=d["limit"])
    if alert.rule == "queue_length":
        return _("%(count)s visitors wait for %(prefix)s (more than %(most)s): open a cabinet for %(prefix)s.",
                 count=d["count"], prefix=d["prefix"], most=d["most"])
    if alert.rule == "long_pause":
        return _("Cabinet %(cabinet)s is paused %(minutes)s minutes past the end of its break.",
                 cabinet=d["cabinet"], minutes=d["minutes"])
    if alert.rule == "printer":
        if d.get("state") == "paper_out":
            return _("The printer of kiosk %(name)s is out of paper.", name=d["name"])
        return _("The printer of kiosk %(name)s does not answer.", name=d["name"])
    if d.get("kind") == "board":
        return _("Board %(name)s is offline.", name=d.get("name", ""))
    return _("Kiosk %(name)s is offline.", name=d.get("name", ""))


def tell_consoles(office_id: int) -> None:
    """Have the office's consoles fetch their alert note again, and the live floors showing it check (after the
    commit; the consoles and floors of this process: the server's checker tells the others')."""
    emit("alert", {"office": office_id}, office_room(office_id), CONSOLE)
    emit("alert", {"office": office_id}, floor_room(office_id), FLOOR)


def alerts_part(office: Office, due: set[int], since: datetime | None = None):
    """The floor's alert list; `due` are those raised or repeated by this check, and those the server's checker
    raised or repeated after `since` (the page's previous check): the page sounds for them."""
    alerts = open_alerts(db.session, office.id)
    if since is not None:
        due = due | {alert.id for alert in alerts if alert.acknowledged_at is None and alert.shown_at > since}
    return render_template("reports/_alerts.html", office=office, alerts=alerts, due=due, checked_at=app_now())


def _since(typed: str | None) -> datetime | None:
    """The moment of the page's previous check as it sent it back (ISO 8601 with its offset), or None."""
    try:
        moment = datetime.fromisoformat(typed or "")
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


@bp.post("/live/<int:office_id>/alerts")
@roles_required(*MANAGERS)
def live_alerts(office_id: int):
    """Check the office's alert conditions now and show its open alerts (the floor asks every half minute)."""
    office = office_or_404(office_id)
    checked = check_office(office)
    return alerts_part(office, {alert.id for alert in checked.due}, _since(request.form.get("since")))


def check_office(office: Office, tell: bool = True) -> Checked:
    """Check the office's alerts now and commit; tell its consoles (`tell`), and e-mail what was raised or repeated."""
    now = app_now()
    # The waits and cabinets are read before the writer's turn is taken: kiosks and clerks wait for that turn,
    # and working out a busy office's waits takes long enough to make them give up (the checker runs every
    # 30 s over every office). Only raising, repeating and ending the alerts is done holding it, and only
    # when there is something to raise, repeat or end.
    limits, looked = look(db.session, office, now)
    unchanged = settled(db.session, office.id, now, limits, looked)
    db.session.commit()  # end the read transaction: SQLite cannot turn it into a write after waiting
    if unchanged:
        return Checked([], [])
    with db.write_lock:
        checked = check(db.session, office, now, limits, looked)
        db.session.commit()
    if tell and (checked.due or checked.ended):
        tell_consoles(office.id)
    mail_due(office, checked.due)
    return checked


def mail_due(office: Office, alerts: list[Alert]) -> None:
    """E-mail the alerts raised or repeated by a check to the managers who asked for them: one message per manager
    naming them all, and each sending recorded. An alert repeats at most once per repeat interval until a manager
    acknowledges it, so its e-mail does too, and stops then. A mail server that refuses or is away is recorded
    and logged, and the alert stays on screen all the same."""
    try:
        server = mail_server(current_app.config["SMTP_URL"])
    except ValueError:
        current_app.logger.error("KEZEK_SMTP_URL cannot be read: alerts are not e-mailed")
        return
    if server is None or not alerts:
        return
    users = mail_recipients(db.session, office.id)
    if not users:
        return
    link = url_for("reports.live_office", office_id=office.id, _external=True)
    lines = [alert_message(alert) if alert.times_shown == 1 else
             _("Still not acknowledged (shown %(times)s times): %(message)s", times=alert.times_shown,
               message=alert_message(alert)) for alert in alerts]
    subject = _("Kezek alert: %(office)s", office=localized(office))
    body = "\n\n".join((*lines, _("The live floor: %(link)s", link=link))) + "\n"
    outcomes = []
    for user in users:
        try:
            send(server, current_app.config["MAIL_FROM"], user.alert_email or "", subject, body)
            error = None
        except (OSError, smtplib.SMTPException) as problem:
            current_app.logger.warning("alerts %s not e-mailed to %s: %s", [a.id for a in alerts], user.alert_email,
                                       problem)
            error = str(problem) or type(problem).__name__
        outcomes.extend((alert, user, error) for alert in alerts)
    with db.write_lock:
        for alert, user, error in outcomes:
            note_mail(db.session, alert, user, app_now(), error)
        db.session.commit()


@bp.post("/alerts/<int:alert_id>/acknowledge")
@roles_required(*MANAGERS)
def acknowledge_alert(alert_id: int):
    """A manager acknowledges an alert: it is not repeated; the floor's list comes back."""
    alert = db.session.get(Alert, alert_id)
    if alert is None:
        abort(404)
    require_office(alert.office_id)
    with db.write_lock:
        user = db.session.get(User, current_user.id)
        if acknowledge(db.session, alert, user, app_now()):
            db.session.commit()
            tell_consoles(alert.office_id)
    return alerts_part(db.session.get(Office, alert.office_id), set())


EMAIL_MAX = 200


def _email(text: str) -> str | None:
    """The address as typed if it reads as one (something@host.domain, no spaces), else None."""
    name, at, host = text.partition("@")
    plain = at and name and "." in host.strip(".") and not any(c.isspace() or c in "<>,;\"" for c in text)
    return text if plain and len(text) <= EMAIL_MAX and "@" not in host else None


@bp.post("/alerts/email")
@roles_required(*MANAGERS)
def alert_email():
    """A manager asks for the alerts by e-mail at an address, or (empty) stops them."""
    typed = request.form.get("email", "").strip()
    address = _email(typed) if typed else None
    if typed and address is None:
        return alert_record(_("That does not look like an e-mail address. Write it as name@example.kz."), typed), 400
    with db.write_lock:
        user = db.session.get(User, current_user.id)
        user.alert_email = address
        db.session.commit()
    flash(_("Alerts will be e-mailed to %(address)s.", address=address) if address
          else _("Alerts will no longer be e-mailed to you."))
    return redirect(url_for("reports.alert_record"))


@bp.get("/alerts")
@roles_required(*MANAGERS)
def alert_record(problem: str | None = None, typed: str | None = None):
    """Every alert raised, repeated, acknowledged or ended in the last 30 days, in the offices in reach."""
    rows = record(db.session, office_ids(None), app_now() - timedelta(days=RECORD_DAYS))
    user_ids = {event.user_id for event, _alert in rows if event.user_id}
    users = {user.id: user.display_name or user.username
             for user in db.session.scalars(select(User).where(User.id.in_(user_ids)))} if user_ids else {}
    offices = {office.id: office for office in offices_in_reach()}
    email = typed if typed is not None else current_user.alert_email or ""
    return render_template("reports/alerts.html", rows=rows, users=users, offices=offices, days=RECORD_DAYS,
                           email=email, problem=problem, mail_on=bool(current_app.config["SMTP_URL"]))


@bp.route("/live/<int:office_id>/alert-settings", methods=["GET", "POST"])
@roles_required(*MANAGERS)
def alert_settings(office_id: int):
    """The office's alert thresholds: shown, and changed by its managers (every change in the audit log)."""
    office = office_or_404(office_id)
    current = thresholds(db.session, office.id)
    form = AlertSettingsForm(data=asdict(current))
    if request.method == "GET":
        return render_template("reports/alert_settings.html", office=office, form=form)
    if not form.validate_on_submit():
        return render_template("reports/alert_settings.html", office=office, form=form,
                               problem=_("The thresholds were not saved: give whole numbers within the ranges shown.")), 400
    chosen = Thresholds(form.near_share.data, form.queue_length.data, form.pause_grace_minutes.data,
                        form.repeat_minutes.data)
    with db.write_lock:
        set_thresholds(db.session, office.id, chosen)
        audit(db.session, current_user, "alerts.settings", asdict(chosen), office_id=office.id, at=app_now())
        db.session.commit()
    flash(_("The alert thresholds are saved."))
    return redirect(url_for("reports.live_office", office_id=office.id))
