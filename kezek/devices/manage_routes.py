"""An administrator's device pages: an office's devices, enrolment links, revoking, the open web kiosk setting."""
from __future__ import annotations

from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from kezek.clock import app_now
from kezek.access import require_office, roles_required
from kezek.admin.forms import ButtonForm, options
from kezek.audit import record
from kezek.devices import bp
from kezek.devices.forms import AddDeviceForm, OpenKioskForm
from kezek.devices.registry import DeviceRefused, add_device, kiosk_device, new_enrolment, office_devices, revoke
from kezek.extensions import db
from kezek.models import ADMIN, Cabinet, Device, Kiosk, Office


def _office(slug: str) -> Office:
    office = db.session.scalar(select(Office).where(Office.slug == slug))
    if office is None:
        abort(404)
    require_office(office.id)
    return office


def _owned(model, row_id: int):
    if not 0 < row_id < 2**31:
        abort(404)
    row = db.session.get(model, row_id)
    if row is None:
        abort(404)
    require_office(row.office_id)
    return row


def _page(office: Office, add_form: AddDeviceForm | None = None, error: str | None = None, status: int = 200):
    cabinets = db.session.scalars(select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.active)
                                  .order_by(Cabinet.number)).all()
    form = add_form or AddDeviceForm(formdata=None)
    form.cabinet.choices = options([("", "—")] + [(str(cabinet.id), cabinet.number) for cabinet in cabinets])
    devices = office_devices(db.session, office.id)
    kiosks = db.session.scalars(select(Kiosk).where(Kiosk.office_id == office.id, Kiosk.active)
                                .order_by(Kiosk.id)).all()
    with_device = {device.kiosk_id for device in devices}
    return render_template(
        "devices/office.html", office=office, devices=devices, new_kiosks=[k for k in kiosks if k.id not in with_device],
        add_form=form, open_form=OpenKioskForm(formdata=None, obj=office), button=ButtonForm(), error=error,
        zone=ZoneInfo(current_app.config["TIMEZONE"]),
    ), status


@bp.get("/offices/<slug>")
@roles_required(ADMIN)
def office_devices_page(slug: str):
    """An office's kiosks, boards and tablets with their enrolment, and the open web kiosk setting."""
    return _page(_office(slug))


@bp.post("/offices/<slug>/devices")
@roles_required(ADMIN)
def add(slug: str):
    """Add a hall board or a cabinet's feedback tablet (then make its enrolment link)."""
    office = _office(slug)
    form = AddDeviceForm()
    if not form.validate_on_submit():
        return _page(office, form, _("Nothing was saved: please correct the marked fields."), 400)
    cabinet = None
    if form.kind.data == "tablet" and (form.cabinet.data or "").isdigit():
        cabinet = db.session.get(Cabinet, int(form.cabinet.data))
    try:
        with db.write_lock:
            device = add_device(db.session, current_user, office, form.kind.data, form.name.data, app_now(), cabinet)
            db.session.commit()
    except DeviceRefused:
        db.session.rollback()
        return _page(office, form, _("Choose a board or a tablet with its cabinet, and give it a name."), 400)
    flash(_("Saved."), "ok")
    return redirect(url_for(".office_devices_page", slug=office.slug) + f"#device-{device.id}", 303)


def _link_page(device: Device, code: str):
    import segno

    link = (current_app.config.get("PUBLIC_URL") or request.url_root).rstrip("/") + url_for(".enrolment", code=code)
    office = db.session.get(Office, device.office_id)
    return render_template("devices/link.html", device=device, office=office, link=link,
                           qr=segno.make(link, error="m").png_data_uri(scale=5, border=2),
                           zone=ZoneInfo(current_app.config["TIMEZONE"]))


@bp.post("/kiosks/<int:kiosk_id>/enrol")
@roles_required(ADMIN)
def enrol_kiosk(kiosk_id: int):
    """Make the enrolment link of a kiosk (its device is added on first need)."""
    kiosk = _owned(Kiosk, kiosk_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with db.write_lock:
        device = kiosk_device(db.session, kiosk, app_now())
        code = new_enrolment(db.session, current_user, device, app_now())
        db.session.commit()
    return _link_page(device, code)


@bp.post("/<int:device_id>/enrol")
@roles_required(ADMIN)
def enrol_again(device_id: int):
    """A new enrolment link for a device: using it replaces the device's credential."""
    device = _owned(Device, device_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with db.write_lock:
        code = new_enrolment(db.session, current_user, device, app_now())
        db.session.commit()
    return _link_page(device, code)


@bp.post("/<int:device_id>/revoke")
@roles_required(ADMIN)
def revoke_device(device_id: int):
    """Take the device's credential away at once: its browser stops being a device of the office."""
    device = _owned(Device, device_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    office = db.session.get(Office, device.office_id)
    with db.write_lock:
        revoke(db.session, current_user, device, app_now())
        db.session.commit()
    flash(_("The device was revoked."), "ok")
    return redirect(url_for(".office_devices_page", slug=office.slug), 303)


@bp.post("/offices/<slug>/open-web-kiosk")
@roles_required(ADMIN)
def open_web_kiosk(slug: str):
    """Turn the office's open web kiosk on or off; audited."""
    office = _office(slug)
    form = OpenKioskForm()
    if not form.validate_on_submit():
        abort(400)
    with db.write_lock:
        office.open_web_kiosk = bool(form.open_web_kiosk.data)
        record(db.session, current_user, "office.open_web_kiosk", {"open": office.open_web_kiosk},
               office_id=office.id, at=app_now())
        db.session.commit()
    flash(_("Saved."), "ok")
    return redirect(url_for(".office_devices_page", slug=office.slug), 303)
