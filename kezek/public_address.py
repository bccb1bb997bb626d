"""The address phones reach the server at (the ticket's QR code): never taken from an untrusted Host header."""
from __future__ import annotations

import socket

from flask import Flask, current_app, request

from kezek.services import current_services

# Only for working out this machine's own address: connecting a UDP socket sends nothing.
_PROBE = ("10.255.255.255", 1)


def own_address(host: str, port: int) -> str:
    """The http:// address `kezek serve --host HOST --port PORT` is reached at (all interfaces: this
    machine's address on its network)."""
    if host in ("0.0.0.0", "::", ""):
        host = "127.0.0.1"
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
                probe.connect(_PROBE)
                host = probe.getsockname()[0]
        except OSError:
            pass
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def remember_served_address(app: Flask, host: str, port: int) -> None:
    """Let the QR code fall back to the address this process serves at, when no public address is set."""
    app.config.setdefault("SERVED_URL", own_address(host, port))


def public_base() -> str:
    """KEZEK_PUBLIC_URL; else the request's own address where KEZEK_TRUSTED_HOSTS vets its Host; else the
    address `kezek serve` listens on; else http://localhost (with a warning in the log, once)."""
    config = current_app.config
    if config.get("PUBLIC_URL"):
        return config["PUBLIC_URL"]
    if config.get("TRUSTED_HOSTS"):
        return request.url_root  # Flask has refused the request with 400 if its Host is not trusted
    if config.get("SERVED_URL"):
        return config["SERVED_URL"]
    found = current_services()
    if not found.public_address_warned:
        found.public_address_warned = True
        current_app.logger.warning("KEZEK_PUBLIC_URL is not set: ticket QR codes point at http://localhost; set it "
                                   "to the address phones reach this server at")
    return "http://localhost"
