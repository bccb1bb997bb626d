"""Devices: enrolling kiosks, boards and feedback tablets, their heartbeats, the health page, voiding a burst."""
from flask import Blueprint

bp = Blueprint("devices", __name__, template_folder="templates")

from kezek.devices import routes, manage_routes  # noqa: E402,F401
