"""The centre's compliance report says, per office served by a node, when it last synced and how far behind it is."""
from __future__ import annotations

from tests.nodes.conftest import node_batch, serve_a_morning
from tests.nodes.test_apply import post


def test_the_report_shows_when_each_node_last_synced_and_marks_its_figures_incomplete_until_all_arrived(
        node_app, app, db, client, clock, centre_node, auth):
    node, credential = centre_node
    serve_a_morning(node_app, clock)
    first = node_batch(node_app, 0, limit=5)
    assert post(client, first, credential, node.id).status_code == 200
    auth.create("region-boss", "regional_manager", None)
    auth.login("region-boss")
    page = client.get("/reports/?lang=en").get_data(as_text=True)
    assert 'id="nodes"' in page and "data-incomplete" in page  # the section, and its warning
    assert f"<td>{first['head'] - 5}</td>" in page  # the changes still waiting at the node when it last shipped

    rest = node_batch(node_app, 5)
    assert post(client, rest, credential, node.id).status_code == 200
    page = client.get("/reports/?lang=en").get_data(as_text=True)
    assert 'id="nodes"' in page and "data-incomplete" not in page
    assert "<td>0</td>" in page
