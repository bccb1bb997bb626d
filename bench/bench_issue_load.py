"""Load benchmark: 20 kiosks issuing tickets over HTTP against a real server process.

Run: .venv/bin/python bench/bench_issue_load.py [--seconds 20] [--clients 20] [--cabinets 20]
     [--rate 310] [--workers 2] [--sync | --threads 32] [--message-queue redis://127.0.0.1:6379/0 [--boards]]
     [--printing agent|dummy]

The target's run is `--workers 2 --sync --rate 300`: gunicorn with two sync workers, each answering
one request at a time (the kiosk instances of docs/deployment.md, "Busy kiosks"), 300 taps a second
offered; `--rate 310` shows the margin.

Each client is a kiosk session (its own cookie and CSRF token) posting the take-ticket form as fast
as the server answers (or at a fixed rate). Offices are bench offices open 00:00-23:59 with 20
cabinets each, in a time zone where it is six in the morning as the run starts, so the closing-time
cut-off refuses nobody whatever the hour; its refusals (409) are counted apart from errors.
`--printing agent` journals each print job for a kiosk agent (the server does no rendering);
`--printing dummy` renders every raster ticket on the server too.
`--boards` (with a message queue) adds the socket instance of the split deployment: a gunicorn gthread
process on the same database with one board of each office connected, which learns of the tickets
through Redis; at the end every board must show its office's true number of waiting visitors.
Reports tickets per second, median and 99th-percentile latency, errors, duplicate numbers, and the
CPU time the server (all its processes) and the load generator spent per ticket.
"""
from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import random
import re
import sqlite3
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.benchutil import (cpu_ticks, enrol_kiosks, free_port, machine, percentile, prepare_instance, server,  # noqa: E402
                             server_cpu_seconds, stolen_share)

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KIND = re.compile(r'name="visit_kind" value="(\d+)"')


