"""The paper ticket of a queue ticket: what it shows (the printer package's TicketPrint), and its ESC/POS bytes."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from kezek.models.printing import PrintJob
from kezek.models.ticket import Ticket


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


def job_bytes(job: PrintJob) -> bytes:
    """The ESC/POS bytes of one job, laid out for its kiosk's printer profile."""
    from printer import build_ticket_bytes

    profile = job.kiosk.printer_profile if job.kiosk else "TM-T20II"
    return build_ticket_bytes(ticket_print(job.ticket, job.status_url), profile=profile, width_dots=None)
