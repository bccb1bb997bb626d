"""Kiosks under load while their printers refuse connections or hang: answers stay quick, every ticket is journaled."""
from __future__ import annotations

import socket
import sqlite3
import threading
import time

import pytest

from tests.conftest import LiveServer
from tests.faults.fault_clients import UNLIMITED, Kiosk, journal_problems, print_states, statuses, tap_together
from tests.faults.private_instances import free_port

pytestmark = [pytest.mark.slow]

PRINTER_TIMEOUT = 5.0  # kezek.printing.PrintWorker's default: a print on the request path would take this long


class HangingPrinter:
    """A TCP port that accepts connections and then never reads nor answers (a printer frozen mid-job)."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.2)
        self.port = self.listener.getsockname()[1]
        self.held: list[socket.socket] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        deadline = time.monotonic() + 120
        while not self.stop.is_set() and time.monotonic() < deadline and len(self.held) < 200:
            try:
                self.held.append(self.listener.accept()[0])
            except TimeoutError:
                continue

    def close(self) -> None:
        self.stop.set()
        self.thread.join(5)
        for connection in self.held:
            connection.close()
        self.listener.close()


def _kiosk_printers(database: str, hanging: str, refusing: str) -> None:
    """The demo kiosk prints to the hanging printer; a second kiosk "refusing" to a closed port."""
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE kiosk SET printer_url = ? WHERE slug = 'main'", (hanging,))
        connection.execute(
            "INSERT INTO kiosk (office_id, slug, name, printer_url, printer_profile, paper_width_mm, active) "
            "SELECT office_id, 'refusing', 'Refusing printer', ?, printer_profile, paper_width_mm, active "
            "FROM kiosk WHERE slug = 'main'", (refusing,))


def test_kiosks_answer_quickly_while_printers_refuse_or_hang(tmp_path):
    """Eight kiosks (four per broken printer) take 64 tickets at once.

    Printing runs on the print worker's lanes, off the request path, so no answer waits for a
    printer: each comes well inside the printer timeout. Every ticket has its print job in the
    journal, none is marked sent, and the jobs end failed with the printer's reason ('refused' or
    'timeout'), ready to be retried when the printer is back.
    """
    folder = tmp_path / "live"
    folder.mkdir()
    database = folder / "kezek.sqlite3"
    printer = HangingPrinter()
    server = LiveServer(folder, UNLIMITED).prepare()
    _kiosk_printers(str(database), f"tcp://127.0.0.1:{printer.port}", f"tcp://127.0.0.1:{free_port()}")
    server.start()
    url = f"sqlite:///{database}"
    try:
        devices = {name: server.enrol(name or "main") for name in ("", "refusing")}
        kiosks = [Kiosk(server.port, kiosk=name, device=devices[name]).open()
                  for name in ("" if n % 2 else "refusing" for n in range(8))]
        answers = tap_together(kiosks, 8)
        assert statuses(answers) == {303: 64}
        slowest = max(answer.seconds for answer in answers)
        assert slowest < PRINTER_TIMEOUT / 2, f"a kiosk waited {slowest:.1f} s"
        assert not journal_problems(url)

        deadline = time.monotonic() + 3 * PRINTER_TIMEOUT + 10
        while time.monotonic() < deadline and print_states(url).get("queued"):
            time.sleep(0.2)
        assert print_states(url) == {"failed": 64}
        with sqlite3.connect(database) as connection:
            reasons = dict(connection.execute(
                "SELECT k.slug, group_concat(DISTINCT j.error) FROM print_job j JOIN kiosk k ON k.id = j.kiosk_id "
                "GROUP BY k.slug").fetchall())
        assert reasons == {"main": "timeout", "refusing": "refused"}
    finally:
        server.stop()
        printer.close()
