"""Console pages and commands: thin views over kezek.queue.clerk; publish only after the commit."""
from __future__ import annotations

import secrets

from flask import abort, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from kezek.clock import app_now
from kezek.console import bp
from kezek.console.forms import CommandForm
from kezek.console.messages import call_reason_text, cancel_reasons, refusal
from kezek.access import require_office, roles_required
from kezek.alerts.engine import open_alerts
from kezek.audit import record
from kezek.inputs import query_id
from kezek.errors import wants_json
from kezek.extensions import db
from kezek.home import localized
from kezek.models import ADMIN, CLERK, MANAGER, REGIONAL_MANAGER, Cabinet, Office, Ticket, TicketEvent
from kezek.printing import reprint
from kiosk.routes import status_url
from kezek.queue import cancelling, clerk
from kezek.queue.call_number import call_number
from kezek.queue.call_reason import reason_of_detail
from kezek.queue.changes import office_version
from kezek.queue.errors import QueueError
from kezek.queue.offer import offered_visit_kinds
from kezek.queue.waiting import waiting_rows
from kezek.realtime import publish
from kezek.services import current_services

STAFF = (CLERK, MANAGER, REGIONAL_MANAGER, ADMIN)
TICKET_ACTIONS = {
    "recall": clerk.recall, "start": clerk.start, "no-show": clerk.no_show, "uncancel": cancelling.uncancel,
}
CABINET_STATES = {"open": "open", "pause": "paused", "close": "closed"}


def cabinet_or_404(cabinet_id: int) -> Cabinet:
    """The cabinet if the signed-in user may work in its office (404 unknown, 403 another office)."""
    cabinet = db.session.get(Cabinet, cabinet_id)
    if cabinet is None or not cabinet.active:
        abort(404)
    require_office(cabinet.office_id)
    return cabinet


@bp.get("/")
@roles_required(*STAFF)
def choose_cabinet():
    """The cabinets of the user's office (regional staff pick an office first)."""
    office_id = current_user.office_id or query_id("office")
    offices = db.session.scalars(select(Office).where(Office.enabled, ~Office.is_regional).order_by(Office.id)).all()
    cabinets = []
    if office_id:
        require_office(office_id)
        cabinets = db.session.scalars(
            select(Cabinet).where(Cabinet.office_id == office_id, Cabinet.active).order_by(Cabinet.number)
        ).all()
    return render_template("console/choose.html", cabinets=cabinets, offices=offices, office_id=office_id)


def _call_reason(ticket: Ticket) -> str | None:
    detail = db.session.scalar(
        select(TicketEvent.detail).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "called")
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc()).limit(1))
    return call_reason_text(reason_of_detail(detail))


def _undo(cabinet: Cabinet) -> dict | None:
    found = cancelling.undoable_cancel(db.session, cabinet, app_now())
    if found is None:
        return None
    ticket, event = found
    left = cancelling.UNDO_SECONDS - int((app_now() - event.at).total_seconds())
    return {"id": ticket.id, "label": ticket.label, "seconds": max(left, 1),
            "reason": cancel_reasons().get((event.detail or {}).get("reason"), ""), "note": ticket.outcome_note}


def state_of(cabinet: Cabinet) -> dict:
    """Everything the console shows for a cabinet, computed on the server."""
    current = clerk.current_ticket(db.session, cabinet)
    rows = waiting_rows(db.session, cabinet, app_now())
    return {
        "cabinet": {"id": cabinet.id, "number": cabinet.number, "state": cabinet.state},
        "current": None if current is None else {
            "id": current.id, "label": current.label, "status": current.status, "recalls": current.recalls,
            "visit_kind_id": current.visit_kind_id, "kind": current.visit_kind.kind,
            "reason": clerk.call_reason(db.session, current.id),  # why the policy called them (policy.REASONS)
            "reason_text": _call_reason(current),  # the same, as the line under the called number
        },
        "waiting": [row.__dict__ for row in rows],
        "undo": _undo(cabinet),
        "version": office_version(db.session, cabinet.office_id),
        "command_id": secrets.token_urlsafe(12),
    }


