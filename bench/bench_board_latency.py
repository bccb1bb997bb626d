"""Call-to-board latency: boards and phones on one server process, real Socket.IO clients over websocket.

Run: .venv/bin/python bench/bench_board_latency.py [--boards 100] [--phones 100] [--calls 40] [--seconds 180]
     [--pause 0] [--client async|threads] [--client-processes N]

Sets up one bench office (open round the clock, 20 cabinets) and a clerk in a temporary folder,
issues one ticket per phone (by the queue rules, before the server starts), starts the server on
127.0.0.1 (`kezek serve`'s gunicorn with its one threaded worker; when the sockets need more than
`kezek serve`'s 100 threads, the same worker through `kezek.wsgi:app` with a thread for each socket and
20 more: every open socket holds a thread, and past the last one a new socket waits), connects the
boards (/display) and the phones (/phone, each with its own ticket's code) as python-socketio clients
over websocket, then has the clerk at cabinet 100 finish and call the next visitor through the console's HTTP commands (one call first, not measured: a fresh process compiles
each query on first use).
The clients share the server's cores, so what they cost is taken from the server: by default they are
python-socketio's asyncio clients (aiohttp), 100 to a process in 2 processes; `--client threads` uses
its threaded client (websocket-client), spread over 4 processes, which costs several times more.
Latency runs from just before the clerk's "call" request to each board's "update" and to the called
ticket's phone "status" (so it includes the command's own commit). Loopback only, bounded in count and time.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import queue
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.benchutil import free_port, machine, percentile, prepare_instance, server, server_cpu_seconds  # noqa: E402
from kezek.services import services
from kezek.webserver import THREADS as SERVE_THREADS
from tests.realtime.servers import Clerk  # noqa: E402

CLERK_PASSWORD = "amber kettle cedar lantern"  # the password rules refuse one built on the username


class Listener:
    """One board or phone socket noting when each called number reached it."""

    def __init__(self, url: str, namespace: str, auth: dict, arrivals):
        self.namespace, self.arrivals = namespace, arrivals
        self.client = socketio.Client(reconnection=False)
        event = "update" if namespace == "/display" else "status"
        self.client.on(event, self._received, namespace=namespace)
        self.client.connect(url, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=10)

    def _received(self, payload: dict) -> None:
        arrived(self.namespace, payload, lambda noted: self.arrivals.put([noted]))


def arrived(namespace: str, payload: dict, note) -> None:
    """Note (`note((namespace, label, time))`) the called number a board's update or a phone's status brings."""
    at = time.monotonic()  # CLOCK_MONOTONIC: comparable between the processes of this machine
    labels = [call["label"] for call in payload.get("current", [])[:1]] if "current" in payload else (
        [payload["label"]] if payload.get("status") == "called" else [])
    for label in labels:
        note((namespace, label, at))


async def async_listeners(url: str, office: str, boards: int, codes: list[str], arrivals, ready, stop) -> None:
    """As `listeners_main`, with python-socketio's asyncio client: one event loop serves all of them."""
    import asyncio

    async def listener(namespace: str, auth: dict) -> socketio.AsyncClient:
        client = socketio.AsyncClient(reconnection=False)
        event = "update" if namespace == "/display" else "status"
        client.on(event, lambda payload: arrived(namespace, payload, noted.append), namespace=namespace)
        await client.connect(url, namespaces=[namespace], auth=auth, transports=["websocket"], wait_timeout=10)
        return client

    # Arrivals are handed to the measuring process in batches: one message per arrival would cost this
    # process more than receiving the update did, on the same cores as the server.
    noted: list = []
    clients = []
    for start in range(0, boards, 10):  # a few at a time, as screens coming on
        clients += await asyncio.gather(*(listener("/display", {"office": office})
                                          for _ in range(start, min(boards, start + 10))))
    for start in range(0, len(codes), 10):
        clients += await asyncio.gather(*(listener("/phone", {"code": code}) for code in codes[start:start + 10]))
    ready.set()
    while not stop.is_set():
        await asyncio.sleep(0.02)
        if noted:
            arrivals.put(noted[:])
            noted.clear()
    await asyncio.gather(*(client.disconnect() for client in clients), return_exceptions=True)


