"""What clerks do at a cabinet: open, pause, call next, recall, start, finish, no-show, transfer (cancelling
and its undo: kezek.queue.cancelling).

Every function changes the queue inside the caller's transaction, writes the ticket event log with
the clerk and the cabinet, bumps the office's version, and returns what changed; the caller commits
and then publishes. Commands carry a client-made id: a retried or replayed command acts only once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from kezek.models import (
    CALLED,
    CLOSED,
    NO_SHOW,
    OPEN,
    PAUSED,
    SERVED,
    SERVING,
    WAITING,
    Cabinet,
    ClerkCommand,
    Office,
    Ticket,
    TicketEvent,
    User,
    cabinet_visit_kind,
    utcnow,
)
from kezek.models.rows import adopt_row, write_columns
from kezek.queue.call_reason import reason_for
from kezek.queue.candidates import QueuedTicket
from kezek.queue.changes import Change, changed, hold_office
from kezek.queue.events import record_event
from kezek.queue.errors import NotFound, QueueError
from kezek.queue.office_cache import day_schedule, visit_ended, visit_times
from kezek.queue.projection import next_stop
from kezek.queue.policy import CallContext, Policy, decide, policy_named


# Each lost race means another cabinet called someone; only a crowd of cabinets calling at the same
# moment, every one of them a step ahead, runs out of attempts (the clerk is told to try again).
CALL_ATTEMPTS = 50
# The longest outcome note a clerk may leave on finishing or cancelling.
NOTE_MAX = 200


class NotAllowed(QueueError):
    """The command does not fit the ticket's or cabinet's state (e.g. no-show before a recall)."""

    code = "not_allowed"


@dataclass(frozen=True)
class Outcome:
    """The ticket a command acted on (if any) and the change to publish (None when nothing changed)."""

    ticket: Ticket | None
    change: Change | None
    # for a call: the code of the rule that chose the visitor (`policy.REASONS`), also in the "called" event
    reason: str | None = None


def log_event(
    session: Session, ticket: Ticket, kind: str, now: datetime, cabinet: Cabinet | None, clerk: User | None, **detail
) -> None:
    """Record a clerk command's event on `ticket` (`record_event`), once the ticket says what it did."""
    record_event(session, ticket, kind, now, cabinet=cabinet, clerk=clerk, detail=detail)


# Found through the office's queue index (ix_ticket_queue), not among every ticket the cabinet ever had.
_CURRENT = (
    select(Ticket.id)
    .where(
        Ticket.office_id == bindparam("office_id"),
        Ticket.status.in_((CALLED, SERVING)),
        Ticket.cabinet_id == bindparam("cabinet_id"),
    )
    .order_by(Ticket.called_at.desc())
    .limit(1)
)


def current_ticket(session: Session, cabinet: Cabinet) -> Ticket | None:
    """The ticket the cabinet has called or is serving, if any."""
    session.flush()  # what this transaction changed counts: the id is read on the connection
    ticket_id = (
        session.connection().execute(_CURRENT, {"office_id": cabinet.office_id, "cabinet_id": cabinet.id}).scalar()
    )
    return None if ticket_id is None else session.get(Ticket, ticket_id)


def _replayed(session: Session, command_id: str | None) -> ClerkCommand | None:
    return session.get(ClerkCommand, command_id) if command_id else None


def _remember(
    session: Session, command_id: str | None, cabinet: Cabinet, action: str, ticket: Ticket | None, now: datetime
) -> None:
    if command_id:
        session.add(
            ClerkCommand(
                id=command_id, cabinet_id=cabinet.id, action=action, ticket_id=ticket.id if ticket else None, at=now
            )
        )


# The lengths a clerk picks when pausing, in minutes; the wait estimate expects the cabinet back then.
PAUSE_LENGTHS = {"break": 15, "lunch": 60, "other": 30}
MAX_PAUSE_MINUTES = 240


