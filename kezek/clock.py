"""The application's clock: the one way code reads what time it is for the app (the CLOCK setting, which tests replace)."""
from __future__ import annotations

from datetime import datetime

from flask import Flask, current_app


def app_now(app: Flask | None = None) -> datetime:
    """The time now by `app`'s clock (the current app's inside a request or an app context), aware, in UTC."""
    return (app or current_app).config["CLOCK"]()
