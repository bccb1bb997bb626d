"""The `kiosk-token` command: a print agent token for a kiosk whose printer hangs off the kiosk PC."""
from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from kezek.audit import record
from kezek.extensions import db
from kezek.models import Kiosk, Office
from kezek.printing import AGENT_URL, new_agent_token


def init_app(app: Flask) -> None:
    """Register the printing commands on `app.cli`."""

    @app.cli.command("kiosk-token")
    @click.argument("office_slug")
    @click.argument("kiosk_slug")
    def kiosk_token_command(office_slug, kiosk_slug):
        """Print a new print agent token for KIOSK of OFFICE and hand its printing to the agent."""
        session = db.session
        kiosk = session.scalar(
            select(Kiosk).join(Office, Kiosk.office_id == Office.id)
            .where(Office.slug == office_slug, Kiosk.slug == kiosk_slug)
        )
        if kiosk is None:
            raise click.ClickException(f"no kiosk {kiosk_slug!r} in office {office_slug!r}")
        token = new_agent_token(kiosk)
        previous, kiosk.printer_url = kiosk.printer_url, AGENT_URL
        record(session, None, "kiosk_agent_token", {"kiosk": kiosk_slug, "previous_printer_url": previous},
               office_id=kiosk.office_id)
        session.commit()
        click.echo(token)
        click.echo(
            f"Kiosk {office_slug}/{kiosk_slug} now prints through a print agent (printer URL {AGENT_URL}); "
            "any earlier token no longer works. On the kiosk PC run:\n"
            f"  python -m printer.agent --server <address> --kiosk {office_slug}/{kiosk_slug} "
            f"--token {token} --printer usb://VID:PID",
            err=True,
        )