def set_cabinet_state(
    session: Session,
    cabinet: Cabinet,
    clerk: User,
    state: str,
    *,
    pause: str | None = None,
    minutes: int | None = None,
    now: datetime | None = None,
) -> Outcome:
    """Open (the clerk takes the cabinet), pause or close a cabinet.

    A pause says why (`pause`: break, lunch or other, break by default) and for how long (`minutes`, else
    that kind's usual length, `PAUSE_LENGTHS`): the wait estimate expects the cabinet back then.
    """
    if state not in (OPEN, PAUSED, CLOSED):
        raise NotAllowed(state=state)
    if state == PAUSED:
        pause = pause or "break"
        if pause not in PAUSE_LENGTHS:
            raise NotAllowed(pause=pause)
        minutes = PAUSE_LENGTHS[pause] if minutes is None else minutes
        if not 1 <= minutes <= MAX_PAUSE_MINUTES:
            raise NotAllowed(minutes=minutes)
    hold_office(session, cabinet.office_id)
    moment = now or utcnow()
    if state == PAUSED:
        until = moment + timedelta(minutes=minutes)
        if cabinet.state == state and cabinet.pause_kind == pause and cabinet.paused_until == until:
            return Outcome(None, None)
        cabinet.pause_kind, cabinet.paused_until = pause, until
    elif cabinet.state == state and cabinet.clerk_id == clerk.id:
        return Outcome(None, None)
    else:
        cabinet.pause_kind = cabinet.paused_until = None
    if cabinet.state != state:
        cabinet.state_since = moment
    cabinet.state = state
    cabinet.clerk_id = None if state == CLOSED else clerk.id
    return Outcome(None, changed(session, cabinet.office_id, "cabinet", cabinet_id=cabinet.id))


_OTHERS_OPEN = (
    select(cabinet_visit_kind.c.visit_kind_id)
    .join(Cabinet, Cabinet.id == cabinet_visit_kind.c.cabinet_id)
    .where(
        Cabinet.office_id == bindparam("office_id"),
        Cabinet.state == OPEN,
        Cabinet.active,
        Cabinet.id != bindparam("cabinet_id"),
    )
)


def _other_open_cabinets(session: Session, cabinet: Cabinet) -> dict[int, int]:
    """For each visit kind, how many other open cabinets of the office serve it (the candidates' read flushed)."""
    counts: dict[int, int] = {}
    rows = session.connection().execute(_OTHERS_OPEN, {"office_id": cabinet.office_id, "cabinet_id": cabinet.id})
    for (kind_id,) in rows:
        counts[kind_id] = counts.get(kind_id, 0) + 1
    return counts


# The waiting tickets a cabinet may call: of a visit kind it serves and pinned to no other cabinet, or
# pinned to it; oldest first. Columns, not Ticket rows: a call reads every one of them.
_CALLABLE = (
    select(
        Ticket.id,
        Ticket.visit_kind_id,
        Ticket.queue_since,
        Ticket.wait_limit_minutes,
        Ticket.target_cabinet_id,
        Ticket.prefix,
        Ticket.number,
        Ticket.transfers,
    )
    .where(
        Ticket.office_id == bindparam("office_id"),
        Ticket.status == WAITING,
        (
            Ticket.target_cabinet_id.is_(None)
            & Ticket.visit_kind_id.in_(
                select(cabinet_visit_kind.c.visit_kind_id).where(
                    cabinet_visit_kind.c.cabinet_id == bindparam("cabinet_id")
                )
            )
        )
        | (Ticket.target_cabinet_id == bindparam("cabinet_id")),
    )
    .order_by(Ticket.queue_since, Ticket.id)
)


# The call itself, if the ticket still waits; the whole row it returns becomes the ticket in the session.
_TICKETS = Ticket.__table__
_CALL = (
    update(_TICKETS)
    .where(_TICKETS.c.id == bindparam("ticket_id"), _TICKETS.c.status == WAITING)
    .values(
        status=CALLED,
        called_at=bindparam("at"),
        cabinet_id=bindparam("by_cabinet"),
        clerk_id=bindparam("by_clerk"),
        recalls=0,
    )
    .returning(*_TICKETS.c)
)


def waiting_for(session: Session, cabinet: Cabinet) -> list[QueuedTicket]:
    """Waiting tickets this cabinet may call: its visit kinds, not pinned to another cabinet; oldest first."""
    # Plain rows, without the ORM's result processing; what this transaction wrote is flushed first.
    session.flush()
    rows = session.connection().execute(_CALLABLE, {"office_id": cabinet.office_id, "cabinet_id": cabinet.id})
    return [QueuedTicket(*row) for row in rows]


