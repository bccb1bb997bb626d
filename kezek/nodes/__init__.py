"""Office nodes: the centre's endpoints where enrolled nodes enrol and ship their outbox (machine to machine)."""
from flask import Blueprint

bp = Blueprint("nodes", __name__)

from kezek.nodes import routes  # noqa: E402,F401
