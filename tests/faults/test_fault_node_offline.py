"""An office node keeps serving while the regional centre is down, and the centre then has exactly its rows.

The centre is a real `kezek serve` (gunicorn) on PostgreSQL; the node is the embedded installation on
SQLite, whose office works through its own pages in a separate process while the centre is stopped,
and whose sender (`kezek node sync`, SIGKILLed once on the way) ships when the centre is back.
"""
from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import OutboxEntry, make_engine
from tests.conftest import LiveServer
from tests.nodes.conftest import count_rows, shipped_rows

pytestmark = [pytest.mark.slow]

# The office's morning at the node, through the node's own kiosk and console pages (a process of its own).
ACT = """
import sqlite3
from kezek import create_app
from kezek.services import services
app = create_app({"WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False})
database = app.config["DATABASE_URL"].removeprefix("sqlite:///")
with sqlite3.connect(database) as connection:
    kinds = [row[0] for row in connection.execute("SELECT id FROM visit_kind ORDER BY id")]
    cabinet = connection.execute("SELECT cabinet.id FROM cabinet JOIN office ON office.id = cabinet.office_id "
                                 "WHERE office.slug = 'demo' ORDER BY cabinet.id").fetchone()[0]
kiosk = app.test_client()
for kind in kinds * VISITS:
    answer = kiosk.post("/kiosk/demo/tickets", data={"visit_kind": kind, "lang": "kk", "kiosk": ""})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:400]
clerk = app.test_client()
assert clerk.post("/login", data={"username": "clerk", "password": "clerk"}).status_code == 302
for action in ACTIONS:
    with sqlite3.connect(database) as connection:
        current = connection.execute("SELECT id FROM ticket WHERE cabinet_id = ? ORDER BY called_at DESC",
                                     (cabinet,)).fetchone()
    data = {} if action in ("open", "call", "pause") else {"ticket_id": current[0]}
    answer = clerk.post(f"/console/{cabinet}/{action}", data=data, headers={"Accept": "application/json"})
    assert answer.status_code in (200, 303), (action, answer.status_code, answer.get_data(as_text=True)[:400])
services(app).print_worker.shutdown()
print("served")
"""
MORNING = ("open", "call", "start", "finish", "call", "recall", "start", "finish", "call", "recall", "no-show", "call")


def _kezek(server: LiveServer, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    done = subprocess.run([server.kezek, *args], env=server.env, capture_output=True, text=True, timeout=120)
    assert not check or done.returncode == 0, done.stdout + done.stderr
    return done


def _serve_office(node: LiveServer, visits: int, actions: tuple[str, ...]) -> None:
    program = ACT.replace("VISITS", str(visits)).replace("ACTIONS", repr(actions))
    done = subprocess.run([sys.executable, "-c", program], env=node.env, capture_output=True, text=True, timeout=300)
    assert "served" in done.stdout, done.stdout[-2000:] + done.stderr[-4000:]


def _waiting(node_database: str) -> int:
    with sqlite3.connect(node_database) as connection:
        acked = connection.execute("SELECT acked_seq FROM centre_link").fetchone()[0]
        return connection.execute("SELECT count(*) FROM outbox_entry WHERE seq > ?", (acked,)).fetchone()[0]


def _sender(node: LiveServer) -> subprocess.Popen:
    log = open(node.folder / "sender.log", "ab")
    # Tries at most every 3 s while the centre is away (60 s by default), so the test does not wait long.
    return subprocess.Popen([node.kezek, "node", "sync", "--retry-max", "3"], env=node.env, stdout=log,
                            stderr=subprocess.STDOUT)


def test_a_node_serves_while_the_centre_is_down_and_the_centre_then_has_its_rows_exactly(tmp_path, postgres_url):
    centre_folder, node_folder = tmp_path / "centre", tmp_path / "node"
    centre_folder.mkdir()
    node_folder.mkdir()
    centre = LiveServer(centre_folder, {"KEZEK_DATABASE_URL": postgres_url}).prepare().start()
    node = LiveServer(node_folder).prepare()
    node_database = node.database_url.removeprefix("sqlite:///")
    sender = None
    try:
        code = _kezek(centre, "node", "add", "demo", "demo-node").stdout.strip()
        joined = _kezek(node, "node", "join", "--", centre.url, code)
        assert "node demo-node of office demo" in joined.stdout
        centre.stop()  # the link to the region goes down

        sender = _sender(node)
        _serve_office(node, 3, MORNING)
        sender.send_signal(signal.SIGKILL)  # the node's sender dies in the middle of the day
        sender.wait(timeout=10)
        sender = _sender(node)
        _serve_office(node, 2, ("call", "start", "finish", "call"))
        status = _kezek(node, "node", "status").stdout
        assert "cannot be reached" in status and _waiting(node_database) > 0, status

        centre.start()  # the link is back: the sender catches up by itself
        deadline = time.monotonic() + 120
        while _waiting(node_database) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _waiting(node_database) == 0, (node_folder / "sender.log").read_text()[-3000:]

        node_engine, centre_engine = make_engine(node.database_url), make_engine(postgres_url)
        with Session(node_engine) as at_node, Session(centre_engine) as at_centre:
            keys = list(dict.fromkeys(tuple(row) for row in at_node.execute(
                select(OutboxEntry.table_name, OutboxEntry.row_key).order_by(OutboxEntry.seq))))
            node_counts = count_rows(at_node)
            assert node_counts["ticket"] >= 10 and node_counts["ticket_event"] >= 20
            assert count_rows(at_centre) == node_counts  # nothing twice, nothing missing
            assert shipped_rows(at_centre, keys) == shipped_rows(at_node, keys)  # row by row
        node_engine.dispose()
        centre_engine.dispose()

        # Revoked at the centre, the node stops shipping and says so.
        sender.send_signal(signal.SIGTERM)
        sender.wait(timeout=30)
        sender = None
        _kezek(centre, "node", "revoke", "demo-node")
        _serve_office(node, 1, ())
        refused = _kezek(node, "node", "sync", "--once", check=False)
        assert refused.returncode != 0 and "revoked" in refused.stderr
        assert "REVOKED" in _kezek(node, "node", "status").stdout
    finally:
        if sender is not None and sender.poll() is None:
            sender.kill()
            sender.wait(timeout=10)
        centre.stop()
