"""The app's background services, started where the app or the command starts: the print worker."""
from __future__ import annotations

from flask import Flask

from kezek.clock import app_now
from kezek.extensions import db
from kezek.printing import printer_policy


def start_printing(app: Flask) -> None:
    """Start `app`'s print worker with the app's settings (once): it prints the journal's unsent jobs.

    Called when a server starts serving, and again (doing nothing then) on the first request or board
    connection, for servers started another way.
    """
    config = app.config
    with app.app_context():
        write_lock = db.write_lock
    app.extensions["kezek.print_worker"].start(
        clock=lambda: app_now(app),
        timeout=float(config.get("PRINTER_TIMEOUT", 5.0)),
        retry_seconds=config.get("PRINT_RETRY_SECONDS", (2.0, 60.0)),
        write_lock=write_lock,
        policy=printer_policy(config),
    )
