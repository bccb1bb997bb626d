"""Kiosk pages: start, service choice, taking a ticket, the ticket on screen."""
from __future__ import annotations

from flask import abort, current_app, g, redirect, render_template, request, url_for
from sqlalchemy import select

from kezek.clock import app_now
from kezek.devices.credential import reading_device
from kezek.devices.kiosks import (
    KioskRefused, kiosk_access, open_kiosk_limit, printer_notice, refused_page, tapped_office,
)
from kezek.extensions import db, limiter
from kezek.models import Office, PrintJob, Ticket
from kezek.printing import queue_print
from kezek.public_address import public_base
from kezek.realtime import publish
from kezek.services import current_services
from kezek.writelock import is_busy
from kezek.queue.errors import QueueError
from kezek.queue.forecast import Reuse
from kezek.queue.issuing import find_office, foresee, issue_ticket
from kezek.queue.turned_away import reason_of, record_turned_away
from kezek.queue.offer import find_tap, offered_services, offered_visit_kinds, outlooks, tomorrow_opening
from kezek.queue.hours import opening_state
from kiosk import bp
from kiosk.forms import TakeTicketForm
from kiosk.reading import service_reading, start_reading, ticket_reading
from kiosk.state import closing_soon, page_keys


@bp.before_request
def language_from_url_only():
    """A kiosk is shared: its language comes from the URL, so the next visitor starts in Kazakh."""
    g.language_from_url_only = True


def status_url(ticket: Ticket) -> str:
    """The phone status address of a ticket (the QR code's content)."""
    return public_base().rstrip("/") + url_for("phone.status", code=ticket.code)


def _context(office: Office) -> dict:
    access = g.get("kiosk_access")
    return {"office": office, "kiosk_slug": request.args.get("kiosk", ""), "lang": g.get("page_lang", "kk"),
            "kiosk_device": access.device if access else None, "printer_notice": printer_notice(access)}


def _admit(office: Office):
    """Let an enrolled kiosk of the office (or its open web kiosk) see the page; otherwise the refusal page."""
    try:
        g.kiosk_access = kiosk_access(office, request.args.get("kiosk"))
    except KioskRefused as refusal:
        return refused_page(office, refusal)
    return None


@bp.get("/<office_slug>")
def start(office_slug: str):
    """The idle screen: pick a service (only on a registered kiosk of the office)."""
    office = find_office(db.session, office_slug)
    refused = _admit(office)
    if refused:
        return refused
    now = app_now()
    opening = opening_state(db.session, office, now)
    services = offered_services(db.session, office)
    return render_template("kiosk/start.html", services=services, opening=opening, soon=closing_soon(opening),
                           live_keys=page_keys(opening), speech=start_reading(services, opening), **_context(office))


@bp.get("/<office_slug>/service/<service_code>")
def service(office_slug: str, service_code: str):
    """Hand in or collect, with documents, people ahead and the estimated wait."""
    office = find_office(db.session, office_slug)
    kinds = [kind for kind in offered_visit_kinds(db.session, office) if kind.service.code == service_code]
    if not kinds:
        abort(404)
    refused = _admit(office)
    if refused:
        return refused
    opening, choices = outlooks(db.session, office, kinds, app_now())
    return render_template(
        "kiosk/service.html",
        service=kinds[0].service,
        opening=opening,
        choices=choices,
        reopens=tomorrow_opening(db.session, office, opening),
        form=TakeTicketForm(),
        live_keys=page_keys(opening, choices),
        speech=service_reading(kinds[0].service, choices, opening),
        **_context(office),
    )


def _tapper_limit() -> str:
    """An enrolled kiosk's own limit, or, for every other browser together, the office's open web kiosk's."""
    return current_app.config["KIOSK_TICKET_LIMIT"] if reading_device() is not None else open_kiosk_limit()


def _tapper_key() -> str:
    """Rate-limit key: one enrolled device, whatever kiosk name it posts; else the office's open web kiosk.

    One limit for both (not two, each exempting the other's browsers): each of a rush's taps counts once."""
    device = reading_device()
    if device is not None:
        return f"kiosk-device:{device.id}"
    return f"open-kiosk:{request.view_args.get('office_slug')}"


