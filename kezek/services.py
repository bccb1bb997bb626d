"""The app's background services: the print worker, made with the app and started where serving starts."""
from __future__ import annotations

from typing import Any

from flask import Flask

from kezek.clock import app_now
from kezek.extensions import db
from kezek.printing import PrintWorker, printer_policy


def init_app(app: Flask) -> None:
    """Give `app` its print worker, not started yet: it takes the app's settings when it starts."""
    app.extensions["kezek.print_worker"] = PrintWorker(app.extensions["kezek.db"], app.config["PRINTER_URL"],
                                                       settings=lambda: printing_settings(app))


def printing_settings(app: Flask) -> dict[str, Any]:
    """The print worker's settings from `app`'s, read when it starts (a test may change them before)."""
    config = app.config
    with app.app_context():
        write_lock = db.write_lock
    return {
        "clock": lambda: app_now(app),
        "timeout": float(config.get("PRINTER_TIMEOUT", 5.0)),
        "retry_seconds": config.get("PRINT_RETRY_SECONDS", (2.0, 60.0)),
        "write_lock": write_lock,
        "policy": printer_policy(config),
    }


def start_printing(app: Flask) -> None:
    """Start `app`'s print worker (once): it prints the journal's unsent jobs, those a stop left too.

    Called where serving starts: `kezek serve` and `kezek demo` once the server is up, kezek/wsgi.py
    for a gunicorn of one's own. A worker nobody started starts with its first job (PrintWorker.submit).
    """
    app.extensions["kezek.print_worker"].start()
