"""Eight weeks of past for the demo office, played through the real queue code with the clock moved back.

Only `kezek demo` calls this: visitors take tickets at the kiosk, clerks open, call, recall, start,
finish, mark no-shows, transfer and pause through `kezek.queue`, and some visitors answer the
feedback questions, each at its own moment of a past working day (weekends and public holidays are
left closed). Every run with the same seed and the same last day makes the same days; an audit entry
marks the history as demo data, and a second start finds it and adds nothing.
"""
from __future__ import annotations

import heapq
import itertools
import math
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek import audit
from kezek.models import CLOSED, HAND_IN, OPEN, PAUSED, AuditEntry, Cabinet, Office, Ticket, User, VisitKind
from kezek.planning.simulate import poisson
from kezek.queue import clerk
from kezek.queue.caches import INFO_KEY, QueueCaches
from kezek.queue.errors import OfficeClosed, TooLateToday
from kezek.queue.hours import public_holiday
from kezek.queue.issuing import issue_ticket
from kezek.reports.decisions import record_decision
from kezek.reports.feedback import QUESTIONS, answer_all

MARK = "demo_history"  # the audit action that marks the demo office's made-up past
WEEKS = 8
SEED = 2026
FIRST_HOUR = 9  # arrivals per hour from 09:00; the lunch hour (13:00) is nearly empty
WEEKDAY_ARRIVALS = (12, 15, 13, 10, 2, 11, 10, 8, 4)
MONDAY_ARRIVALS = (32, 26, 15, 10, 3, 11, 10, 8, 4)  # the Monday-morning rush
DAY_SHAPE = {0: 1.0, 1: 0.9, 2: 0.85, 3: 0.9, 4: 0.8}  # Friday is quieter
# Visit kind: share of arrivals, median service minutes, spread (lognormal sigma).
MIX = {"A": (0.35, 11.0, 0.5), "B": (0.25, 3.5, 0.4), "C": (0.25, 6.0, 0.45), "D": (0.15, 2.5, 0.4)}
TRANSFER_TO = {"A": "C", "C": "A", "B": "D", "D": "B"}  # came to the wrong service's queue
NO_SHOW, TRANSFER, FEEDBACK, DOCUMENTS_RIGHT = 0.04, 0.02, 0.35, 0.85
# Each cabinet's clerk: lunch (start, minutes) and two short breaks (clock, minutes).
ROSTER = {
    "101": ("clerk", time(13), 60, ((time(11), 10), (time(16), 10))),
    "102": ("demo-clerk-2", time(13), 60, ((time(11, 20), 10), (time(16, 20), 10))),
    "103": ("demo-clerk-3", time(14), 45, ((time(11, 40), 15), (time(16, 40), 10))),
}
CLERK_NAMES = {"clerk": "Айгерім Сапарова", "demo-clerk-2": "Ерлан Жақсыбеков", "demo-clerk-3": "Динара Омарова"}
OPENS, LAST_ARRIVAL, CLOSES = time(9), time(17, 45), time(18)
RECALL_WAIT = timedelta(minutes=1)


@dataclass
class Visitor:
    """One made-up visitor of a past day."""

    arrives: datetime
    prefix: str
    service_minutes: float
    walk_minutes: float
    shows_up: bool
    transfers: bool
    feedback: tuple[bool | None, ...] | None
    documents_right: bool
    decision_days: int


@dataclass
class Summary:
    """What the history holds once made."""

    days: int = 0
    tickets: int = 0
    first_day: date | None = None
    last_day: date | None = None
    seconds: list[float] = field(default_factory=list)


def has_history(session: Session, office: Office) -> bool:
    """Whether the demo office's past has already been made."""
    return session.scalar(select(AuditEntry.id).where(AuditEntry.action == MARK, AuditEntry.office_id == office.id)
                          .limit(1)) is not None


def working_days(last: date, weeks: int = WEEKS) -> list[date]:
    """The weekdays of the `weeks` weeks ending on `last` that are not public holidays."""
    days = (last - timedelta(days=offset) for offset in range(weeks * 7))
    return sorted(day for day in days if day.weekday() < 5 and public_holiday(day) is None)


