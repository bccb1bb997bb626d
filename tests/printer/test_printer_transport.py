"""Printers by URL: parsing, the dummy printer, files, and fake network printers that misbehave."""
import os
import time

import pytest

from escpos_reader import read_escpos
from fake_printer import STATUS_COVER_OPEN, STATUS_NEAR_END, STATUS_PAPER_OUT, refused_url
from printer import PrinterError, build_ticket_bytes, open_printer
from printer.status import STATUS_QUERY
from printer_samples import sample_ticket

TIMEOUT = 1.0


@pytest.fixture(scope="module")
def ticket_bytes() -> bytes:
    """One 80 mm Kazakh ticket as ESC/POS bytes."""
    return build_ticket_bytes(sample_ticket("kk"), "TM-T20II")


def failure(call) -> tuple[PrinterError, float]:
    """Run `call`, expecting a PrinterError; return it with the seconds it took."""
    start = time.monotonic()
    with pytest.raises(PrinterError) as caught:
        call()
    return caught.value, time.monotonic() - start


@pytest.mark.parametrize("url", [
    "", "nothing", "tcp://", "tcp://host:notaport", "tcp://host:70000", "usb://04b8", "usb://xyz:0e15",
    "usb://04b8:", "serial://ttyUSB0", "serial:///dev/ttyUSB0?baud=fast", "serial:///dev/ttyS0?flow=magic",
    "cups://", "file://relative/path", "ftp://printer", "lpt://1",
])
def test_malformed_urls_are_bad_url(url):
    with pytest.raises(PrinterError) as caught:
        open_printer(url)
    assert caught.value.reason == "bad_url"


def test_memory_dummy_keeps_jobs(ticket_bytes):
    printer = open_printer("dummy://")
    printer.send(ticket_bytes)
    printer.send(b"second")
    assert printer.jobs == [ticket_bytes, b"second"]
    assert printer.status().online


def test_folder_dummy_writes_one_file_per_job(tmp_path, ticket_bytes):
    printer = open_printer(f"dummy://{tmp_path}/jobs")
    printer.send(ticket_bytes)
    printer.send(ticket_bytes)
    files = sorted(os.listdir(tmp_path / "jobs"))
    assert len(files) == 2 and all(name.endswith(".bin") for name in files)
    assert (tmp_path / "jobs" / files[0]).read_bytes() == ticket_bytes


def test_file_printer_writes_the_job(tmp_path, ticket_bytes):
    target = tmp_path / "lp0"
    target.touch()
    open_printer(f"file://{target}").send(ticket_bytes)
    assert target.read_bytes() == ticket_bytes


def test_missing_device_file_is_offline(tmp_path):
    error, _ = failure(lambda: open_printer(f"file://{tmp_path}/no/such/dir/lp0").send(b"x"))
    assert error.reason == "offline"
    assert not open_printer(f"file://{tmp_path}/no/such/dir/lp0").status().online


def test_network_printer_receives_the_whole_ticket(fake_printer, ticket_bytes):
    fake = fake_printer("ok")
    open_printer(fake.url, timeout=TIMEOUT).send(ticket_bytes)
    deadline = time.monotonic() + 2
    while len(fake.received) < len(ticket_bytes) + 2 * len(STATUS_QUERY) and time.monotonic() < deadline:
        time.sleep(0.01)
    received = bytes(fake.received)
    assert received == STATUS_QUERY + ticket_bytes + STATUS_QUERY
    assert read_escpos(received[len(STATUS_QUERY):-len(STATUS_QUERY)]).image.width == 576


def test_network_status_ok_and_near_end(fake_printer):
    status = open_printer(fake_printer("ok").url, timeout=TIMEOUT).status()
    assert (status.online, status.paper, status.cover_open) == (True, "ok", False)
    near = open_printer(fake_printer(STATUS_NEAR_END).url, timeout=TIMEOUT).status()
    assert near.paper == "near_end"


