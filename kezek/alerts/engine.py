"""Raising, repeating, acknowledging and ending alerts (no Flask); every step goes into the record.

`check` compares the conditions found now with the office's open alerts: a new condition raises an
alert, one still unacknowledged is shown again every `repeat_minutes`, and an alert whose condition
is gone ends. An acknowledged alert stays quiet until its condition ends. The caller commits.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.alerts.rules import Condition, Thresholds, conditions
from kezek.models import ADMIN, MANAGER, REGIONAL_MANAGER, Alert, AlertEvent, AlertSetting, Office, User
from kezek.queue.changes import hold_office


@dataclass(frozen=True)
class Checked:
    """What one check did: the alerts to show (and sound) now, and those that ended."""

    due: list[Alert]
    ended: list[Alert]


def open_alerts(session: Session, office_id: int) -> list[Alert]:
    """The office's alerts whose condition has not ended, oldest first."""
    return list(session.scalars(select(Alert).where(Alert.office_id == office_id, Alert.ended_at.is_(None))
                                .order_by(Alert.raised_at, Alert.id)))


def _log(session: Session, alert: Alert, kind: str, now: datetime, user: User | None = None,
         detail: dict | None = None) -> None:
    session.add(AlertEvent(alert_id=alert.id, kind=kind, at=now, user_id=user.id if user else None,
                           detail=detail or {}))


def thresholds(session: Session, office_id: int) -> Thresholds:
    """The office's own thresholds, or the defaults."""
    row = session.get(AlertSetting, office_id)
    if row is None:
        return Thresholds()
    return Thresholds(row.near_share, row.queue_length, row.pause_grace_minutes, row.repeat_minutes)


def set_thresholds(session: Session, office_id: int, limits: Thresholds) -> None:
    """Keep the office's own thresholds; the caller commits."""
    row = session.get(AlertSetting, office_id) or AlertSetting(office_id=office_id)
    row.near_share, row.queue_length = limits.near_share, limits.queue_length
    row.pause_grace_minutes, row.repeat_minutes = limits.pause_grace_minutes, limits.repeat_minutes
    session.add(row)


def look(session: Session, office: Office, now: datetime) -> tuple[Thresholds, list[Condition]]:
    """The office's thresholds and the conditions found now: reading only, so a caller looks before it takes the
    database's writer (on SQLite, working out an office's waits under load takes long enough to hold kiosks up)."""
    limits = thresholds(session, office.id)
    return limits, conditions(session, office, now, limits)


def _shown_again(alert: Alert, now: datetime, limits: Thresholds) -> bool:
    """Whether an open alert nobody acknowledged is due to be shown again."""
    return alert.acknowledged_at is None and now - alert.shown_at >= timedelta(minutes=limits.repeat_minutes)


def settled(session: Session, office_id: int, now: datetime, limits: Thresholds, looked: list[Condition]) -> bool:
    """Whether checking the office now would change nothing: its open alerts are the conditions `looked` up, and
    none is due to be shown again. A caller then need not wait for the database's writer (most rounds of most
    offices change nothing; each waiting its turn behind busy kiosks made one round take half a minute)."""
    known = {(alert.rule, alert.subject): alert for alert in open_alerts(session, office_id)}
    return ({(condition.rule, condition.subject) for condition in looked} == set(known)
            and not any(_shown_again(alert, now, limits) for alert in known.values()))


def check(session: Session, office: Office, now: datetime, limits: Thresholds | None = None,
          looked: list[Condition] | None = None) -> Checked:
    """Raise, repeat and end the office's alerts for the conditions found now (with the office's thresholds
    unless `limits` are given), or for the conditions `looked` up just before with `look`."""
    hold_office(session, office.id)  # one check of an office at a time, whichever process: no alert raised twice
    limits = limits or thresholds(session, office.id)
    if looked is None:
        looked = conditions(session, office, now, limits)
    found = {(condition.rule, condition.subject): condition for condition in looked}
    known = {(alert.rule, alert.subject): alert for alert in open_alerts(session, office.id)}
    due, ended = [], []
    for key, alert in known.items():
        if key not in found:
            alert.ended_at = now
            _log(session, alert, "ended", now)
            ended.append(alert)
        elif _shown_again(alert, now, limits):
            alert.shown_at, alert.times_shown, alert.detail = now, alert.times_shown + 1, found[key].detail
            _log(session, alert, "repeated", now, detail=found[key].detail)
            due.append(alert)
    # New alerts are written in one flush (an office past its limits raises one per waiting visitor: hundreds,
    # each written alone took seconds with the writer held), then their "raised" events.
    raised = [(Alert(office_id=office.id, rule=condition.rule, subject=condition.subject, detail=condition.detail,
                     raised_at=now, shown_at=now, times_shown=1), condition)
              for key, condition in found.items() if key not in known]
    if raised:
        session.add_all([alert for alert, _condition in raised])
        session.flush()
    for alert, condition in raised:
        _log(session, alert, "raised", now, detail=condition.detail)
        due.append(alert)
    return Checked(due, ended)


def acknowledge(session: Session, alert: Alert, user: User, now: datetime) -> bool:
    """A manager has seen the alert and acts: it is not shown again. False if it was acknowledged or ended already."""
    if alert.acknowledged_at is not None or alert.ended_at is not None:
        return False
    alert.acknowledged_at, alert.acknowledged_by_id = now, user.id
    _log(session, alert, "acknowledged", now, user)
    return True


def mail_recipients(session: Session, office_id: int) -> list[User]:
    """The active managers of the office, and regional ones, who asked for alerts by e-mail."""
    users = session.scalars(select(User).where(User.active, User.alert_email.is_not(None),
                                               User.role.in_((MANAGER, REGIONAL_MANAGER, ADMIN)))
                            .order_by(User.id))
    return [user for user in users if user.alert_email and user.may_see_office(office_id)]


def note_mail(session: Session, alert: Alert, user: User, now: datetime, error: str | None = None) -> None:
    """Record that the alert was e-mailed to `user`, or (`error`) that the mail server would not take it."""
    detail = {"to": user.alert_email} if error is None else {"to": user.alert_email, "error": error[:300]}
    _log(session, alert, "mailed" if error is None else "mail_failed", now, user, detail)


def record(session: Session, office_ids: list[int] | None, since: datetime, most: int = 500) -> list[tuple[AlertEvent, Alert]]:
    """The record of alerts since `since`, newest first, for the offices given (None: every office)."""
    query = (select(AlertEvent, Alert).join(Alert, Alert.id == AlertEvent.alert_id).where(AlertEvent.at >= since)
             .order_by(AlertEvent.at.desc(), AlertEvent.id.desc()).limit(most))
    if office_ids is not None:
        query = query.where(Alert.office_id.in_(office_ids))
    return [(event, alert) for event, alert in session.execute(query)]
