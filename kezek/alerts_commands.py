"""`kezek check-alerts`: check every office's alerts once or on a timer (a server checks them by itself too:
kezek/alerts/checker.py)."""
from __future__ import annotations

import time

import click
from flask import Flask, current_app

from kezek.alerts.checker import check_all


def init_app(app: Flask) -> None:
    """Register the command on `app.cli`."""

    @app.cli.command("check-alerts")
    @click.option("--every", type=click.IntRange(0, 3600), default=0,
                  help="check again every this many seconds, until stopped (default: once)")
    def check_alerts_command(every):
        """Raise, repeat and end every office's alerts, and e-mail new ones, as an open live floor does."""
        # Links in the e-mail point at the address phones and staff reach the server at.
        base = current_app.config.get("PUBLIC_URL") or "http://localhost"
        while True:
            with current_app.test_request_context("/", base_url=base):
                click.echo(f"{check_all()} alert(s) raised or shown again")
            if not every:
                return
            time.sleep(every)