def _address_key() -> str:
    """Rate-limit key: one address, across every office and kiosk name."""
    return f"kiosk-address:{request.remote_addr}"


def _issued(response) -> bool:
    return response.status_code == 303


@bp.post("/<office_slug>/tickets")
@limiter.limit(lambda: current_app.config["KIOSK_ADDRESS_LIMIT"], key_func=_address_key)
@limiter.limit(_tapper_limit, key_func=_tapper_key, deduct_when=_issued)
def take_ticket(office_slug: str):
    """Issue a ticket, queue its printing, and show it (only at an enrolled kiosk or an open web kiosk)."""
    form = TakeTicketForm()
    if not form.validate_on_submit():
        abort(400)
    session = db.session
    try:
        access = kiosk_access(tapped_office(session, office_slug), form.kiosk.data)
    except KioskRefused as refusal:
        return refused_page(find_office(session, office_slug), refusal)
    office, kind, kiosk = find_tap(session, office_slug, form.visit_kind.data, access.kiosk_slug)
    now = app_now()
    reuse = Reuse(current_app.config["ESTIMATE_REUSE_SECONDS"], current_app.config["ESTIMATE_REUSE_ACROSS_KINDS"])
    try:
        prospect = foresee(session, office, kind, now, reuse)  # the reads, before the one writer's turn
        with db.write_lock:
            issued = issue_ticket(session, office, kind, now, kiosk=kiosk, lang=form.lang.data, prospect=prospect,
                                  reuse=reuse, device_id=access.device.id if access.device else None)
            job = queue_print(session, issued.ticket, kiosk, status_url(issued.ticket), now)
            session.commit()
    except QueueError as refusal:
        session.rollback()
        if reason_of(refusal) is not None:  # a visitor turned away: counted in the reports
            with db.write_lock:
                record_turned_away(session, office, kind.id, refusal, now)
                session.commit()
        office = find_office(session, office_slug)  # the whole office, for the page
        opening = opening_state(session, office, now)
        return render_template(
            "kiosk/refused.html", refusal=refusal, opening=opening,
            reopens=tomorrow_opening(session, office, opening), **_context(office),
        ), 409
    except Exception as error:
        if not is_busy(error):
            raise
        # The writer's turn did not come in time: nothing was written, and nothing will be after this answer.
        session.rollback()
        current_app.logger.warning("kiosk tap at %s not served: %s", office_slug, error)
        office = find_office(session, office_slug)  # the whole office, for the page
        again = url_for(".start", office_slug=office_slug, lang=form.lang.data, kiosk=form.kiosk.data or None)
        return render_template("kiosk/busy.html", again=again, **_context(office)), 503
    publish(issued.change)
    printing = current_services().print_worker
    printing.submit(job.id, printing.printer_url(kiosk))
    target = url_for(".ticket", office_slug=office.slug, code=issued.ticket.code, lang=form.lang.data,
                     kiosk=form.kiosk.data or None)
    return redirect(target, 303)


def _ticket(office_slug: str, code: str) -> tuple[Office, Ticket]:
    office = find_office(db.session, office_slug)
    ticket = db.session.scalar(select(Ticket).where(Ticket.code == code, Ticket.office_id == office.id))
    if ticket is None:
        abort(404)
    return office, ticket


@bp.get("/<office_slug>/tickets/<code>")
def ticket(office_slug: str, code: str):
    """The ticket on screen: number, wait, QR code; returns to the start by itself."""
    office, ticket = _ticket(office_slug, code)
    job = db.session.scalar(select(PrintJob).where(PrintJob.ticket_id == ticket.id).order_by(PrintJob.id.desc()))
    return render_template(
        "kiosk/ticket.html", ticket=ticket, job=job, url=status_url(ticket),
        idle_seconds=current_app.config["KIOSK_RETURN_SECONDS"], speech=ticket_reading(ticket), **_context(office),
    )


@bp.get("/<office_slug>/tickets/<code>/print")
def print_state(office_slug: str, code: str):
    """Where the ticket's printing stands: queued, sent or failed (polled by the ticket screen)."""
    _office, ticket = _ticket(office_slug, code)
    job = db.session.scalar(select(PrintJob).where(PrintJob.ticket_id == ticket.id).order_by(PrintJob.id.desc()))
    return {"state": job.state if job else "none", "error": job.error if job else ""}
