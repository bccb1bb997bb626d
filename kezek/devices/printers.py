"""A kiosk's printer as its heartbeat finds it: asked at most every PRINTER_CHECK_SECONDS, decoded to one state."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from kezek.models import Device
from kezek.printing import is_agent, printer_url


def check_printer(device: Device, now: datetime) -> tuple[str, str, datetime] | None:
    """Ask the kiosk's printer how it is when the last answer is old: (state, detail, when); None when still fresh.

    A printer behind a print agent on the kiosk PC is not reachable from here: its state is unknown
    unless the agent reports its status bytes (kezek.devices.printers.agent_status).
    """
    every = timedelta(seconds=float(current_app.config.get("PRINTER_CHECK_SECONDS", 30)))
    if device.printer_checked_at is not None and now - device.printer_checked_at < every:
        return None
    url = printer_url(device.kiosk, current_app.config["PRINTER_URL"])
    if is_agent(url):
        return None if device.printer_checked_at else ("unknown", "print agent", now)
    from printer import PrinterError, open_printer

    try:
        status = open_printer(url, timeout=float(current_app.config.get("PRINTER_STATUS_TIMEOUT", 1.0))).status()
    except PrinterError as error:
        return "offline" if error.reason != "bad_url" else "unknown", error.reason, now
    return status.state, status.detail, now


def agent_status(device: Device, answer_hex: str, now: datetime) -> None:
    """Record the status bytes a kiosk's print agent read from its printer (hex); the caller commits."""
    from printer.status import printer_state

    try:
        answer = bytes.fromhex(answer_hex[:16])
    except ValueError:
        answer = b""
    state = printer_state(answer)
    device.printer_state, device.printer_detail, device.printer_checked_at = state, f"agent: {answer.hex()}", now
