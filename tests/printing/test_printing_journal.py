"""The print journal: reprints, a retry racing a reprint, jobs surviving a restart, printer state for staff."""
from __future__ import annotations

import time
from datetime import timedelta

from sqlalchemy import select

from fake_printer import STATUS_PAPER_OUT, refused_url
from kezek import create_app
from kezek.extensions import db as kezek_db
from kezek.models import CALLED, PrintJob, Ticket
from kezek.printing import PrintWorker, pending_jobs, printer_states, record_outcome, reprint
from kezek.seeding import create_user
from kezek.services import services, start_serving
from printing_helpers import find_kiosk, jobs_of, print_state, set_printer, ticket_code, wait_for
from tests.app.test_auth import sign_in


def ticket_id(app, code: str) -> int:
    with app.app_context():
        return kezek_db.session.scalar(select(Ticket.id).where(Ticket.code == code))


def printed_files(tmp_path) -> list:
    return sorted((tmp_path / "prints").glob("*.bin"))


def test_a_clerk_reprint_queues_a_second_job_that_prints(app, client, kiosk, clock, tmp_path):
    code = ticket_code(kiosk.take("A"))
    wait_for(lambda: print_state(client, code)["state"] == "sent")
    with app.app_context():
        job = reprint(kezek_db.session, ticket_id(app, code), clock())
        kezek_db.session.commit()
        assert job.status_url.endswith(f"/t/{code}") and job.kiosk.slug == "main"
        services(app).print_worker.submit(job.id)
    wait_for(lambda: [state for state, _, _ in jobs_of(app, code)] == ["sent", "sent"])
    assert len(printed_files(tmp_path)) == 2


def test_a_reprint_while_the_printer_is_down_prints_the_ticket_once(app, client, kiosk, clock, fake_printers):
    fake = fake_printers(STATUS_PAPER_OUT)
    set_printer(app, fake.url)
    code = ticket_code(kiosk.take("A"))
    wait_for(lambda: print_state(client, code) == {"state": "failed", "error": "paper_out"})
    with app.app_context():
        job = reprint(kezek_db.session, ticket_id(app, code), clock())
        kezek_db.session.commit()
        services(app).print_worker.submit(job.id)
    fake.behaviour = "ok"
    wait_for(lambda: print_state(client, code)["state"] == "sent")
    time.sleep(0.8)
    from escpos_reader import read_escpos

    assert read_escpos(bytes(fake.received)).cuts == 1
    assert [state for state, _, _ in jobs_of(app, code)] == ["superseded", "sent"]


def test_a_reprint_queued_while_a_retry_is_on_its_way_is_not_printed_again(app, db, kiosk, clock):
    set_printer(app, "agent://")  # nobody sends these jobs by themselves: the test plays the worker
    code = ticket_code(kiosk.take("A"))
    ticket = db.scalar(select(Ticket).where(Ticket.code == code))
    (first,) = db.scalars(select(PrintJob).where(PrintJob.ticket_id == ticket.id))
    # the retry has taken the first job and is sending it when the clerk presses "reprint"
    second = reprint(db, ticket.id, clock())
    db.commit()
    assert first.state == "superseded"
    record_outcome(db, first.id, None, clock())  # ... and the ticket came out after all
    db.commit()
    db.expire_all()
    assert (first.state, second.state) == ("sent", "superseded")
    assert pending_jobs(db, clock()) == []


def test_a_failed_send_never_revives_a_superseded_job(app, db, kiosk, clock):
    set_printer(app, "agent://")
    code = ticket_code(kiosk.take("A"))
    ticket = db.scalar(select(Ticket).where(Ticket.code == code))
    (first,) = db.scalars(select(PrintJob).where(PrintJob.ticket_id == ticket.id))
    second = reprint(db, ticket.id, clock())
    db.commit()
    record_outcome(db, first.id, "timeout", clock())
    db.commit()
    db.expire_all()
    assert (first.state, second.state) == ("superseded", "queued")
    assert [job.id for job in pending_jobs(db, clock())] == [second.id]


def test_only_recent_jobs_of_open_tickets_are_retried(app, db, kiosk, clock):
    set_printer(app, "agent://")
    codes = [ticket_code(kiosk.take("A")) for _ in range(3)]
    tickets = {t.code: t for t in db.scalars(select(Ticket))}
    tickets[codes[1]].status = CALLED
    db.commit()
    assert len(pending_jobs(db, clock())) == 3  # a called visitor may still want the paper
    tickets[codes[2]].status = "served"
    db.commit()
    assert len(pending_jobs(db, clock())) == 2
    assert pending_jobs(db, clock() + timedelta(hours=3)) == []


