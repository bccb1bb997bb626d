"""The print agent: a kiosk PC's own printer gets the kiosk's jobs from the server over HTTP, with a token."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from kezek.models import AuditEntry
from printer.agent import Agent, Server, ServerError, main
from printing_helpers import find_kiosk, jobs_of, print_state, ticket_code, wait_for


@pytest.fixture
def agent_token(app, runner) -> str:
    """A token from `kezek kiosk-token taraz main`, which hands the kiosk's printing to an agent."""
    result = runner.invoke(args=["kiosk-token", "taraz", "main"])
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[0]


@pytest.fixture
def server(app, serve_in_thread):
    """The app served over real HTTP on 127.0.0.1, as the agent meets it."""
    return serve_in_thread(app)


def run_agent(agent: Agent, until, seconds: float = 10.0):
    """Run the agent's loop in a thread until `until()` holds (or time is up), then stop it."""
    stop = threading.Event()
    thread = threading.Thread(target=agent.run, args=(stop,), daemon=True)
    thread.start()
    try:
        wait_for(until, seconds)
    finally:
        stop.set()
        thread.join(5)


def test_kiosk_token_command_stores_only_a_hash_and_switches_the_kiosk_to_its_agent(app, db, agent_token):
    kiosk = find_kiosk(db, "taraz")
    assert kiosk.printer_url == "agent://"
    assert len(agent_token) >= 40 and agent_token not in (kiosk.agent_token_hash or "")
    assert [e.action for e in db.scalars(select(AuditEntry))] == ["kiosk_agent_token"]


def test_kiosk_token_command_refuses_an_unknown_kiosk(runner):
    result = runner.invoke(args=["kiosk-token", "taraz", "nope"])
    assert result.exit_code != 0 and "no kiosk" in result.output


def test_the_agent_prints_jobs_missed_while_offline_and_reports_back(app, client, kiosk, agent_token, server, tmp_path):
    codes = [ticket_code(kiosk.take("A")) for _ in range(2)]  # taken while no agent was running
    assert [print_state(client, code)["state"] for code in codes] == ["queued", "queued"]
    agent = Agent(Server(server, "taraz", "main", agent_token), f"dummy://{tmp_path / 'agent'}", poll=0.1)
    run_agent(agent, lambda: all(print_state(client, code)["state"] == "sent" for code in codes))
    files = sorted((tmp_path / "agent").glob("*.bin"))
    assert len(files) == 2 and all(f.stat().st_size > 1000 for f in files)
    assert agent.printed == 2
    assert [jobs_of(app, code) for code in codes] == [[("sent", "", 1)], [("sent", "", 1)]]

    # a ticket taken while the agent runs is printed within a poll or two
    code = ticket_code(kiosk.take("A"))
    run_agent(agent, lambda: print_state(client, code)["state"] == "sent")
    assert len(list((tmp_path / "agent").glob("*.bin"))) == 3


def test_an_agent_whose_printer_fails_reports_the_reason_to_the_ticket_screen(app, client, kiosk, agent_token, server):
    from fake_printer import refused_url

    code = ticket_code(kiosk.take("A"))
    agent = Agent(Server(server, "taraz", "main", agent_token), refused_url(), timeout=0.5, poll=0.1,
                  retry_seconds=(5.0, 5.0))
    run_agent(agent, lambda: print_state(client, code) == {"state": "failed", "error": "refused"})
    # while the printer is down, a new ticket is said to be failed at the next poll, without a new timeout
    second = ticket_code(kiosk.take("A"))
    run_agent(agent, lambda: print_state(client, second) == {"state": "failed", "error": "refused"}, seconds=3)


def test_a_wrong_or_missing_agent_token_gets_403(app, client, agent_token, kiosk):
    code = ticket_code(kiosk.take("A"))
    headers = {"Authorization": "Bearer wrong-token", "Accept": "application/json"}
    assert client.get("/kiosk/taraz/agent/jobs?kiosk=main", headers=headers).status_code == 403
    assert client.get("/kiosk/taraz/agent/jobs?kiosk=main").status_code == 403
    assert client.get("/kiosk/merki/agent/jobs?kiosk=main",
                      headers={"Authorization": f"Bearer {agent_token}"}).status_code == 403  # another office's kiosk
    answer = client.post("/kiosk/taraz/agent/jobs/1?kiosk=main", json={"state": "sent"}, headers=headers)
    assert answer.status_code == 403
    assert print_state(client, code)["state"] == "queued"


def test_the_agent_endpoints_need_no_csrf_token_but_a_valid_report(app, client, agent_token, kiosk):
    code = ticket_code(kiosk.take("A"))
    headers = {"Authorization": f"Bearer {agent_token}"}
    jobs = client.get("/kiosk/taraz/agent/jobs?kiosk=main", headers=headers).get_json()["jobs"]
    assert [job["state"] for job in jobs] == ["queued"]
    url = f"/kiosk/taraz/agent/jobs/{jobs[0]['id']}?kiosk=main"
    assert client.post(url, json={"state": "lost"}, headers=headers).status_code == 400
    assert client.post(url, data="not json", headers=headers).status_code == 400
    answer = client.post(url, json={"state": "failed", "error": "paper_out"}, headers=headers)
    assert answer.status_code == 200 and answer.get_json()["state"] == "failed"
    assert print_state(client, code) == {"state": "failed", "error": "paper_out"}
    assert client.post(url, json={"state": "sent"}, headers=headers).get_json()["state"] == "sent"


def test_the_agent_says_when_the_server_refuses_its_token(server):
    with pytest.raises(ServerError) as caught:
        Server(server, "taraz", "main", "not-the-token").jobs()
    assert caught.value.status == 403


def test_the_agent_command_rejects_a_bad_printer_url(capsys):
    assert main(["--server", "http://127.0.0.1:9", "--kiosk", "taraz/main", "--token", "t", "--printer", "lpt://1"]) == 2
    assert "bad_url" in capsys.readouterr().err


@pytest.mark.parametrize(("behaviour", "state"), [
    ({1: 0x1A, 2: 0x32, 4: 0x72}, "paper_out"), ({1: 0x12, 2: 0x12, 4: 0x12}, "ready"),
    ({1: 0x00, 2: 0x00, 4: 0x00}, "unknown"), ("silent", "offline"),
])
def test_the_agent_passes_its_printers_status_bytes_and_the_server_decodes_them(
        app, client, kiosk, agent_token, server, fake_printers, behaviour, state):
    from kezek.extensions import db
    from kezek.models import Device
    from tests.enrolment import enrol

    enrol(client, app)  # the kiosk is an enrolled device: its printer state is shown on the health page
    printer = fake_printers(behaviour)
    agent = Agent(Server(server, "taraz", "main", agent_token), printer.url, timeout=0.5, poll=0.1)

    def reported():
        with app.app_context():
            device = db.session.scalar(select(Device).where(Device.kind == "kiosk"))
            return device.printer_checked_at is not None and device.printer_state

    run_agent(agent, reported)
    assert reported() == state  # a status the server does not understand is unknown, never ready
    answer = client.post("/devices/heartbeat", json={"page": "/kiosk/taraz", "version": "x"}).get_json()
    assert answer["printer"] == state  # the kiosk shows what the agent last reported
