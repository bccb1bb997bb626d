"""Printers named by URL (tcp, usb, serial, cups, file, dummy): the dummy printer and `open_printer`.

`Printer` and `PrinterStatus` live in printer.base, which the network and device printers build on;
they are imported here too, as callers have always found them here.
"""

import itertools
import os
import time
from urllib.parse import parse_qs, unquote, urlsplit

from printer.base import Printer, PrinterStatus
from printer.devices import device_printer
from printer.errors import PrinterError
from printer.network import NetworkPrinter

# numbers the files of folder dummies across all Printer objects of this process
_JOB_NUMBERS = itertools.count(1)


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
        if not parts.hostname:
            raise _bad(url, "no host")
        return NetworkPrinter(url, parts.hostname, port or 9100, timeout, check=query.get("status", "on") != "off")
    if scheme in ("usb", "serial", "cups", "file"):
        return device_printer(url, scheme, parts, query, timeout)
    raise _bad(url, f"unknown scheme {scheme!r}")


__all__ = ["DummyPrinter", "Printer", "PrinterStatus", "open_printer"]