def test_queued_jobs_survive_a_restart_and_print_when_the_server_is_back(app, kiosk, tmp_path, clock, fake_printers):
    url = refused_url()
    set_printer(app, url)
    code = ticket_code(kiosk.take("A"))
    wait_for(lambda: jobs_of(app, code)[0][0] == "failed")
    services(app).print_worker.shutdown()  # the server stops
    fake = fake_printers("ok", port=int(url.rsplit(":", 1)[1]))
    again = create_app({
        "INSTANCE_PATH": str(tmp_path / "instance"), "DATABASE_URL": app.config["DATABASE_URL"],
        "SECRET_KEY": "test-secret", "TESTING": True, "PRINTER_URL": app.config["PRINTER_URL"], "CLOCK": clock,
        "PRINTER_TIMEOUT": 1.0,
    })
    try:
        start_serving(again)  # what a server does as it starts: the worker resumes the journal
        wait_for(lambda: jobs_of(again, code)[0][0] == "sent")
    finally:
        services(again).close()
    assert jobs_of(app, code) == [("sent", "", 2)]
    assert fake.connections >= 1


def test_the_worker_leaves_agent_kiosks_jobs_for_their_agent(app, client, kiosk):
    set_printer(app, "agent://")
    code = ticket_code(kiosk.take("A"))
    time.sleep(0.5)
    assert print_state(client, code) == {"state": "queued", "error": ""}
    assert services(app).print_worker.lanes == {}


def test_printer_states_give_the_last_outcome_and_the_live_status(app, db, client, kiosk, fake_printers):
    fake = fake_printers("ok")
    set_printer(app, fake.url)
    set_printer(app, refused_url(), office="merki")
    code = ticket_code(kiosk.take("A"))
    wait_for(lambda: print_state(client, code)["state"] == "sent")
    kiosks = [find_kiosk(db, "taraz"), find_kiosk(db, "merki")]
    taraz, merki = printer_states(db, kiosks, timeout=0.5)
    assert taraz["last_job"]["state"] == "sent" and taraz["unsent_jobs"] == 0
    assert taraz["status"] == {"online": True, "paper": "ok", "cover_open": False, "detail": "ready", "state": "ready"}
    assert merki["last_job"] is None and merki["status"]["online"] is False and merki["status"]["state"] == "offline"


def test_printer_state_endpoint_is_for_admins_and_managers_of_the_office(app, client):
    from tests.conftest import office_by_slug

    # no `db` fixture here: requests inside its app context would share one signed-in user through `g`
    with app.app_context():
        session = kezek_db.session
        create_user(session, "clerk1", "pw-clerk", "clerk", office_by_slug(session, "taraz"))
        create_user(session, "boss", "pw-boss", "manager", office_by_slug(session, "taraz"))
        create_user(session, "other", "pw-other", "manager", office_by_slug(session, "merki"))
        session.commit()
    assert client.get("/kiosk/taraz/printer-state").status_code in (302, 401)
    for username, expected in (("clerk1", 403), ("other", 403), ("boss", 200)):
        staff = app.test_client()
        sign_in(staff, username, f"pw-{username.replace('1', '')}")
        answer = staff.get("/kiosk/taraz/printer-state")
        assert answer.status_code == expected, username
    body = answer.get_json()
    assert body["office"] == "taraz" and [k["kiosk"] for k in body["kiosks"]] == ["main"]
    assert body["kiosks"][0]["status"]["online"] is True  # the default dummy printer


def test_a_worker_without_flask_sends_a_job(app, db, kiosk, tmp_path):
    set_printer(app, "agent://")
    code = ticket_code(kiosk.take("A"))
    worker = PrintWorker(services(app).sessions, f"dummy://{tmp_path / 'direct'}")
    job_id = db.scalar(select(PrintJob.id))
    find_kiosk(db, "taraz").printer_url = ""
    db.commit()
    try:
        assert worker.send(job_id) is None
    finally:
        worker.shutdown()
    assert jobs_of(app, code)[0][0] == "sent" and len(list((tmp_path / "direct").glob("*.bin"))) == 1
