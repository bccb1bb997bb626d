"""One simulated office day on a real SQLite database, driven through the product's own queue rules."""
from __future__ import annotations

import heapq
import itertools
import secrets
import time as wallclock
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bench.sim.scenario import CabinetPlan, Scenario, Visitor
from kezek.models import (
    CLOSED, OPEN, PAUSED, SERVED, Base, Cabinet, Office, OfficeHours, Ticket, User, VisitKind, make_engine,
)
from kezek.queue import clerk
from kezek.queue.errors import OfficeClosed, TooLateToday
from kezek.queue.hours import SEED_WEEK, schedule_for
from kezek.queue.issuing import issue_ticket
from kezek.sessions import session_factory

RECALL_WAIT = timedelta(minutes=1)  # a clerk waits this long before recalling, and again before a no-show


@dataclass
class Issued:
    """What the simulation remembers of a ticket it issued."""

    visitor: Visitor
    ticket_id: int
    expected: float
    low: int
    high: int


@dataclass
class DayResult:
    """The outcome of one simulated day: the day's tickets and what the kiosk told each visitor."""

    scenario: str
    policy: str
    tickets: list[Ticket]
    issued: dict[int, Issued]
    turned_away: int  # refused at the kiosk: too late today (or closed for the day)
    seconds: float
    cpu_seconds: float
    lunch: tuple[datetime, datetime] | None = None  # the day's closed period inside opening hours


def prepare(path: Path, scenario: Scenario, policy: str) -> tuple[Session, Office, dict[str, Cabinet], User]:
    """A fresh database with the seed's services and one office laid out as the scenario says."""
    from kezek.seeding import load_services

    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    session = session_factory(engine, expire_on_commit=False)()  # with the wait records' and cache's hooks
    load_services(session)
    office = Office(slug="sim", district="sim", name_kk="sim", name_ru="sim", name_en="sim", call_policy=policy)
    office.hours = [OfficeHours(weekday=day, opens=o, closes=c, lunch_start=ls, lunch_end=le)
                    for day, (o, c, ls, le) in SEED_WEEK.items()]
    session.add(office)
    session.flush()
    kinds = {kind.prefix: kind for kind in session.scalars(select(VisitKind))}
    cabinets = {}
    for plan in scenario.cabinets:
        cabinets[plan.number] = Cabinet(office_id=office.id, number=plan.number, state=CLOSED,
                                        visit_kinds=[kinds[p] for p in plan.kinds])
        session.add(cabinets[plan.number])
    user = User(username="clerk", password_hash="!", role="clerk", office_id=office.id)
    session.add(user)
    session.flush()
    _add_history(session, scenario, office, kinds)
    session.commit()
    return session, office, cabinets, user


def _add_history(session: Session, scenario: Scenario, office: Office, kinds: dict[str, VisitKind]) -> None:
    yesterday = scenario.day - timedelta(days=1)
    start = scenario.at(SEED_WEEK[0][0]) - timedelta(days=1)
    for number, (prefix, walk, service) in enumerate(scenario.draw_history(), start=1):
        called = start + timedelta(minutes=number)
        started = called + timedelta(minutes=walk)
        session.add(Ticket(
            office_id=office.id, visit_kind_id=kinds[prefix].id, service_day=yesterday, prefix=prefix,
            number=number, code=secrets.token_urlsafe(12), status=SERVED,
            wait_limit_minutes=kinds[prefix].wait_limit_minutes, issued_at=called, queue_since=called,
            called_at=called, started_at=started, finished_at=started + timedelta(minutes=service), cabinet_id=None,
        ))


