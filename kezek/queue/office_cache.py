"""The office's rarely changing figures (visit kinds, visit times, what each cabinet serves, day schedules),
kept in the app's queue caches (kezek.queue.caches) for a minute of the clock and forgotten at once when
a write in this process changes them."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import bindparam, event, inspect, select
from sqlalchemy.orm import Session

from kezek.models import (
    NO_SHOW,
    SERVED,
    Cabinet,
    CalendarDay,
    Office,
    OfficeHours,
    Ticket,
    VisitKind,
    cabinet_visit_kind,
)
from kezek.queue.caches import caches_of
from kezek.queue.hours import DaySchedule, local_now, schedule_for
from kezek.queue.visit_stats import Recent, Visit, VisitTime, kinds_and_times, recent_visits, times_of, with_visit

_WRITTEN = "kezek.estimate.written"  # session.info key: offices whose cached figures this transaction's writes touched


@dataclass(frozen=True)
class OfficeFigures:
    """What rarely changes about an office, as read at `at`: the visit kinds, their visit times, day schedules."""

    at: datetime
    kinds: list[tuple[int, int, int]]  # (id, default minutes, wait limit)
    times: dict[int, VisitTime]
    served: dict[int, frozenset[int]]  # active cabinet id -> the visit kinds it serves
    schedules: dict  # local date -> DaySchedule | None, filled as asked
    recent: Recent = field(default_factory=dict)  # the visits `times` come from


_SERVED = (
    select(Cabinet.id, cabinet_visit_kind.c.visit_kind_id)
    .outerjoin(cabinet_visit_kind, cabinet_visit_kind.c.cabinet_id == Cabinet.id)
    .where(Cabinet.office_id == bindparam("office_id"), Cabinet.active)
)


def _read(session: Session, office_id: int, now: datetime) -> OfficeFigures:
    kinds, times, recent = kinds_and_times(session, office_id, now)
    served: dict[int, set[int]] = {}
    for cabinet_id, kind_id in session.execute(_SERVED, {"office_id": office_id}):
        served.setdefault(cabinet_id, set()).update(() if kind_id is None else (kind_id,))
    return OfficeFigures(now, kinds, times, {cabinet_id: frozenset(k) for cabinet_id, k in served.items()}, {}, recent)


def figures(session: Session, office_id: int, now: datetime) -> OfficeFigures:
    """The office's visit kinds, visit times and what each cabinet serves: read again after a minute of the
    clock (`QueueCaches.known_for`), or at once after a visit kind, a cabinet's visit kinds or the office's hours
    change in this process (`_forget_on_flush`). A visit that ends here is added to the visit times as reading
    them again would (`visit_stats.with_visit`); when that cannot be told, they alone are read again."""
    caches = caches_of(session)
    with caches.lock:
        entry = caches.figures.get(office_id)
        stale = office_id in caches.stale_times
        caches.stale_times.discard(office_id)  # a visit ending from here on is counted at the next call
        ended = caches.ended.pop(office_id, ())
    if entry is None or not entry.at <= now < entry.at + caches.known_for:
        entry = _read(session, office_id, now)
    elif stale or ended:
        recent: Recent | None = None if stale else entry.recent
        for kind_id, visit in ended:
            recent = None if recent is None else with_visit(recent, kind_id, visit, now)
        if recent is None:
            recent = recent_visits(session, office_id, now)
        # a new object: newcomer tables made with the old times are not used again (estimate.still_known)
        entry = replace(entry, times=times_of(entry.kinds, recent), recent=recent)
    else:
        return entry
    with caches.lock:
        caches.figures[office_id] = entry
    return entry


_VISIT_COLUMNS = ("status", "finished_at", "called_at", "started_at", "visit_kind_id", "office_id", "service_day")


def _ticket_change(row: Ticket, how: str) -> tuple[int, Visit] | str | None:
    """What writing a ticket changes of the visit times: a visit that ended, as (visit kind, visit); "times"
    when they are to be read again; None when nothing. Reads only what is loaded: nothing may query in a flush."""
    state = inspect(row)
    loaded = state.dict
    if how != "dirty":  # a new ticket without an end leaves them as they were
        finished = loaded.get("finished_at") is not None or ("finished_at" not in loaded and how != "new")
        return "times" if finished else None
    if not any(state.attrs[name].history.has_changes() for name in _VISIT_COLUMNS):
        return None
    finish = state.attrs.finished_at.history
    if any(value is not None for value in finish.deleted) or "finished_at" not in loaded:
        return "times"
    if not finish.added:  # still no end
        return None if loaded["finished_at"] is None else "times"
    if loaded["finished_at"] is None or loaded.get("status") not in (SERVED, NO_SHOW):
        return None if loaded["finished_at"] is None else "times"
    if state.key is None or not {"visit_kind_id", "service_day", "called_at", "started_at"} <= loaded.keys():
        return "times"
    begun = loaded["called_at"] or loaded["started_at"]
    if begun is None:
        return None  # never called nor started: not a visit the times count
    minutes = (loaded["finished_at"] - begun).total_seconds() / 60
    return loaded["visit_kind_id"], Visit(state.key[1][0], minutes, loaded["finished_at"], loaded["service_day"])


def _touches_figures(row, how: str) -> tuple[object, int | None]:
    """What writing `row` (`how`: "new", "dirty" or "deleted") may change of what `figures` holds: a visit
    that ended (`_ticket_change`), "times" (the visit times only), "all", or None; and for which office
    (None: any office)."""
    loaded = inspect(row).dict
    if isinstance(row, Ticket):
        return _ticket_change(row, how), loaded.get("office_id")
    if isinstance(row, VisitKind):
        return "all", None
    if isinstance(row, (OfficeHours, CalendarDay)):
        return "all", loaded.get("office_id")
    if isinstance(row, Cabinet):
        state = inspect(row)
        changed = how != "dirty" or any(
            state.attrs[name].history.has_changes() for name in ("visit_kinds", "active", "office_id")
        )
        return ("all" if changed else None), loaded.get("office_id")
    if isinstance(row, Office):
        return "all", loaded.get("id")
    return None, None


def _forget_on_flush(session: Session, _context) -> None:
    """A visit ended (added to the visit times), the visit times may have changed otherwise (read afresh), or
    a visit kind, a cabinet's visit kinds or the office's hours were written (all figures read afresh)."""
    offices: set[int | None] = set()  # None: every office
    times: set[int] = set()
    ended: dict[int, list] = {}
    for how, rows in (("new", session.new), ("dirty", session.dirty), ("deleted", session.deleted)):
        for row in rows:
            what, office_id = _touches_figures(row, how)
            if what is None:
                continue
            if what == "all" or office_id is None:
                offices.add(office_id)
            elif what == "times":
                times.add(office_id)
            else:
                ended.setdefault(office_id, []).append(what)
    if not (offices or times or ended):
        return
    caches = caches_of(session)
    if offices:
        caches.forget(None if None in offices else offices)
    if times:
        caches.forget_times(times)
    if ended:
        caches.add_ended(ended)
    session.info.setdefault(_WRITTEN, set()).update(offices | times | ended.keys())


def visit_ended(session: Session, ticket: Ticket) -> None:
    """A clerk's command ended `ticket`'s visit with a plain statement (no flush): count it in the visit times."""
    begun = ticket.called_at or ticket.started_at
    if begun is None or ticket.finished_at is None or ticket.status not in (SERVED, NO_SHOW):
        return
    visit = Visit(ticket.id, (ticket.finished_at - begun).total_seconds() / 60, ticket.finished_at, ticket.service_day)
    caches_of(session).add_ended({ticket.office_id: [(ticket.visit_kind_id, visit)]})
    session.info.setdefault(_WRITTEN, set()).add(ticket.office_id)


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
