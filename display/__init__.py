"""The display board: a TV page that calls numbers to cabinets in real time."""
from flask import Blueprint

bp = Blueprint("display", __name__, template_folder="templates")

from display import events, routes  # noqa: E402,F401