def draw_visitors(day: date, zone: ZoneInfo, seed: int) -> list[Visitor]:
    """The day's visitors, the same for the same day and seed."""
    rng = random.Random(f"{seed}-{day.isoformat()}")
    hourly = MONDAY_ARRIVALS if day.weekday() == 0 else WEEKDAY_ARRIVALS
    start = datetime.combine(day, OPENS, tzinfo=zone)
    last = datetime.combine(day, LAST_ARRIVAL, tzinfo=zone)
    arrivals = []
    for offset, mean in enumerate(hourly):
        hour = start + timedelta(hours=offset)
        arrivals += [hour + timedelta(minutes=60 * rng.random()) for _ in range(poisson(rng, mean * DAY_SHAPE[day.weekday()]))]
    visitors = []
    prefixes, shares = list(MIX), [share for share, _m, _s in MIX.values()]
    for arrives in sorted(moment for moment in arrivals if moment <= last):
        prefix = rng.choices(prefixes, shares)[0]
        _share, median, sigma = MIX[prefix]
        feedback = None
        if rng.random() < FEEDBACK:
            feedback = tuple(None if rng.random() < 0.15 else rng.random() < 0.88 for _ in QUESTIONS)
        visitors.append(Visitor(
            arrives.astimezone(UTC), prefix, median * math.exp(sigma * rng.gauss(0, 1)),
            rng.uniform(0.3, 1.5), rng.random() >= NO_SHOW, rng.random() < TRANSFER, feedback,
            rng.random() < DOCUMENTS_RIGHT, rng.choice((1, 2, 3, 5, 8, 12)),
        ))
    return visitors


def _clerks(session: Session, office: Office) -> dict[str, User]:
    """The clerk of each cabinet; the two history-only clerks have no password (they cannot sign in)."""
    users = {}
    for number, (username, *_rest) in ROSTER.items():
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = User(username=username, password_hash="!",
                        role="clerk", office_id=office.id, display_name=CLERK_NAMES[username])
            session.add(user)
            session.flush()
        users[number] = user
    return users


