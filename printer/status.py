"""Reading ESC/POS real-time status (DLE EOT 1, 2, 4) into a PrinterStatus and the printer's state."""

from printer.base import PrinterStatus
from printer.errors import PrinterError

# The states a kiosk's printer is shown in; an answer that does not read as a status is "unknown".
READY, NEAR_END, PAPER_OUT, COVER_OPEN, OFFLINE, UNKNOWN = (
    "ready",
    "paper_near_end",
    "paper_out",
    "cover_open",
    "offline",
    "unknown",
)
STATES = (READY, NEAR_END, PAPER_OUT, COVER_OPEN, OFFLINE, UNKNOWN)
# The states in which a ticket cannot be printed: the kiosk says so before the tap.
CANNOT_PRINT = (PAPER_OUT, COVER_OPEN, OFFLINE)

# DLE EOT 1 (printer), 2 (offline cause), 4 (roll paper sensor); Epson allows four queries at once
STATUS_QUERY = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


def _valid(byte: int) -> bool:
    # every status byte has bit 1 and bit 4 set and bit 0 and bit 7 clear
    return byte & 0x93 == 0x12


def printer_state(answer: bytes) -> str:
    """The printer's state from the three answer bytes of STATUS_QUERY (DLE EOT 1, 2 and 4).

    The masks are python-escpos's (`RT_MASK_ONLINE`, `RT_MASK_NOPAPER`, `RT_MASK_LOWPAPER`) with the
    offline cause's cover bit; unlike python-escpos's helpers, which call a printer that said nothing
    online with plenty of paper, an answer that is not three well-formed status bytes is UNKNOWN.
    """
    from escpos.constants import RT_MASK_LOWPAPER, RT_MASK_NOPAPER, RT_MASK_ONLINE

    if not isinstance(answer, (bytes, bytearray)) or len(answer) != 3 or not all(_valid(b) for b in answer):
        return UNKNOWN
    printer, cause, paper = answer
    if cause & 0x04:
        return COVER_OPEN
    if paper & RT_MASK_NOPAPER == RT_MASK_NOPAPER or cause & 0x20:
        return PAPER_OUT
    if printer & RT_MASK_ONLINE or cause & 0x40:
        return OFFLINE
    if paper & RT_MASK_LOWPAPER == RT_MASK_LOWPAPER:
        return NEAR_END
    return READY


def parse_status(answer: bytes):
    """A PrinterStatus from the three answer bytes of STATUS_QUERY."""
    if len(answer) != 3 or not all(_valid(b) for b in answer):
        return PrinterStatus(
            online=True,
            paper="unknown",
            cover_open=None,
            detail=f"unrecognised status answer {answer.hex()}",
            state=UNKNOWN,
            answer=bytes(answer),
        )
    printer, cause, paper = answer
    cover_open = bool(cause & 0x04)
    if paper & 0x60 == 0x60 or cause & 0x20:
        paper_state = "out"
    elif paper & 0x0C == 0x0C:
        paper_state = "near_end"
    else:
        paper_state = "ok"
    online = not printer & 0x08
    notes = []
    if cover_open:
        notes.append("cover open")
    if paper_state != "ok":
        notes.append(f"paper {paper_state.replace('_', ' ')}")
    if cause & 0x40:
        notes.append("error")
    if not online and not notes:
        notes.append("offline")
    return PrinterStatus(
        online=online,
        paper=paper_state,
        cover_open=cover_open,
        detail=", ".join(notes) or "ready",
        state=printer_state(answer),
        answer=bytes(answer),
    )


def raise_for_status(status, printed: bool = False) -> None:
    """Raise PrinterError when the status says a ticket cannot be (or was not) printed."""
    when = "after the ticket was sent" if printed else "before printing"
    if status.paper == "out":
        raise PrinterError("paper_out", f"paper out {when}")
    if status.cover_open:
        raise PrinterError("cover_open", f"cover open {when}")
    if not status.online:
        raise PrinterError("offline", f"printer offline {when}: {status.detail}")