def async_listeners_main(*args) -> None:
    """Run `async_listeners` in this process, then leave."""
    import asyncio

    asyncio.run(async_listeners(*args))
    os._exit(0)


def listeners_main(url: str, office: str, boards: int, codes: list[str], arrivals, ready, stop) -> None:
    """Connect `boards` boards and a phone per code in this process, report arrivals until `stop`."""
    with ThreadPoolExecutor(16) as pool:
        sockets = list(pool.map(lambda _: Listener(url, "/display", {"office": office}, arrivals), range(boards)))
        sockets += list(pool.map(lambda code: Listener(url, "/phone", {"code": code}, arrivals), codes))
    ready.set()
    stop.wait(3600)
    with ThreadPoolExecutor(32) as pool:
        pool.map(lambda listener: listener.client.disconnect(), sockets)
    os._exit(0)


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--boards", type=int, default=100)
    parser.add_argument("--phones", type=int, default=100)
    parser.add_argument("--calls", type=int, default=40)
    parser.add_argument("--seconds", type=float, default=180, help="stop calling after this long")
    parser.add_argument("--client", choices=("async", "threads"), default="async",
                        help="python-socketio's asyncio client (aiohttp) or its threaded client (websocket-client)")
    parser.add_argument("--client-processes", type=int, default=0,
                        help="processes the sockets are spread over (default: 2 async, 4 threaded)")
    parser.add_argument("--pause", type=float, default=0.0, help="seconds between the clerk's finish and call")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        (office,) = prepare_instance(folder, 1, 20, f"dummy://{folder / 'prints'}")
        env = dict(os.environ, KEZEK_INSTANCE_PATH=str(folder))
        subprocess.run([str(Path(sys.executable).parent / "kezek"), "create-user", "bench-clerk", "--role", "clerk",
                        "--office", office, "--password", CLERK_PASSWORD], env=env, check=True, capture_output=True)
        port = free_port()
        codes = issue_tickets(folder, office, max(args.phones, args.calls + 1))
        sockets = args.boards + args.phones
        command = None
        if sockets + 20 > SERVE_THREADS:
            gunicorn = str(Path(sys.executable).parent / "gunicorn")
            command = [gunicorn, "-k", "gthread", "-w", "1", "--threads", str(sockets + 20),
                       "-b", f"127.0.0.1:{port}", "kezek.wsgi:app"]
            print(f"{sockets} sockets: more than kezek serve's {SERVE_THREADS} threads carry with the clerk's "
                  f"requests; serving with gunicorn's threaded worker of {sockets + 20} threads")
        with server(folder, port, command=command) as process:
            run(f"http://127.0.0.1:{port}", office, codes, args, process.pid)


def issue_tickets(folder: Path, office_slug: str, count: int) -> list[str]:
    """Issue `count` hand-in tickets of targeted social assistance at the office; returns their codes."""
    from sqlalchemy import select

    from kezek import create_app
    from kezek.extensions import db
    from kezek.models import VisitKind
    from kezek.models.base import utcnow
    from kezek.queue.issuing import find_office, issue_ticket

    app = create_app({"INSTANCE_PATH": str(folder)})
    with app.app_context():
        office = find_office(db.session, office_slug)
        kind = db.session.scalar(select(VisitKind).where(VisitKind.prefix == "A"))
        codes = [issue_ticket(db.session, office, kind, utcnow()).ticket.code for _ in range(count)]
        db.session.commit()
    services(app).close()
    return codes