def call_next(
    session: Session,
    cabinet: Cabinet,
    clerk: User,
    now: datetime,
    *,
    command_id: str | None = None,
    policy: Policy | None = None,
) -> Outcome:
    """Call the visitor the office's policy picks; a cabinet still busy with a visitor calls nobody new."""
    hold_office(session, cabinet.office_id)
    replay = _replayed(session, command_id)
    if replay is not None:
        return Outcome(session.get(Ticket, replay.ticket_id) if replay.ticket_id else None, None)
    busy = current_ticket(session, cabinet)
    if busy is not None:
        return Outcome(busy, None)
    if cabinet.state != OPEN:
        raise NotAllowed(state=cabinet.state)
    candidates = waiting_for(session, cabinet)
    if not candidates:  # nobody to call: the policy's figures are not needed
        _remember(session, command_id, cabinet, "call", None, now)
        return Outcome(None, None)
    office = session.get(Office, cabinet.office_id)
    choose = policy or policy_named(office.call_policy)
    others = _other_open_cabinets(session, cabinet)
    visit_minutes = {kind_id: visit.mean for kind_id, visit in visit_times(session, cabinet.office_id, now).items()}
    stop_at = next_stop(day_schedule(session, office, now), now)
    lost: set[int] = set()  # tickets another cabinet called first while this one was choosing
    for attempt in range(CALL_ATTEMPTS):
        if attempt:
            candidates = [waiting for waiting in waiting_for(session, cabinet) if waiting.id not in lost]
        chosen, reason = decide(choose, CallContext(cabinet.id, candidates, now, others, visit_minutes, stop_at))
        if chosen is None:
            _remember(session, command_id, cabinet, "call", None, now)
            return Outcome(None, None)
        # Compare-and-set: if another cabinet called this ticket a moment ago, pick again.
        row = (
            session.connection()
            .execute(_CALL, {"ticket_id": chosen.id, "at": now, "by_cabinet": cabinet.id, "by_clerk": clerk.id})
            .first()
        )
        if row is not None:
            ticket = adopt_row(session, Ticket, row._mapping)
            log_event(session, ticket, "called", now, cabinet, clerk, **reason_for(reason, chosen, now).as_detail())
            _remember(session, command_id, cabinet, "call", ticket, now)
            return Outcome(ticket, changed(session, cabinet.office_id, "called", ticket.id, cabinet.id), reason)
        lost.add(chosen.id)
    raise NotAllowed(reason="busy")


def call_reason(session: Session, ticket_id: int) -> str | None:
    """The reason code (`policy.REASONS`) of the ticket's latest call, as its "called" log entry recorded it."""
    detail = session.scalar(
        select(TicketEvent.detail)
        .where(TicketEvent.ticket_id == ticket_id, TicketEvent.kind == "called")
        .order_by(TicketEvent.at.desc(), TicketEvent.id.desc())
        .limit(1)
    )
    return (detail or {}).get("reason")


def own_ticket(session: Session, cabinet: Cabinet, ticket_id: int, states: tuple[str, ...]) -> Ticket:
    """The ticket a command on one of the cabinet's visitors acts on, the office held first (`hold_office`)."""
    hold_office(session, cabinet.office_id)
    ticket = session.get(Ticket, ticket_id)
    if ticket is None or ticket.office_id != cabinet.office_id:
        raise NotFound(what="ticket")
    if ticket.status not in states or (ticket.status != WAITING and ticket.cabinet_id != cabinet.id):
        raise NotAllowed(status=ticket.status)
    return ticket


def recall(session: Session, cabinet: Cabinet, clerk: User, ticket_id: int, now: datetime) -> Outcome:
    """Announce the called number again."""
    ticket = own_ticket(session, cabinet, ticket_id, (CALLED,))
    write_columns(session, ticket, {"recalls": ticket.recalls + 1})
    log_event(session, ticket, "recalled", now, cabinet, clerk, recall=ticket.recalls)
    return Outcome(ticket, changed(session, cabinet.office_id, "recalled", ticket.id, cabinet.id))


