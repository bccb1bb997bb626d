"""At an enrolled office node, what the region owns is read-only: its edit pages say so and refuse to save.

Services, visit kinds and their limits, the directory and staff accounts come from the centre with
every new version of the office's data (kezek.nodes.down); a change saved at the node would be
replaced at the next sync, so the node refuses it and says where to make it. A node the centre
revoked is on its own again, and these pages work as at any installation.
"""
from __future__ import annotations

from flask import render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from kezek.extensions import db
from kezek.models import ADMIN, CentreLink
from kezek.nodes import bp

# The pages that change what the centre owns (GET shows the form with a note, POST is refused).
CENTRE_OWNED = frozenset({
    "admin.service", "admin.visit_kind", "admin.remove_visit_kind", "admin.user", "admin.password",
    "directory.edit",
})
NOTE_ON = CENTRE_OWNED | {"admin.services", "admin.users"}


def is_enrolled_node() -> bool:
    """Whether this installation is an office node taking the region's data from a centre now."""
    if db.engine.dialect.name != "sqlite":
        return False
    try:
        return db.session.scalar(select(CentreLink.id).where(CentreLink.revoked_at.is_(None))) is not None
    except SQLAlchemyError:  # a database not yet upgraded has no link: not a node
        db.session.rollback()
        return False


def centre_owned_message() -> str:
    """Where to change what the centre owns."""
    return _("This office node takes services, visit kinds and their limits, the directory and staff accounts from "
             "the regional centre: change them there. Changes reach this office at the next sync.")


@bp.app_template_global("centre_owned_note")
def centre_owned_note() -> str:
    """The note for the page shown now, when it edits what the centre owns at a node; empty otherwise."""
    if request.endpoint not in NOTE_ON or not is_enrolled_node():
        return ""
    return centre_owned_message()


@bp.before_app_request
def refuse_centre_owned_changes():
    """An administrator's save of what the centre owns, at a node: refused, with where to make it."""
    if request.method != "POST" or request.endpoint not in CENTRE_OWNED:
        return None
    if not current_user.is_authenticated or current_user.role != ADMIN or not is_enrolled_node():
        return None  # others get what the page gives them (sign-in, 403)
    return render_template("admin/refused.html", message=centre_owned_message(), back=url_for("admin.index")), 409
