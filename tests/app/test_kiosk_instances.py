"""The kiosk instances of docs/deployment.md ("Busy kiosks"): gunicorn's sync workers, one request at a time each."""
from __future__ import annotations

import re
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import LiveServer
from tests.faults.fault_clients import UNLIMITED, Kiosk, journal_problems, statuses, tap_together

pytestmark = [pytest.mark.slow]


def answering_workers(log: Path, what: str) -> set[str]:
    """The worker processes the access log shows answering `what` (e.g. "POST 303")."""
    return set(re.findall(rf"worker=<?(\d+)>? {what}", log.read_text()))


def both_up(server: LiveServer, log: Path) -> None:
    """Wait until both workers have loaded the app and answered (the second may still be starting)."""
    deadline = time.monotonic() + 30
    while len(answering_workers(log, "GET 200")) < 2 and time.monotonic() < deadline:
        urllib.request.urlopen(f"{server.url}/healthz", timeout=10).read()
        time.sleep(0.02)


def two_sync_workers(folder: Path, preload: bool = False) -> LiveServer:
    """`gunicorn -k sync -w 2 kezek.wsgi:app` on a demo installation in `folder`, both workers up."""
    folder.mkdir()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    command = [gunicorn, *(["--preload"] if preload else []), "-k", "sync", "-w", "2", "-b", "127.0.0.1:{port}",
               "--access-logfile", "-", "--access-logformat", "worker=%(p)s %(m)s %(s)s", "kezek.wsgi:app"]
    # Unbuffered: the access log is read while the server runs.
    server = LiveServer(folder, {**UNLIMITED, "PYTHONUNBUFFERED": "1"}, command=command).prepare().start()
    try:
        both_up(server, folder / "server.log")
    except BaseException:
        server.stop()
        raise
    return server


def test_two_sync_workers_take_each_others_kiosk_sessions_and_never_share_a_number(tmp_path):
    """Four kiosks tap ten times each at once; every tap is a new connection, so both workers answer
    them. Each kiosk's session (made on whichever worker served its page) is good on both, every tap
    gets its ticket, and the numbers have no gap or duplicate: the two processes take turns writing."""
    folder = tmp_path / "live"
    server = two_sync_workers(folder)
    try:
        device = server.enrol()
        kiosks = [Kiosk(server.port, device=device).open() for _ in range(4)]
        answers = tap_together(kiosks, 10)
        assert statuses(answers) == {303: 40}
        assert len({answer.code for answer in answers}) == 40
        assert not journal_problems(f"sqlite:///{folder / 'kezek.sqlite3'}")
    finally:
        server.stop()
    assert len(answering_workers(folder / "server.log", "POST 303")) == 2, "the taps did not reach both workers"


@pytest.mark.parametrize("preload", [False, True], ids=["each-worker-makes-the-app", "preload"])
def test_every_ticket_taken_at_either_worker_prints_exactly_once(tmp_path, preload):
    """Both workers have a print worker reading the same journal (SQLite): a ticket is printed once,
    not by both. With --preload the app is made once in the master and the workers are forked from
    it: each starts its own print worker (a thread does not survive a fork), so every ticket prints."""
    folder = tmp_path / "live"
    server = two_sync_workers(folder, preload)
    prints = folder / "prints"
    try:
        device = server.enrol()
        kiosks = [Kiosk(server.port, device=device).open() for _ in range(3)]
        answers = tap_together(kiosks, 4)
        assert statuses(answers) == {303: 12}
        deadline = time.monotonic() + 30  # waits for the printing (at most 30 s), asserts no duration
        while len(list(prints.glob("*.bin"))) < 12 and time.monotonic() < deadline:
            time.sleep(0.1)
        time.sleep(1.0)  # a second copy, if any, would come now
        assert len(list(prints.glob("*.bin"))) == 12
    finally:
        server.stop()
    assert len(answering_workers(folder / "server.log", "POST 303")) == 2, "the taps did not reach both workers"
