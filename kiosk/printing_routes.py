"""Printing around the kiosk: starting the print worker, printer state for staff, the print agent's endpoints."""
from __future__ import annotations

import base64

from flask import abort, current_app, jsonify, request
from sqlalchemy import select

from kezek.clock import app_now
from kezek.access import require_office, roles_required
from kezek.extensions import csrf, db
from kezek.models import Kiosk
from kezek.models.printing import PrintJob
from kezek.printer_access import staff_statuses
from kezek.printing import (
    JOB_ERROR, agent_jobs, agent_token_matches, job_bytes, printer_states, record_outcome,
)
from kezek.queue.issuing import find_office
from kiosk import bp
from printer.errors import REASONS

# How often the agent asks for jobs; it is told so with every answer.
AGENT_POLL_SECONDS = 2


@bp.get("/<office_slug>/printer-state")
@roles_required("admin", "manager")
def printer_state(office_slug: str):
    """Each kiosk's printer for staff: the last job's outcome, jobs waiting, and what the printer says now."""
    office = find_office(db.session, office_slug)
    require_office(office.id)
    kiosks = list(db.session.scalars(select(Kiosk).where(Kiosk.office_id == office.id).order_by(Kiosk.id)))
    states = printer_states(
        db.session, kiosks, current_app.config["PRINTER_URL"],
        timeout=float(current_app.config.get("PRINTER_STATUS_TIMEOUT", 1.0)), ask=staff_statuses,
    )
    return jsonify(office=office.slug, kiosks=states)


def _agent_kiosk(office_slug: str) -> Kiosk:
    """The kiosk named by `?kiosk=` whose agent token came in the Authorization header, or 403."""
    office = find_office(db.session, office_slug)
    slug = request.args.get("kiosk", "")
    kiosk = db.session.scalar(select(Kiosk).where(Kiosk.office_id == office.id, Kiosk.slug == slug))
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if kiosk is None or scheme.lower() != "bearer" or not agent_token_matches(kiosk, token.strip()):
        abort(403)
    return kiosk


@bp.get("/<office_slug>/agent/jobs")
def agent_pending(office_slug: str):
    """The kiosk's jobs for its print agent, oldest first, as base64 ESC/POS bytes."""
    kiosk = _agent_kiosk(office_slug)
    status = request.headers.get("X-Printer-Status")
    if status is not None:
        record_agent_status(kiosk, status)
    jobs = [
        {"id": job.id, "ticket": job.ticket.label, "state": job.state, "attempts": job.attempts,
         "data": base64.b64encode(job_bytes(job)).decode("ascii")}
        for job in agent_jobs(db.session, kiosk, app_now())
    ]
    return jsonify(jobs=jobs, poll_seconds=AGENT_POLL_SECONDS)


@bp.post("/<office_slug>/agent/jobs/<int:job_id>")
def agent_report(office_slug: str, job_id: int):
    """The agent says a job was printed (`{"state": "sent"}`) or failed (`{"state": "failed", "error": reason}`)."""
    kiosk = _agent_kiosk(office_slug)
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or body.get("state") not in ("sent", "failed"):
        abort(400)
    job = db.session.get(PrintJob, job_id)
    if job is None or job.kiosk_id != kiosk.id:
        abort(404)
    reason = None
    if body["state"] == "failed":
        reason = body.get("error") if body.get("error") in REASONS else JOB_ERROR
    with db.write_lock:
        job.attempts += 1
        record_outcome(db.session, job.id, reason, app_now())
        db.session.commit()
    db.session.refresh(job)
    return jsonify(id=job.id, state=job.state, error=job.error)


def record_agent_status(kiosk: Kiosk, status: str) -> None:
    """Keep what the agent's printer answered (hex status bytes) on the kiosk's device, if it has one."""
    from kezek.devices.printers import agent_status
    from kezek.models import Device

    device = db.session.scalar(select(Device).where(Device.kiosk_id == kiosk.id))
    if device is None:
        return
    with db.write_lock:
        agent_status(device, status, app_now())
        db.session.commit()


# The agent signs in with its token, not a session cookie, so there is no CSRF to guard against here.
csrf.exempt(agent_pending)
csrf.exempt(agent_report)
