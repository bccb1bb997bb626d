"""Regional load benchmark: gunicorn processes on PostgreSQL with Redis, against the embedded single process.

Run: .venv/bin/python bench/bench_regional_load.py [--seconds 120] [--kiosks 50] [--clerks 30] [--screens 300]
     [--processes 4] [--postgres-url postgresql+psycopg://user@127.0.0.1:5432/postgres] [--redis-url redis://...]
     [--only regional|embedded] [--client-processes 4]

Regional: `--processes` gunicorn instances (-k gthread -w 1, kezek.wsgi:app) on one PostgreSQL database
(`kezek_load`, created afresh on --postgres-url, or a private cluster made with initdb) with Redis as
the message queue (--redis-url, or a private redis-server). Embedded: one `kezek serve` on SQLite. Both
get the same work: kiosks each taking a ticket every --kiosk-pace seconds, clerks each calling the next
visitor and finishing with them every --clerk-pace seconds (signed in, cabinet opened, over the console's
HTTP commands), and --screens Socket.IO clients (four in five boards, the rest phones) spread over the
server processes, run in --client-processes processes of their own (like separate devices: one Python
process for 300 clients is itself the bottleneck) so their threads do not slow the HTTP clients.

Offices are bench offices open round the clock with 100 cabinets each (so the closing-time cut-off never
refuses); clerks work the first cabinets. Clients send distinct X-Forwarded-For addresses (the servers
run with KEZEK_BEHIND_PROXY=1) as kiosks and desks behind nginx would, so the sign-in limit applies per
desk. Reported: tickets and clerk commands per second, latency percentiles, errors, duplicate numbers,
calls that no board of the office saw (lost events), board-call pairs a connected board missed, the time
from a clerk's call to each board first showing it (and to the server building that state), board version
gaps (a board asks for a snapshot at most every 10 s, as display.js does), Redis messages published, and
whether every board and phone ends in the true state (the office's last version, each ticket's status
and place) once the load stops.
"""
from __future__ import annotations

import argparse
import http.client
import multiprocessing
import os
import re
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter, defaultdict
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.benchutil import enrol_kiosks, free_port, machine, percentile, prepare_instance, server  # noqa: E402
from kezek.services import services

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
KIND = re.compile(r'name="visit_kind" value="(\d+)"')
PASSWORD = "bench-pass-1234"
SECRET = "bench-secret-key-shared-by-every-process"
# Each office's enrolled kiosk: office -> the device cookie its kiosks send (set once the servers are up).
DEVICES: dict[str, str] = {}


# --- preparing -------------------------------------------------------------------------------------------

