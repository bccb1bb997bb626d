"""Console pages and commands: thin views over kezek.queue.clerk; publish only after the commit."""
from __future__ import annotations

import secrets

from flask import abort, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from kezek.console import bp
from kezek.console.forms import CommandForm
from kezek.access import require_office, roles_required
from kezek.audit import record
from kezek.inputs import query_id
from kezek.errors import wants_json
from kezek.extensions import db
from kezek.models import ADMIN, CLERK, MANAGER, REGIONAL_MANAGER, Cabinet, Office, Ticket
from kezek.printing import reprint
from kiosk.routes import status_url
from kezek.queue import clerk
from kezek.queue.offer import offered_visit_kinds
from kezek.queue.waiting import waiting_rows
from kezek.realtime import publish

STAFF = (CLERK, MANAGER, REGIONAL_MANAGER, ADMIN)
TICKET_ACTIONS = {
    "recall": clerk.recall, "start": clerk.start, "no-show": clerk.no_show, "cancel": clerk.cancel,
}
CABINET_STATES = {"open": "open", "pause": "paused", "close": "closed"}


def now():
    """The app's clock."""
    return current_app.config["CLOCK"]()


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


def state_of(cabinet: Cabinet) -> dict:
    """Everything the console shows for a cabinet, computed on the server."""
    current = clerk.current_ticket(db.session, cabinet)
    rows = waiting_rows(db.session, cabinet, now())
    return {
        "cabinet": {"id": cabinet.id, "number": cabinet.number, "state": cabinet.state},
        "current": None if current is None else {
            "id": current.id, "label": current.label, "status": current.status, "recalls": current.recalls,
            "visit_kind_id": current.visit_kind_id, "kind": current.visit_kind.kind,
            "reason": clerk.call_reason(db.session, current.id),  # why the policy called them (policy.REASONS)
        },
        "waiting": [row.__dict__ for row in rows],
        "command_id": secrets.token_urlsafe(12),
    }


@bp.get("/<int:cabinet_id>")
@roles_required(*STAFF)
def cabinet_page(cabinet_id: int):
    """The console of one cabinet."""
    cabinet = cabinet_or_404(cabinet_id)
    return render_template("console/cabinet.html", cabinet=cabinet, panel=Markup(render_panel(cabinet)))


def render_panel(cabinet: Cabinet) -> str:
    """The live part of the console (current visitor, buttons, waiting list) as HTML."""
    office = db.session.get(Office, cabinet.office_id)
    others = db.session.scalars(
        select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.active, Cabinet.id != cabinet.id)
    ).all()
    return render_template(
        "console/_panel.html", cabinet=cabinet, office=office, state=state_of(cabinet),
        kinds={k.id: k for k in offered_visit_kinds(db.session, office)}, others=others,
    )


@bp.get("/<int:cabinet_id>/panel")
@roles_required(*STAFF)
def panel(cabinet_id: int):
    """The live part of the console, refreshed by the page."""
    return render_panel(cabinet_or_404(cabinet_id))


@bp.get("/<int:cabinet_id>/state")
@roles_required(*STAFF)
def cabinet_state(cabinet_id: int):
    """The console's state as JSON (refreshed after each command and on every queue change)."""
    return jsonify(state_of(cabinet_or_404(cabinet_id)))


def _run(cabinet: Cabinet, action: str, form: CommandForm) -> clerk.Outcome:
    user, at, ticket_id = current_user._get_current_object(), now(), form.ticket_id.data
    if action == "call":
        return clerk.call_next(db.session, cabinet, user, at, command_id=form.command_id.data or None)
    if action in CABINET_STATES:
        return clerk.set_cabinet_state(db.session, cabinet, user, CABINET_STATES[action], now=at,
                                       pause=form.pause.data or None, minutes=form.pause_minutes.data)
    if ticket_id is None:
        abort(400)
    if action in TICKET_ACTIONS:
        return TICKET_ACTIONS[action](db.session, cabinet, user, ticket_id, at)
    if action == "finish":
        return clerk.finish(db.session, cabinet, user, ticket_id, at, documents_correct=form.documents_correct.data)
    if action == "transfer":
        return clerk.transfer(db.session, cabinet, user, ticket_id, at, visit_kind_id=form.visit_kind_id.data,
                              to_cabinet_id=form.to_cabinet_id.data)
    abort(404)


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
        job = reprint(db.session, ticket.id, now(), status_url=status_url(ticket))
        record(db.session, current_user, "console.reprint", {"cabinet": cabinet.number, "ticket": ticket.label},
               office_id=cabinet.office_id)
        db.session.commit()
    current_app.extensions["kezek.print_worker"].submit(job.id)
    if request.headers.get("X-Console") == "panel":
        return render_panel(cabinet)
    return redirect(url_for(".cabinet_page", cabinet_id=cabinet.id), 303)


@bp.post("/<int:cabinet_id>/<action>")
@roles_required(*STAFF)
def command(cabinet_id: int, action: str):
    """Carry out a clerk's command, commit, then tell the screens."""
    cabinet = cabinet_or_404(cabinet_id)
    form = CommandForm()
    if not form.validate_on_submit():
        abort(400)
    with db.write_lock:
        outcome = _run(cabinet, action, form)
        if outcome.change is not None:
            record(db.session, current_user, f"console.{action}",
                   {"cabinet": cabinet.number, "ticket": outcome.ticket.label if outcome.ticket else None},
                   office_id=cabinet.office_id)
        db.session.commit()
    # The boards first: the hall is waiting for the number, and the change is committed whatever
    # happens to the clerk's own answer.
    publish(outcome.change)
    if request.headers.get("X-Console") == "panel":
        return render_panel(cabinet)
    if wants_json():
        return jsonify(state_of(cabinet))
    return redirect(url_for(".cabinet_page", cabinet_id=cabinet.id), 303)
