"""The phone status page a visitor opens from the ticket's QR code, kept live over Socket.IO."""
from flask import Blueprint

bp = Blueprint("phone", __name__, template_folder="templates")

from kezek.phone import events, routes  # noqa: E402,F401