class Day:
    """One past working day of the demo office, played event by event in one transaction."""

    def __init__(self, session: Session, office: Office, day: date, cabinets: dict[str, Cabinet],
                 clerks: dict[str, User], recorder: User, today: date, seed: int):
        self.session, self.office, self.day, self.today = session, office, day, today
        self.cabinets, self.clerks, self.recorder = cabinets, clerks, recorder
        self.zone = ZoneInfo(office.timezone)
        self.kinds = {kind.prefix: kind for kind in session.scalars(select(VisitKind))}
        self.rng = random.Random(f"{seed}-{day.isoformat()}-clerks")
        self.seed = seed
        self.events: list = []
        self.order = itertools.count()
        self.idle: set[str] = set()
        self.visitor_of: dict[int, Visitor] = {}
        self.held: dict[int, Ticket] = {}  # the day's tickets, kept loaded in the session for the clerks' commands
        self.transferred: set[int] = set()
        self.lunched: set[str] = set()
        self.breaks = {number: [(self.at(clock) + timedelta(minutes=self.rng.uniform(-10, 10)), minutes)
                                for clock, minutes in plan[3]] for number, plan in ROSTER.items()}
        self.closes = self.at(CLOSES)
        self.tickets = 0

    def at(self, clock: time) -> datetime:
        """A local clock time of the day, in UTC."""
        return datetime.combine(self.day, clock, tzinfo=self.zone).astimezone(UTC)

    def later(self, moment: datetime, action, *args) -> None:
        """Schedule `action(moment, *args)`."""
        heapq.heappush(self.events, (moment, next(self.order), action, args))

    def play(self, until: datetime | None = None) -> int:
        """Play the day until every clerk has gone home, or only up to `until` (today's morning so far: the
        hall is left as it is then, visitors waiting and cabinets open); returns the number of tickets issued."""
        for visitor in draw_visitors(self.day, self.zone, self.seed):
            self.later(visitor.arrives, self.arrive, visitor)
        for number in ROSTER:
            self.later(self.at(OPENS) + timedelta(minutes=self.rng.uniform(-5, 4)), self.sign_in, number)
        while self.events and (until is None or self.events[0][0] <= until):
            moment, _order, action, args = heapq.heappop(self.events)
            action(moment, *args)
        if not self.events:
            for number, cabinet in self.cabinets.items():
                clerk.set_cabinet_state(self.session, cabinet, self.clerks[number], CLOSED)
        return self.tickets

    def arrive(self, now: datetime, visitor: Visitor) -> None:
        """A visitor takes a ticket at the kiosk; an idle clerk calls at once."""
        try:  # nobody reads a past ticket's wait estimate: none is played
            issued = issue_ticket(self.session, self.office, self.kinds[visitor.prefix], now, estimate=False)
        except (OfficeClosed, TooLateToday):
            return  # the kiosk turned them away, as it would have
        self.visitor_of[issued.ticket.id] = visitor
        self.held[issued.ticket.id] = issued.ticket
        self.tickets += 1
        self.wake_idle(now)

    def wake_idle(self, now: datetime) -> None:
        """Idle clerks look up as someone new waits; once one has called them, the others still have nobody."""
        for number in sorted(self.idle):
            self.idle.discard(number)
            if self.free(now, number):
                return

    def sign_in(self, now: datetime, number: str) -> None:
        """The clerk opens the cabinet (in the morning, after lunch or a break)."""
        clerk.set_cabinet_state(self.session, self.cabinets[number], self.clerks[number], OPEN)
        self.free(now, number)

    def free(self, now: datetime, number: str) -> bool:
        """The clerk is free: lunch, a due break, the next visitor, or home after closing; True if they called."""
        _user, lunch_clock, lunch_minutes, _breaks = ROSTER[number]
        lunch = self.at(lunch_clock)
        if lunch <= now < self.closes and number not in self.lunched:
            self.lunched.add(number)
            self.pause(now, number, max(now, lunch) + timedelta(minutes=lunch_minutes), "lunch")
            return False
        due = [entry for entry in self.breaks[number] if entry[0] <= now]
        if due and now < self.closes:
            self.breaks[number].remove(due[0])
            self.pause(now, number, now + timedelta(minutes=due[0][1]), "break")
            return False
        ticket = clerk.call_next(self.session, self.cabinets[number], self.clerks[number], now).ticket
        if ticket is None:
            if now < self.closes:
                self.idle.add(number)
                self.later(self._next_wake(now, number), self.wake, number)
            return False
        visitor = self.visitor_of[ticket.id]
        if visitor.shows_up:
            self.later(now + timedelta(minutes=visitor.walk_minutes), self.start, number, ticket.id)
        else:
            self.later(now + RECALL_WAIT, self.recall, number, ticket.id)
        return True

    def _next_wake(self, now: datetime, number: str) -> datetime:
        wake = [self.at(ROSTER[number][1]), self.closes] + [entry[0] for entry in self.breaks[number]]
        return min((moment for moment in wake if moment > now), default=now + timedelta(hours=1))

    def wake(self, now: datetime, number: str) -> None:
        """An idle clerk looks up: lunch, a break or closing time."""
        if number in self.idle:
            self.idle.discard(number)
            if now < self.closes:
                self.free(now, number)

    def pause(self, now: datetime, number: str, until: datetime, why: str) -> None:
        """The clerk pauses the cabinet (lunch or a break) and comes back at `until`."""
        self.idle.discard(number)
        minutes = max(1, round((until - now).total_seconds() / 60))
        clerk.set_cabinet_state(self.session, self.cabinets[number], self.clerks[number], PAUSED, pause=why,
                                minutes=minutes, now=now)
        self.later(until, self.sign_in, number)

    def start(self, now: datetime, number: str, ticket_id: int) -> None:
        """The visitor comes in; a few turn out to be in the wrong service's queue and are sent on."""
        clerk.start(self.session, self.cabinets[number], self.clerks[number], ticket_id, now)
        visitor = self.visitor_of[ticket_id]
        if visitor.transfers and ticket_id not in self.transferred:
            self.transferred.add(ticket_id)
            self.later(now + timedelta(minutes=1.5), self.transfer, number, ticket_id)
        else:
            self.later(now + timedelta(minutes=visitor.service_minutes), self.finish, number, ticket_id)

    def transfer(self, now: datetime, number: str, ticket_id: int) -> None:
        """The clerk sends the visitor to the other service's queue; they keep their place."""
        target = self.kinds[TRANSFER_TO[self.held[ticket_id].prefix]]
        clerk.transfer(self.session, self.cabinets[number], self.clerks[number], ticket_id, now, visit_kind_id=target.id)
        self.free(now, number)
        self.wake_idle(now)

    def finish(self, now: datetime, number: str, ticket_id: int) -> None:
        """The visit ends: documents ticked for a hand-in, feedback tapped, a decision date later."""
        ticket = self.held[ticket_id]
        visitor = self.visitor_of[ticket_id]
        hand_in = self.kinds[ticket.visit_kind.prefix].kind == HAND_IN
        clerk.finish(self.session, self.cabinets[number], self.clerks[number], ticket_id, now,
                     documents_correct=visitor.documents_right if hand_in else None)
        if visitor.feedback is not None:  # the visitor taps their answers on the tablet a minute later
            taps = {question: satisfied for question, satisfied in zip(QUESTIONS, visitor.feedback) if satisfied is not None}
            if taps:
                answer_all(self.session, ticket, taps, now + timedelta(minutes=1))
        decided = ticket.service_day + timedelta(days=visitor.decision_days)
        if hand_in and decided < self.today:
            record_decision(self.session, self.office.id, ticket_id, decided, self.recorder, now, self.today)
        self.free(now, number)

    def recall(self, now: datetime, number: str, ticket_id: int) -> None:
        """Nobody came: the clerk recalls the number, then marks a no-show."""
        clerk.recall(self.session, self.cabinets[number], self.clerks[number], ticket_id, now)
        self.later(now + RECALL_WAIT, self.no_show, number, ticket_id)

    def no_show(self, now: datetime, number: str, ticket_id: int) -> None:
        """The visitor never came; the clerk moves on."""
        ticket = self.held[ticket_id]
        if ticket.recalls < self.office.recalls_before_no_show:
            return self.recall(now, number, ticket_id)
        clerk.no_show(self.session, self.cabinets[number], self.clerks[number], ticket_id, now)
        self.free(now, number)


