"""The centre's page of office nodes: each office's node, when it last made contact, how far behind it is, its
revocation, and the settings changed at both ends (the centre's value kept)."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from kezek.admin import bp
from kezek.admin.audit_words import Names, changes
from kezek.admin.forms import ButtonForm
from kezek.admin.view_helpers import require_regional
from kezek.clock import app_now
from kezek.extensions import db
from kezek.models import AuditEntry, Node, Office
from kezek.nodes.down import CONFLICT
from kezek.nodes import registry as node_registry  # a module: kezek.nodes.registry may be loading (via devices)

CONFLICTS_SHOWN = 50


def ago(now: datetime, moment: datetime | None) -> str:
    """How long ago `moment` was, in words ("never" when it never was)."""
    if moment is None:
        return _("never")
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 60:
        return _("%(minutes)d min ago", minutes=minutes)
    if minutes < 48 * 60:
        return _("%(hours)d h %(minutes)d min ago", hours=minutes // 60, minutes=minutes % 60)
    return ngettext("%(num)d day ago", "%(num)d days ago", minutes // (24 * 60))


def _state(node: Node) -> str:
    if node.credential_hash:
        return _("enrolled")
    if node.revoked_at is not None:
        return _("revoked")
    return _("waiting for enrolment")


@bp.get("/nodes")
def nodes():
    """Every office node at the centre, by office, with its state, its contact and what still waits at it."""
    require_regional()
    now = app_now()
    rows = db.session.execute(select(Node, Office).join(Office, Office.id == Node.office_id)
                              .order_by(Office.slug, Node.name)).all()
    offices = {office.id for _node, office in rows}
    conflicts = db.session.scalars(select(AuditEntry).where(AuditEntry.action == CONFLICT,
                                                            AuditEntry.office_id.in_(offices))
                                   .order_by(AuditEntry.at.desc()).limit(CONFLICTS_SHOWN)).all()
    listed = [{"node": node, "office": office, "state": _state(node),
               "waiting": max(0, node.head_seq - node.acked_seq) if node.head_seq is not None else None,
               "contact": ago(now, node.last_contact_at), "batch": ago(now, node.last_sync_at)}
              for node, office in rows]
    return render_template("admin/nodes.html", nodes=listed, conflicts=conflicts, names=Names.load(db.session),
                           changes=changes, form=ButtonForm(), zone=ZoneInfo(current_app.config["TIMEZONE"]))


@bp.post("/nodes/<int:node_id>/revoke")
def revoke_node(node_id: int):
    """Take a node's credential away: its next request is refused, it stops syncing and says so."""
    require_regional()
    node = db.session.get(Node, node_id)
    if node is None:
        abort(404)
    if not ButtonForm().validate_on_submit():
        abort(400)
    with db.write_lock:
        node_registry.revoke(db.session, current_user, node, app_now())
        db.session.commit()
    flash(_("Node %(name)s revoked: it syncs no more until it is enrolled again (kezek node code).", name=node.name),
          "ok")
    return redirect(url_for(".nodes"), 303)
