"""The print journal: every ticket's print jobs, queued with the ticket and kept until printed or given up."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kezek.models.cabinet import Kiosk
from kezek.models.printing import FAILED, QUEUED, SENT, SUPERSEDED, UNSENT, PrintJob
from kezek.models.rows import insert_row
from kezek.models.ticket import OPEN_STATES, Ticket

# A job is retried while its ticket is open and for this long after it was queued; later, paper helps no one.
RETRY_WINDOW = timedelta(hours=2)
# A job that failed for a reason of its own (not the printer's) is not retried: it would fail again.
JOB_ERROR = "error"


def queue_print(session: Session, ticket: Ticket, kiosk: Kiosk | None, status_url: str, now: datetime) -> PrintJob:
    """Add a print job for `ticket` to the journal; the caller commits."""
    return insert_row(
        session,
        PrintJob,
        {
            "ticket_id": ticket.id,
            "kiosk_id": kiosk.id if kiosk else None,
            "state": QUEUED,
            "created_at": now,
            "status_url": status_url,
        },
    )


def reprint(session: Session, ticket_id: int, now: datetime, status_url: str | None = None) -> PrintJob:
    """Queue a ticket again for a clerk; its earlier unsent jobs are superseded so it prints once.

    The caller commits, then hands the job to the print worker (`submit(job.id)`). The kiosk and the
    QR address are those of the ticket's last job (or the ticket's kiosk and `status_url`).
    """
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise LookupError(f"no ticket {ticket_id}")
    last = session.scalar(select(PrintJob).where(PrintJob.ticket_id == ticket_id).order_by(PrintJob.id.desc()))
    address = status_url or (last.status_url if last else "")
    if not address:
        raise ValueError(f"ticket {ticket_id} was never printed: give its status_url")
    kiosk = last.kiosk if last else (session.get(Kiosk, ticket.kiosk_id) if ticket.kiosk_id else None)
    session.execute(
        update(PrintJob).where(PrintJob.ticket_id == ticket_id, PrintJob.state.in_(UNSENT)).values(state=SUPERSEDED)
    )
    return queue_print(session, ticket, kiosk, address, now)


def pending_jobs(session: Session, now: datetime, kiosk: Kiosk | None = None) -> list[PrintJob]:
    """Jobs still to print, oldest first: unsent, recent, not broken, and for a ticket still open."""
    query = (
        select(PrintJob)
        .join(Ticket, PrintJob.ticket_id == Ticket.id)
        .where(
            PrintJob.state.in_(UNSENT),
            PrintJob.error != JOB_ERROR,
            PrintJob.created_at >= now - RETRY_WINDOW,
            Ticket.status.in_(OPEN_STATES),
        )
        .order_by(PrintJob.id)
    )
    if kiosk is not None:
        query = query.where(PrintJob.kiosk_id == kiosk.id)
    return list(session.scalars(query))


def record_outcome(session: Session, job_id: int, reason: str | None, now: datetime) -> None:
    """Record one attempt at a job: sent (`reason` None) or failed with `reason`; the caller commits.

    A ticket on paper needs no other copy: its other unsent jobs (a reprint queued while this one
    was being sent) are superseded. A failure never revives a job that was superseded meanwhile.
    """
    if reason is None:
        session.execute(update(PrintJob).where(PrintJob.id == job_id).values(state=SENT, error="", sent_at=now))
        ticket_id = session.scalar(select(PrintJob.ticket_id).where(PrintJob.id == job_id))
        session.execute(
            update(PrintJob)
            .where(PrintJob.ticket_id == ticket_id, PrintJob.id != job_id, PrintJob.state.in_(UNSENT))
            .values(state=SUPERSEDED)
        )
    else:
        session.execute(
            update(PrintJob)
            .where(PrintJob.id == job_id, PrintJob.state.in_(UNSENT))
            .values(state=FAILED, error=reason[:40])
        )


def fail_queued(session: Session, job_ids: list[int], reason: str) -> None:
    """Mark jobs not yet tried as failed with the printer's reason, so their screens say so at once."""
    if job_ids:
        session.execute(
            update(PrintJob)
            .where(PrintJob.id.in_(job_ids), PrintJob.state == QUEUED)
            .values(state=FAILED, error=reason)
        )


def agent_jobs(session: Session, kiosk: Kiosk, now: datetime, limit: int = 10) -> list[PrintJob]:
    """The jobs a kiosk's print agent should print now, oldest first."""
    return pending_jobs(session, now, kiosk)[:limit]
