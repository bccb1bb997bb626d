"""Network printers (raw TCP, usually port 9100) through python-escpos's Network class."""

import errno
import re
import select
import socket
import time

from printer.base import Printer, PrinterStatus
from printer.errors import PrinterError
from printer.profiles import import_escpos
from printer.status import STATUS_QUERY, parse_status, raise_for_status

CHUNK = 4096
# A printer may answer a DLE EOT pattern that happens to occur inside raster data
_STRAY_QUERY = re.compile(rb"\x10\x04[\x01-\x05]")
_STRAY_WAIT = 0.05


def _classify(error: BaseException, doing: str) -> PrinterError:
    """Turn a socket-level failure into a PrinterError with the right reason."""
    if isinstance(error, PrinterError):
        return error
    if isinstance(error, (socket.timeout, TimeoutError)):
        return PrinterError("timeout", f"no answer while {doing}")
    if isinstance(error, ConnectionRefusedError):
        return PrinterError("refused", f"connection refused while {doing}")
    if isinstance(error, (BrokenPipeError, ConnectionResetError, ConnectionAbortedError)):
        return PrinterError("disconnected", f"printer closed the connection while {doing}")
    if isinstance(error, socket.gaierror):
        return PrinterError("offline", f"cannot resolve printer host ({error})")
    if isinstance(error, OSError) and error.errno in (errno.EHOSTUNREACH, errno.ENETUNREACH, errno.EHOSTDOWN):
        return PrinterError("offline", f"printer unreachable while {doing} ({error})")
    return PrinterError("offline", f"{type(error).__name__} while {doing}: {error}")


class NetworkPrinter(Printer):
    """A printer on tcp://host:port; checks DLE EOT status before and after each job unless ?status=off."""

    def __init__(self, url: str, host: str, port: int, timeout: float, check: bool = True):
        self.url, self.host, self.port, self.timeout, self.check = url, host, port, timeout, check

    def _connect(self):
        escpos = import_escpos()
        device = escpos.Network(self.host, self.port, timeout=self.timeout)
        try:
            device.open()
        except Exception as error:  # DeviceNotFoundError wraps the OSError as its context
            raise _classify(error.__context__ or error, "connecting") from error
        return device, device.device

    def _query(self, sock: socket.socket, strays: bool = False) -> bytes:
        """Send DLE EOT 1, 2 and 4 and collect the three status bytes within one timeout."""
        # drop stray answers, e.g. to a DLE EOT pattern that happened to occur inside raster data
        while select.select([sock], [], [], 0)[0]:
            if not sock.recv(256):
                raise PrinterError("disconnected", "printer closed the connection")
        sock.settimeout(self.timeout)
        sock.sendall(STATUS_QUERY)
        deadline = time.monotonic() + self.timeout
        answer = b""
        while len(answer) < 3:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise PrinterError("timeout", f"printer did not answer DLE EOT within {self.timeout:g} s")
            sock.settimeout(remaining)
            piece = sock.recv(16)
            if not piece:
                raise PrinterError("disconnected", "printer closed the connection instead of answering DLE EOT")
            answer += piece
        # stray answers come first; let any late ones arrive so the last three bytes are ours
        while strays and select.select([sock], [], [], _STRAY_WAIT)[0]:
            piece = sock.recv(256)
            if not piece:
                break
            answer += piece
        return answer[-3:]

    def send(self, data: bytes) -> None:
        """Print one job; raises PrinterError(reason) for refused, timeout, paper_out, cover_open, ..."""
        device, sock = self._connect()
        doing = "checking status"
        try:
            if self.check:
                raise_for_status(parse_status(self._query(sock)))
            doing = "sending the ticket"
            sock.settimeout(self.timeout)
            view = memoryview(data)
            for start in range(0, len(view), CHUNK):
                sock.sendall(view[start : start + CHUNK])
            doing = "confirming the ticket"
            if self.check:
                # the answer arrives only after the printer has read everything sent before it
                answer = self._query(sock, strays=bool(_STRAY_QUERY.search(data)))
                raise_for_status(parse_status(answer), printed=True)
            elif select.select([sock], [], [], 0)[0] and not sock.recv(16, socket.MSG_PEEK):
                raise PrinterError("disconnected", "printer closed the connection during the ticket")
        except Exception as error:
            raise _classify(error, doing) from error
        finally:
            device.close()

    def status(self) -> PrinterStatus:
        """Query DLE EOT status; an unreachable printer gives online=False with the reason in `detail`."""
        try:
            device, sock = self._connect()
        except PrinterError as error:
            return PrinterStatus(online=False, paper="unknown", cover_open=None, detail=str(error))
        try:
            return parse_status(self._query(sock))
        except Exception as error:
            failure = _classify(error, "reading status")
            return PrinterStatus(online=False, paper="unknown", cover_open=None, detail=str(failure))
        finally:
            device.close()
