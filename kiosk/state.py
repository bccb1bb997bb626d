"""What a kiosk page shows of its office, reduced to keys that change when the page must change.

Built without Flask. A page embeds the keys of what it shows (the start page: the office's opening;
a service page: the opening and its visit kinds); the kiosk socket sends every key of the office, and
a page whose keys differ fetches itself again. The server computes, the page only compares.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from kezek.models import Office
from kezek.queue.hours import Opening
from kezek.queue.offer import Outlook, offered_visit_kinds, outlooks
from printer.labels import wait_form

# How long before lunch or closing the start page says that the office stops receiving soon.
CLOSING_SOON = timedelta(minutes=30)


@dataclass(frozen=True)
class Stop:
    """The next moment the office stops receiving today while open, and why ("lunch" or "closing")."""

    at: datetime
    reason: str


def next_stop(opening: Opening) -> Stop | None:
    """Lunch or closing, whichever comes first today, while the office is open; None when closed."""
    today = opening.today
    if not opening.is_open or today is None:
        return None
    if today.lunch_start and today.lunch_end and opening.now_local < today.lunch_start < today.closes:
        return Stop(today.lunch_start, "lunch")
    return Stop(today.closes, "closing")


def closing_soon(opening: Opening) -> Stop | None:
    """The next stop when it is less than CLOSING_SOON away."""
    stop = next_stop(opening)
    return stop if stop and stop.at - opening.now_local <= CLOSING_SOON else None


def opening_key(opening: Opening) -> str:
    """Everything the start page shows of the opening: open or why not, until when, closing soon."""
    soon = closing_soon(opening)
    opens = opening.opens_at.isoformat(timespec="minutes") if opening.opens_at and not opening.is_open else ""
    stop = f"{soon.reason}@{soon.at:%H:%M}" if soon else ""
    return f"{int(opening.is_open)}|{opening.reason or ''}|{opens}|{stop}|{opening.now_local.date()}"


def kind_key(outlook: Outlook, is_open: bool) -> str:
    """Everything a service page shows of one visit kind: offered or why not, people ahead, the wait."""
    estimate = outlook.estimate
    form = wait_form(estimate.low, estimate.high, estimate.people_ahead, is_open)
    return (f"{int(outlook.available)}|{outlook.reason or ''}|{estimate.people_ahead}|{form}|"
            f"{estimate.low}|{estimate.high}")


def page_keys(opening: Opening, choices: list[Outlook] = ()) -> dict[str, str]:
    """The keys of a page that shows `opening` and the visit kinds in `choices`."""
    keys = {"opening": opening_key(opening)}
    for outlook in choices:
        keys[f"kind:{outlook.visit_kind.id}"] = kind_key(outlook, opening.is_open)
    return keys


def kiosk_state(session: Session, office: Office, now: datetime) -> dict:
    """Every key of the office's kiosk pages now, with the opening in plain words for scripts and tests."""
    opening, choices = outlooks(session, office, offered_visit_kinds(session, office), now)
    return {
        "office": office.slug,
        "now": now.isoformat(),
        "is_open": opening.is_open,
        "reason": opening.reason,
        "ahead": {str(outlook.visit_kind.id): outlook.estimate.people_ahead for outlook in choices},
        "keys": page_keys(opening, choices),
    }