def start(session: Session, cabinet: Cabinet, clerk: User, ticket_id: int, now: datetime) -> Outcome:
    """The visitor has come in: service starts."""
    ticket = own_ticket(session, cabinet, ticket_id, (CALLED, SERVING))
    if ticket.status == SERVING:
        return Outcome(ticket, None)
    write_columns(session, ticket, {"status": SERVING, "started_at": now})
    log_event(session, ticket, "started", now, cabinet, clerk)
    return Outcome(ticket, changed(session, cabinet.office_id, "started", ticket.id, cabinet.id))


def outcome_note(text: str | None) -> str | None:
    text = " ".join((text or "").split())[:NOTE_MAX]
    return text or None


def finish(
    session: Session,
    cabinet: Cabinet,
    clerk: User,
    ticket_id: int,
    now: datetime,
    documents_correct: bool | None = None,
    note: str | None = None,
) -> Outcome:
    """The visit is over; for a hand-in the clerk ticks whether the documents were right first time, and
    may note how the visit ended."""
    ticket = own_ticket(session, cabinet, ticket_id, (CALLED, SERVING, SERVED))
    if ticket.status == SERVED:
        return Outcome(ticket, None)
    ended = {"status": SERVED, "started_at": ticket.started_at or now, "finished_at": now}
    write_columns(
        session, ticket, {**ended, "documents_correct": documents_correct, "outcome_note": outcome_note(note)}
    )
    visit_ended(session, ticket)
    log_event(
        session, ticket, "finished", now, cabinet, clerk, documents_correct=documents_correct, note=ticket.outcome_note
    )
    return Outcome(ticket, changed(session, cabinet.office_id, "finished", ticket.id, cabinet.id))


def no_show(session: Session, cabinet: Cabinet, clerk: User, ticket_id: int, now: datetime) -> Outcome:
    """The called visitor did not come, after the office's required number of recalls."""
    ticket = own_ticket(session, cabinet, ticket_id, (CALLED, NO_SHOW))
    if ticket.status == NO_SHOW:
        return Outcome(ticket, None)
    office = session.get(Office, cabinet.office_id)
    if ticket.recalls < office.recalls_before_no_show:
        raise NotAllowed(reason="recall_first", recalls=ticket.recalls, needed=office.recalls_before_no_show)
    write_columns(session, ticket, {"status": NO_SHOW, "finished_at": now})
    visit_ended(session, ticket)
    log_event(session, ticket, "no_show", now, cabinet, clerk)
    return Outcome(ticket, changed(session, cabinet.office_id, "no_show", ticket.id, cabinet.id))


def transfer(
    session: Session,
    cabinet: Cabinet,
    clerk: User,
    ticket_id: int,
    now: datetime,
    *,
    visit_kind_id: int | None = None,
    to_cabinet_id: int | None = None,
) -> Outcome:
    """Send the visitor to another visit kind or cabinet; they keep their place by original time."""
    ticket = own_ticket(session, cabinet, ticket_id, (CALLED, SERVING))
    detail: dict = {"from_visit_kind": ticket.visit_kind_id, "from_cabinet": cabinet.id}
    if to_cabinet_id is not None:
        target = session.get(Cabinet, to_cabinet_id)
        if target is None or target.office_id != cabinet.office_id or not target.active:
            raise NotFound(what="cabinet")
        ticket.target_cabinet_id = target.id
        detail["to_cabinet"] = target.id
    if visit_kind_id is not None:
        from kezek.queue.offer import find_offered_kind

        kind = find_offered_kind(session, session.get(Office, cabinet.office_id), visit_kind_id)
        ticket.visit_kind_id = kind.id
        detail["to_visit_kind"] = kind.id
    if to_cabinet_id is None and visit_kind_id is None:
        raise NotAllowed(reason="no_target")
    ticket.status, ticket.cabinet_id, ticket.started_at = WAITING, None, None
    ticket.transfers += 1
    log_event(session, ticket, "transferred", now, cabinet, clerk, **detail)
    return Outcome(ticket, changed(session, cabinet.office_id, "transferred", ticket.id, cabinet.id))