class Day:
    """The event loop: visitors take tickets, clerks call, serve, recall, pause and go to lunch."""

    def __init__(self, scenario: Scenario, session: Session, office: Office, cabinets: dict[str, Cabinet],
                 user: User):
        self.scenario, self.session, self.office, self.user = scenario, session, office, user
        self.cabinets = cabinets
        self.plans: dict[str, CabinetPlan] = {plan.number: plan for plan in scenario.cabinets}
        self.kinds = {kind.prefix: kind for kind in session.scalars(select(VisitKind))}
        self.events: list = []
        self.order = itertools.count()
        self.idle: set[str] = set()
        self.breaks = {number: scenario.break_times(plan) for number, plan in self.plans.items()}
        self.lunched: set[str] = set()
        self.issued: dict[int, Issued] = {}
        self.visitor_of: dict[int, Visitor] = {}
        self.turned_away = 0
        self.schedule = schedule_for(session, office, scenario.day)

    def at(self, moment: datetime, action, *args) -> None:
        """Schedule `action(moment, *args)`."""
        heapq.heappush(self.events, (moment, next(self.order), action, args))

    def run(self) -> None:
        """Play the day until every clerk has gone home."""
        for visitor in self.scenario.draw_visitors():
            self.at(visitor.arrives, self.arrive, visitor)
        for number, plan in self.plans.items():
            self.at(max(self.scenario.at(plan.opens), self.schedule.opens), self.sign_in, number)
        while self.events:
            moment, _order, action, args = heapq.heappop(self.events)
            action(moment, *args)

    def arrive(self, now: datetime, visitor: Visitor) -> None:
        """A visitor taps the kiosk; at lunch or before opening they wait by the door and tap again."""
        try:
            issued = issue_ticket(self.session, self.office, self.kinds[visitor.prefix], now)
        except OfficeClosed as closed:
            if closed.opens_at is not None and closed.opens_at.date() == self.scenario.day:
                self.at(closed.opens_at + timedelta(seconds=visitor.walk_minutes * 60), self.arrive, visitor)
            else:
                self.turned_away += 1
            return
        except TooLateToday:
            self.turned_away += 1
            return
        self.session.commit()
        ticket, estimate = issued.ticket, issued.estimate
        self.issued[ticket.id] = Issued(visitor, ticket.id, estimate.expected, estimate.low, estimate.high)
        self.visitor_of[ticket.id] = visitor
        for number in sorted(self.idle):
            self.idle.discard(number)
            self.free(now, number)

    def sign_in(self, now: datetime, number: str) -> None:
        """The clerk opens the cabinet."""
        clerk.set_cabinet_state(self.session, self.cabinets[number], self.user, OPEN)
        self.session.commit()
        self.free(now, number)

    def free(self, now: datetime, number: str) -> None:
        """The clerk is free: lunch, a due break, or call the next visitor."""
        cabinet = self.cabinets[number]
        lunch = self.schedule.lunch_start, self.schedule.lunch_end
        if lunch[0] and lunch[0] <= now < lunch[1] and number not in self.lunched:
            self.lunched.add(number)
            return self.pause(now, number, lunch[1])
        due = [b for b in self.breaks[number] if b[0] <= now]
        if due:
            self.breaks[number].remove(due[0])
            return self.pause(now, number, now + timedelta(minutes=due[0][1]))  # the clerk gives the length
        outcome = clerk.call_next(self.session, cabinet, self.user, now)
        self.session.commit()
        ticket = outcome.ticket
        if ticket is None:
            if now >= self.schedule.closes:
                clerk.set_cabinet_state(self.session, cabinet, self.user, CLOSED)
                self.session.commit()
            else:
                self.idle.add(number)
                self.at(self._next_wake(now, number), self.wake, number)
            return
        visitor = self.visitor_of[ticket.id]
        if visitor.shows_up:
            self.at(now + timedelta(minutes=visitor.walk_minutes), self.start, number, ticket.id)
        else:
            self.at(now + RECALL_WAIT, self.recall, number, ticket.id)

    def _next_wake(self, now: datetime, number: str) -> datetime:
        wake = [self.schedule.lunch_start, self.schedule.closes] + [b[0] for b in self.breaks[number]]
        return min((w for w in wake if w and w > now), default=self.schedule.closes + timedelta(hours=6))

    def wake(self, now: datetime, number: str) -> None:
        """An idle clerk looks up at lunch or closing time."""
        if number in self.idle:
            self.idle.discard(number)
            self.free(now, number)

    def pause(self, now: datetime, number: str, until: datetime) -> None:
        """The clerk pauses the cabinet (lunch or a break), saying for how long, and comes back at `until`."""
        self.idle.discard(number)
        at_lunch = self.schedule.at_lunch(now)
        minutes = max(1, round((until - now).total_seconds() / 60))
        clerk.set_cabinet_state(self.session, self.cabinets[number], self.user, PAUSED,
                                pause="lunch" if at_lunch else ("break" if minutes <= 15 else "other"),
                                minutes=minutes, now=now)
        self.session.commit()
        self.at(until, self.sign_in, number)

    def start(self, now: datetime, number: str, ticket_id: int) -> None:
        """The visitor comes in; the visit takes its drawn service time."""
        clerk.start(self.session, self.cabinets[number], self.user, ticket_id, now)
        self.session.commit()
        minutes = self.visitor_of[ticket_id].service_minutes
        self.at(now + timedelta(minutes=minutes), self.finish, number, ticket_id)

    def finish(self, now: datetime, number: str, ticket_id: int) -> None:
        """The visit ends and the clerk is free."""
        clerk.finish(self.session, self.cabinets[number], self.user, ticket_id, now)
        self.session.commit()
        self.free(now, number)

    def recall(self, now: datetime, number: str, ticket_id: int) -> None:
        """Nobody came: the clerk recalls the number, then marks a no-show."""
        clerk.recall(self.session, self.cabinets[number], self.user, ticket_id, now)
        self.session.commit()
        self.at(now + RECALL_WAIT, self.no_show, number, ticket_id)

    def no_show(self, now: datetime, number: str, ticket_id: int) -> None:
        """The visitor never came; the clerk moves on."""
        clerk.no_show(self.session, self.cabinets[number], self.user, ticket_id, now)
        self.session.commit()
        self.free(now, number)


def simulate(scenario: Scenario, policy: str, folder: Path) -> DayResult:
    """Run one scenario under one call policy in a fresh database inside `folder`."""
    session, office, cabinets, user = prepare(folder / f"{scenario.name}-{policy}.sqlite3", scenario, policy)
    started, cpu = wallclock.perf_counter(), wallclock.process_time()
    day = Day(scenario, session, office, cabinets, user)
    day.run()
    seconds, cpu = wallclock.perf_counter() - started, wallclock.process_time() - cpu
    tickets = list(session.scalars(select(Ticket).where(Ticket.office_id == office.id,
                                                        Ticket.service_day == scenario.day)))
    session.close()
    session.get_bind().dispose()
    lunch = (day.schedule.lunch_start, day.schedule.lunch_end) if day.schedule.lunch_start else None
    return DayResult(scenario.name, policy, tickets, day.issued, day.turned_away, seconds, cpu, lunch)
