"""Device pages: enrolling a browser with a one-time link, heartbeats, the health page, voiding a burst."""
from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from kezek.clock import app_now
from kezek.access import require_office, roles_required
from kezek.admin.forms import options
from kezek.devices import bp
from kezek.devices.credential import current_device, install, page_version, reading_device, renew
from kezek.devices.forms import VoidForm
from kezek.devices.printers import check_printer
from kezek.devices.registry import enrol, heartbeat, office_health, pending_enrolment
from kezek.devices.voiding import burst, void
from kezek.extensions import csrf, db, limiter
from kezek.inputs import has_control_characters
from kezek.known_devices import KnownDevice
from kezek.models import ADMIN, BOARD, KIOSK, MANAGER, REGIONAL_MANAGER, Device, Office
from kezek.realtime import publish
from printer.status import CANNOT_PRINT

STAFF = (ADMIN, MANAGER, REGIONAL_MANAGER)


@bp.app_template_global()
def enrolled_device() -> Device | KnownDevice | None:
    """The enrolled device showing this page (for its heartbeat script), if any: read only, so the copy this
    process verified will do (every kiosk page has the script; a database read each was a kiosk's slowest step)."""
    return reading_device()


bp.add_app_template_global(page_version, "page_version")


def device_home(device: Device) -> str:
    """The page an enrolled device shows."""
    office = db.session.get(Office, device.office_id)
    if device.kind == KIOSK:
        return url_for("kiosk.start", office_slug=office.slug)
    if device.kind == BOARD:
        return url_for("display.board", office_slug=office.slug)
    return url_for("reports.tablet", cabinet_id=device.cabinet_id)


@bp.get("/enrol/<code>")
@limiter.limit("30 per minute")
def enrolment(code: str):
    """What this browser is about to become; the button enrols it (a link preview never does)."""
    device = pending_enrolment(db.session, code, app_now())
    if device is None:
        return render_template("devices/enrol.html", device=None), 404
    return render_template("devices/enrol.html", device=device, office=db.session.get(Office, device.office_id))


@bp.post("/enrol/<code>")
@limiter.limit("30 per minute")
def enrol_here(code: str):
    """Use the one-time code: this browser becomes the device, its cookie the credential."""
    with db.write_lock:
        done = enrol(db.session, code, app_now(), request.remote_addr or "")
        if done is None:
            db.session.rollback()
            return render_template("devices/enrol.html", device=None), 404
        device, credential = done
        home = device_home(device)
        db.session.commit()
    return install(redirect(home, 303), device, credential)


@bp.post("/heartbeat")
def beat():
    """An enrolled device says it is alive, on which page and page version; a kiosk learns its printer's state."""
    device = current_device()
    if device is None:
        return jsonify(error="not_enrolled"), 403
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    page, version = body.get("page"), body.get("version")
    if not isinstance(page, str) or not isinstance(version, str) or has_control_characters(page + version):
        return jsonify(error="bad_request"), 400
    moment = app_now()
    printer = check_printer(device, moment) if device.kind == KIOSK else None
    with db.write_lock:
        heartbeat(device, moment, page, version, request.remote_addr or "")
        if printer is not None:
            device.printer_state, device.printer_detail, device.printer_checked_at = printer
        db.session.commit()
    state = device.printer_state if device.kind == KIOSK else None
    answer = jsonify(ok=True, printer=state, cannot_print=state in CANNOT_PRINT, version=page_version())
    return renew(answer)


# A heartbeat carries no form: the device cookie (SameSite=Lax, HttpOnly) is its only authority.
csrf.exempt(beat)
# The one-time code in the address is the authority: a page elsewhere cannot know it.
csrf.exempt(enrol_here)


def _office_in_reach(office_id: int | None) -> list[Office]:
    query = select(Office).where(~Office.is_regional).order_by(Office.id)
    if office_id is not None:
        require_office(office_id)
        query = query.where(Office.id == office_id)
    elif not (current_user.role in (ADMIN, REGIONAL_MANAGER) and current_user.office_id is None):
        query = query.where(Office.id == current_user.office_id)
    offices = list(db.session.scalars(query))
    if office_id is not None and not offices:
        abort(404)
    return offices


@bp.get("/")
@roles_required(*STAFF)
def health():
    """Every kiosk, board and tablet of the offices in reach: online or not, last seen, page, version, printer."""
    office_id = request.args.get("office", type=int)
    if office_id is not None and not 0 < office_id < 2**31:
        abort(404)
    moment, version = app_now(), page_version()
    offices = _office_in_reach(office_id)
    health_rows = {office.id: office_health(db.session, office, moment, version) for office in offices}
    return render_template("devices/health.html", offices=offices, rows=health_rows, version=version,
                           zone=ZoneInfo(current_app.config["TIMEZONE"]), now=moment,
                           single=office_id is not None)


def _void_choices(office: Office) -> list[tuple[str, str]]:
    kiosks = db.session.scalars(select(Device).where(Device.office_id == office.id, Device.kind == KIOSK)
                                .order_by(Device.name))
    return [(str(device.id), device.name) for device in kiosks] + [("open", _("Open web kiosk (no device)"))]


@bp.route("/offices/<int:office_id>/void", methods=["GET", "POST"])
@roles_required(*STAFF)
def void_burst(office_id: int):
    """A manager picks a device and a time window, sees the tickets nobody took, and voids them."""
    if not 0 < office_id < 2**31:
        abort(404)
    (office,) = _office_in_reach(office_id)
    zone = ZoneInfo(office.timezone)
    local_now = app_now().astimezone(zone).replace(second=0, microsecond=0, tzinfo=None)
    form = VoidForm(request.form if request.method == "POST" else request.args,
                    meta={"csrf": request.method == "POST"})
    choices = _void_choices(office)
    form.source.choices = options(choices)
    if not form.start.data and not form.end.data and not request.args and request.method == "GET":
        form.start.data, form.end.data = local_now - timedelta(minutes=30), local_now
    found, asked = [], bool(request.args.get("source")) or request.method == "POST"
    if asked:
        if not form.validate() or form.source.data not in dict(choices):
            abort(400)
        if not all(2000 <= moment.year <= 2100 for moment in (form.start.data, form.end.data)):
            abort(400)
        start = form.start.data.replace(tzinfo=zone)
        end = form.end.data.replace(tzinfo=zone) + timedelta(seconds=59)
        if end < start or end - start > timedelta(days=1):
            abort(400)
        device_id = None if form.source.data == "open" else int(form.source.data)
        found = burst(db.session, office.id, device_id, start, end)
        if request.method == "POST":
            detail = {"source": form.source.data, "from": start.isoformat(), "to": end.isoformat()}
            with db.write_lock:
                labels, change = void(db.session, current_user, office.id, [t.id for t in found], app_now(), detail)
                db.session.commit()
            publish(change)
            flash(ngettext("%(num)d ticket was voided.", "%(num)d tickets were voided.", len(labels)), "ok")
            return redirect(url_for(".void_burst", office_id=office.id), 303)
    return render_template("devices/void.html", office=office, form=form, found=found, asked=asked, zone=zone)