@bp.get("/<int:cabinet_id>")
@roles_required(*STAFF)
def cabinet_page(cabinet_id: int):
    """The console of one cabinet."""
    cabinet = cabinet_or_404(cabinet_id)
    return render_template("console/cabinet.html", cabinet=cabinet, panel=Markup(render_panel(cabinet)))


def _panel_context(cabinet: Cabinet) -> dict:
    office = db.session.get(Office, cabinet.office_id)
    others = db.session.scalars(
        select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.active, Cabinet.id != cabinet.id)
        .order_by(Cabinet.number)
    ).all()
    state = state_of(cabinet)
    kinds = {k.id: k for k in offered_visit_kinds(db.session, office)}
    counts: dict[str, int] = {}
    for row in state["waiting"]:
        kind = kinds.get(row["visit_kind_id"])
        if kind is not None:
            name = localized(kind.service)
            counts[name] = counts.get(name, 0) + 1
    return {"cabinet": cabinet, "office": office, "state": state, "others": others, "kinds": kinds,
            "service_counts": sorted(counts.items()), "cancel_reasons": cancel_reasons()}


def render_panel(cabinet: Cabinet, message: str | None = None) -> str:
    """The live part of the console (current visitor, buttons, waiting list) as HTML, with a refusal if any."""
    return render_template("console/_panel.html", message=message, **_panel_context(cabinet))


@bp.get("/<int:cabinet_id>/panel")
@roles_required(*STAFF)
def panel(cabinet_id: int):
    """The live part of the console, refreshed by the page."""
    return render_panel(cabinet_or_404(cabinet_id))


@bp.get("/<int:cabinet_id>/queue")
@roles_required(*STAFF)
def queue_part(cabinet_id: int):
    """The waiting list and its counts alone, fetched when the console's socket says the queue changed."""
    return render_template("console/_queue.html", **_panel_context(cabinet_or_404(cabinet_id)))


@bp.get("/<int:cabinet_id>/alerts")
@roles_required(*STAFF)
def alerts_part(cabinet_id: int):
    """The office's alerts no manager has acknowledged yet, fetched when the console's socket says they changed."""
    cabinet = cabinet_or_404(cabinet_id)
    alerts = [alert for alert in open_alerts(db.session, cabinet.office_id) if alert.acknowledged_at is None]
    return render_template("console/_alerts.html", alerts=alerts)


@bp.get("/<int:cabinet_id>/state")
@roles_required(*STAFF)
def cabinet_state(cabinet_id: int):
    """The console's state as JSON (refreshed after each command and on every queue change)."""
    return jsonify(state_of(cabinet_or_404(cabinet_id)))


def _run(cabinet: Cabinet, action: str, form: CommandForm) -> list[clerk.Outcome]:
    """Carry out one command inside the caller's transaction; the outcomes to publish, in order."""
    user, at, ticket_id = current_user._get_current_object(), app_now(), form.ticket_id.data
    command_id = form.command_id.data or None
    if action == "call":
        return [clerk.call_next(db.session, cabinet, user, at, command_id=command_id)]
    if action == "call-number":
        return [call_number(db.session, cabinet, user, at, form.number.data or "", command_id=command_id)]
    if action in CABINET_STATES:
        return [clerk.set_cabinet_state(db.session, cabinet, user, CABINET_STATES[action], now=at,
                                        pause=form.pause.data or None, minutes=form.pause_minutes.data)]
    if ticket_id is None:
        raise clerk.NotAllowed(reason="no_ticket")
    if action in TICKET_ACTIONS:
        return [TICKET_ACTIONS[action](db.session, cabinet, user, ticket_id, at)]
    if action == "cancel":
        return [cancelling.cancel(db.session, cabinet, user, ticket_id, at, reason=form.reason.data or "",
                             note=form.note.data)]
    if action == "finish":
        finished = clerk.finish(db.session, cabinet, user, ticket_id, at,
                                documents_correct=form.documents_correct.data, note=form.note.data)
        if form.then.data != "next" or cabinet.state != "open":
            return [finished]
        # Finish and call next in one key: a retry of the pair acts once (the finish, then the call, by id).
        return [finished, clerk.call_next(db.session, cabinet, user, at, command_id=command_id)]
    if action == "transfer":
        return [clerk.transfer(db.session, cabinet, user, ticket_id, at, visit_kind_id=form.visit_kind_id.data,
                               to_cabinet_id=form.to_cabinet_id.data)]
    abort(404)


