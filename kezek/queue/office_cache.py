"""The office's rarely changing figures (visit kinds, visit times, what each cabinet serves, day schedules),
kept in the app's queue caches (kezek.queue.caches) for a minute of the clock and forgotten at once when
a write in this process changes them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import Session

from kezek.models import Cabinet, CalendarDay, Office, OfficeHours, Ticket, VisitKind, cabinet_visit_kind
from kezek.queue.caches import caches_of
from kezek.queue.hours import DaySchedule, local_now, schedule_for
from kezek.queue.visit_stats import VisitTime, kinds_and_times

KNOWN_FOR = timedelta(minutes=1)  # visit kinds, visit times and hours are read again after this much clock time

_WRITTEN = "kezek.estimate.written"  # session.info key: offices whose cached figures this transaction's writes touched


@dataclass(frozen=True)
class OfficeFigures:
    """What rarely changes about an office, as read at `at`: the visit kinds, their visit times, day schedules."""

    at: datetime
    kinds: list[tuple[int, int, int]]  # (id, default minutes, wait limit)
    times: dict[int, VisitTime]
    served: dict[int, frozenset[int]]  # active cabinet id -> the visit kinds it serves
    schedules: dict  # local date -> DaySchedule | None, filled as asked


_SERVED = (
    select(Cabinet.id, cabinet_visit_kind.c.visit_kind_id)
    .outerjoin(cabinet_visit_kind, cabinet_visit_kind.c.cabinet_id == Cabinet.id)
    .where(Cabinet.office_id == bindparam("office_id"), Cabinet.active)
)


def _read(session: Session, office_id: int, now: datetime) -> OfficeFigures:
    kinds, times = kinds_and_times(session, office_id, now)
    served: dict[int, set[int]] = {}
    for cabinet_id, kind_id in session.execute(_SERVED, {"office_id": office_id}):
        served.setdefault(cabinet_id, set()).update(() if kind_id is None else (kind_id,))
    return OfficeFigures(now, kinds, times, {cabinet_id: frozenset(k) for cabinet_id, k in served.items()}, {})


def figures(session: Session, office_id: int, now: datetime) -> OfficeFigures:
    """The office's visit kinds, visit times and what each cabinet serves: read again after a minute of the
    clock, or at once after a visit ends or a visit kind, a cabinet's visit kinds or the office's hours
    change in this process (`_forget_on_flush`)."""
    caches = caches_of(session)
    with caches.lock:
        entry = caches.figures.get(office_id)
    if entry is not None and entry.at <= now < entry.at + KNOWN_FOR:
        return entry
    entry = _read(session, office_id, now)
    with caches.lock:
        caches.figures[office_id] = entry
    return entry


def _touches_figures(row, how: str) -> tuple[bool, int | None]:
    """Whether writing `row` (`how`: "new", "dirty" or "deleted") may change what `figures` holds, and for
    which office (None: any office). Reads only what is loaded: nothing here may query in a flush."""
    state = inspect(row)
    loaded = state.dict
    if isinstance(row, Ticket):  # a new ticket without an end leaves visit times as they were
        finished = loaded.get("finished_at") is not None or ("finished_at" not in loaded and how != "new")
        return finished or bool(state.attrs.finished_at.history.deleted), loaded.get("office_id")
    if isinstance(row, VisitKind):
        return True, None
    if isinstance(row, (OfficeHours, CalendarDay)):
        return True, loaded.get("office_id")
    if isinstance(row, Cabinet):
        changed = how != "dirty" or any(
            state.attrs[name].history.has_changes() for name in ("visit_kinds", "active", "office_id")
        )
        return changed, loaded.get("office_id")
    if isinstance(row, Office):
        return True, loaded.get("id")
    return False, None


def _forget_on_flush(session: Session, _context) -> None:
    """A visit ended, or a visit kind, a cabinet's visit kinds or the office's hours were written: read afresh."""
    offices: set[int | None] = set()  # None: every office
    written = [
        (row, how)
        for how, rows in (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted))
        for row in rows
    ]
    for row, how in written:
        touches, office_id = _touches_figures(row, how)
        if touches:
            offices.add(office_id)
    if offices:
        caches_of(session).forget(None if None in offices else offices)
        session.info.setdefault(_WRITTEN, set()).update(offices)


def _written_stays(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


def _written_undone(session: Session) -> None:
    """What was read inside the rolled-back transaction may include its writes: forget it again."""
    offices = session.info.pop(_WRITTEN, None)
    if offices:
        caches_of(session).forget(None if None in offices else offices)


_HOOKS = (("after_flush", _forget_on_flush), ("after_commit", _written_stays), ("after_rollback", _written_undone))


def watch(factory) -> None:
    """Have the sessions `factory` (a sessionmaker) makes forget the figures their writes change (kezek.sessions)."""
    for name, hook in _HOOKS:
        if not event.contains(factory, name, hook):
            event.listen(factory, name, hook)


def visit_times(session: Session, office_id: int, now: datetime) -> dict[int, VisitTime]:
    """For every visit kind, how long a call keeps a cabinet busy: recent history, else the kind's default."""
    return dict(figures(session, office_id, now).times)


def schedule_from(session: Session, office: Office, now: datetime, known: OfficeFigures) -> DaySchedule | None:
    day = local_now(office, now).date()
    if day not in known.schedules:
        known.schedules[day] = schedule_for(session, office, day)
    return known.schedules[day]


def day_schedule(session: Session, office: Office, now: datetime) -> DaySchedule | None:
    """The office's hours on its local day at `now`, kept with the other rarely changing figures (`figures`)."""
    return schedule_from(session, office, now, figures(session, office.id, now))
