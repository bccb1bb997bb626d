"""Reading ESC/POS real-time status (DLE EOT 1, 2, 4) into a PrinterStatus."""
from printer.errors import PrinterError

# DLE EOT 1 (printer), 2 (offline cause), 4 (roll paper sensor); Epson allows four queries at once
STATUS_QUERY = b"\x10\x04\x01\x10\x04\x02\x10\x04\x04"


def _valid(byte: int) -> bool:
    # every status byte has bit 1 and bit 4 set and bit 0 and bit 7 clear
    return byte & 0x93 == 0x12


def parse_status(answer: bytes):
    """A PrinterStatus from the three answer bytes of STATUS_QUERY."""
    from printer.transport import PrinterStatus

    if len(answer) != 3 or not all(_valid(b) for b in answer):
        return PrinterStatus(online=True, paper="unknown", cover_open=None,
                             detail=f"unrecognised status answer {answer.hex()}")
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
    return PrinterStatus(online=online, paper=paper_state, cover_open=cover_open,
                         detail=", ".join(notes) or "ready")


def raise_for_status(status, printed: bool = False) -> None:
    """Raise PrinterError when the status says a ticket cannot be (or was not) printed."""
    when = "after the ticket was sent" if printed else "before printing"
    if status.paper == "out":
        raise PrinterError("paper_out", f"paper out {when}")
    if status.cover_open:
        raise PrinterError("cover_open", f"cover open {when}")
    if not status.online:
        raise PrinterError("offline", f"printer offline {when}: {status.detail}")