def make_history(session: Session, office: Office, now: datetime, recorder: User, *, weeks: int = WEEKS,
                 seed: int = SEED, most_recent: int | None = None, progress=None, today_so_far: bool = False) -> Summary:
    """Give `office` (the demo office) `weeks` weeks of past working days ending yesterday; one commit per day.

    `most_recent` keeps only that many of the latest working days (tests); `progress(day)` is told of each
    day made. Does nothing when the office already has its history; a day that already has tickets (an
    interrupted run) is kept as it is. The cabinets end closed, as before. `today_so_far`: today too, if it
    is a working day, played up to `now` (`kezek demo`: the live floor shows a morning in progress, with
    visitors waiting and cabinets open; after closing time the whole day).
    """
    summary = Summary()
    if has_history(session, office):
        return summary
    # The history is the database's one writer while it plays: the office's figures need not be read again
    # every minute of the moving clock for other processes' changes, only after its own (kezek.queue.caches).
    app_caches = session.info.get(INFO_KEY)
    session.info[INFO_KEY] = QueueCaches(known_for=timedelta(days=1))
    try:
        _play_days(session, office, now, recorder, weeks, seed, most_recent, progress, summary, today_so_far)
    finally:
        if app_caches is None:
            session.info.pop(INFO_KEY, None)
        else:
            session.info[INFO_KEY] = app_caches
            app_caches.forget(None)  # the app reads the visit times the history made
    return summary


def _play_days(session: Session, office: Office, now: datetime, recorder: User, weeks: int, seed: int,
               most_recent: int | None, progress, summary: Summary, today_so_far: bool) -> None:
    today = now.astimezone(ZoneInfo(office.timezone)).date()
    cabinets = {cabinet.number: cabinet for cabinet in session.scalars(
        select(Cabinet).where(Cabinet.office_id == office.id, Cabinet.number.in_(list(ROSTER))))}
    clerks = _clerks(session, office)
    session.commit()
    days = working_days(today - timedelta(days=1), weeks)
    days = days[-most_recent:] if most_recent else days
    if today_so_far and working_days(today, 1)[-1:] == [today]:
        days.append(today)
    for day in days:
        if session.scalar(select(Ticket.id).where(Ticket.office_id == office.id, Ticket.service_day == day).limit(1)):
            continue
        summary.tickets += Day(session, office, day, cabinets, clerks, recorder, today, seed).play(
            until=now if day == today else None
        )
        session.commit()
        summary.days += 1
        summary.first_day = summary.first_day or day
        summary.last_day = day
        if progress:
            progress(day)
    audit.record(session, None, MARK, {"seed": seed, "weeks": weeks, "days": summary.days, "tickets": summary.tickets,
                                       "first_day": str(summary.first_day), "last_day": str(summary.last_day)},
                 office_id=office.id, at=now)
    session.commit()
