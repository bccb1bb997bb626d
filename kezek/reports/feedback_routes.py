"""Visitor feedback: one-tap answers from the phone status page or a cabinet's feedback tablet."""
from __future__ import annotations

from flask import abort, redirect, render_template, url_for

from kezek.clock import app_now
from kezek.devices.kiosks import tablet_allowed, tablet_refused
from kezek.extensions import db
from kezek.models import Cabinet
from kezek.reports import bp
from kezek.reports.feedback import QUESTIONS, answer, answers_of, tablet_ticket, ticket_by_code
from kezek.reports.forms import FeedbackForm


@bp.app_template_global()
def feedback_answers(ticket) -> dict:
    """The ticket's feedback answers so far (for the phone status page's questions)."""
    return answers_of(db.session, ticket)


def _tap(ticket) -> None:
    form = FeedbackForm()
    if not form.validate_on_submit():
        abort(400)
    with db.write_lock:
        answer(db.session, ticket, form.question.data, form.answer.data == "yes", app_now())
        db.session.commit()


@bp.post("/feedback/<code>")
def feedback(code: str):
    """Store one answer for the ticket with this unguessable code; nothing about the visitor is kept."""
    ticket = ticket_by_code(db.session, code)
    if ticket is None:
        abort(404)
    _tap(ticket)
    return redirect(url_for("phone.status", code=code), 303)


def _cabinet_or_404(cabinet_id: int) -> Cabinet:
    cabinet = db.session.get(Cabinet, cabinet_id)
    if cabinet is None or not cabinet.active:
        abort(404)
    return cabinet


@bp.get("/feedback/cabinet/<int:cabinet_id>")
def tablet(cabinet_id: int):
    """A tablet at a cabinet asks the visitor just served the three questions (only an enrolled tablet of it)."""
    if not tablet_allowed(cabinet_id):
        return tablet_refused()
    cabinet = _cabinet_or_404(cabinet_id)
    ticket = tablet_ticket(db.session, cabinet, app_now())
    return render_template("feedback/tablet.html", cabinet=cabinet, ticket=ticket, questions=QUESTIONS,
                           answers=answers_of(db.session, ticket) if ticket else {})


@bp.post("/feedback/cabinet/<int:cabinet_id>")
def tablet_answer(cabinet_id: int):
    """Store one tap from the cabinet's enrolled tablet, for the visit it was asking about."""
    if not tablet_allowed(cabinet_id):
        return tablet_refused()
    cabinet = _cabinet_or_404(cabinet_id)
    ticket = tablet_ticket(db.session, cabinet, app_now())
    form = FeedbackForm()
    if ticket is None or form.ticket_id.data != str(ticket.id):
        abort(409)
    _tap(ticket)
    return redirect(url_for(".tablet", cabinet_id=cabinet.id), 303)
