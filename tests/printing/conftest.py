"""Fixtures for the print journal tests: fast printer timeouts and fake network printers."""
from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

# the fake printer and the ESC/POS reader live with the printer package's tests
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "printer"))

from fake_printer import FakePrinter  # noqa: E402

TIMEOUT = 1.0


@pytest.fixture
def app_settings() -> dict:
    """Short printer timeouts and quick retries (read when the app's print worker starts)."""
    return {"PRINTER_TIMEOUT": TIMEOUT, "PRINT_RETRY_SECONDS": (0.2, 0.5), "PRINTER_STATUS_TIMEOUT": 0.5}


@pytest.fixture
def fake_printers():
    """Start fake network printers (optionally on a given port); all are stopped after the test."""
    started = []

    def start(behaviour="ok", port: int | None = None, **options) -> FakePrinter:
        printer = FakePrinter(behaviour, **options)
        if port is not None:
            # the printer "comes back" where the kiosk expects it: move the listening socket to that port
            old, printer._server = printer._server, socket.create_server(("127.0.0.1", port))
            printer._server.settimeout(0.2)
            old.close()
            printer.port, printer.url = port, f"tcp://127.0.0.1:{port}"
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.close()
