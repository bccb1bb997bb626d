"""Which printer URLs the server opens: a kiosk's printer field reaches printers, never files or other services."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import parse_qs, unquote, urlsplit

from printer.errors import PrinterError

# The raw-printing port of network printers (JetDirect / AppSocket).
PRINTER_PORT = 9100
# Schemes whose URL names a path on the server: writing a ticket there writes (or creates) that file.
PATH_SCHEMES = ("file", "dummy", "serial")
SCHEMES = ("tcp", "usb", "cups", "agent", *PATH_SCHEMES)


def _place(url: str) -> tuple[str, str, str]:
    """(scheme, normalised path, CUPS host) of a URL, so `/dev/../x` and `/x` compare equal."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme in PATH_SCHEMES:
        path = unquote(parts.netloc + parts.path) if scheme == "dummy" else unquote(parts.path)
        return scheme, posixpath.normpath(path) if path else "", ""
    host = parse_qs(parts.query).get("host", [""])[-1]
    return scheme, unquote(parts.netloc or parts.path.strip("/")), host


@dataclass(frozen=True)
class PrinterPolicy:
    """The server's own list of file/dummy/serial printers (and remote CUPS hosts) and its printer ports.

    A URL typed into the web's printer field may name a network printer on a printer port, a USB
    printer, a queue of the local CUPS or a print agent; a file, a folder, a serial device or another
    CUPS server only when the server's configuration lists that exact URL.
    """

    local: frozenset[str] = field(default_factory=frozenset)
    ports: frozenset[int] = frozenset({PRINTER_PORT})

    @classmethod
    def from_settings(
        cls, local: list[str] | tuple[str, ...], ports: list[int] | tuple[int, ...], default_url: str = ""
    ) -> "PrinterPolicy":
        """A policy from the settings: the configured local printers (plus the default printer) and ports."""
        places = {_place(url) for url in [*local, default_url] if url and "://" in url}
        return cls(local=frozenset("\0".join(place) for place in places), ports=frozenset({PRINTER_PORT, *ports}))

    def _listed(self, url: str) -> bool:
        return "\0".join(_place(url)) in self.local

    def refusal(self, url: str) -> str | None:
        """Why a printer URL from the web may not be saved ("scheme", "local", "port"), or None."""
        text = (url or "").strip()
        if not text:
            return None
        scheme, sep, _rest = text.partition("://")
        scheme = scheme.lower()
        if not sep or scheme not in SCHEMES:
            return "scheme"
        try:
            parts = urlsplit(text)
            port = parts.port
        except ValueError:
            return "scheme"
        if scheme == "tcp":
            return None if (port or PRINTER_PORT) in self.ports else "port"
        return self.use_refusal(text)

    def use_refusal(self, url: str) -> str | None:
        """Why the server may not open a stored printer URL now ("local"), or None.

        Checked on every print, test page and status check, so a file URL saved before this rule
        (or written into the database by hand) is not opened either.
        """
        try:
            scheme, _path, host = _place(url)
        except ValueError:
            return None  # open_printer answers bad_url for it
        if (scheme in PATH_SCHEMES or (scheme == "cups" and host)) and not self._listed(url):
            return "local"
        return None

    def open(self, url: str, timeout: float = 5.0):
        """The Printer for `url` if this policy lets the server open it; PrinterError(bad_url) if not."""
        from printer.transport import open_printer

        if self.use_refusal(url):
            raise PrinterError("bad_url", "this printer is not in the server's list of local printers")
        return open_printer(url, timeout=timeout)