def run(url: str, office: str, codes: list[str], args, server_pid: int) -> None:
    """Connect the clients (spread over processes, like separate devices), make the calls, print the latencies."""
    print(f"load average before connecting {' / '.join(f'{v:.1f}' for v in os.getloadavg())}")
    started = time.monotonic()
    context = multiprocessing.get_context("spawn")
    arrivals, stop = context.Queue(), context.Event()
    parts = args.client_processes or (2 if args.client == "async" else 4)
    phones = codes[:args.phones]
    children = []
    for n in range(parts):
        ready = context.Event()
        share = args.boards // parts + (n < args.boards % parts)
        child = context.Process(target=async_listeners_main if args.client == "async" else listeners_main,
                                args=(url, office, share, phones[n::parts], arrivals, ready, stop))
        child.start()
        children.append((child, ready))
    for _child, ready in children:
        if not ready.wait(120):
            raise RuntimeError("the socket clients did not connect in time")
    print(f"{args.boards} boards and {len(phones)} phones connected in {parts} processes "
          f"in {time.monotonic() - started:.1f} s")
    seen: dict = {}

    def collect(until: float, label: str) -> None:
        while time.monotonic() < until and len(seen.get(("/display", label), [])) < args.boards:
            try:
                batch = arrivals.get(timeout=0.01)
            except queue.Empty:
                continue
            for namespace, name, at in batch:
                seen.setdefault((namespace, name), []).append(at)

    clerk = Clerk(url, "100", "bench-clerk", CLERK_PASSWORD)
    # One call before measuring: a fresh process compiles each query on first use, which a server
    # that has been open all day has long done.
    clerk.finish()
    clerk.call()
    time.sleep(1.5)  # and its phones' refresh
    board_ms, phone_ms, answer_ms, first_ms, spread_ms = [], [], [], [], []
    cpu_before = server_cpu_seconds(server_pid)
    for _ in range(args.calls):
        if time.monotonic() - started > args.seconds:
            break
        clerk.finish()
        token = clerk.token()
        time.sleep(args.pause)  # a person presses "call" some time after "finish"
        sent = time.monotonic()
        label = (clerk.act("call", token)["current"] or {}).get("label")
        answer_ms.append((time.monotonic() - sent) * 1000)
        if label is None:
            break
        collect(time.monotonic() + 5, label)
        collect(time.monotonic() + 0.05, "")  # the phone's status may come just after the last board's
        arrived_at = [(at - sent) * 1000 for at in seen.get(("/display", label), [])]
        board_ms += arrived_at
        if arrived_at:
            first_ms.append(min(arrived_at))
            spread_ms.append(max(arrived_at) - min(arrived_at))
        phone_ms += [(at - sent) * 1000 for at in seen.get(("/phone", label), [])[:1]]
        print(f"  {label}: {len(seen.get(('/display', label), []))} boards", flush=True)
        time.sleep(0.25)  # a clerk does not call five times a second
    calls = len(answer_ms)
    time.sleep(1.5)  # the last call's phone refresh
    server_cpu = server_cpu_seconds(server_pid) - cpu_before
    print(f"machine: {machine()}; load average at the end {' / '.join(f'{v:.1f}' for v in os.getloadavg())}")
    print(f"{calls} calls; board deliveries {len(board_ms)} of {calls * args.boards}; "
          f"phone deliveries {len(phone_ms)} of {min(calls, max(0, len(phones) - 1))} (the warm-up call takes the "
          f"first phone's ticket); server CPU per finish-and-call "
          f"{server_cpu / max(1, calls) * 1000:.0f} ms")
    for name, values in (("call to board", board_ms), ("call to phone", phone_ms), ("clerk's answer", answer_ms),
                         ("first board", first_ms), ("first to last", spread_ms)):
        print(f"{name:15} median {percentile(values, .5):6.1f} ms   p99 {percentile(values, .99):6.1f} ms   "
              f"max {max(values, default=float('nan')):6.1f} ms")
    stop.set()
    for child, _ready in children:
        child.join(30)
        if child.is_alive():
            child.kill()


if __name__ == "__main__":
    main()
