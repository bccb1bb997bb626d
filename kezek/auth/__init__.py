"""Staff sign-in and sign-out."""
from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from kezek.auth import routes  # noqa: E402,F401
