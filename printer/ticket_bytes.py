"""A ticket's ESC/POS bytes: the rendered image as raster bands, or the text-only fallback."""

from printer.escpos_bytes import INIT, finish, raster, resolve
from printer.layout import render_ticket
from printer.textmode import ticket_text_bytes
from printer.ticket import TicketPrint


def build_ticket_bytes(
    ticket: TicketPrint, profile: str = "TM-T20II", width_dots: int | None = None, mode: str = "raster"
) -> bytes:
    """ESC/POS bytes for one ticket; mode "raster" (default, exact Kazakh) or "text" (small, for slow lines)."""
    found, width = resolve(profile, width_dots)
    if mode == "text":
        return INIT + ticket_text_bytes(ticket, found, width) + finish(found)
    if mode != "raster":
        raise ValueError(f"unknown ticket mode {mode!r}")
    return INIT + raster(render_ticket(ticket, width)) + finish(found)