def kiosk_client(port: int, office: str, ready: threading.Barrier, seconds: float, latencies: list, errors: Counter,
                 interval: float = 0.0, timeline: list | None = None, phase: float = 0.0, device: str = "") -> None:
    """One kiosk: it opens its service page, waits until every kiosk has (`ready`), then taps for
    `seconds`: as fast as the server answers, or every `interval` seconds from `phase` seconds on.

    With an interval, latency is counted from when the tap was due, so a slow server cannot hide
    its queueing by delaying the next tap (no coordinated omission).
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.request("GET", f"/kiosk/{office}/service/social_assistance", headers={"Cookie": device})
    answer = connection.getresponse()
    page = answer.read().decode()
    cookie = answer.getheader("Set-Cookie").split(";", 1)[0] + "; " + device  # the session's and the kiosk's
    token, kinds = TOKEN.search(page).group(1), KIND.findall(page)
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
    n = 0
    ready.wait()
    stop = time.monotonic() + seconds
    due = time.perf_counter() + phase - interval
    while time.monotonic() < stop:
        body = urllib.parse.urlencode({"csrf_token": token, "visit_kind": kinds[n % len(kinds)], "lang": "kk", "kiosk": ""})
        if interval:
            due += interval
            time.sleep(max(0.0, due - time.perf_counter()))
            started = due
        else:
            started = time.perf_counter()
        try:
            connection.request("POST", f"/kiosk/{office}/tickets", body=body, headers=headers)
            answer = connection.getresponse()
            answer.read()
        except (OSError, http.client.HTTPException) as error:
            errors[type(error).__name__] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            continue
        latencies.append(time.perf_counter() - started)
        if timeline is not None:
            timeline.append((started, latencies[-1]))
        if answer.status == 409:  # the rules' own refusal (too late today), not a failure
            errors["refused"] += 1
        elif answer.status != 303:
            errors[str(answer.status)] += 1
        n += 1
    connection.close()


class Boards:
    """One board of each office on a socket instance: the newest state each has shown, and how many updates."""

    def __init__(self, port: int, offices: list[str]):
        import socketio

        self.shown: dict[str, dict] = {}
        self.updates = 0
        self._lock = threading.Lock()
        self.clients = []
        for office in offices:
            client = socketio.Client(reconnection=False)
            client.on("snapshot", lambda state, office=office: self._show(office, state, False), namespace="/display")
            client.on("update", lambda state, office=office: self._show(office, state, True), namespace="/display")
            client.connect(f"http://127.0.0.1:{port}", namespaces=["/display"], auth={"office": office},
                           transports=["websocket"], wait_timeout=20)
            self.clients.append(client)

    def _show(self, office: str, state: dict, update: bool) -> None:
        with self._lock:
            self.updates += update
            if state["version"] >= self.shown.get(office, {}).get("version", -1):
                self.shown[office] = state

    def waiting(self) -> dict[str, int]:
        """The number of waiting visitors each board shows."""
        with self._lock:
            return {office: sum(service["count"] for service in state["waiting"]) for office, state in self.shown.items()}

    def close(self) -> None:
        for client in self.clients:
            client.disconnect()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--offices", type=int, default=10)
    parser.add_argument("--cabinets", type=int, default=20, help="cabinets per office, each serving every visit kind")
    parser.add_argument("--printing", choices=("agent", "dummy"), default="agent")
    parser.add_argument("--workers", type=int, default=0,
                        help="serve with gunicorn and this many worker processes instead of `kezek serve`")
    parser.add_argument("--sync", action="store_true", help="gunicorn's sync workers: one request at a time each")
    parser.add_argument("--threads", type=int, default=32, help="request threads per gunicorn gthread worker")
    parser.add_argument("--message-queue", default="", help="Redis URL: every change is relayed through it")
    parser.add_argument("--boards", action="store_true",
                        help="a socket instance with one board per office, told of the tickets through the message queue")
    parser.add_argument("--rate", type=float, default=0, help="tickets per second offered in all (0: as fast as answered)")
    args = parser.parse_args()
    loaded = " / ".join(f"{v:.1f}" for v in os.getloadavg())
    folder = Path(tempfile.mkdtemp(prefix="kezek-bench-"))
    printer = "agent://" if args.printing == "agent" else f"dummy://{folder / 'prints'}"
    offices = prepare_instance(folder, args.offices, args.cabinets, printer)
    port = free_port()
    latencies: list[float] = []
    timeline: list[tuple[float, float]] = []  # (when the tap was due or sent, its latency)
    errors: Counter = Counter()
    command = None
    if args.workers:
        # With gthread each kiosk keeps its connection open; capping a worker's connections spreads them
        # over the workers (otherwise the first worker to wake may take nearly all of them). A sync
        # worker closes the connection after each answer, and the next tap goes to whichever is free.
        share = -(-args.clients // args.workers) + 1
        kind = ["-k", "sync"] if args.sync else ["-k", "gthread", "--threads", str(args.threads),
                                                  "--worker-connections", str(share)]
        command = [str(Path(sys.executable).parent / "gunicorn"), *kind, "-w", str(args.workers),
                   "-b", f"127.0.0.1:{port}", "kezek.wsgi:app"]
    extra_env = {"KEZEK_MESSAGE_QUEUE": args.message_queue} if args.message_queue else {}
    sockets = contextlib.nullcontext()
    if args.boards:
        if not args.message_queue:
            parser.error("--boards needs --message-queue")
        board_port = free_port()
        sockets = server(folder, board_port, extra_env=extra_env, log_name="sockets.log", command=[
            str(Path(sys.executable).parent / "gunicorn"), "-k", "gthread", "--threads", "100", "-w", "1",
            "-b", f"127.0.0.1:{board_port}", "kezek.wsgi:app"])
    boards = None
    with sockets as socket_process, server(folder, port, extra_env=extra_env, command=command) as process:
        time.sleep(0.5)  # gunicorn's workers are up a moment after its port
        if args.boards:
            boards = Boards(board_port, offices)
        interval = args.clients / args.rate if args.rate else 0.0
        # Kiosks are independent: each taps at its own moments within the interval, not all at once.
        phases = random.Random(2).sample(range(1000), args.clients)
        ready = threading.Barrier(args.clients + 1)
        devices = enrol_kiosks(port, f"sqlite:///{folder / 'kezek.sqlite3'}", offices)
        threads = [threading.Thread(target=kiosk_client, args=(port, offices[i % len(offices)], ready, args.seconds,
                                                                  latencies, errors, interval, timeline,
                                                                  interval * phases[i] / 1000,
                                                                  devices[offices[i % len(offices)]]))
                   for i in range(args.clients)]
        for thread in threads:
            thread.start()
        ready.wait()  # every kiosk has its page: the taps begin
        began = time.monotonic()
        server_cpu, client_cpu, ticks = server_cpu_seconds(process.pid), time.process_time(), cpu_ticks()
        socket_cpu = server_cpu_seconds(socket_process.pid) if socket_process else 0.0
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        server_cpu, client_cpu = server_cpu_seconds(process.pid) - server_cpu, time.process_time() - client_cpu
        stolen = stolen_share(ticks, cpu_ticks())
        socket_cpu = server_cpu_seconds(socket_process.pid) - socket_cpu if socket_process else 0.0
        if boards is not None:
            time.sleep(2)  # the last changes' way through Redis to the boards
            shown = boards.waiting()
            boards.close()
    with sqlite3.connect(folder / "kezek.sqlite3") as database:
        rows = database.execute("select office_id, service_day, prefix, number from ticket").fetchall()
        events = database.execute("select count(*) from ticket_event where kind = 'issued'").fetchone()[0]
        waiting = dict(database.execute("select o.slug, count(t.id) from office o join ticket t on t.office_id = o.id "
                                        "where t.status = 'waiting' group by o.slug").fetchall())
    duplicates = sum(count - 1 for count in Counter(rows).values() if count > 1)
    ok = len(latencies) - sum(v for k, v in errors.items() if k.isdigit() or k == "refused")
    print(f"machine: {machine()}; load average before {loaded}, at the end "
          f"{' / '.join(f'{v:.1f}' for v in os.getloadavg())}")
    offered = f"{args.rate:.0f}/s offered" if args.rate else "as fast as answered"
    kind = "sync workers" if args.sync else f"gthread workers of {args.threads} request threads"
    served = f"gunicorn, {args.workers} {kind}" if args.workers else "kezek serve (one process)"
    print(f"server: {served}; changes relayed through {args.message_queue or 'nothing (no message queue)'}")
    print(f"printing: {args.printing}; clients: {args.clients} ({offered}); offices: {args.offices}; seconds: {elapsed:.1f}")
    print(f"tickets issued: {len(rows)} ({len(rows) / elapsed:.0f}/s); issue events: {events}; answered 303: {ok}")
    print(f"latency median {percentile(latencies, 0.5) * 1000:.1f} ms, p99 {percentile(latencies, 0.99) * 1000:.1f} ms, "
          f"max {max(latencies) * 1000:.1f} ms")
    print(f"CPU per ticket: server {server_cpu / max(1, len(rows)) * 1000:.1f} ms "
          f"({server_cpu / elapsed:.2f} of {os.cpu_count()} cores), load generator {client_cpu / max(1, len(rows)) * 1000:.1f} ms; "
          f"taken by the hypervisor for other machines: {stolen:.0%} of the run's CPU time")
    first = min(moment for moment, _latency in timeline)
    stretches: dict[int, list[float]] = {}
    for moment, latency in timeline:
        stretches.setdefault(int((moment - first) // 5), []).append(latency)
    print("p99 by 5-second stretch: " + ", ".join(f"{percentile(values, 0.99) * 1000:.0f} ms"
                                                 for _n, values in sorted(stretches.items())))
    if boards is not None:
        wrong = {office: (shown.get(office), waiting.get(office, 0)) for office in offices
                 if shown.get(office) != waiting.get(office, 0)}
        print(f"boards: {len(offices)} on a socket instance ({socket_cpu / elapsed:.2f} cores), "
              f"{boards.updates} updates; "
              f"boards not showing their office's waiting visitors: {wrong or 'none'}")
    refused = errors.pop("refused", 0)
    print(f"refused as too late today: {refused}; errors: {dict(errors) or 'none'}; duplicate numbers: {duplicates}")


if __name__ == "__main__":
    main()
