"""Time building one office's live floor and one alert check, in-process on a real SQLite database.

Run: .venv/bin/python bench/bench_floor.py [--runs 20] [--waiting 80]

The demo office with its three cabinets open, `--waiting` visitors of the four visit kinds issued 20
seconds apart, looked at 30 minutes after the first: many near or past their limit, so the floor asks
the wait estimate about the most visitors it ever does (`AT_RISK_MOST`) and the check raises an
alert for each. Reports the median and p95 milliseconds of `office_floor` (what each refresh of a
manager's floor costs) and of `check` (rolled back after each run, so every run raises them all).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from bench.benchutil import machine, percentile  # noqa: E402
from kezek import create_app  # noqa: E402
from kezek.alerts.engine import check  # noqa: E402
from kezek.extensions import db  # noqa: E402
from kezek.models import Base, Cabinet, VisitKind  # noqa: E402
from kezek.queue import clerk  # noqa: E402
from kezek.queue.issuing import issue_ticket  # noqa: E402
from kezek.reports.floor import office_floor  # noqa: E402
from kezek.seeding import create_demo_office, create_user, load_offices, load_services  # noqa: E402


def timed(runs: int, call) -> list[float]:
    """Milliseconds of each of `runs` calls, after one to warm up."""
    call()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--waiting", type=int, default=80)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    start = datetime(2026, 11, 25, 5, 0, tzinfo=timezone.utc)
    app = create_app({"INSTANCE_PATH": str(folder), "DATABASE_URL": f"sqlite:///{folder / 'kezek.sqlite3'}",
                      "SECRET_KEY": "bench", "TESTING": True, "PRINTER_URL": "dummy://", "CLOCK": lambda: start})
    with app.app_context():
        session = db.session
        Base.metadata.create_all(db.engine)
        load_services(session)
        load_offices(session)
        office = create_demo_office(session)
        user = create_user(session, "bench", "bench-pass", "clerk", office)
        for cabinet in session.scalars(select(Cabinet).where(Cabinet.office_id == office.id)):
            clerk.set_cabinet_state(session, cabinet, user, "open", now=start)
        kinds = list(session.scalars(select(VisitKind).order_by(VisitKind.id)))
        for n in range(args.waiting):
            issue_ticket(session, office, kinds[n % len(kinds)], start + timedelta(seconds=20 * n))
            session.commit()
        now = start + timedelta(minutes=30)
        print(machine())
        floor = office_floor(session, office, now)
        print(f"{floor.waiting} waiting, {len(floor.at_risk)} expected past their limit, 3 cabinets open")
        for label, call in (("office_floor", lambda: office_floor(session, office, now)),
                            ("alert check", lambda: (check(session, office, now), session.rollback()))):
            times = timed(args.runs, call)
            print(f"{label}: median {statistics.median(times):.1f} ms, p95 {percentile(times, 0.95):.1f} ms")


if __name__ == "__main__":
    main()
