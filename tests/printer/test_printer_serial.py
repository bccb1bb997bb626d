"""Serial printers through a pseudo-terminal (needs pyserial, python-escpos's serial extra)."""
import os
import pty
import threading
import time
import tty

import pytest

from fake_printer import STATUS_OK, STATUS_PAPER_OUT
from printer import PrinterError, open_printer

pytest.importorskip("serial", reason="pyserial (python-escpos[serial]) is not installed")


@pytest.fixture
def serial_line():
    """Start a fake serial printer on a pty; yields a function taking the status table (None = silent)."""
    opened = []

    def start(table=STATUS_OK):
        master, slave = pty.openpty()
        tty.setraw(master)
        tty.setraw(slave)
        received = bytearray()

        def serve():
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    return
                received.extend(chunk)
                if table is not None:
                    for index in range(len(chunk) - 2):
                        if chunk[index:index + 2] == b"\x10\x04":
                            os.write(master, bytes([table.get(chunk[index + 2], 0x12)]))

        threading.Thread(target=serve, daemon=True).start()
        opened.extend([master, slave])
        return f"serial://{os.ttyname(slave)}?baud=115200&flow=none", received

    yield start
    for fd in opened:
        os.close(fd)


def test_serial_printer_gets_the_job(serial_line):
    url, received = serial_line()
    open_printer(url, timeout=1).send(b"\x1b@ticket\n")
    deadline = time.monotonic() + 2
    while b"ticket" not in received and time.monotonic() < deadline:
        time.sleep(0.01)
    assert b"\x1b@ticket\n" in received


def test_serial_paper_out(serial_line):
    url, _ = serial_line(STATUS_PAPER_OUT)
    with pytest.raises(PrinterError) as caught:
        open_printer(url, timeout=1).send(b"\x1b@")
    assert caught.value.reason == "paper_out"


def test_serial_printer_that_never_answers_times_out(serial_line):
    url, _ = serial_line(None)
    start = time.monotonic()
    with pytest.raises(PrinterError) as caught:
        open_printer(url, timeout=1).send(b"\x1b@")
    assert caught.value.reason == "timeout"
    assert time.monotonic() - start < 3
    open_printer(url + "&status=off", timeout=1).send(b"\x1b@")


def test_missing_serial_device_is_offline(tmp_path):
    with pytest.raises(PrinterError) as caught:
        open_printer(f"serial://{tmp_path}/ttyUSB9").send(b"x")
    assert caught.value.reason == "offline"
