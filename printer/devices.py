"""USB, serial, CUPS and device-file printers, each a python-escpos class opened per job."""

import os
import time
from urllib.parse import unquote

from printer.base import Printer, PrinterStatus
from printer.errors import PrinterError
from printer.profiles import import_escpos
from printer.status import STATUS_QUERY, parse_status, raise_for_status

_EXTRAS = {
    "usb": "python-escpos[usb] (pyusb)",
    "serial": "python-escpos[serial] (pyserial)",
    "cups": "python-escpos[cups] (pycups)",
}


def _failure(error: BaseException, doing: str) -> PrinterError:
    """Map an error from pyusb, pyserial, pycups or the OS to a PrinterError."""
    if isinstance(error, PrinterError):
        return error
    name = type(error).__name__
    if isinstance(error, TimeoutError) or "Timeout" in name or "timed out" in str(error).lower():
        return PrinterError("timeout", f"{name} while {doing}: {error}")
    if doing == "connecting":
        return PrinterError("offline", f"{name} while {doing}: {error}")
    return PrinterError("disconnected", f"{name} while {doing}: {error}")


class DevicePrinter(Printer):
    """A locally attached printer driven through one python-escpos printer class."""

    def __init__(self, url: str, kind: str, cls: str, options: dict, timeout: float, check: bool):
        self.url, self.kind, self.timeout, self.check = url, kind, timeout, check
        self._cls, self._options = cls, options

    def _open(self):
        try:
            escpos = import_escpos()
            cls = getattr(escpos, self._cls)
            # checked before creating the object: python-escpos objects without their library fail in __del__
            if not cls.is_usable():
                raise PrinterError("offline", f"{self.kind} printers need {_EXTRAS[self.kind]} installed")
            device = cls(**self._options)
            device.open()
            return device
        except PrinterError:
            raise
        except Exception as error:  # DeviceNotFoundError keeps the OS error as its context
            raise _failure(error.__context__ or error, "connecting") from error

    def _query(self, device) -> bytes:
        device._raw(STATUS_QUERY)
        deadline, answer = time.monotonic() + self.timeout, b""
        while len(answer) < 3:
            if time.monotonic() > deadline:
                raise PrinterError("timeout", f"printer did not answer DLE EOT within {self.timeout:g} s")
            if self.kind == "serial":
                # python-escpos reads 16 bytes, which on a serial line always waits out the timeout
                answer += bytes(device.device.read(3 - len(answer)))
            else:
                answer += bytes(device._read() or b"")
        return answer[-3:]

    def _can_query(self) -> bool:
        return self.check and self.kind in ("usb", "serial")

    def send(self, data: bytes) -> None:
        """Print one job; PrinterError with the reason when the device is missing or fails."""
        device = self._open()
        doing = "checking status"
        try:
            if self._can_query():
                raise_for_status(parse_status(self._query(device)))
            doing = "sending the ticket"
            device._raw(data)
            doing = "finishing the job"
        except Exception as error:
            raise _failure(error, doing) from error
        finally:
            try:
                device.close()  # a CUPS job is submitted here
            except Exception as error:
                if doing == "finishing the job":
                    raise _failure(error, doing) from error

    def status(self) -> PrinterStatus:
        """DLE EOT status for USB and serial; CUPS printers only report that they open.

        A file printer is never opened to ask: opening it for writing would empty a regular file.
        """
        if self.kind == "file":
            path = self._options["devfile"]
            ready = os.path.exists(path) and os.access(path, os.W_OK)
            return PrinterStatus(
                online=ready,
                paper="unknown",
                cover_open=None,
                detail="file printer; not opened to check" if ready else f"cannot write {path}",
            )
        try:
            device = self._open()
        except PrinterError as error:
            return PrinterStatus(online=False, paper="unknown", cover_open=None, detail=str(error))
        try:
            if not self._can_query():
                return PrinterStatus(
                    online=True,
                    paper="unknown",
                    cover_open=None,
                    detail=f"{self.kind} printer opened; no status channel",
                )
            return parse_status(self._query(device))
        except Exception as error:
            return PrinterStatus(
                online=False, paper="unknown", cover_open=None, detail=str(_failure(error, "reading status"))
            )
        finally:
            try:
                device.close()
            except Exception:
                pass


def _bad(url: str, why: str) -> PrinterError:
    return PrinterError("bad_url", f"{why} in printer URL {url!r}")


def _hex(url: str, text: str) -> int:
    try:
        return int(text, 16)
    except ValueError:
        raise _bad(url, f"{text!r} is not a hexadecimal USB id") from None


def device_printer(url: str, scheme: str, parts, query: dict[str, str], timeout: float) -> DevicePrinter:
    """Build the DevicePrinter for a usb://, serial://, cups:// or file:// URL."""
    check = query.get("status", "on") != "off"
    path = unquote(parts.path)
    if scheme == "usb":
        ids = parts.netloc.split(":")
        if len(ids) != 2 or not all(ids):
            raise _bad(url, "expected usb://VID:PID")
        vendor, product = _hex(url, ids[0]), _hex(url, ids[1])
        endpoints = {key: _hex(url, query[key].removeprefix("0x")) for key in ("in_ep", "out_ep") if key in query}
        options = {"idVendor": vendor, "idProduct": product, "timeout": int(timeout * 1000), **endpoints}
        return DevicePrinter(url, "usb", "Usb", options, timeout, check)
    if scheme == "serial":
        if parts.netloc or not path.startswith("/"):
            raise _bad(url, "expected serial:///dev/ttyUSB0 (three slashes)")
        try:
            baud = int(query.get("baud", "9600"))
        except ValueError:
            raise _bad(url, "baud is not a number") from None
        flow = query.get("flow", "dsrdtr")
        if flow not in ("dsrdtr", "xonxoff", "none"):
            raise _bad(url, "flow must be dsrdtr, xonxoff or none")
        options = {
            "devfile": path,
            "baudrate": baud,
            "timeout": timeout,
            "dsrdtr": flow == "dsrdtr",
            "xonxoff": flow == "xonxoff",
        }
        return DevicePrinter(url, "serial", "Serial", options, timeout, check)
    if scheme == "cups":
        queue = unquote(parts.netloc or path.strip("/"))
        if not queue or "/" in queue:
            raise _bad(url, "expected cups://QueueName")
        options = {"printer_name": queue, **({"host": query["host"]} if "host" in query else {})}
        return DevicePrinter(url, "cups", "CupsPrinter", options, timeout, False)
    if parts.netloc not in ("", "localhost") or not path.startswith("/"):
        raise _bad(url, "expected file:///absolute/path")
    return DevicePrinter(url, "file", "File", {"devfile": path}, timeout, False)
