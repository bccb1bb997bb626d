"""Enrolling test devices as an administrator does: a one-time enrolment code, used by the device's own browser.

One helper for every test and benchmark: `enrol` for a Flask test client, `enrol_over_http` for a real server.
"""
from __future__ import annotations

import http.client

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.devices.registry import kiosk_device, new_enrolment
from kezek.models import BOARD, KIOSK, TABLET, Cabinet, Device, Kiosk, Office, utcnow


def enrolment_code(session: Session, office: str, kiosk: str = "main", kind: str = KIOSK,
                   cabinet: int | None = None, now=None) -> str:
    """A fresh one-time code for the office's kiosk `kiosk`, its board, or the tablet of cabinet id `cabinet`."""
    office_row = session.scalar(select(Office).where(Office.slug == office))
    now = now or utcnow()
    if kind == KIOSK:
        row = session.scalar(select(Kiosk).where(Kiosk.office_id == office_row.id, Kiosk.slug == kiosk))
        device = kiosk_device(session, row, now)
    else:
        query = select(Device).where(Device.office_id == office_row.id, Device.kind == kind)
        if kind == TABLET:
            query = query.where(Device.cabinet_id == cabinet)
        device = session.scalars(query.order_by(Device.id)).first()
        if device is None:
            name = "Hall TV" if kind == BOARD else f"Tablet {session.get(Cabinet, cabinet).number}"
            device = Device(office_id=office_row.id, kind=kind, name=name, cabinet_id=cabinet, created_at=now)
            session.add(device)
            session.flush()
    return new_enrolment(session, None, device, now)


def enrol(client, app, office: str = "taraz", kiosk: str = "main", kind: str = KIOSK, cabinet: int | None = None):
    """Enrol the test client's browser as a device of `office` (see `enrolment_code`); the enrol answer."""
    from kezek.extensions import db

    with app.app_context():
        code = enrolment_code(db.session, office, kiosk, kind, cabinet, app.config["CLOCK"]())
        db.session.commit()
    answer = client.post(f"/devices/enrol/{code}")
    assert answer.status_code == 303, answer.get_data(as_text=True)
    return answer


def enrol_over_http(port: int, database_url: str, office: str = "demo", kiosk: str = "main", kind: str = KIOSK,
                    cabinet: int | None = None) -> str:
    """Enrol a device on the server at 127.0.0.1:`port` (database at `database_url`); its `Cookie` header value."""
    from kezek.models import make_engine

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            code = enrolment_code(session, office, kiosk, kind, cabinet)
            session.commit()
    finally:
        engine.dispose()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("POST", f"/devices/enrol/{code}")
        answer = connection.getresponse()
        answer.read()
        assert answer.status == 303, f"enrolment refused: HTTP {answer.status}"
        return answer.getheader("Set-Cookie").split(";", 1)[0]
    finally:
        connection.close()


def enrol_browser(page, base_url: str, code: str) -> None:
    """Enrol a Playwright page's browser as an administrator's link would: open it, press the button."""
    page.goto(f"{base_url}/devices/enrol/{code}")
    page.locator("form button").click()
    page.wait_for_load_state()
    assert "/devices/enrol/" not in page.url, "the enrolment link was refused"
