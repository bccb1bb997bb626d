"""The centre applies a node's batches exactly once: a batch sent twice, a batch cut short, a batch out of order."""
from __future__ import annotations

import json

from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import Node, Office, OutboxEntry, VisitKind
from kezek.nodes.apply import apply_batch
from kezek.nodes.registry import NodeRefused
from kezek.queue.issuing import issue_ticket
from tests.nodes.conftest import count_rows, node_batch, outbox_keys, serve_a_morning, shipped_rows


def post(client, body, credential, node_id=1):
    """Post a batch to the centre as the node would."""
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/nodes/up", data=data, content_type="application/json",
                       headers={"Authorization": f"Bearer {node_id}.{credential}"})


def test_the_outbox_holds_every_change_in_order_and_nothing_of_a_change_rolled_back(node_app, clock):
    serve_a_morning(node_app, clock)
    with node_app.app_context():
        session = kezek_db.session
        tables = list(session.scalars(select(OutboxEntry.table_name).order_by(OutboxEntry.seq)))
        assert tables[0] == "ticket" and {"ticket_event", "wait_record"} <= set(tables)
        office = session.scalar(select(Office).where(Office.slug == "demo"))
        issue_ticket(session, office, session.scalar(select(VisitKind).order_by(VisitKind.id)), clock())
        session.rollback()  # the visitor's ticket was not issued after all: nothing to ship
        assert list(session.scalars(select(OutboxEntry.table_name).order_by(OutboxEntry.seq))) == tables


def test_a_batch_sent_twice_leaves_exactly_one_copy_of_each_row(node_app, app, db, client, clock, centre_node):
    node, credential = centre_node
    serve_a_morning(node_app, clock)
    batch = node_batch(node_app)
    last = batch["entries"][-1]["seq"]
    first = post(client, batch, credential)
    assert first.status_code == 200, first.get_json()
    assert first.get_json() == {"acked": last}
    again = post(client, batch, credential)  # the acknowledgement was lost: the node sends the same batch
    assert again.status_code == 200 and again.get_json() == {"acked": last}

    keys = outbox_keys(node_app)
    db.expire_all()
    with node_app.app_context():
        at_node = shipped_rows(kezek_db.session, keys)
        node_counts = count_rows(kezek_db.session)
    assert shipped_rows(db, keys) == at_node  # row by row, references by name
    assert count_rows(db) == node_counts  # and no row twice
    assert node_counts["ticket"] == 4 and node_counts["wait_record"] >= 2


