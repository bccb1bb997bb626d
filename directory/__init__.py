"""The office directory: departments, akimats and the regional department, in pages and on the kiosk."""
from flask import Blueprint

bp = Blueprint("directory", __name__, template_folder="templates")

# The pages first: the editing and live routes take helpers from them.
from directory import routes  # noqa: E402,F401
from directory import edit_routes  # noqa: E402,F401
from directory import live_routes  # noqa: E402,F401
