"""Printers named by URL (tcp, usb, serial, cups, file, dummy): send bytes, read status."""
import itertools
import os
import time
from dataclasses import dataclass
from urllib.parse import parse_qs, unquote, urlsplit

from printer.errors import PrinterError

# numbers the files of folder dummies across all Printer objects of this process
_JOB_NUMBERS = itertools.count(1)


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


class DummyPrinter(Printer):
    """Records jobs: in memory (`.jobs`) or, with a folder, as `<timestamp>-<n>.bin` files there."""

    def __init__(self, url: str, folder: str | None = None):
        self.url = url
        self.folder = folder
        self.jobs: list[bytes] = []

    def send(self, data: bytes) -> None:
        """Keep the job in `.jobs` and, with a folder, write it to a new file (making the folder on the first job)."""
        self.jobs.append(bytes(data))
        if self.folder:
            try:
                os.makedirs(self.folder, exist_ok=True)
            except OSError as error:
                raise PrinterError("offline", f"cannot create dummy folder {self.folder}: {error}") from error
            stamp = time.strftime("%Y%m%dT%H%M%S")
            path = os.path.join(self.folder, f"{stamp}-{next(_JOB_NUMBERS)}.bin")
            try:
                with open(path, "xb") as out:
                    out.write(data)
            except FileExistsError:
                # another process printed into the same folder this second
                path = os.path.join(self.folder, f"{stamp}-{next(_JOB_NUMBERS)}-{os.getpid()}.bin")
                with open(path, "xb") as out:
                    out.write(data)
            except OSError as error:
                raise PrinterError("offline", f"cannot write {path}: {error}") from error

    def status(self) -> PrinterStatus:
        """A dummy printer is ready; asking creates nothing (the folder is made by the first job)."""
        return PrinterStatus(online=True, paper="ok", cover_open=False, detail="dummy printer", state="ready")


def _bad(url: str, why: str) -> PrinterError:
    return PrinterError("bad_url", f"{why} in printer URL {url!r}")


def open_printer(url: str, timeout: float = 5.0) -> Printer:
    """A Printer for `url` (tcp://, usb://, serial://, cups://, file://, dummy://); bad_url if malformed."""
    if not isinstance(url, str) or "://" not in url:
        raise _bad(str(url), "no scheme")
    try:
        parts = urlsplit(url.strip())
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        port = parts.port if parts.scheme.lower() == "tcp" else None
    except ValueError as error:
        raise _bad(url, str(error)) from error
    scheme = parts.scheme.lower()
    if scheme == "dummy":
        path = unquote(parts.netloc + parts.path)
        return DummyPrinter(url, folder=path or None)
    if scheme == "tcp":
        from printer.network import NetworkPrinter

        if not parts.hostname:
            raise _bad(url, "no host")
        return NetworkPrinter(url, parts.hostname, port or 9100, timeout, check=query.get("status", "on") != "off")
    if scheme in ("usb", "serial", "cups", "file"):
        from printer.devices import device_printer

        return device_printer(url, scheme, parts, query, timeout)
    raise _bad(url, f"unknown scheme {scheme!r}")
