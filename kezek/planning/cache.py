"""The staffing plans last worked out (no Flask): a plan simulates many days and takes seconds, so a
manager who opens the page, downloads its XLSX and comes back gets the same plan without waiting again.

A plan is kept under everything it was worked out from (the office's learned demand, its cabinets, call
policy, hours and calendar, the week, the target, the number of simulated days and today), so a change
to any of them works out a new one; and for at most `keep_seconds`, so that nothing missed by the key
keeps an old plan for long.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import date
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import CalendarDay, Office
from kezek.planning.learn import Learned, office_cabinets

Plan = TypeVar("Plan")


def plan_key(
    session: Session, office: Office, monday: date, target: float, seeds: int, today: date, learned: Learned
) -> str:
    """A digest of everything the plan of `office` for the week of `monday` is worked out from."""
    hours = sorted((h.weekday, h.opens, h.closes, h.lunch_start, h.lunch_end) for h in office.hours)
    calendar = sorted(
        (row.day, row.closed, row.opens, row.closes)
        for row in session.scalars(select(CalendarDay).where(CalendarDay.office_id == office.id))
    )
    cabinets = [(c.id, c.number, sorted(k.id for k in c.visit_kinds)) for c in office_cabinets(session, office)]
    inputs = (
        office.id,
        monday,
        target,
        seeds,
        today,
        office.call_policy,
        office.timezone,
        hours,
        calendar,
        cabinets,
        learned,
    )
    return hashlib.sha256(repr(inputs).encode()).hexdigest()


class PlanCache(Generic[Plan]):
    """At most `size` plans, each for at most `keep_seconds`; safe to share between a server's threads."""

    def __init__(self, size: int = 16, keep_seconds: float = 600.0, clock: Callable[[], float] = time.monotonic):
        self.size, self.keep_seconds, self.clock = size, keep_seconds, clock
        self.plans: OrderedDict[str, tuple[float, Plan]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: str, make: Callable[[], Plan]) -> Plan:
        """The plan kept under `key`, or `make()`'s, kept for next time."""
        now = self.clock()
        with self.lock:
            kept = self.plans.get(key)
            if kept is not None and now - kept[0] <= self.keep_seconds:
                self.plans.move_to_end(key)
                return kept[1]
        plan = make()  # outside the lock: another office's plan is not kept waiting
        with self.lock:
            self.plans[key] = (now, plan)
            self.plans.move_to_end(key)
            while len(self.plans) > self.size:
                self.plans.popitem(last=False)
        return plan
