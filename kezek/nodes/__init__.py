"""Office nodes: the centre's endpoints where enrolled nodes enrol and ship their outbox (machine to machine), and at
a node the refusal to edit what the centre owns."""
from flask import Blueprint

bp = Blueprint("nodes", __name__)

from kezek.nodes import readonly, routes  # noqa: E402,F401
