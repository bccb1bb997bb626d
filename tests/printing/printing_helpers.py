"""Helpers for the print journal tests: a kiosk's printer, ticket codes, waiting, the journal's rows."""
from __future__ import annotations

import time

from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import Kiosk, Office, PrintJob, Ticket


def set_printer(app, url: str, office: str = "taraz", slug: str = "main") -> None:
    """Point an office's kiosk at a printer URL."""
    with app.app_context():
        kiosk = find_kiosk(kezek_db.session, office, slug)
        kiosk.printer_url = url
        kezek_db.session.commit()


def find_kiosk(session, office: str, slug: str = "main") -> Kiosk:
    """The kiosk `slug` of an office."""
    return session.scalar(
        select(Kiosk).join(Office, Kiosk.office_id == Office.id).where(Office.slug == office, Kiosk.slug == slug)
    )


def ticket_code(answer) -> str:
    """The ticket code from the kiosk's redirect after taking a ticket."""
    assert answer.status_code == 303, answer.status_code
    return answer.headers["Location"].split("/tickets/")[1].split("?")[0]


def wait_for(check, seconds: float = 20.0, step: float = 0.05):
    """Call `check` until it returns something truthy; fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"not within {seconds} s: {check.__doc__ or check}")


def print_state(client, code: str, office: str = "taraz") -> dict:
    """What the ticket screen's poll sees."""
    return client.get(f"/kiosk/{office}/tickets/{code}/print").get_json()


def jobs_of(app, code: str) -> list[tuple[str, str, int]]:
    """(state, error, attempts) of every print job of a ticket, oldest first."""
    with app.app_context():
        session = kezek_db.session
        ticket = session.scalar(select(Ticket).where(Ticket.code == code))
        jobs = session.scalars(select(PrintJob).where(PrintJob.ticket_id == ticket.id).order_by(PrintJob.id))
        return [(job.state, job.error, job.attempts) for job in jobs]
