"""The centre's node endpoints: a node trades its one-time code for a credential, then posts batches of its outbox.

JSON in and out; an error names its reason in `error` (for the node's logic) and `message` (for its
operator's log). The credential is the only authority, so the endpoints take no CSRF token.
"""
from __future__ import annotations

from flask import current_app, jsonify, request
from sqlalchemy.exc import IntegrityError

from kezek.clock import app_now
from kezek.extensions import csrf, db, limiter
from kezek.models import Office
from kezek.nodes import bp
from kezek.nodes.apply import apply_batch
from kezek.nodes.down import data_of, version_of
from kezek.nodes.registry import NodeRefused, authenticate, enrol, note_contact

# A batch of 500 entries is about 300 KB of JSON; the rest of the application keeps its small limit.
BATCH_BYTES = 8 * 1024 * 1024
STATUS = {"credential": 401, "revoked": 403, "gap": 409, "unknown": 409, "office": 403, "conflict": 409}


def _refused(refusal: NodeRefused):
    return jsonify(error=refusal.code, message=str(refusal)), STATUS.get(refusal.code, 400)


@bp.post("/enrol")
@limiter.limit("30 per minute")
def enrol_node():
    """Use a node's one-time enrolment code: answers the node's id, office and credential (shown nowhere else)."""
    body = request.get_json(silent=True)
    code = body.get("code") if isinstance(body, dict) else None
    with db.write_lock:
        done = enrol(db.session, code, app_now())
        if done is None:
            db.session.rollback()
            return jsonify(error="code", message="unknown, used or expired enrolment code"), 403
        node, credential = done
        office = db.session.get(Office, node.office_id)
        db.session.commit()
    return jsonify(node=node.id, name=node.name, office=office.slug, credential=credential, acked=node.acked_seq)


def _node_of_request():
    token = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    node_id, _, credential = token.partition(".")
    return authenticate(db.session, int(node_id) if node_id.isdigit() and len(node_id) < 10 else None, credential)


@bp.post("/down")
def send_settings():
    """The node's office's data (settings, services, directory, staff) and their version; only the version when the
    node has it already."""
    try:
        node = _node_of_request()
    except NodeRefused as refusal:
        return _refused(refusal)
    body = request.get_json(silent=True)
    data = data_of(db.session, db.session.get(Office, node.office_id))
    version = version_of(data)
    if note_contact(node, app_now()):
        with db.write_lock:
            db.session.commit()
    else:
        db.session.rollback()
    if isinstance(body, dict) and body.get("version") == version:
        return jsonify(version=version)
    return jsonify(version=version, data=data)


@bp.post("/up")
def receive_batch():
    """Apply one batch of a node's outbox; answers the last sequence number applied (`acked`)."""
    request.max_content_length = BATCH_BYTES
    body = request.get_json(silent=True)
    node = None
    try:
        node = _node_of_request()
        if body is None:
            raise NodeRefused("batch", "the body is not JSON (cut short?): nothing applied")
        with db.write_lock:
            acked = apply_batch(db.session, node, body, app_now())
            db.session.commit()
    except NodeRefused as refusal:
        db.session.rollback()
        answer, status = _refused(refusal)
        if refusal.code == "gap" and node is not None:
            answer = jsonify(error="gap", message=str(refusal), acked=node.acked_seq)
        return answer, status
    except IntegrityError as error:
        db.session.rollback()
        current_app.logger.warning("node batch refused: %s", error.orig)
        return _refused(NodeRefused("conflict", "a row of the batch conflicts with one the centre has (the same "
                                                "ticket number of the same day from another source?)"))
    return jsonify(acked=acked)


# The node's credential in the Authorization header is the only authority; a browser never sends it.
csrf.exempt(enrol_node)
csrf.exempt(receive_batch)
csrf.exempt(send_settings)
