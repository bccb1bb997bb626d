"""Ticket layout and printer transports for Kezek, free of Flask; escpos is imported only when needed."""

from printer.errors import PrinterError
from printer.ticket import TicketPrint

__all__ = [
    "Printer",
    "PrinterError",
    "PrinterStatus",
    "TicketPrint",
    "build_test_page",
    "build_ticket_bytes",
    "open_printer",
    "render_ticket",
]

_LAZY = {
    "render_ticket": "printer.layout",
    "build_ticket_bytes": "printer.ticket_bytes",
    "build_test_page": "printer.testpage",
    "open_printer": "printer.transport",
    "Printer": "printer.base",
    "PrinterStatus": "printer.base",
}


def __getattr__(name):
    """Load the heavier submodules (Pillow, segno, escpos) on first use."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'printer' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