def test_near_end_still_prints(fake_printer, ticket_bytes):
    open_printer(fake_printer(STATUS_NEAR_END).url, timeout=TIMEOUT).send(ticket_bytes)


def test_printer_that_never_answers_times_out(fake_printer, ticket_bytes):
    printer = open_printer(fake_printer("silent").url, timeout=TIMEOUT)
    error, took = failure(lambda: printer.send(ticket_bytes))
    assert error.reason == "timeout"
    assert took < TIMEOUT + 2
    start = time.monotonic()
    status = printer.status()
    assert not status.online and "timeout" in status.detail
    assert time.monotonic() - start < TIMEOUT + 2


def test_status_check_can_be_switched_off_for_printers_without_dle_eot(fake_printer, ticket_bytes):
    fake = fake_printer("silent")
    open_printer(fake.url + "?status=off", timeout=TIMEOUT).send(ticket_bytes)


def test_printer_that_closes_mid_ticket_is_disconnected(fake_printer, ticket_bytes):
    printer = open_printer(fake_printer("close_mid", close_after=2000).url, timeout=TIMEOUT)
    error, took = failure(lambda: printer.send(ticket_bytes))
    assert error.reason == "disconnected"
    assert took < TIMEOUT + 2


def test_refused_connection(ticket_bytes):
    printer = open_printer(refused_url(), timeout=TIMEOUT)
    error, took = failure(lambda: printer.send(ticket_bytes))
    assert error.reason == "refused"
    assert took < TIMEOUT + 2
    status = printer.status()
    assert not status.online and "refused" in status.detail


def test_paper_out_is_reported_before_printing(fake_printer, ticket_bytes):
    fake = fake_printer(STATUS_PAPER_OUT)
    printer = open_printer(fake.url, timeout=TIMEOUT)
    error, took = failure(lambda: printer.send(ticket_bytes))
    assert error.reason == "paper_out"
    assert took < TIMEOUT + 2
    assert bytes(fake.received) == STATUS_QUERY  # the ticket was not sent into a printer without paper
    status = printer.status()
    assert (status.paper, status.online) == ("out", False)


def test_cover_open(fake_printer, ticket_bytes):
    printer = open_printer(fake_printer(STATUS_COVER_OPEN).url, timeout=TIMEOUT)
    error, _ = failure(lambda: printer.send(ticket_bytes))
    assert error.reason == "cover_open"
    assert printer.status().cover_open is True


def test_usb_serial_cups_without_their_libraries_are_offline_not_crashes():
    for url in ("usb://04b8:0e15", "serial:///dev/ttyUSB0?baud=115200", "cups://TM-T20II"):
        printer = open_printer(url, timeout=TIMEOUT)
        try:
            printer.send(b"\x1b@")
        except PrinterError as error:
            assert error.reason in ("offline", "timeout", "disconnected")
        assert printer.status().online in (True, False)


def test_printer_error_rejects_unknown_reasons():
    with pytest.raises(ValueError):
        PrinterError("on_fire")


def test_status_answers_that_are_not_escpos_are_unknown():
    from printer.status import parse_status

    assert parse_status(b"\xff\xff\xff").paper == "unknown"
    assert parse_status(b"\x12").paper == "unknown"
    assert parse_status(bytes([0x12, 0x12, 0x12])).detail == "ready"


def test_dle_eot_patterns_inside_raster_data_do_not_confuse_the_status(fake_printer):
    # the fake printer, like some real ones, answers DLE EOT even inside image data
    raster = b"\x1dv0\x00\x02\x00\x02\x00" + b"\x10\x04\x04\x10\x04\x01"
    fake = fake_printer(STATUS_NEAR_END)
    open_printer(fake.url, timeout=TIMEOUT).send(b"\x1b@" + raster)


def test_folder_dummies_opened_per_job_do_not_overwrite_each_other(tmp_path):
    for n in range(5):
        open_printer(f"dummy://{tmp_path}").send(bytes([n]))
    assert sorted(p.read_bytes() for p in tmp_path.iterdir()) == [bytes([n]) for n in range(5)]
