"""An administrator's device pages: adding a tablet, enrolment links shown once, the open web kiosk setting."""
from __future__ import annotations

import re

from sqlalchemy import select

from kezek.extensions import db
from kezek.models import AuditEntry, Cabinet, Device, Kiosk, Office

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
LINK = re.compile(r'<code class="enrolment-link">https?://[^/]+(/devices/enrol/[^<]+)</code>')


def test_an_administrator_enrols_a_kiosk_and_a_tablet_from_the_devices_page(app, auth, client):
    auth.create("boss", "admin", "taraz")
    auth.login("boss")
    page = client.get("/devices/offices/taraz?lang=en")
    assert page.status_code == 200 and "Devices of" in page.get_data(as_text=True)
    token = CSRF.search(page.get_data(as_text=True)).group(1)
    with app.app_context():
        kiosk_id = db.session.scalar(select(Kiosk.id).join(Office).where(Office.slug == "taraz"))
        cabinet_id = db.session.scalar(select(Cabinet.id).join(Office).where(Office.slug == "taraz"))
    shown = client.post(f"/devices/kiosks/{kiosk_id}/enrol?lang=en", data={"csrf_token": token})
    assert shown.status_code == 200 and "data:image/png;base64," in shown.get_data(as_text=True)
    link = LINK.search(shown.get_data(as_text=True)).group(1)
    kiosk_screen = app.test_client()
    assert kiosk_screen.post(link).status_code == 303
    assert kiosk_screen.get("/kiosk/taraz").status_code == 200

    added = client.post("/devices/offices/taraz/devices",
                        data={"kind": "tablet", "name": "Tablet at 1", "cabinet": str(cabinet_id), "csrf_token": token})
    assert added.status_code == 303
    assert client.post("/devices/offices/taraz/devices",
                       data={"kind": "tablet", "name": "No cabinet", "cabinet": "", "csrf_token": token}).status_code == 400
    with app.app_context():
        tablet = db.session.scalar(select(Device).where(Device.kind == "tablet", Device.name == "Tablet at 1"))
        assert db.session.scalar(select(Device).where(Device.name == "No cabinet")) is None
    shown = client.post(f"/devices/{tablet.id}/enrol", data={"csrf_token": token})
    tablet_screen = app.test_client()
    answer = tablet_screen.post(LINK.search(shown.get_data(as_text=True)).group(1))
    assert answer.headers["Location"].endswith(f"/reports/feedback/cabinet/{cabinet_id}")
    assert tablet_screen.get(answer.headers["Location"]).status_code == 200

    assert client.post("/devices/offices/taraz/open-web-kiosk",
                       data={"open_web_kiosk": "y", "csrf_token": token}).status_code == 303
    assert app.test_client().get("/kiosk/taraz").status_code == 200  # any browser, now
    with app.app_context():
        actions = [entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        assert {"device.enrolment_link", "device.enrolled", "device.add", "office.open_web_kiosk"} <= set(actions)
        assert db.session.scalar(select(AuditEntry.username).where(AuditEntry.action == "office.open_web_kiosk")) == "boss"


def test_devices_of_another_office_are_out_of_reach(app, auth, client):
    auth.create("merki-admin", "admin", "merki")
    auth.create("head", "manager", "taraz")
    auth.login("merki-admin")
    assert client.get("/devices/offices/taraz").status_code == 403
    token = auth.token()
    with app.app_context():
        kiosk_id = db.session.scalar(select(Kiosk.id).join(Office).where(Office.slug == "taraz"))
    assert client.post(f"/devices/kiosks/{kiosk_id}/enrol", data={"csrf_token": token}).status_code == 403
    assert client.post("/devices/kiosks/99999999999999999999/enrol", data={"csrf_token": token}).status_code == 404
    auth.login("head")  # a manager sees health but does not enrol
    assert client.get("/devices/offices/taraz").status_code == 403