def _audit(cabinet: Cabinet, action: str, outcome: clerk.Outcome, form: CommandForm) -> None:
    detail = {"cabinet": cabinet.number, "ticket": outcome.ticket.label if outcome.ticket else None}
    if action == "cancel":
        detail["reason"] = form.reason.data
    if action == "transfer":
        detail.update(to_visit_kind=form.visit_kind_id.data, to_cabinet=form.to_cabinet_id.data)
    name = "call" if outcome.change.kind == "called" else action
    record(db.session, current_user, f"console.{name}", detail, office_id=cabinet.office_id)


def _refused(cabinet: Cabinet, message: str, status: int, code: str):
    if request.headers.get("X-Console") == "panel":
        return render_panel(cabinet, message), status, {"X-Console-Panel": "1"}
    if wants_json():
        return jsonify(error=code, message=message), status
    return render_template("console/cabinet.html", cabinet=cabinet,
                           panel=Markup(render_panel(cabinet, message))), status


@bp.post("/<int:cabinet_id>/reprint")
@roles_required(*STAFF)
def reprint_ticket(cabinet_id: int):
    """Print the current visitor's ticket again on their kiosk's printer (e.g. after paper ran out)."""
    cabinet = cabinet_or_404(cabinet_id)
    form = CommandForm()
    if not form.validate_on_submit() or form.ticket_id.data is None:
        abort(400)
    ticket = db.session.get(Ticket, form.ticket_id.data)
    if ticket is None or ticket.office_id != cabinet.office_id:
        abort(404)
    with db.write_lock:
        job = reprint(db.session, ticket.id, app_now(), status_url=status_url(ticket))
        record(db.session, current_user, "console.reprint", {"cabinet": cabinet.number, "ticket": ticket.label},
               office_id=cabinet.office_id)
        db.session.commit()
    current_services().print_worker.submit(job.id)
    if request.headers.get("X-Console") == "panel":
        return render_panel(cabinet)
    return redirect(url_for(".cabinet_page", cabinet_id=cabinet.id), 303)


@bp.post("/<int:cabinet_id>/<action>")
@roles_required(*STAFF)
def command(cabinet_id: int, action: str):
    """Carry out a clerk's command, commit, then tell the screens; a refusal says why and changes nothing."""
    cabinet = cabinet_or_404(cabinet_id)
    form = CommandForm()
    if not form.validate_on_submit():
        return _refused(cabinet, _("The command could not be read. Reload the page and try again."), 400,
                        "bad_request")
    try:
        with db.write_lock:
            outcomes = _run(cabinet, action, form)
            for outcome in outcomes:
                if outcome.change is not None:
                    _audit(cabinet, action, outcome, form)
            db.session.commit()
    except QueueError as error:
        db.session.rollback()
        return _refused(cabinet, refusal(error), error.status, error.code)
    # The boards first: the hall is waiting for the number, and the change is committed whatever
    # happens to the clerk's own answer.
    for outcome in outcomes:
        publish(outcome.change)
    if request.headers.get("X-Console") == "panel":
        return render_panel(cabinet), 200, {"X-Console-Panel": "1"}
    if wants_json():
        return jsonify(state_of(cabinet))
    return redirect(url_for(".cabinet_page", cabinet_id=cabinet.id), 303)
