"""What every printer offers: `send(data)` and `status()`, and the status it reports."""

from dataclasses import dataclass


@dataclass
class PrinterStatus:
    """What the printer said about itself; paper is "ok", "near_end", "out" or "unknown".

    `state` sums it up as one of printer.status.STATES: "unknown" unless the printer answered a
    status it was understood by (or, offline, did not answer at all).
    """

    online: bool
    paper: str
    cover_open: bool | None
    detail: str
    state: str = ""
    # The printer's own answer to DLE EOT 1, 2, 4 when it gave one (the print agent passes it to the server).
    answer: bytes = b""

    def __post_init__(self):
        if not self.state:
            self.state = "unknown" if self.online else "offline"


class Printer:
    """Base printer: `send(data)` prints one job, `status()` reports the printer's state."""

    url = ""

    def send(self, data: bytes) -> None:
        """Print one job, raising PrinterError when it cannot."""
        raise NotImplementedError

    def status(self) -> PrinterStatus:
        """Ask the printer how it is; never raises for a printer that is just unreachable."""
        return PrinterStatus(online=True, paper="unknown", cover_open=None, detail="no status channel")

    def __repr__(self):
        return f"<{type(self).__name__} {self.url}>"
