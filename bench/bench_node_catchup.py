"""Benchmark: an office node catching up with the regional centre after a busy day with its line down (issue #24).

Makes, once, the demo office's busy day on a node (SQLite, outbox triggers in place, no sender running,
so nothing leaves the office): VISITORS visitors from 08:00 at even intervals, three cabinets with a
clerk each calling, recalling, serving and finishing them through the console pages (a minute a step, the next visitor
called as soon as one is finished) (every seventh
called visitor recalled and then marked as not come), a feedback answer from every third visitor served;
each change in the outbox as on a real node (tickets, every ticket event, wait records, feedback,
audit entries). Then, per run: a fresh centre database on PostgreSQL, the centre as a real `kezek serve`
(gunicorn) with Redis when KEZEK_TEST_REDIS_URL is set, a copy of the day's node joined to it with
`kezek node join`, and the time `kezek node sync --once` takes to ship the whole backlog (the
process's start included) until the centre has applied every entry.

Run: .venv/bin/python bench/bench_node_catchup.py [--runs 5] [--visitors 600]
"""
from __future__ import annotations

import argparse
import logging
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from bench.benchutil import free_port, machine, server  # noqa: E402
from kezek import create_app  # noqa: E402
from kezek.models import Cabinet, CentreLink, Office, OutboxEntry, Ticket, Node  # noqa: E402
from kezek.nodes import outbox  # noqa: E402
from kezek.reports.feedback import answer  # noqa: E402
from kezek.seeding import create_user  # noqa: E402
from kezek.services import services

