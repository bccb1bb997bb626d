"""Shared fixtures for printer tests: sample tickets and fake network printers."""
import pytest

from printer import TicketPrint
from printer_samples import sample_ticket


@pytest.fixture
def ticket_kk() -> TicketPrint:
    """A Kazakh visitor's ticket."""
    return sample_ticket("kk")


@pytest.fixture
def ticket_ru() -> TicketPrint:
    """A Russian visitor's ticket."""
    return sample_ticket("ru")


@pytest.fixture
def fake_printer():
    """Start fake network printers with a given behaviour; all are stopped after the test."""
    from fake_printer import FakePrinter

    started = []

    def start(behaviour="ok", **options) -> FakePrinter:
        """Start one fake printer."""
        printer = FakePrinter(behaviour, **options)
        started.append(printer)
        return printer

    yield start
    for printer in started:
        printer.close()
