"""The phone status page a visitor opens from the ticket's QR code."""
from flask import Blueprint

bp = Blueprint("phone", __name__, template_folder="templates")

from phone import routes  # noqa: E402,F401
