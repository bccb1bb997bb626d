"""The `devices link` command: a one-time enrolment link for a kiosk, board or tablet, from the server's shell."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from kezek.devices.registry import kiosk_device, new_enrolment
from kezek.extensions import db
from kezek.models import BOARD, TABLET, Cabinet, Device, Kiosk, Office, utcnow


def _device(office: Office, kind: str, name: str) -> Device | None:
    session = db.session
    if kind == "kiosk":
        kiosk = session.scalar(select(Kiosk).where(Kiosk.office_id == office.id, Kiosk.slug == name))
        return kiosk_device(session, kiosk, utcnow()) if kiosk else None
    query = select(Device).where(Device.office_id == office.id, Device.kind == kind)
    if kind == TABLET:
        query = query.join(Cabinet, Cabinet.id == Device.cabinet_id).where(Cabinet.number == name)
    else:
        query = query.where(Device.name == name)
    return session.scalars(query.order_by(Device.id)).first()


def init_app(app: Flask) -> None:
    """Register the device commands on `app.cli`."""
    devices = AppGroup("devices", help="Enrol kiosks, boards and feedback tablets.")
    app.cli.add_command(devices)

    @devices.command("link")
    @click.argument("office_slug")
    @click.argument("name")
    @click.option("--kind", type=click.Choice(["kiosk", BOARD, TABLET]), default="kiosk",
                  help="kiosk (NAME is its short name), board (its name) or tablet (NAME is its cabinet's number)")
    @click.option("--base", default="", help="the server's address as devices reach it; default KEZEK_PUBLIC_URL")
    def link_command(office_slug, name, kind, base):
        """Print a one-time enrolment link for the device NAME of OFFICE (open it once on the device)."""
        office = db.session.scalar(select(Office).where(Office.slug == office_slug))
        if office is None:
            raise click.ClickException(f"no office {office_slug!r}")
        device = _device(office, kind, name)
        if device is None:
            raise click.ClickException(f"no {kind} {name!r} in office {office_slug!r} (add it in the administration)")
        code = new_enrolment(db.session, None, device, utcnow())
        db.session.commit()
        base = (base or app.config.get("PUBLIC_URL") or "http://<server>").rstrip("/")
        click.echo(f"{base}/devices/enrol/{code}")
        click.echo("Open it once, within 24 hours, in the browser of the device; its earlier enrolment ends then.",
                   err=True)
