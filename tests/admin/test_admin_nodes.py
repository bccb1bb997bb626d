"""The centre's page of office nodes: only the region's administrators see it; it says per office when each node
last made contact and how much still waits there, shows settings changed at both ends, and revokes a node."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from kezek.audit import record
from kezek.extensions import db as kezek_db
from kezek.models import Node
from kezek.nodes.down import CONFLICT
from kezek.nodes.registry import add_node, enrol, new_enrolment
from tests.conftest import CSRF, office_by_slug


def _node(app, clock) -> tuple[int, str]:
    """The demo office's node, enrolled an hour ago, its last batch 3 h ago with 12 changes still waiting there."""
    with app.app_context():
        session = kezek_db.session
        office = office_by_slug(session, "demo")
        node = add_node(session, None, office, "demo-node", clock())
        node, credential = enrol(session, new_enrolment(session, None, node, clock()), clock())
        node.acked_seq, node.head_seq = 30, 42
        node.last_sync_at = node.last_contact_at = clock() - timedelta(hours=3, minutes=5)
        record(session, None, CONFLICT, {"setting": "recalls_before_no_show",
                                         "changes": {"recalls_before_no_show": [2, 4]}}, office_id=office.id,
               at=clock() - timedelta(hours=4))
        session.commit()
        return node.id, f"{node.id}.{credential}"


def test_only_the_regions_administrators_see_the_nodes_page(app, client, auth, clock):
    _node(app, clock)
    auth.create("region", "admin", None)
    assert "/login" in client.get("/admin/nodes").headers["Location"]
    for username, role, office in (("clerk1", "clerk", "demo"), ("boss", "admin", "demo"),
                                   ("head", "regional_manager", None)):
        auth.create(username, role, office)
        auth.login(username)
        assert client.get("/admin/nodes").status_code == 403, username
    auth.login("region")
    page = client.get("/admin/nodes?lang=en").get_data(as_text=True)
    assert "demo-node" in page and "enrolled" in page
    assert "3 h 5 min ago" in page and ">12<" in page  # last contact, and the changes still waiting at the node
    assert "Recalls before a no-show" in page and "<del>2</del> → <ins>4</ins>" in page  # the conflict, shown


def test_a_regional_administrator_revokes_a_node_and_it_is_refused_from_then_on(app, client, auth, clock):
    node_id, bearer = _node(app, clock)
    auth.create("region", "admin", None)
    auth.login("region")
    assert client.post("/nodes/down", json={}, headers={"Authorization": f"Bearer {bearer}"}).status_code == 200
    assert client.post(f"/admin/nodes/{node_id}/revoke").status_code == 400  # no CSRF token: nothing done
    with app.app_context():
        assert kezek_db.session.get(Node, node_id).credential_hash is not None
    token = CSRF.search(client.get("/admin/nodes").get_data(as_text=True)).group(1)
    answer = client.post(f"/admin/nodes/{node_id}/revoke?lang=en", data={"csrf_token": token})
    assert answer.status_code == 303
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "demo-node revoked" in page and "revoked" in page
    refused = client.post("/nodes/down", json={}, headers={"Authorization": f"Bearer {bearer}"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "revoked"
    with app.app_context():
        node = kezek_db.session.scalar(select(Node).where(Node.id == node_id))
        assert node.revoked_at is not None
    assert client.post("/admin/nodes/9999/revoke", data={"csrf_token": token}).status_code == 404
