"""The clerk console: pick a cabinet, call and serve visitors."""
from flask import Blueprint

bp = Blueprint("console", __name__, template_folder="templates")

from kezek.console import events, routes  # noqa: E402,F401
