"""Which printer a kiosk prints on, and how the printers are: asked all at once, for administrators."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kezek.models.cabinet import Kiosk
from kezek.models.printing import UNSENT, PrintJob
from kezek.printing.agents import is_agent


def printer_url(kiosk: Kiosk | None, default_url: str) -> str:
    """The printer URL of a kiosk, or the installation's default."""
    return or_default(kiosk.printer_url if kiosk else None, default_url)


def or_default(url: str | None, default_url: str) -> str:
    """A kiosk's own printer URL when it has one, else the installation's default."""
    return (url or "").strip() or default_url


def printer_states(
    session: Session, kiosks: list[Kiosk], default_url: str = "", timeout: float = 1.0, ask=None
) -> list[dict]:
    """For administrators: each kiosk's last print job, how many wait, and what its printer says now.

    `ask(urls, timeout)` gives the printers' statuses (default `live_statuses`, which asks every one).
    """
    urls = [printer_url(kiosk, default_url) for kiosk in kiosks]
    statuses = (ask or live_statuses)([url for url in urls if not is_agent(url)], timeout)
    states = []
    for kiosk, url in zip(kiosks, urls, strict=True):
        last = session.scalar(select(PrintJob).where(PrintJob.kiosk_id == kiosk.id).order_by(PrintJob.id.desc()))
        waiting = session.scalar(
            select(func.count()).select_from(PrintJob).where(PrintJob.kiosk_id == kiosk.id, PrintJob.state.in_(UNSENT))
        )
        states.append(
            {
                "kiosk": kiosk.slug,
                "name": kiosk.name,
                "printer_url": url,
                "agent": is_agent(url),
                "last_job": None
                if last is None
                else {
                    "id": last.id,
                    "state": last.state,
                    "error": last.error,
                    "attempts": last.attempts,
                    "created_at": last.created_at.isoformat(),
                    "sent_at": last.sent_at.isoformat() if last.sent_at else None,
                },
                "unsent_jobs": waiting or 0,
                "status": None if is_agent(url) else statuses[url],
            }
        )
    return states


def live_statuses(urls: list[str], timeout: float, policy=None) -> dict[str, dict]:
    """Ask several printers how they are, all at once, so hanging ones cost one timeout in total.

    With a `policy` (printer.policy.PrinterPolicy), a printer it does not let the server open is not asked.
    """
    from printer import PrinterError, open_printer

    opener = policy.open if policy is not None else open_printer

    def ask(url: str) -> dict:
        try:
            status = opener(url, timeout=timeout).status()
        except PrinterError as error:
            return {"online": False, "paper": "unknown", "cover_open": None, "detail": error.reason, "state": "offline"}
        return {
            "online": status.online,
            "paper": status.paper,
            "cover_open": status.cover_open,
            "detail": status.detail,
            "state": status.state,
        }

    unique = sorted(set(urls))
    if not unique:
        return {}
    with ThreadPoolExecutor(max_workers=min(8, len(unique)), thread_name_prefix="printer-status") as pool:
        return dict(zip(unique, pool.map(ask, unique), strict=True))


def printer_policy(config):
    """The installation's printer policy (printer.policy.PrinterPolicy) from its settings."""
    from printer.policy import PrinterPolicy

    return PrinterPolicy.from_settings(
        config.get("LOCAL_PRINTERS", ()), config.get("PRINTER_PORTS", ()), config.get("PRINTER_URL", "")
    )
