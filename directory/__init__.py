"""The office directory: departments, akimats and the regional department, in pages and on the kiosk."""
from flask import Blueprint

bp = Blueprint("directory", __name__, template_folder="templates")

from directory import routes  # noqa: E402,F401
