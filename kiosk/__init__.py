"""The touch kiosk where visitors take numbered tickets."""
from flask import Blueprint

bp = Blueprint("kiosk", __name__, template_folder="templates")

from kiosk import routes  # noqa: E402,F401
from kiosk import printing_routes  # noqa: E402,F401
from kiosk import events  # noqa: E402,F401
