"""A board that was offline while the queue moved on shows the true state as soon as it reconnects."""
from __future__ import annotations

import pytest

from tests.conftest import LiveServer
from tests.faults.fault_clients import UNLIMITED, Board, Kiosk, office_version
from tests.realtime.servers import Clerk

pytestmark = [pytest.mark.slow]


def test_a_board_back_from_an_outage_gets_the_current_state_by_snapshot(tmp_path):
    """The board sees one call, loses its connection, and the cabinet calls ten more visitors meanwhile.

    Ten minutes of real absence are not needed: what matters is that the board missed far more than
    one update (each finish and call bumps the office version, so twenty versions pass, where a board
    on a live socket never misses one and asks for a snapshot every five minutes anyway). On
    reconnect the server's first message is a snapshot carrying the office's current version, the
    number called now and the ones called before it, newest first; no stale update is replayed.
    """
    folder = tmp_path / "live"
    folder.mkdir()
    database = f"sqlite:///{folder / 'kezek.sqlite3'}"
    server = LiveServer(folder, UNLIMITED).prepare().start()
    board = None
    try:
        kiosk = Kiosk(server.port, device=server.enrol()).open()
        assert [kiosk.take().status for _ in range(12)] == [303] * 12
        clerk = Clerk(server.url, "101")
        board = Board(server.url).connect()
        first = clerk.call()
        assert board.wait(lambda: board.labels() == [first], 10)

        board.disconnect()
        offline_version = board.version
        called = [first] + [clerk.call_next() for _ in range(10)]
        assert None not in called and len(set(called)) == 11

        updates_before = len(board.updates)
        board.connect()
        assert board.version == office_version(database) >= offline_version + 20
        assert board.labels() == [called[-1]]
        assert [call["label"] for call in board.state["recent"]] == called[-2:-8:-1]
        assert len(board.updates) == updates_before
    finally:
        if board is not None:
            board.disconnect()
        server.stop()
