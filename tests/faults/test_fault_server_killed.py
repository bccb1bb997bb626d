"""A `kezek serve` process killed with SIGKILL amid a ticket burst: no half-made ticket, no reused number."""
from __future__ import annotations

import threading
import time

import pytest

from tests.conftest import LiveServer
from tests.faults.fault_clients import UNLIMITED, Kiosk, journal_problems, statuses, tap_until, ticket_codes

pytestmark = [pytest.mark.slow]


def test_sigkill_in_a_ticket_burst_leaves_whole_tickets_and_numbers_continue(tmp_path):
    """Six kiosks post as fast as they can; once 40 tickets are out the server gets SIGKILL.

    Afterwards every ticket row has its 'issued' event and its print job (the three are one
    transaction), no event or job points at a missing ticket, every ticket a kiosk was answered for
    survived, and numbers have no gap or duplicate. Restarted, the same kiosk sessions go on issuing
    and the numbers continue from the last one.
    """
    folder = tmp_path / "live"
    folder.mkdir()
    database = f"sqlite:///{folder / 'kezek.sqlite3'}"
    server = LiveServer(folder, UNLIMITED).prepare().start()
    stop = threading.Event()
    try:
        device = server.enrol()
        kiosks = [Kiosk(server.port, device=device).open() for _ in range(6)]
        answers: list = []
        threads = tap_until(kiosks, stop, answers, most=300, seconds=60)
        deadline = time.monotonic() + 30
        while sum(answer.status == 303 for answer in answers) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        server.process.kill()
        server.process.wait(timeout=10)
        time.sleep(0.5)  # the kiosks keep posting into a dead port for a moment
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        burst = list(answers)
        answered = {answer.code for answer in burst if answer.code}
        assert len(answered) >= 40, statuses(burst)
        assert statuses(burst)[0] > 0, "the kill came after the burst, not in the middle of it"
        assert not journal_problems(database)
        assert answered <= ticket_codes(database), "a ticket the kiosk showed was lost"

        server.start()
        after = [kiosk.take() for kiosk in kiosks for _ in range(2)]
        assert [answer.status for answer in after] == [303] * len(after)
        assert not journal_problems(database)
        assert answered | {answer.code for answer in after} <= ticket_codes(database)
    finally:
        stop.set()
        server.stop()