def test_a_batch_cut_short_applies_nothing_and_the_whole_one_then_applies_once(node_app, app, db, client, clock,
                                                                              centre_node):
    node, credential = centre_node
    serve_a_morning(node_app, clock)
    batch = node_batch(node_app)
    text = json.dumps(batch)
    cut = post(client, text[: len(text) // 2], credential)  # the link dropped in the middle of the body
    assert cut.status_code == 400 and "nothing applied" in cut.get_json()["message"]
    assert count_rows(db)["ticket"] == 0

    # A batch that fails half-way (a row the centre cannot take) leaves none of its rows.
    broken = json.loads(text)
    broken["entries"][len(broken["entries"]) // 2]["row"]["wait_limit_minutes" if broken["entries"][
        len(broken["entries"]) // 2]["table"] == "ticket" else "uid"] = {"not": "a value"}
    refused = post(client, broken, credential)
    assert refused.status_code in (400, 409)
    db.expire_all()
    assert count_rows(db)["ticket"] == 0 and db.get(Node, node.id).acked_seq == 0

    # The first half got through before; then the whole batch comes: the first half is skipped.
    half = {"after": 0, "entries": batch["entries"][: len(batch["entries"]) // 2]}
    assert post(client, half, credential).status_code == 200
    whole = post(client, batch, credential)
    assert whole.status_code == 200 and whole.get_json()["acked"] == batch["entries"][-1]["seq"]
    db.expire_all()
    with node_app.app_context():
        assert count_rows(db) == count_rows(kezek_db.session)
        assert shipped_rows(db, outbox_keys(node_app)) == shipped_rows(kezek_db.session, outbox_keys(node_app))


def test_a_batch_out_of_order_is_refused_and_says_where_the_centre_is(node_app, app, db, client, clock, centre_node):
    node, credential = centre_node
    serve_a_morning(node_app, clock)
    batch = node_batch(node_app)
    later = {"after": 5, "entries": [entry for entry in batch["entries"] if entry["seq"] > 5]}
    gap = post(client, later, credential)
    assert gap.status_code == 409 and gap.get_json()["error"] == "gap" and gap.get_json()["acked"] == 0
    backwards = {"after": 0, "entries": list(reversed(batch["entries"][:3]))}
    refused = post(client, backwards, credential)
    assert refused.status_code == 400 and refused.get_json()["error"] == "order"
    db.expire_all()
    assert count_rows(db)["ticket"] == 0


def test_rows_of_another_office_and_unknown_names_are_refused(node_app, app, db, clock, centre_node):
    node, _ = centre_node
    serve_a_morning(node_app, clock, visitors=1)
    batch = node_batch(node_app)
    ticket = next(entry for entry in batch["entries"] if entry["table"] == "ticket")
    for change, code in ((("office_id", "taraz"), "office"), (("clerk_id", "nobody-here"), "unknown")):
        row = dict(ticket["row"], **{change[0]: change[1]})
        try:
            apply_batch(db, node, {"after": 0, "entries": [dict(ticket, row=row)]}, clock())
        except NodeRefused as refusal:
            assert refusal.code == code
        else:
            raise AssertionError(f"{change} was applied")
        finally:
            db.rollback()


def test_a_wrong_or_revoked_credential_ships_nothing(node_app, app, db, client, clock, centre_node):
    from kezek.nodes.registry import revoke

    node, credential = centre_node
    serve_a_morning(node_app, clock, visitors=1)
    batch = node_batch(node_app)
    assert post(client, batch, "not-the-credential").status_code == 401
    revoke(db, None, db.get(Node, node.id), clock())
    db.commit()
    refused = post(client, batch, credential)
    assert refused.status_code == 403 and refused.get_json()["error"] == "revoked"
    assert count_rows(db)["ticket"] == 0


def test_an_enrolment_code_works_once_and_bad_requests_get_a_clear_refusal(app, db, client, clock):
    from kezek.nodes.registry import add_node, new_enrolment

    office = db.scalar(select(Office).where(Office.slug == "demo"))
    node = add_node(db, None, office, "demo-node", clock())
    code = new_enrolment(db, None, node, clock())
    db.commit()
    first = client.post("/nodes/enrol", json={"code": code})
    assert first.status_code == 200 and first.get_json()["office"] == "demo" and first.get_json()["acked"] == 0
    assert client.post("/nodes/enrol", json={"code": code}).status_code == 403  # used
    for body in ({"code": 7}, {"code": "x" * 5000}, [], None):
        assert client.post("/nodes/enrol", json=body).status_code == 403
    credential = first.get_json()["credential"]
    for header in ("", "Bearer", "Bearer 1", f"Bearer x.{credential}", f"Bearer 99999999999.{credential}",
                   f"Basic {node.id}.{credential}"):
        assert client.post("/nodes/up", json={"after": 0, "entries": []}, headers={"Authorization": header}
                           ).status_code == 401, header
    ok = {"Authorization": f"Bearer {node.id}.{credential}"}
    assert client.post("/nodes/up", json={"after": 0, "entries": []}, headers=ok).get_json() == {"acked": 0}
    for body in ({"after": -1, "entries": []}, {"after": 0}, {"after": 0, "entries": [{"seq": 1}]},
                 {"after": 0, "entries": [{"seq": 1, "table": "user", "key": "k", "row": {}}]}, [1, 2]):
        answer = client.post("/nodes/up", json=body, headers=ok)
        assert answer.status_code == 400 and answer.get_json()["error"] == "batch", body
    huge = client.post("/nodes/up", data=b"{" + b" " * (9 * 1024 * 1024) + b"}", content_type="application/json",
                       headers=ok)
    assert huge.status_code == 413


def test_a_cabinet_the_office_added_at_its_node_is_added_at_the_centre_and_says_so(node_app, app, db, clock,
                                                                                    centre_node):
    """Cabinets are the office's own: one made at the node while the centre did not have it does not stop
    the node's rows; the centre adds it (serving nothing until an administrator says) and logs it."""
    from kezek.models import AuditEntry, Cabinet

    node, _ = centre_node
    serve_a_morning(node_app, clock, visitors=1)
    batch = node_batch(node_app)
    ticket = next(entry for entry in batch["entries"] if entry["table"] == "ticket" and entry["row"]["cabinet_id"])
    for hostile in ("", "x" * 21, "1\x00"):  # not a cabinet number: refused, nothing added
        try:
            apply_batch(db, node, {"after": 0, "entries": [dict(ticket, row=dict(ticket["row"], cabinet_id=hostile))]},
                        clock())
        except NodeRefused as refusal:
            assert refusal.code == "unknown"
        else:
            raise AssertionError(f"{hostile!r} was applied")
        finally:
            db.rollback()
    row = dict(ticket["row"], cabinet_id="115")  # a cabinet number the centre's demo office does not have
    apply_batch(db, node, {"after": 0, "entries": [dict(ticket, row=row)]}, clock())
    db.commit()
    added = db.scalar(select(Cabinet).where(Cabinet.number == "115"))
    assert added is not None and added.office_id == node.office_id and added.visit_kinds == []
    assert db.scalar(select(AuditEntry).where(AuditEntry.action == "node.cabinet_added")).detail == {"cabinet": "115"}
