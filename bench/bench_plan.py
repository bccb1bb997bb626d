"""Time one staffing plan: the demo office's eight weeks of history, the next week planned (kezek.planning).

Run: .venv/bin/python bench/bench_plan.py [--runs 10] [--seeds 40] [--database PATH]

The first run makes the demo office and its history (`kezek demo`'s, through the real queue code) in a
SQLite file, kept with --database for the next runs. Each run learns the office's arrivals and visit
lengths, plans the week (five working days, 40 simulated days per weekday by default) and compares it
with the cabinets open the week before, as the page does. Prints the median, the mean with its 95 %
interval, the slowest run, the machine and its load average before and after.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from bench.benchutil import cpu_ticks, machine, stolen_share  # noqa: E402
from bench.sim.seeds import interval  # noqa: E402


def prepared(path: Path):
    """The app on `path`, with the demo office and its history made once."""
    from kezek import create_app
    from kezek.commands import init_database, load_seed, prepare_demo, prepare_demo_history
    from kezek.extensions import db
    from kezek.models import Office

    app = create_app({"INSTANCE_PATH": str(path.parent / "instance"), "DATABASE_URL": f"sqlite:///{path}",
                      "SECRET_KEY": "bench"})
    with app.app_context():
        init_database()
        if db.session.scalar(select(Office).where(Office.slug == "demo")) is None:
            load_seed()
            prepare_demo()
        prepare_demo_history(8)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--database", type=Path, default=None, help="SQLite file to keep (made if missing)")
    args = parser.parse_args()
    path = args.database or Path(tempfile.mkdtemp()) / "plan.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    app = prepared(path)
    from kezek.extensions import db
    from kezek.models import Office
    from kezek.planning.plan import week_plan

    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    print(machine())
    load_before, ticks = os.getloadavg(), cpu_ticks()
    seconds = []
    with app.app_context():
        office = db.session.scalar(select(Office).where(Office.slug == "demo"))
        for _ in range(args.runs):
            started = time.perf_counter()
            plan = week_plan(db.session, office, monday, seeds=args.seeds, today=today)
            seconds.append(time.perf_counter() - started)
            db.session.rollback()
    load_after = os.getloadavg()
    cabinets = [h.cabinets for day in plan.days for h in day.hours]
    print(f"week of {monday}: {sum(1 for d in plan.days if d.hours)} days planned, {len(cabinets)} hours, "
          f"{min(cabinets, default=0)}–{max(cabinets, default=0)} cabinets an hour, {args.seeds} seeds per weekday")
    mean, half = interval(seconds)
    print(f"runs {len(seconds)}: median {statistics.median(seconds):.2f} s, mean {mean:.2f} ± {half:.2f} s (95 %), "
          f"slowest {max(seconds):.2f} s")
    print(f"load average before {load_before[0]:.1f}, after {load_after[0]:.1f}; "
          f"stolen by the hypervisor {100 * stolen_share(ticks, cpu_ticks()):.1f} %")


if __name__ == "__main__":
    main()
