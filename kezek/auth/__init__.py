"""Staff sign-in (with an optional authenticator code) and sign-out."""
from flask import Blueprint

bp = Blueprint("auth", __name__, template_folder="templates")

from kezek.auth import routes, twofactor_routes  # noqa: E402,F401