def prepare(folder: Path, database_url: str | None, offices: int, clerks: int) -> tuple[list[str], list[tuple]]:
    """Bench offices and one clerk per cabinet worked; returns office slugs and (office, cabinet id, user)."""
    saved = os.environ.get("KEZEK_DATABASE_URL")
    if database_url:
        os.environ["KEZEK_DATABASE_URL"] = database_url
    try:
        slugs = prepare_instance(folder, offices, 100, "agent://")
        from sqlalchemy import select

        from kezek import create_app
        from kezek.extensions import db
        from kezek.models import Cabinet, Office
        from kezek.seeding import create_user

        app = create_app({"INSTANCE_PATH": str(folder)})
        desks = []
        with app.app_context():
            per_office = -(-clerks // offices)
            for slug in slugs:
                office = db.session.scalar(select(Office).where(Office.slug == slug))
                cabinets = db.session.scalars(
                    select(Cabinet).where(Cabinet.office_id == office.id).order_by(Cabinet.id).limit(per_office)).all()
                for cabinet in cabinets:
                    if len(desks) < clerks:
                        user = f"clerk-{slug}-{cabinet.number}"
                        create_user(db.session, user, PASSWORD, "clerk", office)
                        desks.append((slug, cabinet.id, user))
            db.session.commit()
        services(app).close()
        return slugs, desks
    finally:
        if database_url:
            if saved is None:
                os.environ.pop("KEZEK_DATABASE_URL", None)
            else:
                os.environ["KEZEK_DATABASE_URL"] = saved


# --- HTTP clients ----------------------------------------------------------------------------------------

class Http:
    """One client's keep-alive connection with its cookie and forwarded address."""

    def __init__(self, port: int, address: str, timeout: float = 30, device: str = ""):
        self.port, self.timeout, self.device = port, timeout, device
        self.cookies: dict[str, str] = {}
        self.headers = {"X-Forwarded-For": address}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def request(self, method: str, path: str, form: dict | None = None, json: bool = False):
        """Send one request; returns (status, body text, headers)."""
        headers = dict(self.headers)
        if self.cookies or self.device:
            jar = [f"{name}={value}" for name, value in self.cookies.items()]
            headers["Cookie"] = "; ".join(filter(None, [*jar, self.device]))
        if json:
            headers["Accept"] = "application/json"
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.connection.request(method, path, body=body, headers=headers)
            answer = self.connection.getresponse()
            text = answer.read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
            raise
        # Each cookie apart: a sign-in sets the remembered-device cookie as well as the session.
        for cookie in answer.msg.get_all("Set-Cookie") or []:
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self.cookies[name.strip()] = value
        return answer.status, text, answer

    def close(self) -> None:
        self.connection.close()


class Record:
    """Latencies, errors and calls gathered by the HTTP clients (appends are thread-safe in CPython)."""

    def __init__(self):
        self.kiosk: list[float] = []
        self.clerk: list[float] = []
        self.errors: Counter = Counter()
        self.refused = 0
        self.calls: list[tuple[str, str, float, float]] = []  # (office, label, wall time asked, answered)
        self.codes: list[tuple[str, str]] = []  # (office, ticket code)


def kiosk_client(port: int, office: str, address: str, pace: float, stop: threading.Event, record: Record,
                 count: int | None = None) -> None:
    """A kiosk taking a ticket every `pace` seconds until `stop` (or `count` tickets), as the office's enrolled kiosk."""
    client = Http(port, address, timeout=120 if count is not None else 30, device=DEVICES.get(office, ""))
    try:
        _status, page, _answer = client.request("GET", f"/kiosk/{office}/service/social_assistance")
        token, kinds = TOKEN.search(page).group(1), KIND.findall(page)
    except Exception as error:  # noqa: BLE001 - counted, the run goes on
        record.errors[f"kiosk setup {type(error).__name__}"] += 1
        return
    n = 0
    next_at = time.monotonic()
    while not stop.is_set() and (count is None or n < count):
        form = {"csrf_token": token, "visit_kind": kinds[n % len(kinds)], "lang": "kk", "kiosk": ""}
        n += 1
        started = time.perf_counter()
        try:
            status, _text, answer = client.request("POST", f"/kiosk/{office}/tickets", form)
        except (OSError, http.client.HTTPException) as error:
            record.errors[f"kiosk {type(error).__name__}"] += 1
            stop.wait(0.2)
            continue
        record.kiosk.append(time.perf_counter() - started)
        if status == 409:  # the rules' own refusal (the queue outgrew the day: "too late today"), not an error
            record.refused += 1
        elif status != 303:
            record.errors[f"kiosk {status}"] += 1
        elif count is not None:
            record.codes.append((office, answer.getheader("Location").split("/tickets/")[1].split("?")[0]))
        next_at += pace
        stop.wait(max(0.0, next_at - time.monotonic()))
    client.close()


def clerk_client(port: int, office: str, cabinet_id: int, user: str, address: str, pace: float,
                 stop: threading.Event, record: Record) -> None:
    """A clerk: sign in, open the cabinet, then call the next visitor and finish with them, again and again."""
    client = Http(port, address)
    try:
        _status, page, _answer = client.request("GET", "/login")
        token = TOKEN.search(page).group(1)
        status, _text, _answer = client.request("POST", "/login", {"username": user, "password": PASSWORD,
                                                                   "csrf_token": token})
        assert status in (302, 303), f"sign-in answered {status}"
        _status, page, _answer = client.request("GET", "/login")
        token = TOKEN.search(page).group(1)
        status, _text, _answer = client.request("POST", f"/console/{cabinet_id}/open", {"csrf_token": token}, json=True)
        assert status == 200, f"opening answered {status}"
    except Exception as error:  # noqa: BLE001 - counted, the run goes on
        record.errors[f"clerk setup {error}"] += 1
        return

    def command(action: str, **form) -> dict | None:
        started = time.perf_counter()
        try:
            status, text, _answer = client.request("POST", f"/console/{cabinet_id}/{action}",
                                                   dict(form, csrf_token=token), json=True)
        except (OSError, http.client.HTTPException) as error:
            record.errors[f"clerk {type(error).__name__}"] += 1
            return None
        record.clerk.append(time.perf_counter() - started)
        if status != 200:
            record.errors[f"clerk {action} {status}"] += 1
            return None
        import json

        return json.loads(text)

    next_at = time.monotonic()
    while not stop.is_set():
        sent = time.time()
        state = command("call")
        current = state and state["current"]
        if current:
            record.calls.append((office, current["label"], sent, time.time()))
            stop.wait(pace / 2)
            command("finish", ticket_id=current["id"])
        next_at += pace
        stop.wait(max(0.0, next_at - time.monotonic()))
    client.close()


# --- socket clients (run in their own process) -----------------------------------------------------------

def screens_main(boards: list, phones: list, ready, stop, finals, results) -> None:
    """Connect boards and phones, record what each saw until `stop`, check they end in the true state, report."""
    import socketio

    seen: list[dict] = []
    followed: list[dict] = []
    lock = threading.Lock()
    sockets = []
    errors: Counter = Counter()

    def board(url: str, office: str) -> None:
        state = {"office": office, "labels": {}, "version": -1, "updates": 0, "snapshots": 0, "gaps": 0,
                 "asked": 0, "since": None, "disconnects": 0, "current": []}
        client = socketio.Client(reconnection=True, reconnection_delay=0.5)
        last_asked = [0.0]

        def remember(payload):
            at, built = time.time(), datetime.fromisoformat(payload["now"]).timestamp()
            for call in payload.get("current", []) + payload.get("recent", []):
                state["labels"].setdefault(call["label"], (at, built))

        def show(payload):
            state["version"] = payload["version"]
            state["current"] = [call["label"] for call in payload.get("current", [])]

        def on_snapshot(payload):
            state["snapshots"] += 1
            remember(payload)
            if payload["version"] >= state["version"]:
                show(payload)
            if state["since"] is None:
                state["since"] = time.time()

        def on_update(payload):
            # as static/js/display.js: skip an older state, show a newer one, ask for a snapshot on a gap
            # at most every 10 s (an update is the whole board, so a gap costs nothing shown)
            state["updates"] += 1
            remember(payload)
            if payload["version"] <= state["version"]:
                return
            gap = payload["version"] != state["version"] + 1
            show(payload)
            if gap:
                state["gaps"] += 1
                if time.monotonic() - last_asked[0] > 10:
                    last_asked[0] = time.monotonic()
                    ask()

        def ask():
            state["asked"] += 1
            try:
                client.emit("snapshot", namespace="/display")
            except socketio.exceptions.SocketIOError:
                pass  # reconnecting: the server sends a snapshot on connect anyway

        state["ask"] = ask
        client.on("snapshot", on_snapshot, namespace="/display")
        client.on("update", on_update, namespace="/display")
        client.on("disconnect", lambda *a: state.__setitem__("disconnects", state["disconnects"] + 1),
                  namespace="/display")
        try:
            client.connect(url, namespaces=["/display"], auth={"office": office}, transports=["websocket"],
                           wait_timeout=20)
        except Exception as error:  # noqa: BLE001 - counted
            errors[f"board connect {type(error).__name__}"] += 1
            return
        with lock:
            seen.append(state)
            sockets.append(client)

    phone_events = Counter()

    def phone(url: str, code: str) -> None:
        state = {"code": code, "last": None}
        client = socketio.Client(reconnection=True, reconnection_delay=0.5)

        def on_status(payload):
            phone_events.update(["status"])
            if state["last"] is None or payload["version"] >= state["last"]["version"]:
                state["last"] = payload

        client.on("status", on_status, namespace="/phone")
        try:
            client.connect(url, namespaces=["/phone"], auth={"code": code}, transports=["websocket"], wait_timeout=20)
        except Exception as error:  # noqa: BLE001 - counted
            errors[f"phone connect {type(error).__name__}"] += 1
            return
        with lock:
            followed.append(state)
            sockets.append(client)

    jobs = [(board, item) for item in boards] + [(phone, item) for item in phones]

    def connector(share):
        for function, item in share:
            function(*item)

    connectors = [threading.Thread(target=connector, args=(jobs[i::16],)) for i in range(16)]
    for thread in connectors:
        thread.start()
    for thread in connectors:
        thread.join(120)
    ready.set()
    stop.wait(3600)
    versions, truth = finals.get(timeout=600)  # each office's last version and each phone's true place

    def behind() -> list[dict]:
        return [state for state in seen if state["version"] < versions[state["office"]]]

    waited = time.monotonic()
    while behind() and time.monotonic() - waited < 30:
        time.sleep(0.2)
    late = behind()
    settled = time.monotonic() - waited
    for state in late:  # display.js asks every 5 minutes anyway; ask now so the run can end
        state["ask"]()
    again = time.monotonic()
    while behind() and time.monotonic() - again < 20:
        time.sleep(0.2)
    def wrong() -> list[str]:
        return [state["code"] for state in followed if state["last"] is None or
                (state["last"]["status"], state["last"]["ahead"]) != truth.get(state["code"])]

    waited = time.monotonic()  # a phone's place is refreshed a second after its office's last change
    while wrong() and time.monotonic() - waited < 30:
        time.sleep(0.2)
    wrong_phones = wrong()
    with lock:
        results.put({
            "boards": [dict(state, labels=state["labels"], ask=None) for state in seen],
            "connected": len(sockets), "errors": dict(errors), "phone_events": phone_events["status"],
            "settled": settled, "late_boards": len(late), "boards_behind": len(behind()),
            "wrong_phones": len(wrong_phones), "phones": len(followed),
        })
    closers = [threading.Thread(target=close_all, args=(sockets[i::16],), daemon=True) for i in range(16)]
    for thread in closers:
        thread.start()
    for thread in closers:
        thread.join(30)
    results.close()
    results.join_thread()
    os._exit(0)  # socket threads still winding down must not keep this process alive


def close_all(clients: list) -> None:
    """Disconnect these socket clients."""
    for client in clients:
        try:
            client.disconnect()
        except Exception:  # noqa: BLE001 - closing anyway
            pass


# --- a run -----------------------------------------------------------------------------------------------

def say(started: float, text: str) -> None:
    """A progress line on stderr."""
    print(f"[{time.monotonic() - started:6.1f} s] {text}", file=sys.stderr, flush=True)


def redis_publishes(redis_url: str | None) -> int:
    """How many PUBLISH commands the message queue's Redis has served so far (0 without one)."""
    if not redis_url:
        return 0
    import redis

    stats = redis.Redis.from_url(redis_url, socket_timeout=5).info("commandstats")
    return int(stats.get("cmdstat_publish", {}).get("calls", 0))


def final_truth(database_url: str, codes: list[str]) -> tuple[dict[str, int], dict[str, tuple]]:
    """Each office's version now, and each followed ticket's status and place (as its phone should show)."""
    from sqlalchemy import bindparam, create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            versions = dict(connection.execute(text("SELECT slug, version FROM office")).all())
            rows = connection.execute(text(
                "SELECT t.code, t.status, (SELECT count(*) FROM ticket o WHERE o.office_id = t.office_id "
                "AND o.visit_kind_id = t.visit_kind_id AND o.status = 'waiting' AND (o.queue_since < t.queue_since "
                "OR (o.queue_since = t.queue_since AND o.id < t.id))) FROM ticket t WHERE t.code IN :codes"
            ).bindparams(bindparam("codes", expanding=True)), {"codes": codes or [""]}).all()
    finally:
        engine.dispose()
    return versions, {code: (status, ahead if status == "waiting" else None) for code, status, ahead in rows}


def duplicates(database_url: str) -> tuple[int, int]:
    """Tickets in the database and duplicate numbers among them."""
    from sqlalchemy import create_engine, text

    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            total = connection.execute(text("SELECT count(*) FROM ticket")).scalar_one()
            twice = connection.execute(text(
                "SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM ticket "
                "GROUP BY office_id, service_day, prefix, number HAVING count(*) > 1) x")).scalar_one()
    finally:
        engine.dispose()
    return total, int(twice)


def run(mode: str, args, database_url: str | None, redis_url: str | None) -> dict:
    """Prepare, start the servers, drive the load, and measure one mode."""
    folder = Path(tempfile.mkdtemp(prefix=f"kezek-{mode}-"))
    started = time.monotonic()
    say(started, f"{mode}: preparing {folder}")
    slugs, desks = prepare(folder, database_url, args.offices, args.clerks)
    url = database_url or f"sqlite:///{folder / 'kezek.sqlite3'}"
    env = {"KEZEK_SECRET_KEY": SECRET, "KEZEK_BEHIND_PROXY": "1", "KEZEK_PRINTER_URL": "agent://"}
    if database_url:
        env.update(KEZEK_DATABASE_URL=database_url, KEZEK_MESSAGE_QUEUE=redis_url)
    else:  # `kezek serve`: a thread for every open socket and for each kiosk's and clerk's requests
        env["KEZEK_SERVER_THREADS"] = str(args.embedded_threads or args.screens + args.kiosks + args.clerks + 20)
    processes = args.processes if mode == "regional" else 1
    ports = [free_port() for _ in range(processes)]
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    record = Record()
    with ExitStack() as stack:
        for n, port in enumerate(ports):
            place = folder / f"process-{n}"
            place.mkdir()
            (place / "secret_key").write_text(SECRET)
            command = None
            if mode == "regional":
                command = [gunicorn, "-k", "gthread", "--threads", str(args.threads), "-w", "1",
                           "-b", f"127.0.0.1:{port}", "kezek.wsgi:app"]
            stack.enter_context(server(place if mode == "regional" else folder, port, env, command))
        say(started, f"{mode}: {processes} server process(es) up")
        DEVICES.clear()
        DEVICES.update(enrol_kiosks(ports[0], url, slugs))
        # Tickets for the phones to follow, taken before the clock starts.
        phones = args.screens // 5
        warm = threading.Event()
        warmers = [threading.Thread(target=kiosk_client, args=(
            ports[i % processes], slugs[i % len(slugs)], f"10.9.0.{i + 1}", 0.0, warm, record,
            -(-phones // 10))) for i in range(10)]
        for thread in warmers:
            thread.start()
        for thread in warmers:
            thread.join(120)
        codes = record.codes[:phones]
        record.kiosk.clear()
        base = [f"http://127.0.0.1:{port}" for port in ports]
        boards = [(base[i % processes], slugs[i % len(slugs)]) for i in range(args.screens - phones)]
        phone_list = [(base[i % processes], code) for i, (_office, code) in enumerate(codes)]
        context = multiprocessing.get_context("spawn")
        screens_stop, results = context.Event(), context.Queue()
        parts = max(1, args.client_processes)
        clients = []
        for n in range(parts):  # like separate devices: one process's GIL does not hold up every screen
            ready, finals = context.Event(), context.Queue()
            process = context.Process(target=screens_main, args=(
                boards[n::parts], phone_list[n::parts], ready, screens_stop, finals, results))
            process.start()
            clients.append((process, ready, finals))
        say(started, f"{mode}: connecting {len(boards)} boards and {len(phone_list)} phones in {parts} processes")
        for _process, ready, _finals in clients:
            if not ready.wait(300):
                raise RuntimeError("the socket clients did not connect in time")
        say(started, f"{mode}: sockets connected; load for {args.seconds:g} s")
        stop = threading.Event()
        threads = [threading.Thread(target=kiosk_client, args=(
            ports[i % processes], slugs[i % len(slugs)], f"10.1.{i // 250}.{i % 250 + 1}", args.kiosk_pace, stop,
            record)) for i in range(args.kiosks)]
        threads += [threading.Thread(target=clerk_client, args=(
            ports[i % processes], office, cabinet_id, user, f"10.2.{i // 250}.{i % 250 + 1}", args.clerk_pace, stop,
            record)) for i, (office, cabinet_id, user) in enumerate(desks)]
        published = redis_publishes(redis_url)
        began = time.monotonic()
        for thread in threads:
            thread.start()
        stop.wait(args.seconds)
        stop.set()
        for thread in threads:
            thread.join(60)
        elapsed = time.monotonic() - began
        published = redis_publishes(redis_url) - published
        load = os.getloadavg()
        screens_stop.set()
        truth = final_truth(url, [code for _office, code in codes])
        for _process, _ready, finals in clients:
            finals.put(truth)
        screen_results = merge([results.get(timeout=300) for _ in clients])
        for process, _ready, _finals in clients:
            process.join(60)
            if process.is_alive():
                process.kill()
        say(started, f"{mode}: done")
    total, twice = duplicates(url)
    return dict(summarise(mode, processes, elapsed, record, screen_results, total, twice), published=published,
                load=load)


def merge(parts: list[dict]) -> dict:
    """The screens' results of several client processes as one."""
    merged = {"boards": [], "connected": 0, "errors": Counter(), "phone_events": 0, "settled": 0.0,
              "late_boards": 0, "boards_behind": 0, "wrong_phones": 0, "phones": 0}
    for part in parts:
        merged["boards"] += part["boards"]
        merged["errors"].update(part["errors"])
        merged["settled"] = max(merged["settled"], part["settled"])
        for key in ("connected", "phone_events", "late_boards", "boards_behind", "wrong_phones", "phones"):
            merged[key] += part[key]
    merged["errors"] = dict(merged["errors"])
    return merged


def summarise(mode, processes, elapsed, record, screens, total, twice) -> dict:
    """The figures of one run."""
    calls = record.calls
    by_office = defaultdict(list)
    for board in screens["boards"]:
        by_office[board["office"]].append(board)
    lost = misses = 0
    delays, built = [], []
    for office, label, sent, at in calls:
        watching = [board for board in by_office[office] if board["since"] and board["since"] < sent]
        saw = [label in board["labels"] for board in watching]
        lost += bool(watching) and not any(saw)
        misses += saw.count(False)
        delays += [board["labels"][label][0] - sent for board in watching if label in board["labels"]]
        built += [board["labels"][label][1] - sent for board in watching if label in board["labels"]]
    return {
        "mode": mode, "processes": processes, "seconds": elapsed, "refused": record.refused,
        "tickets": len(record.kiosk), "commands": len(record.clerk), "calls": len(calls),
        "kiosk_ms": [percentile(record.kiosk, q) * 1000 for q in (0.5, 0.95, 0.99)],
        "clerk_ms": [percentile(record.clerk, q) * 1000 for q in (0.5, 0.95, 0.99)],
        "errors": dict(record.errors) | screens["errors"], "tickets_in_db": total, "duplicates": twice,
        "lost": lost, "misses": misses, "sockets": screens["connected"],
        "gaps": sum(board["gaps"] for board in screens["boards"]),
        "disconnects": sum(board["disconnects"] for board in screens["boards"]),
        "phone_events": screens["phone_events"], "board_ms": [percentile(delays, q) * 1000 for q in (0.5, 0.99)],
        "built_ms": [percentile(built, q) * 1000 for q in (0.5, 0.99)],
        "asked": sum(board["asked"] for board in screens["boards"]), "settled": screens["settled"],
        "late_boards": screens["late_boards"], "boards_behind": screens["boards_behind"],
        "wrong_phones": screens["wrong_phones"], "phones": screens["phones"],
    }


def table(rows: list[dict]) -> str:
    """The results as a small text table."""
    lines = [
        f"{'run':<22}{'tickets/s':>10}{'cmds/s':>8}{'kiosk p50/p95/p99 ms':>24}{'clerk p50/p95/p99 ms':>24}"
        f"{'errors':>8}{'dups':>6}{'lost':>6}{'missed':>8}{'sockets':>9}",
    ]
    for row in rows:
        kiosk = "/".join(f"{v:.0f}" for v in row["kiosk_ms"])
        clerk = "/".join(f"{v:.0f}" for v in row["clerk_ms"])
        errors = sum(row["errors"].values())
        name = f"{row['mode']} x{row['processes']}"
        lines.append(f"{name:<22}{row['tickets'] / row['seconds']:>10.1f}{row['commands'] / row['seconds']:>8.1f}"
                     f"{kiosk:>24}{clerk:>24}{errors:>8}{row['duplicates']:>6}{row['lost']:>6}{row['misses']:>8}"
                     f"{row['sockets']:>9}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--kiosks", type=int, default=50)
    parser.add_argument("--clerks", type=int, default=30)
    parser.add_argument("--screens", type=int, default=300)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--threads", type=int, default=150, help="gunicorn threads per process (sockets hold one)")
    parser.add_argument("--embedded-threads", type=int, default=0,
                        help="KEZEK_SERVER_THREADS of the embedded `kezek serve` (default: screens + kiosks + clerks + 20)")
    parser.add_argument("--offices", type=int, default=5)
    parser.add_argument("--client-processes", type=int, default=4, help="processes the screens are spread over")
    parser.add_argument("--kiosk-pace", type=float, default=1.0, help="seconds between one kiosk's tickets")
    parser.add_argument("--clerk-pace", type=float, default=1.0, help="seconds between one clerk's calls")
    parser.add_argument("--postgres-url", help="a PostgreSQL server to create database kezek_load on")
    parser.add_argument("--redis-url", help="Redis for the message queue; default a private redis-server")
    parser.add_argument("--only", choices=("regional", "embedded"))
    args = parser.parse_args()
    rows = []
    with ExitStack() as stack:
        if args.only != "embedded":
            from tests.faults.private_instances import PrivatePostgres, PrivateRedis

            if args.postgres_url:
                import psycopg
                from sqlalchemy.engine import make_url

                admin = make_url(args.postgres_url).set(drivername="postgresql").render_as_string(hide_password=False)
                with psycopg.connect(admin, autocommit=True) as connection:
                    connection.execute('DROP DATABASE IF EXISTS "kezek_load" WITH (FORCE)')
                    connection.execute('CREATE DATABASE "kezek_load"')
                database_url = make_url(args.postgres_url).set(drivername="postgresql+psycopg", database="kezek_load") \
                    .render_as_string(hide_password=False)
            else:
                cluster = PrivatePostgres()
                stack.callback(cluster.remove)
                database_url = cluster.init().start().create_database("kezek_load")
            redis_url = args.redis_url
            if not redis_url:
                redis = PrivateRedis().start()
                stack.callback(redis.remove)
                redis_url = redis.url
            rows.append(run("regional", args, database_url, redis_url))
            print(table(rows[-1:]), file=sys.stderr, flush=True)
        if args.only != "regional":
            rows.append(run("embedded", args, None, None))
    print(f"machine: {machine()}")
    print(f"seconds: {args.seconds:g}; kiosks: {args.kiosks} (one ticket per {args.kiosk_pace:g} s each); "
          f"clerks: {args.clerks} (a call per {args.clerk_pace:g} s each); screens: {args.screens}; "
          f"offices: {args.offices}")
    print(table(rows))
    for row in rows:
        print(f"{row['mode']}: tickets in database {row['tickets_in_db']}, calls {row['calls']}, "
              f"board version gaps {row['gaps']}, socket disconnects {row['disconnects']}, "
              f"phone status events {row['phone_events']}, Redis messages published {row['published']}, "
              f"errors {row['errors'] or 'none'}, tickets refused by the rules (409) {row['refused']}")
        print(f"{row['mode']}: call to first sight on each board p50/p99 "
              f"{row['board_ms'][0]:.0f}/{row['board_ms'][1]:.0f} ms (to the server building that state "
              f"{row['built_ms'][0]:.0f}/{row['built_ms'][1]:.0f} ms); board snapshots asked after gaps "
              f"{row['asked']}; after the load, boards at their office's last version within "
              f"{row['settled']:.1f} s, {row['late_boards']} needed a snapshot, {row['boards_behind']} still behind; "
              f"phones showing a wrong status or place {row['wrong_phones']} of {row['phones']}; "
              f"load average at the end {row['load'][0]:.1f} / {row['load'][1]:.1f} / {row['load'][2]:.1f}")


if __name__ == "__main__":
    main()
