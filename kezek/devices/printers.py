"""A kiosk's printer as its heartbeat finds it: asked at most every PRINTER_CHECK_SECONDS, decoded to one state."""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app

from kezek.models import Device
from kezek.printing import is_agent, printer_url


def check_printer(device: Device, now: datetime) -> tuple[str, str, datetime] | None:
    """Ask the kiosk's printer how it is when the last answer is old: (state, detail, when); None when still fresh.

    A printer behind a print agent on the kiosk PC is not reachable from here: the agent reports its
    status bytes with its job requests (`agent_status`); until it has, the state is unknown.
    """
    every = timedelta(seconds=float(current_app.config.get("PRINTER_CHECK_SECONDS", 30)))
    if device.printer_checked_at is not None and now - device.printer_checked_at < every:
        return None
    url = printer_url(device.kiosk, current_app.config["PRINTER_URL"])
    if is_agent(url):
        if device.printer_checked_at is None:
            return "unknown", "print agent: no report yet", now
        if now - device.printer_checked_at > 4 * every:  # the agent reports every 30 s while it runs
            return "offline", "the print agent on the kiosk PC has stopped reporting", device.printer_checked_at
        return None
    from printer import PrinterError, open_printer

    try:
        status = open_printer(url, timeout=float(current_app.config.get("PRINTER_STATUS_TIMEOUT", 1.0))).status()
    except PrinterError as error:
        return "offline" if error.reason != "bad_url" else "unknown", error.reason, now
    return status.state, status.detail, now


def agent_status(device: Device, answer_hex: str, now: datetime) -> None:
    """Record what a kiosk's print agent read from its printer: status bytes in hex, "" (no answer) or "-" (no
    status channel). The caller commits. Bytes the server does not understand give "unknown", never ready.
    """
    from printer.status import OFFLINE, UNKNOWN, printer_state

    if answer_hex == "-":
        state, detail = UNKNOWN, "print agent: the printer has no status channel"
    elif not answer_hex:
        state, detail = OFFLINE, "print agent: the printer did not answer"
    else:
        try:
            answer = bytes.fromhex(answer_hex[:16])
        except ValueError:
            answer = b""
        state, detail = printer_state(answer), f"print agent: status {answer_hex[:16]}"
    device.printer_state, device.printer_detail, device.printer_checked_at = state, detail, now
