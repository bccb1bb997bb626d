"""Benchmark: the compliance page, the log's first page and the annex 2 table on two years of tickets.

Fills a SQLite file once (two years of weekdays for the 11 offices, at least 1.5 million tickets with
their events and wait records, by bulk Core inserts) and reuses it; copies it into a PostgreSQL
database `kezek_bench` (created, and dropped afterwards) when PostgreSQL answers. On each database it
rolls up every closed month anew, timed, as `kezek reports rollup` would, then times each page
through the real views (a signed-in regional manager) and the peak Python memory of the compliance
rule for a month against two years.

Run: .venv/bin/python bench/bench_reports.py [--tickets N] [--file PATH] [--no-postgres]
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import tracemalloc
from datetime import date, datetime, time as clock_time, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from kezek import create_app, migrate  # noqa: E402
from kezek.models import Base, Cabinet, Office, Service, Ticket, TicketEvent, User, VisitKind  # noqa: E402
from kezek.models.reports import WaitRecord  # noqa: E402
from kezek.models.rollup import WaitRollup  # noqa: E402
from kezek.seeding import load_offices, load_services  # noqa: E402
from kezek.sessions import session_factory  # noqa: E402
from kezek.services import services

ALMATY = ZoneInfo("Asia/Almaty")
LAST_DAY = date(2026, 11, 20)
DAYS = 730
PG_URL = os.environ.get("KEZEK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
TARGET_S = 1.0


def weekdays() -> list[date]:
    """The working days (Monday to Friday) of the two years up to LAST_DAY."""
    days = [LAST_DAY - timedelta(days=n) for n in range(DAYS)]
    return sorted(d for d in days if d.weekday() < 5)


def fill(url: str, tickets: int) -> None:
    """Create the schema and two years of tickets, events and wait records with bulk inserts."""
    migrate.upgrade(url)
    engine = create_engine(url)
    with session_factory(engine)() as session:  # its flushes keep the wait records
        load_services(session)
        offices = [o for o in load_offices(session) if not o.is_regional]
        session.flush()
        kinds = list(session.scalars(select(VisitKind).order_by(VisitKind.prefix)))
        staff: dict[int, list[tuple[int, int]]] = {}
        for office in offices:
            staff[office.id] = []
            for n in range(3):
                user = User(username=f"bench-{office.slug}-{n}", display_name=f"Clerk {n + 1}", password_hash="-",
                            role="clerk", office_id=office.id)
                cabinet = Cabinet(office_id=office.id, number=f"b{n + 1}", visit_kinds=kinds)
                session.add_all([user, cabinet])
                session.flush()
                staff[office.id].append((user.id, cabinet.id))
        session.commit()
        offices = [(o.id, o.slug) for o in offices]
        kinds = [(k.id, k.service_id, k.kind, k.prefix, k.wait_limit_minutes) for k in kinds]
    days = weekdays()
    per_day = tickets / (len(days) * len(offices))
    rng = random.Random(6)
    ticket_id, batch_t, batch_e, batch_w = 0, [], [], []
    started = time.monotonic()
    with engine.begin() as connection:
        for day in days:
            for office_id, _slug in offices:
                numbers: dict[str, int] = {}
                for _ in range(int(per_day) + (1 if rng.random() < per_day % 1 else 0)):
                    ticket_id += 1
                    row, events, record = make_ticket(rng, ticket_id, office_id, day, kinds, staff[office_id], numbers)
                    batch_t.append(row)
                    batch_e.extend(events)
                    batch_w.append(record)
                if len(batch_t) >= 20000:
                    flush(connection, batch_t, batch_e, batch_w)
        flush(connection, batch_t, batch_e, batch_w)
    print(f"filled {ticket_id} tickets in {time.monotonic() - started:.0f} s")
    engine.dispose()


def flush(connection, batch_t, batch_e, batch_w) -> None:
    """Insert the buffered rows with executemany and empty the buffers."""
    if batch_t:
        connection.execute(insert(Ticket.__table__), batch_t)
        connection.execute(insert(TicketEvent.__table__), batch_e)
        connection.execute(insert(WaitRecord.__table__), batch_w)
    batch_t.clear(), batch_e.clear(), batch_w.clear()


def make_ticket(rng, ticket_id, office_id, day, kinds, staff, numbers):
    """One ticket with a plausible wait, outcome and event log, and its wait record."""
    kind_id, service_id, kind, prefix, limit = rng.choices(kinds, weights=(40, 25, 20, 15))[0]
    numbers[prefix] = numbers.get(prefix, 0) + 1
    minute = rng.randrange(0, 480)
    minute += 60 if minute >= 240 else 0  # lunch 13:00-14:00
    issued = datetime.combine(day, clock_time(9), ALMATY).astimezone(timezone.utc) + timedelta(minutes=minute, seconds=rng.randrange(60))
    wait = int(min(rng.expovariate(1 / (limit * 0.45)), 150) * 60)
    clerk, cabinet = rng.choice(staff)
    roll = rng.random()
    status = "served" if roll < 0.93 else "no_show" if roll < 0.98 else "cancelled"
    called = issued + timedelta(seconds=wait) if status != "cancelled" else None
    transfers = 1 if status == "served" and rng.random() < 0.03 else 0
    start = finish = None
    events = [{"ticket_id": ticket_id, "kind": "issued", "at": issued, "detail": {}}]
    if called:
        events.append({"ticket_id": ticket_id, "kind": "called", "at": called, "user_id": clerk, "cabinet_id": cabinet, "detail": {}})
    last_call = called
    if transfers:
        moved = called + timedelta(minutes=3)
        last_call = moved + timedelta(minutes=rng.randrange(2, 20))
        events += [{"ticket_id": ticket_id, "kind": "transferred", "at": moved, "user_id": clerk, "cabinet_id": cabinet, "detail": {}},
                   {"ticket_id": ticket_id, "kind": "called", "at": last_call, "user_id": clerk, "cabinet_id": cabinet, "detail": {}}]
    if status == "served":
        start = last_call + timedelta(seconds=40)
        finish = start + timedelta(minutes=rng.randrange(3, 16))
        events += [{"ticket_id": ticket_id, "kind": "started", "at": start, "user_id": clerk, "cabinet_id": cabinet, "detail": {}},
                   {"ticket_id": ticket_id, "kind": "finished", "at": finish, "user_id": clerk, "cabinet_id": cabinet, "detail": {}}]
    elif status == "no_show":
        finish = called + timedelta(minutes=3)
        events += [{"ticket_id": ticket_id, "kind": "recalled", "at": called + timedelta(minutes=1), "user_id": clerk, "cabinet_id": cabinet, "detail": {}},
                   {"ticket_id": ticket_id, "kind": "no_show", "at": finish, "user_id": clerk, "cabinet_id": cabinet, "detail": {}}]
    else:
        finish = issued + timedelta(minutes=25)
        events.append({"ticket_id": ticket_id, "kind": "cancelled", "at": finish, "detail": {}})
    docs = (rng.random() < 0.95) if status == "served" and kind == "hand_in" else None
    local = issued.astimezone(ALMATY)
    row = {"id": ticket_id, "office_id": office_id, "visit_kind_id": kind_id, "service_day": day, "prefix": prefix,
           "number": numbers[prefix], "code": f"bench{ticket_id}", "lang": "kk", "status": status,
           "wait_limit_minutes": limit, "issued_at": issued, "queue_since": issued, "called_at": last_call,
           "started_at": start, "finished_at": finish, "cabinet_id": cabinet if called else None,
           "clerk_id": clerk if called else None, "recalls": 1 if status == "no_show" else 0, "transfers": transfers,
           "documents_correct": docs}
    record = {"ticket_id": ticket_id, "office_id": office_id, "service_id": service_id, "visit_kind_id": kind_id,
              "hand_in": kind == "hand_in", "clerk_id": clerk if called else None, "cabinet_id": cabinet if called else None,
              "service_day": day, "weekday": local.weekday(), "hour": local.hour, "first_called_at": called,
              "wait_seconds": wait if called else None,
              "service_seconds": int((finish - start).total_seconds()) if start else None, "wait_limit_minutes": limit,
              "within_limit": (wait <= limit * 60) if called else None, "outcome": status,
              "transferred": bool(transfers), "documents_correct": docs}
    return row, events, record


def copy_to_postgres(sqlite_url: str, pg_url: str) -> None:
    """Copy every table of the bench file into PostgreSQL with COPY, then reset the id sequences."""
    import json

    source, target = create_engine(sqlite_url), create_engine(pg_url)
    migrate.upgrade(pg_url)
    started = time.monotonic()
    with source.connect() as read, target.connect() as write:
        raw = write.connection.driver_connection
        for table in Base.metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            columns = [c.name for c in table.columns]
            with raw.cursor() as cursor, cursor.copy(
                    f'COPY "{table.name}" ({", ".join(chr(34) + c + chr(34) for c in columns)}) FROM STDIN') as copy:
                for row in read.execution_options(yield_per=20000).execute(select(table)):
                    copy.write_row([json.dumps(v) if isinstance(v, (dict, list)) else v for v in row])
        raw.commit()
        for table in Base.metadata.sorted_tables:
            if "id" in table.c and table.c.id.primary_key and isinstance(table.c.id.type.python_type, type) \
                    and table.c.id.type.python_type is int:
                write.execute(text(f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                                   f"COALESCE((SELECT max(id) FROM \"{table.name}\"), 1))"))
        write.execute(text("ANALYZE"))
        write.commit()
    print(f"copied to PostgreSQL in {time.monotonic() - started:.0f} s")
    source.dispose(), target.dispose()


def timed(client, path: str, runs: int = 3) -> float:
    """Median seconds of `runs` requests for `path` after one warm-up."""
    assert client.get(path).status_code == 200, path
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        answer = client.get(path)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, path
    return statistics.median(times)


def measure(url: str, label: str, folder: Path) -> None:
    """Time the pages on the database at `url` and print one line each."""
    import re

    from kezek.extensions import db
    from kezek.seeding import create_user
    from kezek.reports import rollup
    from kezek.reports.compliance import Scope, compliance

    migrate.upgrade(url)  # a file filled before the rollup existed gets its tables
    app = create_app({"DATABASE_URL": url, "INSTANCE_PATH": str(folder / "instance"), "SECRET_KEY": "bench",
                      "RATELIMIT_ENABLED": False,
                      "CLOCK": lambda: datetime.combine(LAST_DAY, clock_time(12), timezone.utc)})
    with app.app_context():
        if db.session.scalar(select(User).where(User.username == "bench-region")) is None:
            create_user(db.session, "bench-region", "bench-pass", "regional_manager", None)
            db.session.commit()
        count = db.session.scalar(select(func.count()).select_from(Ticket))
        events = db.session.scalar(select(func.count()).select_from(TicketEvent))
        office = db.session.scalar(select(Office).where(Office.slug == "taraz")).id
        service = db.session.scalar(select(Service).order_by(Service.position)).id
        # Roll up every closed month from scratch (what `kezek reports rollup` does after an upgrade).
        closed = rollup.closed_before(LAST_DAY)
        rollup.invalidate_range(db.session, None, None)
        db.session.commit()
        started = time.perf_counter()
        built = rollup.bring_up_to_date(db.session, LAST_DAY - timedelta(days=DAYS - 1), LAST_DAY, None, closed,
                                        datetime.now(timezone.utc))
        db.session.commit()
        build_seconds = time.perf_counter() - started
        rows = db.session.scalar(select(func.count()).select_from(WaitRollup))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"username": "bench-region", "password": "bench-pass", "csrf_token": token})
    year = f"start={LAST_DAY - timedelta(days=364)}&end={LAST_DAY}"
    two = f"start={LAST_DAY - timedelta(days=DAYS - 1)}&end={LAST_DAY}"
    month = f"start={LAST_DAY - timedelta(days=29)}&end={LAST_DAY}"
    cases = [
        ("compliance, region, 30 days", f"/reports/?{month}"),
        ("compliance, one office, 1 year", f"/reports/?{year}&office={office}"),
        ("compliance, region, 1 year", f"/reports/?{year}"),
        ("log first page, region, 2 years", f"/reports/log?{two}"),
        ("log first page, one office, 2 years", f"/reports/log?{two}&office={office}"),
        ("log first page, no-shows, region, 2 years", f"/reports/log?{two}&outcome=no_show"),
        ("annex 2, region, 1 year", f"/reports/annex2?service={service}&year={LAST_DAY.year - 1}"),
        ("annex 2, one office, 1 year", f"/reports/annex2?service={service}&year={LAST_DAY.year - 1}&office={office}"),
    ]
    print(f"\n{label}: {count} tickets, {events} events")
    print(f"  rollup of {built} office-months built in {build_seconds:.1f} s ({rows} rows)")
    for name, path in cases:
        seconds = timed(client, path)
        print(f"  {name:45s} {seconds * 1000:8.0f} ms {'ok' if seconds < TARGET_S else 'OVER 1 s'}")
    with app.app_context():
        for name, first in (("30 days", LAST_DAY - timedelta(days=29)), ("2 years", LAST_DAY - timedelta(days=DAYS - 1))):
            compliance(db.session, Scope(first, LAST_DAY, None, closed_before=closed))  # statements compiled, caches full
            tracemalloc.start()
            compliance(db.session, Scope(first, LAST_DAY, None, closed_before=closed))
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            print(f"  peak Python memory of the compliance rule, {name:8s} {peak / 1e6:6.1f} MB")
    services(app).close()


def postgres_admin(url: str):
    """An autocommit connection to the server's maintenance database, or None if PostgreSQL does not answer."""
    try:
        import psycopg

        base = url.replace("postgresql+psycopg://", "postgresql://").rsplit("/", 1)[0]
        return psycopg.connect(base + "/postgres", autocommit=True, connect_timeout=3), base
    except Exception as error:  # noqa: BLE001 - any failure means: skip PostgreSQL
        print(f"PostgreSQL skipped: {error}")
        return None, None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=1_500_000)
    parser.add_argument("--file", default=os.environ.get("KEZEK_BENCH_REPORTS_FILE", "/tmp/kezek-bench/reports.sqlite3"))
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    path = Path(args.file)
    path.parent.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{path}"
    marker = path.with_suffix(f".{args.tickets}.done")
    if not marker.exists():
        path.unlink(missing_ok=True)
        fill(url, args.tickets)
        marker.touch()
    else:
        print(f"reusing {path}")
    measure(url, "SQLite", path.parent)
    if args.no_postgres:
        return
    admin, base = postgres_admin(PG_URL)
    if admin is None:
        return
    admin.execute("DROP DATABASE IF EXISTS kezek_bench")
    admin.execute("CREATE DATABASE kezek_bench")
    pg_url = base.replace("postgresql://", "postgresql+psycopg://") + "/kezek_bench"
    try:
        copy_to_postgres(url, pg_url)
        measure(pg_url, "PostgreSQL", path.parent)
    finally:
        admin.execute("DROP DATABASE IF EXISTS kezek_bench WITH (FORCE)")
        admin.close()


if __name__ == "__main__":
    main()
