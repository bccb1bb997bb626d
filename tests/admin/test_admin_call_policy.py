"""An administrator picks an office's call rule, the balanced one included; a rule not on the list is refused."""
from __future__ import annotations

from sqlalchemy import select

from admin_helpers import AdminPages
from kezek.extensions import db as kezek_db
from kezek.models import Office


def test_an_office_can_be_set_to_the_balanced_rule_and_an_unknown_rule_is_refused(app, client, auth):
    auth.create("region-admin", "admin", None)
    auth.login("region-admin")
    pages = AdminPages(client)
    page = client.get("/admin/offices/taraz?lang=en").get_data(as_text=True)
    assert 'value="balanced"' in page and "not passed once they have waited longer than the queue" in page
    answer = pages.submit("/admin/offices/taraz", {"call_policy": "balanced"})
    assert answer.status_code == 303
    with app.app_context():
        assert kezek_db.session.scalar(select(Office.call_policy).where(Office.slug == "taraz")) == "balanced"
    refused = pages.submit("/admin/offices/taraz", {"call_policy": "newest_first"})
    assert refused.status_code == 400  # a clear refusal, nothing changed
    with app.app_context():
        assert kezek_db.session.scalar(select(Office.call_policy).where(Office.slug == "taraz")) == "balanced"
