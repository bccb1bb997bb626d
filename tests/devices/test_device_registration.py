"""Only registered kiosks issue tickets: enrolment links, unknown kiosk names, the kiosk-name attack, revoking."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from kezek.extensions import db
from kezek.models import AuditEntry, Device, Kiosk, Office, Ticket
from tests.conftest import kind_by_prefix
from tests.enrolment import enrol, enrolment_code


def ticket_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Ticket))


def post_tap(client, app, token: str, kiosk: str = "", office: str = "taraz"):
    with app.app_context():
        kind_id = kind_by_prefix(db.session, "A").id
    return client.post(f"/kiosk/{office}/tickets",
                       data={"visit_kind": kind_id, "lang": "kk", "kiosk": kiosk, "csrf_token": token})


def set_open_web_kiosk(app, office: str, value: bool) -> None:
    with app.app_context():
        db.session.execute(update(Office).where(Office.slug == office).values(open_web_kiosk=value))
        db.session.commit()


def test_a_page_for_an_unknown_kiosk_name_is_refused_in_the_visitors_language(client, app):
    page = client.get("/kiosk/taraz?kiosk=nosuch&lang=ru")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "«nosuch»" in text or "“nosuch”" in text
    assert "Талон не выдан" in text  # "no ticket was issued", in Russian
    assert client.get("/kiosk/taraz/service/social_assistance?kiosk=nosuch").status_code == 404
    # even an office that keeps an open web kiosk knows its kiosks' names
    set_open_web_kiosk(app, "taraz", True)
    assert client.get("/kiosk/taraz?kiosk=nosuch").status_code == 404
    assert client.get("/kiosk/taraz").status_code == 200


def test_a_browser_that_is_not_enrolled_sees_no_kiosk_and_issues_nothing(client, app, auth):
    page = client.get("/kiosk/taraz?lang=en")
    assert page.status_code == 403
    assert "not a registered kiosk of this office" in page.get_data(as_text=True)
    assert "What have you come for?" not in page.get_data(as_text=True)
    token = auth.token()
    assert post_tap(client, app, token).status_code == 403
    assert post_tap(client, app, token, kiosk="main").status_code == 403
    assert ticket_count(app) == 0


def test_the_kiosk_name_attack_issues_nothing(client, app, auth):
    """The attack of issue 17: a fresh `kiosk=` name on every post, from one address."""
    token = auth.token()
    answers = [post_tap(client, app, token, kiosk=f"k{n}").status_code for n in range(30)]
    assert ticket_count(app) == 0
    assert set(answers) <= {404, 429} and answers[:10] == [404] * 10
    # the same from an enrolled kiosk: it may not post as an unknown kiosk, nor as another one
    enrol(client, app)
    answers = [post_tap(client, app, token, kiosk=f"x{n}").status_code for n in range(5)]
    assert ticket_count(app) == 0 and set(answers) <= {404, 429}
    with app.app_context():
        taraz = db.session.scalar(select(Office.id).where(Office.slug == "taraz"))
        db.session.add(Kiosk(office_id=taraz, slug="hall", name="Hall"))
        db.session.commit()
    assert post_tap(client, app, token, kiosk="hall").status_code == 403
    assert "enrolled as the kiosk" in client.get("/kiosk/taraz?kiosk=hall&lang=en").get_data(as_text=True)
    assert ticket_count(app) == 0


def test_per_address_limit_holds_across_kiosk_names(client, app, auth):
    app.config["KIOSK_ADDRESS_LIMIT"] = "5 per minute"
    token = auth.token()
    answers = [post_tap(client, app, token, kiosk=f"k{n}").status_code for n in range(8)]
    assert answers[:5] == [404] * 5 and answers[5:] == [429] * 3


def test_an_open_web_kiosk_issues_under_its_own_strict_limit(client, app, auth):
    set_open_web_kiosk(app, "taraz", True)
    app.config["OPEN_KIOSK_LIMIT"] = "3 per minute"
    token = auth.token()
    answers = [post_tap(client, app, token).status_code for _ in range(5)]
    assert answers == [303, 303, 303, 429, 429]
    with app.app_context():
        assert db.session.scalars(select(Ticket.device_id)).all() == [None, None, None]
    # an enrolled kiosk of the same office is not held back by the open web kiosk's limit
    enrol(client, app)
    assert post_tap(client, app, token).status_code == 303


def test_an_enrolled_kiosk_issues_and_stops_when_revoked(client, app, auth, clock):
    enrol(client, app)
    token = auth.token()
    assert client.get("/kiosk/taraz").status_code == 200
    assert post_tap(client, app, token).status_code == 303
    with app.app_context():
        device = db.session.scalar(select(Device).where(Device.kind == "kiosk"))
        assert db.session.scalar(select(Ticket.device_id)) == device.id
        assert device.credential_hash and len(device.credential_hash) == 64  # stored hashed
        device_id = device.id
    auth.create("boss", "admin", "taraz")
    auth.login("boss")
    answer = client.post(f"/devices/{device_id}/revoke", data={"csrf_token": auth.token()})
    assert answer.status_code == 303
    assert client.get("/kiosk/taraz").status_code == 403
    assert post_tap(client, app, token).status_code == 403
    assert ticket_count(app) == 1
    with app.app_context():
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        assert "device.enrolled" in actions and "device.revoke" in actions


def test_an_enrolment_link_works_once_and_expires(client, app, clock):
    with app.app_context():
        code = enrolment_code(db.session, "taraz", now=clock())
        late = enrolment_code(db.session, "merki", now=clock())
        db.session.commit()
    assert "Enrol this device" in client.get(f"/devices/enrol/{code}?lang=en").get_data(as_text=True)
    assert client.post(f"/devices/enrol/{code}").status_code == 303
    assert client.post(f"/devices/enrol/{code}").status_code == 404
    assert client.get("/kiosk/taraz").status_code == 200
    clock.moment += timedelta(hours=25)
    other = app.test_client()
    assert other.post(f"/devices/enrol/{late}").status_code == 404
    assert other.get("/kiosk/merki").status_code == 403
    assert other.post("/devices/enrol/not-a-code").status_code == 404


def test_a_new_link_used_on_another_browser_replaces_the_old_credential(client, app):
    enrol(client, app)
    second = app.test_client()
    enrol(second, app)
    assert second.get("/kiosk/taraz").status_code == 200
    assert client.get("/kiosk/taraz").status_code == 403


def test_a_kiosk_of_one_office_is_no_kiosk_of_another(client, app):
    enrol(client, app, "merki")
    assert client.get("/kiosk/merki").status_code == 200
    assert client.get("/kiosk/taraz").status_code == 403


def test_a_forged_device_cookie_is_ignored(client, app):
    enrol(client, app)
    client.set_cookie("kezek_device", "WzEsImZvcmdlZCJd.invalid", domain="localhost")
    assert client.get("/kiosk/taraz").status_code == 403


def test_the_demo_kiosk_works_in_any_browser_and_the_demo_prints_enrolment_links(client, app):
    from kezek.commands import demo_enrolment_links

    assert client.get("/kiosk/demo").status_code == 200  # the README's first command: a working kiosk
    with app.app_context():
        links = dict(demo_enrolment_links("http://127.0.0.1:5000"))
    assert len(links) == 3
    tablet = app.test_client()
    path = links["Enrol as the tablet of cabinet 101"].removeprefix("http://127.0.0.1:5000")
    answer = tablet.post(path)
    assert answer.status_code == 303 and "/reports/feedback/cabinet/" in answer.headers["Location"]
    assert tablet.get(answer.headers["Location"]).status_code == 200


def test_the_devices_link_command_enrols_a_kiosk_from_the_shell(client, app, runner):
    result = runner.invoke(args=["devices", "link", "taraz", "main", "--base", "https://kezek.example"])
    assert result.exit_code == 0, result.output
    link = result.stdout.strip().splitlines()[0]
    assert link.startswith("https://kezek.example/devices/enrol/")
    assert client.post(link.removeprefix("https://kezek.example")).status_code == 303
    assert client.get("/kiosk/taraz").status_code == 200
    assert runner.invoke(args=["devices", "link", "taraz", "nosuch"]).exit_code != 0
    assert runner.invoke(args=["devices", "link", "atlantis", "main"]).exit_code != 0


def test_a_kiosk_revoked_by_another_server_process_is_refused_at_its_next_tap(client, app, auth, clock):
    """Each server process keeps the kiosk credentials it verified (kezek.known_devices); a revocation
    committed by another process (its own sessions, its own cache) is seen at the very next tap."""
    from kezek.devices.registry import revoke
    from kezek.sessions import session_factory
    from kezek.services import services

    enrol(client, app)
    token = auth.token()
    assert post_tap(client, app, token).status_code == 303
    assert post_tap(client, app, token).status_code == 303  # the second tap reads the kept credential
    other_process = session_factory(services(app).engine, expire_on_commit=False)
    with other_process() as session:
        revoke(session, None, session.scalar(select(Device).where(Device.kind == "kiosk")), clock())
        session.commit()
    assert post_tap(client, app, token).status_code == 403
    assert ticket_count(app) == 2
