"""PostgreSQL crashes and comes back while kiosks issue tickets: clear error pages meanwhile, then normal service."""
from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import LiveServer
from tests.faults.fault_clients import UNLIMITED, Kiosk, journal_problems, statuses, tap_until, ticket_codes

pytestmark = [pytest.mark.postgres, pytest.mark.slow]


def _wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_kiosks_through_a_postgres_crash_and_restart(tmp_path, private_postgres, postgres_url):
    """Four kiosks post to a server on the private cluster, which is stopped with `-m immediate`.

    While the database is down every post is answered quickly with our own error page (500/503, no
    stack trace, no dropped connection); once it is back (pool_pre_ping replaces the dead pooled
    connections) the kiosks issue again. Nothing half-made or duplicated is left, and every ticket a
    kiosk was answered for is in the database.
    """
    folder = tmp_path / "live"
    folder.mkdir()
    server = LiveServer(folder, {"KEZEK_DATABASE_URL": postgres_url, **UNLIMITED}).prepare().start()
    stop = threading.Event()
    try:
        device = server.enrol()
        kiosks = [Kiosk(server.port, timeout=20, device=device).open() for _ in range(4)]
        answers: list = []
        threads = tap_until(kiosks, stop, answers, most=400, seconds=90, pause=0.05)
        _wait(lambda: sum(answer.status == 303 for answer in answers) >= 12, 30)
        crashed = len(answers)
        private_postgres.stop("immediate")
        _wait(lambda: sum(answer.status != 303 for answer in answers[crashed:]) >= 8, 20)
        private_postgres.start()
        back = len(answers)
        _wait(lambda: sum(answer.status == 303 for answer in answers[back:]) >= 12, 40)
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        stop.set()
        server.stop()
    outage, after = answers[crashed:back], answers[back:]
    refused = [answer for answer in outage if answer.status != 303]
    assert len(refused) >= 8, statuses(outage)
    for answer in refused:
        assert answer.status in (500, 503), statuses(outage)
        assert "error-page" in answer.body and "Traceback" not in answer.body
        assert answer.seconds < 10
    assert sum(answer.status == 303 for answer in after) >= 12, statuses(after)
    assert [answer.status for answer in after[-8:]] == [303] * 8, statuses(after)
    assert not journal_problems(postgres_url)
    assert {answer.code for answer in answers if answer.code} <= ticket_codes(postgres_url)
