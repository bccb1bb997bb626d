"""Redis, the message queue between server processes, stops and comes back while clerks call visitors."""
from __future__ import annotations

import time

import pytest

from tests.conftest import LiveServer
from tests.faults.fault_clients import UNLIMITED, Board, Kiosk, office_version
from tests.realtime.servers import Clerk

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def test_calls_reach_local_boards_without_redis_and_remote_boards_catch_up(tmp_path, postgres_url, private_redis):
    """Processes A and B share a PostgreSQL database and a private Redis; a board is connected to each.

    With Redis stopped, a call on A still succeeds quickly and reaches A's board: python-socketio
    delivers to its own process before it publishes, and a failed publish is logged, not raised.
    B's board misses it, but a board connecting to B meanwhile gets the truth in its snapshot (read
    from the shared database). When Redis is back and B's listener has resubscribed, the next update
    B's board gets skips versions; the board asks for a snapshot and shows the same state as A's. (An
update carries the whole board, so it is right even before that snapshot arrives.)
    """
    env = {"KEZEK_DATABASE_URL": postgres_url, "KEZEK_MESSAGE_QUEUE": private_redis.url, **UNLIMITED}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    a = LiveServer(tmp_path / "a", env).prepare().start()
    b = LiveServer(tmp_path / "b", env).start()
    boards: list[Board] = []
    try:
        kiosk = Kiosk(a.port, device=a.enrol()).open()
        assert [kiosk.take().status for _ in range(8)] == [303] * 8
        clerk = Clerk(a.url, "101")
        board_a, board_b = Board(a.url).connect(), Board(b.url).connect()
        boards += [board_a, board_b]
        first = clerk.call()
        assert board_a.wait(lambda: board_a.labels() == [first], 10)
        assert board_b.wait(lambda: board_b.labels() == [first], 10)

        private_redis.stop()
        started = time.monotonic()
        second = clerk.call_next()
        took = time.monotonic() - started
        assert second and second != first
        assert took < 5, f"the clerk's command took {took:.1f} s without Redis"
        assert board_a.wait(lambda: board_a.labels() == [second], 10)
        assert not board_b.wait(lambda: second in board_b.labels(), 1)
        late = Board(b.url).connect()
        boards.append(late)
        assert late.labels() == [second]

        private_redis.start()
        deadline = time.monotonic() + 45
        while time.monotonic() < deadline and second not in board_b.labels():
            clerk.recall()  # each recall is a new update; B's board gets the first one after B resubscribes
            board_b.wait(lambda: second in board_b.labels(), 2)
        assert board_b.labels() == [second]
        assert board_b.gaps >= 1, "B's board saw no version gap"
        assert board_b.wait(lambda: board_b.snapshots >= 2, 10), "B's board did not get the snapshot it asked for"
        truth = office_version(postgres_url)
        assert board_b.wait(lambda: board_b.version == truth, 10)
        assert board_a.wait(lambda: board_a.version == truth, 10)
    finally:
        for board in boards:
            board.disconnect()
        a.stop()
        b.stop()
