"""Two server processes sharing a database and a Redis message queue: a call on one reaches a board on the other."""
from __future__ import annotations

import os
import threading
import uuid

import pytest

from kezek.realtime_threads import CHANNEL
from tests.conftest import LiveServer
from tests.faults.conftest import private_redis  # noqa: F401  (a fixture)
from tests.realtime.servers import Clerk, take_ticket

pytestmark = [pytest.mark.redis, pytest.mark.slow]

REDIS_URL = os.environ.get("KEZEK_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_url():
    redis = pytest.importorskip("redis", reason="multi-process test: the redis client is not installed")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError as error:
        pytest.skip(f"multi-process test: no Redis at KEZEK_TEST_REDIS_URL={REDIS_URL} ({error})")
    return REDIS_URL


@pytest.fixture
def database_url(tmp_path):
    """A fresh PostgreSQL database when KEZEK_TEST_POSTGRES_URL is reachable, else a shared SQLite file."""
    base = os.environ.get("KEZEK_TEST_POSTGRES_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    psycopg = pytest.importorskip("psycopg")
    from sqlalchemy.engine import make_url

    name = f"kezek_mp_{uuid.uuid4().hex[:10]}"
    admin = make_url(base).set(drivername="postgresql")
    try:
        with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.Error:
        yield f"sqlite:///{tmp_path / 'shared.sqlite3'}"
        return
    yield make_url(base).set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_call_on_one_process_reaches_a_board_on_another(tmp_path, redis_url, database_url):
    import socketio

    env = {"KEZEK_DATABASE_URL": database_url, "KEZEK_MESSAGE_QUEUE": redis_url}
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    calling = LiveServer(tmp_path / "one", env).prepare().start()
    showing = LiveServer(tmp_path / "two", env).start()
    board = socketio.Client(reconnection=False)
    got = {"snapshot": threading.Event(), "update": threading.Event()}
    updates = []
    board.on("snapshot", lambda state: got["snapshot"].set(), namespace="/display")
    board.on("update", lambda state: (updates.append(state), got["update"].set()), namespace="/display")
    try:
        take_ticket(calling.url, "A", device=calling.enrol())
        board.connect(showing.url, namespaces=["/display"], auth={"office": "demo"}, transports=["websocket"])
        assert got["snapshot"].wait(10)
        label = Clerk(calling.url, "101").call()
        assert label == "A-001"
        for _ in range(50):
            if any(update["kind"] == "called" for update in updates):
                break
            got["update"].wait(0.1)
            got["update"].clear()
        called = [update for update in updates if update["kind"] == "called"]
        assert called and called[0]["current"][0]["label"] == "A-001" and called[0]["current"][0]["cabinet"] == "101"
        versions = [update["version"] for update in updates]
        assert versions == sorted(versions)
    finally:
        board.disconnect()
        calling.stop()
        showing.stop()


def test_a_phone_on_another_process_follows_its_place_and_no_other_ticket_crosses_processes(
        tmp_path, private_redis, database_url):
    own_redis_url = private_redis.url  # a Redis of this test only: no other test's messages cross its channel
    import json

    import redis
    import socketio

    env = {"KEZEK_DATABASE_URL": database_url, "KEZEK_MESSAGE_QUEUE": own_redis_url}
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    calling = LiveServer(tmp_path / "one", env).prepare().start()
    showing = LiveServer(tmp_path / "two", env).start()
    bus = redis.Redis.from_url(own_redis_url).pubsub(ignore_subscribe_messages=True)
    bus.subscribe("flask-socketio", CHANNEL)  # Flask-SocketIO's channel and the changes' between the processes
    phone = socketio.Client(reconnection=False)
    statuses, arrived = [], threading.Event()
    phone.on("status", lambda state: (statuses.append(state), arrived.set()), namespace="/phone")

    def wait_for(condition) -> bool:
        for _ in range(100):
            if condition():
                return True
            arrived.wait(0.1)
            arrived.clear()
        return condition()

    try:
        codes = [take_ticket(calling.url, "A", device=calling.enrol()) for _ in range(6)]
        phone.connect(showing.url, namespaces=["/phone"], auth={"code": codes[-1]}, transports=["websocket"])
        assert wait_for(lambda: statuses and statuses[-1]["ahead"] == 5)
        assert Clerk(calling.url, "101").call() == "A-001"
        # the phone on the other process sees its place move up without reloading
        assert wait_for(lambda: statuses[-1]["ahead"] == 4), statuses
        assert statuses[-1]["label"] == "A-006" and statuses[-1]["status"] == "waiting"
        crossed: dict[str, list] = {"flask-socketio": [], CHANNEL: []}
        for _ in range(20):  # whatever went over the channels so far (None: nothing more for now)
            message = bus.get_message(timeout=0.1)
            if message is not None:
                crossed[message["channel"].decode()].append(json.loads(message["data"]))
        # only the changes crossed, each naming its office, version and kind: no visitor's status, no
        # board state (each process builds its own screens' from the change)
        changes = [change for message in crossed[CHANNEL] for change in message["changes"]]
        assert "called" in [change["kind"] for change in changes]
        assert all(set(change) == {"office_id", "version", "kind", "ticket_id", "cabinet_id", "first_version"}
                   for change in changes)
        assert crossed["flask-socketio"] == []
    finally:
        phone.disconnect()
        bus.close()
        calling.stop()
        showing.stop()


def test_tickets_taken_where_no_board_is_connected_reach_a_board_on_another_process(
        tmp_path, private_redis, database_url):
    """A kiosk instance has no board: it builds no board state and sends only the change; the process
    the board is connected to builds the state, with the new visitors counted."""
    import json

    import redis
    import socketio

    env = {"KEZEK_DATABASE_URL": database_url, "KEZEK_MESSAGE_QUEUE": private_redis.url}
    (tmp_path / "kiosks").mkdir()
    (tmp_path / "boards").mkdir()
    kiosks = LiveServer(tmp_path / "kiosks", env).prepare().start()
    boards = LiveServer(tmp_path / "boards", env).start()
    bus = redis.Redis.from_url(private_redis.url).pubsub(ignore_subscribe_messages=True)
    bus.subscribe("flask-socketio")
    board = socketio.Client(reconnection=False)
    states, arrived = [], threading.Event()
    board.on("snapshot", lambda state: (states.append(state), arrived.set()), namespace="/display")
    board.on("update", lambda state: (states.append(state), arrived.set()), namespace="/display")

    def waiting() -> int:
        return sum(service["count"] for service in states[-1]["waiting"]) if states else -1

    try:
        board.connect(boards.url, namespaces=["/display"], auth={"office": "demo"}, transports=["websocket"])
        assert arrived.wait(10)
        before = waiting()
        for _ in range(3):
            take_ticket(kiosks.url, "A", device=kiosks.enrol())
        for _ in range(100):
            if waiting() == before + 3:
                break
            arrived.wait(0.1)
            arrived.clear()
        assert waiting() == before + 3, states[-1]["waiting"]
        crossed = [message for message in iter(lambda: bus.get_message(timeout=0.2), None)]
        assert [json.loads(message["data"]) for message in crossed] == []  # no board state went between them
    finally:
        board.disconnect()
        bus.close()
        kiosks.stop()
        boards.stop()
