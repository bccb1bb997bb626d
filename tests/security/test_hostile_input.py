"""Property tests: arbitrary Unicode in every form and JSON endpoint never answers 500 and stores nothing when refused."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kezek.models import AuditEntry, Base, Ticket, VisitKind
from tests.security.test_route_walk import sample_values

FIELDS = ["visit_kind", "lang", "kiosk", "ticket_id", "command_id", "visit_kind_id", "to_cabinet_id",
          "documents_correct", "username", "password", "q", "name_kk", "name_ru", "name_en", "phones",
          "emails", "wait_limit_minutes", "prefix", "number", "office", "role", "answer", "value", "date"]
hostile_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["<script>alert(1)</script>", "' OR 1=1 --", "\x00", "9" * 40, "-1", "../../etc/passwd",
                     "{{7*7}}", "%s%s%s", "\u202e", "Ә" * 5000]),
)
forms = st.dictionaries(st.sampled_from(FIELDS), hostile_text, max_size=8)


def post_routes(app, values) -> list[str]:
    found = []
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods or "agent" in rule.rule:
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+:)?{name}>", values.get(name, "1"), url)
        found.append(url)
    return sorted(found)


def counts(app) -> dict[str, int]:
    from kezek.extensions import db

    with app.app_context():
        return {table.name: db.session.scalar(select(func.count()).select_from(table)) for table in Base.metadata.sorted_tables}


@pytest.mark.parametrize("signed_in", [False, True])
def test_hostile_forms_never_break_anything(app, client, kiosk, auth, signed_in):
    values = sample_values(app, kiosk)
    if signed_in:
        auth.create("root", "admin", None)
        auth.login("root")
    token = kiosk.token()  # the session's CSRF token, from a page every visitor can open
    routes = post_routes(app, values)
    assert routes, "there are form endpoints to test"

    # No shrinking: each example walks every form endpoint, and a failure names the form that broke it.
    @settings(max_examples=15, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate],
              suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(form=forms, as_json=st.booleans())
    def check(form, as_json):
        for url in routes:
            before = counts(app)
            payload = dict(form, csrf_token=token)
            if as_json:
                answer = client.post(url, json=payload, headers={"X-CSRFToken": token})
            else:
                answer = client.post(url, data=payload)
            assert answer.status_code < 500, (url, form, answer.status_code)
            assert b"Traceback" not in answer.get_data()
            if answer.status_code >= 400:
                after = counts(app)
                changed = {k for k in after if after[k] != before[k] and k not in ("audit_entry",)}
                assert not changed, (url, form, changed)

    check()



@pytest.mark.parametrize("where", ["export query", "page query", "json", "form value"])
def test_a_nul_byte_in_a_request_is_refused_whole_and_stores_nothing(app, client, kiosk, auth, where):
    """No text column can hold a NUL byte (PostgreSQL refuses it mid-query): a streamed export asked for one
    answers a clear 400 instead of a file cut short after a 200; a JSON body or form carrying one stores
    nothing; on SQLite and PostgreSQL alike."""
    from kezek.extensions import db

    token = kiosk.token()
    with app.app_context():
        kind_id = db.session.scalar(select(VisitKind.id).where(VisitKind.prefix == "A"))
    form = {"visit_kind": kind_id, "lang": "kk", "kiosk": "", "csrf_token": token}
    if where.endswith("query"):
        auth.create("root", "admin", None)
        auth.login("root")
    before = counts(app)
    if where == "export query":
        answer = auth.client.get("/admin/audit.csv?user=ro%00ot")
    elif where == "page query":
        answer = auth.client.get("/reports/log?clerk=a%00&lang=ru")
    elif where == "json":
        answer = client.post("/devices/heartbeat", json={"page": "/display/taraz\x00", "version": "1"},
                             headers={"X-CSRFToken": token})
    else:
        answer = client.post("/kiosk/taraz/tickets", data=dict(form, lang="k\x00k"))
    assert answer.status_code == 400
    assert b"Traceback" not in answer.get_data()
    assert {k: v for k, v in counts(app).items() if k != "audit_entry"} == \
        {k: v for k, v in before.items() if k != "audit_entry"}
    if where == "export query":  # without the byte the export is whole, header and all
        assert auth.client.get("/admin/audit.csv?user=root").get_data(as_text=True).startswith("at_utc,")
    if where == "form value":  # the same form without the byte issues a ticket: the byte was refused
        assert client.post("/kiosk/taraz/tickets", data=form).status_code in (200, 201, 302, 303)
        assert counts(app)["ticket"] == before["ticket"] + 1
