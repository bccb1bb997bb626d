"""The kiosk instances of docs/deployment.md ("Busy kiosks"): gunicorn's sync workers, one request at a time each."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.faults.fault_clients import UNLIMITED, Kiosk, journal_problems, statuses, tap_together

pytestmark = [pytest.mark.slow]


def test_two_sync_workers_take_each_others_kiosk_sessions_and_never_share_a_number(tmp_path):
    """Four kiosks tap ten times each at once; every tap is a new connection, so both workers answer
    them. Each kiosk's session (made on whichever worker served its page) is good on both, every tap
    gets its ticket, and the numbers have no gap or duplicate: the two processes take turns writing."""
    folder = tmp_path / "live"
    folder.mkdir()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, "-k", "sync", "-w", "2", "-b", "127.0.0.1:{port}", "--access-logfile", "-",
               "--access-logformat", "worker=%(p)s %(m)s %(s)s", "kezek.wsgi:app"]
    server = LiveServer(folder, UNLIMITED, command=command).prepare().start()
    try:
        kiosks = [Kiosk(server.port).open() for _ in range(4)]
        answers = tap_together(kiosks, 10)
        assert statuses(answers) == {303: 40}
        assert len({answer.code for answer in answers}) == 40
        assert not journal_problems(f"sqlite:///{folder / 'kezek.sqlite3'}")
    finally:
        server.stop()
    log = (folder / "server.log").read_text()
    workers = set(re.findall(r"worker=<?(\d+)>? POST 303", log))
    assert len(workers) == 2, "the taps did not reach both workers"
