"""The print journal: turning issued tickets into print jobs and sending them off the request path."""
from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from kezek.models import FAILED, QUEUED, SENT, Kiosk, PrintJob, Ticket, utcnow

log = logging.getLogger(__name__)


def ticket_print(ticket: Ticket, status_url: str):
    """What the paper ticket shows, as the printer package's TicketPrint."""
    from printer import TicketPrint

    kind, office = ticket.visit_kind, ticket.office
    langs = ("kk", "ru", "en")
    return TicketPrint(
        office={lang: office.name(lang) for lang in langs},
        number=ticket.label,
        service={lang: kind.service.name(lang) for lang in langs},
        visit_kind={lang: kind.name(lang) for lang in langs},
        lang=ticket.lang,
        issued_local=ticket.issued_at.astimezone(ZoneInfo(office.timezone)),
        people_ahead=ticket.people_ahead,
        estimate_min=(ticket.estimate_low_minutes, ticket.estimate_high_minutes),
        wait_limit_min=ticket.wait_limit_minutes,
        documents={lang: kind.document_names(lang) for lang in langs},
        status_url=status_url,
        cabinet=None,
    )


def queue_print(session: Session, ticket: Ticket, kiosk: Kiosk | None, status_url: str, now: datetime) -> PrintJob:
    """Add a print job for `ticket` to the journal; the caller commits."""
    job = PrintJob(ticket=ticket, kiosk=kiosk, state=QUEUED, created_at=now, status_url=status_url)
    session.add(job)
    return job


class PrintWorker:
    """Sends queued print jobs to printers on background threads and records the outcome."""

    def __init__(self, session_factory: sessionmaker, default_url: str, timeout: float = 5.0, threads: int = 4):
        self.session_factory = session_factory
        self.default_url = default_url
        self.timeout = timeout
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="print")

    def submit(self, job_id: int) -> Future:
        """Send job `job_id` soon; returns at once."""
        return self.executor.submit(self.send, job_id)

    def printer_url(self, kiosk: Kiosk | None) -> str:
        """The printer URL of a kiosk, or the installation's default."""
        return (kiosk.printer_url if kiosk and kiosk.printer_url else "") or self.default_url

    def send(self, job_id: int) -> str:
        """Build and send one job now; returns its new state."""
        from printer import PrinterError, build_ticket_bytes, open_printer

        with self.session_factory() as session:
            job = session.get(PrintJob, job_id)
            if job is None or job.state == SENT:
                return SENT if job else FAILED
            kiosk = job.kiosk
            job.attempts += 1
            try:
                data = build_ticket_bytes(
                    ticket_print(job.ticket, job.status_url),
                    profile=kiosk.printer_profile if kiosk else "TM-T20II",
                    width_dots=None,
                )
                open_printer(self.printer_url(kiosk), timeout=self.timeout).send(data)
            except PrinterError as error:
                job.state, job.error = FAILED, getattr(error, "reason", "offline")
            except Exception:  # a broken printer must never take the kiosk down
                log.exception("print job %s failed", job_id)
                job.state, job.error = FAILED, "error"
            else:
                job.state, job.error, job.sent_at = SENT, "", utcnow()
            session.commit()
            return job.state

    def shutdown(self) -> None:
        """Finish what is running and stop."""
        self.executor.shutdown(wait=True)