ALMATY = ZoneInfo("Asia/Almaty")
DAY = date(2026, 11, 25)
PG_URL = os.environ.get("KEZEK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
KEZEK = str(Path(sys.executable).parent / "kezek")
TARGET_S = 60.0


class Clock:
    """The node's clock, walked through the day."""

    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def _kezek(folder: Path, *args: str, database_url: str = "") -> str:
    env = dict(os.environ, KEZEK_INSTANCE_PATH=str(folder), **({"KEZEK_DATABASE_URL": database_url} if database_url
                                                                 else {}))
    done = subprocess.run([KEZEK, *args], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise RuntimeError(done.stdout + done.stderr)
    return done.stdout


def _clerk_step(app, client, cabinet_id: int, clock: Clock, served: list[int]) -> None:
    """The clerk's next command at one cabinet; every third visitor served answers the feedback question."""
    session = services(app).sessions()
    current = session.execute(select(Ticket.id, Ticket.status, Ticket.number, Ticket.recalls).where(
        Ticket.cabinet_id == cabinet_id, Ticket.status.in_(("called", "serving")))).first()
    session.close()
    if current is None:
        action, data = "call", {}
    elif current.status == "called" and current.number % 7 == 0:
        action, data = ("no-show" if current.recalls else "recall"), {"ticket_id": current.id}
    elif current.status == "called":
        action, data = "start", {"ticket_id": current.id}
    else:
        action, data = "finish", {"ticket_id": current.id}
    reply = client.post(f"/console/{cabinet_id}/{action}", data=data, headers={"Accept": "application/json"})
    assert reply.status_code in (200, 303, 409), (action, reply.status_code, reply.get_data(as_text=True)[:300])
    if action in ("finish", "no-show"):  # and the next visitor at once
        client.post(f"/console/{cabinet_id}/call", headers={"Accept": "application/json"})
    if action == "finish":
        served.append(current.id)
        if len(served) % 3 == 0:
            with services(app).sessions() as session:
                answer(session, session.get(Ticket, current.id), "politeness", True, clock())
                session.commit()


def add_clerks(session: Session) -> None:
    """A clerk for each of the demo office's cabinets (at the node and, by the same names, at the centre)."""
    office = session.scalar(select(Office).where(Office.slug == "demo"))
    for number in session.scalars(select(Cabinet.number).where(Cabinet.office_id == office.id)):
        create_user(session, f"clerk-{number}", "bench-pass-1", "clerk", office)


def make_day(folder: Path, visitors: int) -> int:
    """The busy day on a node in `folder` (its outbox filled, nothing shipped); returns the outbox's length."""
    _kezek(folder, "setup-demo")
    opens = datetime.combine(DAY, datetime.min.time(), ALMATY).replace(hour=8).astimezone(timezone.utc)
    clock = Clock(opens)
    logging.disable(logging.INFO)  # no line per request
    app = create_app({"INSTANCE_PATH": str(folder), "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False,
                      "CLOCK": clock, "PRINTER_URL": f"dummy://{folder / 'prints'}"})
    with services(app).sessions() as session:
        office = session.scalar(select(Office).where(Office.slug == "demo"))
        office.timezone = "Asia/Almaty"
        session.add(CentreLink(id=1, centre_url="http://centre.invalid", node_id=1, office_slug="demo",
                               credential="none-yet", enrolled_at=opens, acked_seq=0, last_error=""))
        outbox.install(session.connection())
        cabinets = list(session.scalars(select(Cabinet).where(Cabinet.office_id == office.id).order_by(Cabinet.id)))
        kinds = sorted({kind.id for cabinet in cabinets for kind in cabinet.visit_kinds})
        add_clerks(session)
        session.commit()
        office_id, cabinet_ids = office.id, [(cabinet.id, cabinet.number) for cabinet in cabinets]
    kiosk, clients, served = app.test_client(), {}, []
    for cabinet_id, number in cabinet_ids:
        clients[cabinet_id] = client = app.test_client()
        assert client.post("/login", data={"username": f"clerk-{number}", "password": "bench-pass-1"}).status_code == 302
        client.post(f"/console/{cabinet_id}/open", headers={"Accept": "application/json"})
    gap, issued = timedelta(hours=10) / visitors, 0
    while True:
        while issued < visitors and clock.moment >= opens + gap * issued:
            reply = kiosk.post("/kiosk/demo/tickets", data={"visit_kind": kinds[issued % len(kinds)], "lang": "kk",
                                                            "kiosk": ""})
            assert reply.status_code == 303, reply.get_data(as_text=True)[:300]
            issued += 1
        for cabinet_id, client in clients.items():
            _clerk_step(app, client, cabinet_id, clock, served)
        clock.moment += timedelta(minutes=1)
        with services(app).sessions() as session:
            still = session.scalar(select(func.count()).select_from(Ticket).where(
                Ticket.office_id == office_id, Ticket.status.in_(("waiting", "called", "serving"))))
            entries = session.scalar(select(func.count()).select_from(OutboxEntry))
        if issued == visitors and not still:
            break
    services(app).close()
    return entries


def _database(name: str, drop: bool = False) -> str:
    admin = create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not drop:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return PG_URL.rsplit("/", 1)[0] + f"/{name}"


def catch_up(work: Path, template: Path, run: int) -> tuple[float, int]:
    """One run: a fresh centre, the day's node joined to it; seconds to ship everything, and tickets at the centre."""
    name = f"kezek_bench_catchup_{os.getpid()}_{run}"
    url = _database(name)
    centre, node = work / f"centre-{run}", work / f"node-{run}"
    centre.mkdir()
    node.mkdir()
    try:
        _kezek(centre, "setup-demo", database_url=url)
        engine = create_engine(url)
        with Session(engine) as session:
            add_clerks(session)
            session.commit()
        engine.dispose()
        shutil.copyfile(template / "kezek.sqlite3", node / "kezek.sqlite3")
        shutil.copyfile(template / "secret_key", node / "secret_key")
        port = free_port()
        extra = {"KEZEK_DATABASE_URL": url}
        if os.environ.get("KEZEK_TEST_REDIS_URL"):
            extra["KEZEK_MESSAGE_QUEUE"] = os.environ["KEZEK_TEST_REDIS_URL"]
        with server(centre, port, extra):
            code = _kezek(centre, "node", "add", "demo", "bench-node", database_url=url).splitlines()[0]
            _kezek(node, "node", "join", "--", f"http://127.0.0.1:{port}", code)
            started = time.perf_counter()
            _kezek(node, "node", "sync", "--once")
            seconds = time.perf_counter() - started
        engine = create_engine(url)
        with engine.connect() as connection:
            tickets = connection.execute(select(func.count()).select_from(Ticket)).scalar_one()
            acked = connection.execute(select(Node.acked_seq)).scalar_one()
        engine.dispose()
        assert acked > 0, "the centre applied nothing"
        return seconds, tickets
    finally:
        _database(name, drop=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--visitors", type=int, default=600)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="kezek-catchup-"))
    try:
        template = work / "template"
        template.mkdir()
        started = time.perf_counter()
        entries = make_day(template, args.visitors)
        print(f"the day at the node: {args.visitors} visitors, {entries} outbox entries "
              f"(made in {time.perf_counter() - started:.0f} s)")
        times = []
        for run in range(args.runs):
            seconds, tickets = catch_up(work, template, run)
            assert tickets == args.visitors, f"the centre has {tickets} tickets of {args.visitors}"
            times.append(seconds)
            print(f"run {run + 1}: caught up in {seconds:.2f} s ({entries / seconds:.0f} entries/s)")
        mean = statistics.fmean(times)
        half = 1.96 * statistics.stdev(times) / math.sqrt(len(times)) if len(times) > 1 else 0.0
        verdict = "met" if mean + half < TARGET_S else "NOT met"
        print(f"catch-up: mean {mean:.2f} ± {half:.2f} s (95 % interval over {len(times)} runs), "
              f"min {min(times):.2f}, max {max(times):.2f}; target under {TARGET_S:.0f} s: {verdict}")
        print(machine())
        print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
