"""Administration: offices, services, cabinets, kiosks, hours, users and the audit log, in the browser."""
from flask import Blueprint

bp = Blueprint("admin", __name__, template_folder="templates")

from kezek.admin import routes, office_routes, service_routes, user_routes, setup_routes, node_routes  # noqa: E402,F401
from kezek.admin import words  # noqa: E402,F401
