"""One ticket's status for its phone page, built from the database without Flask: nothing about anyone else."""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import CALLED, SERVING, WAITING, Office, Ticket
from kezek.queue.counts import ahead_of
from kezek.queue.estimate import estimate_wait
from printer.labels import wait_form, wait_text


def wait_words(low: int, high: int, ahead: int) -> dict:
    """A waiting ticket's wait for its phone: the range, its form, and the words in each language, the
    same the kiosk's screen and the paper use (printer.labels.wait_text)."""
    return {"low": low, "high": high, "form": wait_form(low, high, ahead),
            "text": {lang: wait_text(lang, low, high, ahead) for lang in ("kk", "ru", "en")}}


class EstimateCache:
    """Each ticket's last wait estimate for a while, so one change does not re-estimate every phone's ticket.

    The place in the queue is always counted afresh; the estimate (the costly part) may be up to
    `max_age` seconds old on a phone that was refreshed because someone else's ticket moved.
    """

    def __init__(self, max_age: float = 60.0):
        self.max_age = max_age
        self._entries: dict[int, tuple[float, dict]] = {}
        self._lock = threading.Lock()

    def get(self, ticket_id: int, compute: Callable[[], dict], fresh: bool = False) -> dict:
        """The cached estimate of the ticket, or `compute()` (always when `fresh`)."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(ticket_id)
        if entry and not fresh and now - entry[0] < self.max_age:
            return entry[1]
        value = compute()
        with self._lock:
            if len(self._entries) > 5000:
                self._entries = {key: item for key, item in self._entries.items() if now - item[0] < self.max_age}
            self._entries[ticket_id] = (now, value)
        return value


def ticket_status(session: Session, ticket: Ticket, now: datetime, estimates: EstimateCache | None = None,
                  fresh: bool = True, version: int | None = None, ahead: int | None = None) -> dict:
    """The ticket's state, place in its queue, estimate and (when called) its cabinet, at the office's version.

    `version` and `ahead` (the ticket's place, from `places`) save reading them again when refreshing
    many of an office's tickets in one session.
    """
    if version is None:
        version = session.scalar(select(Office.version).where(Office.id == ticket.office_id))
    status = {
        "version": version,
        "label": ticket.label,
        "status": ticket.status,
        "cabinet": ticket.cabinet.number if ticket.cabinet and ticket.status in (CALLED, SERVING) else None,
        "recalls": ticket.recalls,
        "ahead": None,
        "wait": None,
    }
    if ticket.status == WAITING:
        if ahead is None:
            ahead = ahead_of(session, ticket)

        def wait() -> dict:
            estimate = estimate_wait(session, ticket.office_id, ticket.visit_kind, now, ahead=ahead)
            return wait_words(estimate.low, estimate.high, ahead)

        status["ahead"] = ahead
        status["wait"] = estimates.get(ticket.id, wait, fresh) if estimates else wait()
    return status


class PhoneScreens:
    """What one app keeps for the phones connected to this process: recent estimates, what each ticket's
    phones were last told, and the offices whose phones a refresh is already on its way to."""

    def __init__(self) -> None:
        self.estimates = EstimateCache()
        self.shown: dict[int, dict] = {}
        self.pending: set[int] = set()
        self.lock = threading.Lock()
