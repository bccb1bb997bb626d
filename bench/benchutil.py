"""Helpers for benchmarks: a prepared instance folder, a real server process, percentiles."""
from __future__ import annotations

import os
import platform
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import time as clock_time
from pathlib import Path

from sqlalchemy import select
from kezek.services import services

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    """The `share` percentile (0..1) of `values`, nearest rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def reference_ms() -> float:
    """Milliseconds this machine takes for a fixed pure-Python loop (2 million additions, best of 3).

    The machines these figures come from differ from session to session (the same `nproc` and CPU
    name, yet up to twice as fast or slow); this puts a number on it, so figures can be compared.
    """
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for n in range(2_000_000):
            total += n
        best = min(best, time.perf_counter() - started)
    return best * 1000


def machine() -> str:
    """A one-line description of this machine for the benchmark record, with its `reference_ms`."""
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}, {platform.system()}; "
            f"reference loop {reference_ms():.0f} ms")


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time the process `pid` has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_ticks() -> list[int]:
    """The machine's CPU time counters (Linux /proc/stat: user, nice, system, idle, iowait, irq, softirq, steal)."""
    return [int(n) for n in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]


def stolen_share(before: list[int], after: list[int]) -> float:
    """The share of the machine's time between two `cpu_ticks` that the hypervisor gave to other guests.

    On a shared virtual machine this is why the same run can be half as fast an hour later."""
    spent = [b - a for a, b in zip(before, after)]
    return spent[7] / max(1, sum(spent))


def server_cpu_seconds(pid: int) -> float:
    """`cpu_seconds` of a server process and its worker processes (gunicorn's), added up."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        children = []
    return cpu_seconds(pid) + sum(cpu_seconds(int(child)) for child in children)


def enrol_kiosks(port: int, database_url: str, offices: list[str]) -> dict[str, str]:
    """Enrol each office's kiosk `main` on the server at `port`, as tests do; office -> its `Cookie` value."""
    from tests.enrolment import enrol_over_http

    return {office: enrol_over_http(port, database_url, office) for office in offices}


def prepare_instance(folder: Path, offices: int, cabinets: int, printer_url: str) -> list[str]:
    """Create a database with `offices` bench offices open round the clock; returns their slugs."""
    from kezek import create_app
    from kezek.commands import init_database, load_seed
    from kezek.extensions import db
    from kezek.models import Cabinet, Kiosk, Office, OfficeHours, VisitKind
    from kezek.seeding import zone_at_hour

    app = create_app({"INSTANCE_PATH": str(folder)})
    slugs = []
    with app.app_context():
        init_database()
        load_seed()
        kinds = list(db.session.scalars(select(VisitKind)))
        zone = zone_at_hour(6)  # the whole office day ahead, whenever the benchmark runs
        for n in range(offices):
            slug = f"bench{n}"
            office = Office(slug=slug, district="bench", name_kk=slug, name_ru=slug, name_en=slug,
                            timezone=zone, observes_public_holidays=False)
            office.hours = [OfficeHours(weekday=d, opens=clock_time(0), closes=clock_time(23, 59)) for d in range(7)]
            db.session.add(office)
            db.session.flush()
            for c in range(cabinets):
                db.session.add(Cabinet(office_id=office.id, number=str(100 + c), visit_kinds=kinds))
            db.session.add(Kiosk(office_id=office.id, slug="main", name="bench", printer_url=printer_url))
            slugs.append(slug)
        db.session.commit()
    services(app).close()
    return slugs


@contextmanager
def server(folder: Path, port: int, extra_env: dict | None = None, command: list[str] | None = None,
           log_name: str = "server.log"):
    """Run `kezek serve` (or `command`) on 127.0.0.1:`port` until the block ends, its output in `log_name`."""
    # Benchmarks drive kiosks far faster than a person could: lift the per-kiosk and per-address ticket limits.
    env = dict(os.environ, KEZEK_INSTANCE_PATH=str(folder), KEZEK_KIOSK_TICKET_LIMIT="1000000 per minute",
               KEZEK_KIOSK_ADDRESS_LIMIT="1000000 per minute", **(extra_env or {}))
    args = command or [str(Path(sys.executable).parent / "kezek"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = open(folder / log_name, "wb")
    process = subprocess.Popen(args, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError((folder / log_name).read_text(errors="replace"))
                time.sleep(0.1)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
