"""Changes that are allowed but almost surely a mistake are not saved until the administrator confirms them."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from kezek.extensions import db as kezek_db
from kezek.models import Cabinet, VisitKind
from tests.admin.admin_helpers import AdminPages
from tests.conftest import kind_by_prefix, office_by_slug


@pytest.fixture
def pages(client, auth):
    auth.create("root", "admin", None)
    auth.login("root")
    return AdminPages(client)


def limit_of(app, prefix: str) -> int:
    with app.app_context():
        return kind_by_prefix(kezek_db.session, prefix).wait_limit_minutes


def test_a_wait_limit_above_the_laws_is_saved_only_when_confirmed(app, pages):
    with app.app_context():
        kind_id = kind_by_prefix(kezek_db.session, "A").id  # hand in for social assistance: 30 minutes by law
    warned = pages.submit(f"/admin/kinds/{kind_id}?lang=en", {"wait_limit_minutes": "45"})
    page = warned.get_data(as_text=True)
    assert warned.status_code == 200 and "The law sets at most 30 minutes of waiting for this visit" in page
    assert 'name="confirmed"' in page and limit_of(app, "A") == 30
    assert pages.submit(f"/admin/kinds/{kind_id}?lang=en", {"wait_limit_minutes": "45", "confirmed": "1"}).status_code == 303
    assert limit_of(app, "A") == 45
    # Lowering a limit is no mistake: saved at once.
    assert pages.submit(f"/admin/kinds/{kind_id}", {"wait_limit_minutes": "20"}).status_code == 303
    assert limit_of(app, "A") == 20


def test_a_cabinet_in_use_with_no_visit_kinds_is_saved_only_when_confirmed(app, pages):
    warned = pages.submit("/admin/offices/taraz/cabinets/new?lang=ru", {"number": "305"})
    assert warned.status_code == 200
    assert "Этот кабинет не обслуживает ни одного вида приёма" in warned.get_data(as_text=True)
    with app.app_context():
        office = office_by_slug(kezek_db.session, "taraz")
        numbers = set(kezek_db.session.scalars(select(Cabinet.number).where(Cabinet.office_id == office.id)))
    assert "305" not in numbers
    assert pages.submit("/admin/offices/taraz/cabinets/new", {"number": "305", "confirmed": "1"}).status_code == 303


def test_an_office_whose_kiosk_would_offer_nothing_is_saved_only_when_confirmed(app, pages):
    with app.app_context():
        office = office_by_slug(kezek_db.session, "merki")
        for cabinet in kezek_db.session.scalars(select(Cabinet).where(Cabinet.office_id == office.id)):
            cabinet.visit_kinds = []
        kezek_db.session.commit()
    warned = pages.submit("/admin/offices/merki?lang=kk", {"recalls_before_no_show": "2"})
    assert warned.status_code == 200 and 'id="save-warnings"' in warned.get_data(as_text=True)
    with app.app_context():
        assert office_by_slug(kezek_db.session, "merki").recalls_before_no_show == 1
    assert pages.submit("/admin/offices/merki", {"recalls_before_no_show": "2", "confirmed": "1"}).status_code == 303
    with app.app_context():
        assert office_by_slug(kezek_db.session, "merki").recalls_before_no_show == 2
