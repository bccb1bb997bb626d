"""Manager reports: the live floor, the wait-time log, compliance with the limits, annex 2, visitor feedback, decision
dates, the staffing plan."""
from flask import Blueprint

bp = Blueprint("reports", __name__, template_folder="templates")

from kezek.reports import (  # noqa: E402,F401
    alert_routes, annex_routes, behind_routes, feedback_routes, floor_events, floor_routes, plan_routes, routes,
)
