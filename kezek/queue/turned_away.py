"""Visitors the kiosk turned away, counted per office and day so the reports can show everyone who came."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kezek.models import TurnedAway
from kezek.models.turned_away import CLOSED_NOW, NOT_ACCEPTING, TOO_LATE
from kezek.queue.errors import NotAccepting, OfficeClosed, QueueError, TooLateToday
from kezek.queue.hours import local_now

_REASONS = ((TooLateToday, TOO_LATE), (OfficeClosed, CLOSED_NOW), (NotAccepting, NOT_ACCEPTING))


def reason_of(refusal: QueueError) -> str | None:
    """The turned-away reason a kiosk refusal counts as, None for one that turns nobody away (e.g. unknown office)."""
    for kind, reason in _REASONS:
        if isinstance(refusal, kind):
            return reason
    return None


def record_turned_away(
    session: Session, office, visit_kind_id: int | None, refusal: QueueError, now: datetime
) -> TurnedAway | None:
    """Count a visitor the kiosk refused a ticket (the caller commits); nothing for other refusals."""
    reason = reason_of(refusal)
    if reason is None:
        return None
    row = TurnedAway(
        office_id=office.id,
        visit_kind_id=visit_kind_id,
        service_day=local_now(office, now).date(),
        at=now,
        reason=reason,
    )
    session.add(row)
    return row


def turned_away_by_day(
    session: Session, office_ids: list[int] | None, first: date, last: date
) -> dict[date, dict[str, int]]:
    """How many visitors the kiosks of these offices (None: all) turned away each day from `first` to `last`,
    by reason."""
    query = (
        select(TurnedAway.service_day, TurnedAway.reason, func.count(TurnedAway.id))
        .where(TurnedAway.service_day >= first, TurnedAway.service_day <= last)
        .group_by(TurnedAway.service_day, TurnedAway.reason)
    )
    if office_ids is not None:
        query = query.where(TurnedAway.office_id.in_(office_ids))
    rows = session.execute(query)
    found: dict[date, dict[str, int]] = {}
    for day, reason, count in rows:
        found.setdefault(day, {})[reason] = count
    return found
