"""Manager reports: the wait-time log, compliance with the limits, annex 2, visitor feedback, decision dates."""
from flask import Blueprint

bp = Blueprint("reports", __name__, template_folder="templates")

from kezek.reports import annex_routes, feedback_routes, routes  # noqa: E402,F401
