"""Time the kiosk's wait estimate for a newcomer, in-process on a real SQLite database.

Run: .venv/bin/python bench/bench_estimate.py [--runs 300] [--case normal|worst|extreme|bench ...] [--generic]

Cases (each an office open round the clock with 14 days of finished visits behind it):
- normal: 30 waiting, 5 open cabinets, about 16 arrivals an hour;
- worst: 600 waiting issued over the last 30 minutes (20 a minute, as under the kiosk load benchmark),
  100 cabinets, nobody signed in yet (so all are assumed open);
- extreme: as worst, plus 2400 more tickets issued and cancelled in the same half hour (100 a minute);
- bench: 300 waiting and 20 cabinets, as one office of the kiosk load benchmark part-way through a run.
Reports median and p99 milliseconds of `estimate_wait` as the kiosk calls it for a newcomer (CPU time
of this process and wall time), the median when the office's visit times are not cached (the first
estimate of each minute), and the projection alone. `--generic` shows every candidate to the policy, as before grouping.
"""
from __future__ import annotations

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from datetime import datetime, time as clock_time, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.benchutil import machine, percentile  # noqa: E402
from kezek.models import (  # noqa: E402
    CANCELLED, OPEN, SERVED, WAITING, Base, Cabinet, Office, OfficeHours, Ticket, VisitKind, make_engine,
)
from kezek.queue import estimate  # noqa: E402
from kezek.queue.caches import caches_of  # noqa: E402
from kezek.queue.counts import people_ahead  # noqa: E402
from kezek.queue.candidates import Waiting  # noqa: E402
from kezek.sessions import session_factory  # noqa: E402
from kezek.seeding import load_services  # noqa: E402

NOW = datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)  # 11:00 in Taraz, a Wednesday
CASES = {
    # name: (waiting, cabinets, open cabinets, extra tickets issued in the last half hour)
    "normal": (30, 5, 5, 0),
    "worst": (600, 100, 0, 0),
    "extreme": (600, 100, 0, 2400),
    "bench": (300, 20, 0, 0),
}


def _ticket(office: Office, kind: VisitKind, number: int, issued: datetime, **fields) -> Ticket:
    return Ticket(office_id=office.id, visit_kind_id=kind.id, service_day=issued.date(), prefix=kind.prefix,
                  number=number, code=secrets.token_urlsafe(12), wait_limit_minutes=kind.wait_limit_minutes,
                  issued_at=issued, queue_since=issued, **fields)


def prepare(path: Path, case: str, seed: int = 5) -> tuple[Session, Office, list[VisitKind]]:
    """A fresh database with one office laid out as `case` says."""
    waiting, cabinets, open_cabinets, extra = CASES[case]
    draw = random.Random(seed)
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    session = session_factory(engine, expire_on_commit=False)()  # with the office cache's hooks
    load_services(session)
    office = Office(slug=case, district="bench", name_kk=case, name_ru=case, name_en=case,
                    observes_public_holidays=False)
    office.hours = [OfficeHours(weekday=day, opens=clock_time(0), closes=clock_time(23, 59)) for day in range(7)]
    session.add(office)
    session.flush()
    kinds = list(session.scalars(select(VisitKind).order_by(VisitKind.id)))
    for n in range(cabinets):
        session.add(Cabinet(office_id=office.id, number=str(100 + n), visit_kinds=kinds,
                            state=OPEN if n < open_cabinets else "closed"))
    number = 0
    for day in range(1, 15):  # 120 finished visits a day for the last 14 days
        for n in range(120):
            number += 1
            called = NOW - timedelta(days=day, minutes=n * 3)
            session.add(_ticket(office, draw.choice(kinds), number, called - timedelta(minutes=5), status=SERVED,
                                called_at=called, finished_at=called + timedelta(minutes=draw.uniform(2, 15))))
    spread = timedelta(minutes=30) if waiting > 100 else timedelta(minutes=110)  # normal: about 16 an hour
    for n in range(waiting):
        number += 1
        session.add(_ticket(office, draw.choice(kinds), number, NOW - spread * (n + 1) / (waiting + 1),
                            status=WAITING))
    for n in range(extra):
        number += 1
        session.add(_ticket(office, draw.choice(kinds), number, NOW - timedelta(minutes=30) * (n + 1) / (extra + 1),
                            status=CANCELLED, finished_at=NOW))
    session.commit()
    return session, office, kinds


def _timed(action, runs: int) -> tuple[list[float], list[float]]:
    cpu, wall = [], []
    for _ in range(runs):
        started, ticking = time.process_time(), time.perf_counter()
        action()
        cpu.append((time.process_time() - started) * 1000)
        wall.append((time.perf_counter() - ticking) * 1000)
    return cpu, wall


def measure(case: str, runs: int, generic: bool, folder: Path) -> dict:
    """Median and p99 of one newcomer's estimate (and of the projection alone) for `case`."""
    session, office, kinds = prepare(folder / f"{case}.sqlite3", case)
    draw = random.Random(11)
    chosen = [draw.choice(kinds) for _ in range(runs)]
    ahead = {kind.id: people_ahead(session, office.id, kind.id) for kind in kinds}
    turn = iter(range(10**9))
    if generic:
        project = estimate.project
        estimate.project = lambda state, now, subject: project(state, now, subject, generic=True)
    try:
        def one() -> None:
            kind = chosen[next(turn) % runs]
            estimate.estimate_wait(session, office.id, kind, NOW, ahead=ahead[kind.id])

        one()  # the first reads the visit times that later ones find cached
        cpu, wall = _timed(one, runs)
        forget = caches_of(session).forget
        cold, _wall = _timed(lambda: (forget(None), one()), max(5, runs // 5))
        state = estimate._load(session, office, NOW, None)
        subjects = [Waiting(estimate.ARRIVAL_IDS - 1, kind.id, NOW, kind.wait_limit_minutes)
                    for kind in chosen]
        projection, _wall = _timed(lambda: estimate.project(state, NOW, subjects[next(turn) % runs]), runs)
        calls = statistics.median(estimate.project(state, NOW, subject)[1] for subject in subjects[:50])
    finally:
        if generic:
            estimate.project = project
        session.close()
        session.get_bind().dispose()
    return {"case": case, "cpu": cpu, "wall": wall, "cold": cold, "projection": projection, "calls": calls}


def main(argv: list[str] | None = None) -> int:
    """Time each case and print a table."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only this case (repeatable)")
    parser.add_argument("--generic", action="store_true", help="show every candidate to the policy (the old way)")
    args = parser.parse_args(argv)
    print(f"# {machine()}; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print("| case | estimate CPU ms, median / p99 | wall ms, median / p99 | uncached visit times, CPU ms median "
          "| projection alone, CPU ms median / p99 | calls projected before the newcomer (median) |")
    print("|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="kezek-estimate-") as folder:
        for case in args.case or list(CASES):
            runs = args.runs if not args.generic or case == "normal" else max(5, args.runs // 30)
            result = measure(case, runs, args.generic, Path(folder))
            cpu, wall, projection = result["cpu"], result["wall"], result["projection"]
            print(f"| {case} | {statistics.median(cpu):.2f} / {percentile(cpu, 0.99):.2f} "
                  f"| {statistics.median(wall):.2f} / {percentile(wall, 0.99):.2f} "
                  f"| {statistics.median(result['cold']):.2f} "
                  f"| {statistics.median(projection):.2f} / {percentile(projection, 0.99):.2f} "
                  f"| {result['calls']:.0f} |", flush=True)
    print(f"# load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
