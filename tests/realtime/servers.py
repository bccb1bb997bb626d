"""A clerk and a visitor acting over HTTP on a real server (tests.conftest.LiveServer), for realtime runs."""
from __future__ import annotations

import re

import requests

CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


class Clerk:
    """The demo clerk working one cabinet through the console's HTTP commands."""

    def __init__(self, base: str, cabinet: str = "101", username: str = "clerk", password: str = "clerk"):
        self.base, self.http = base, requests.Session()
        token = CSRF.search(self.http.get(f"{base}/login").text).group(1)
        self.http.post(f"{base}/login", data={"username": username, "password": password, "csrf_token": token})
        page = self.http.get(f"{base}/console/").text
        ids = {number: cid for cid, number in re.findall(r'href="/console/(\d+)">\D*(\d+)', page)}
        self.cabinet_id = ids[cabinet]
        self.act("open")

    def token(self) -> str:
        """A CSRF token of the clerk's session, for the next command."""
        return CSRF.search(self.http.get(f"{self.base}/login").text).group(1)

    def act(self, action: str, token: str | None = None, **data) -> dict:
        """Send one console command (with `token`, or a fresh one); returns the console's state of the cabinet."""
        token = token or self.token()
        answer = self.http.post(f"{self.base}/console/{self.cabinet_id}/{action}", data=dict(data, csrf_token=token),
                                headers={"Accept": "application/json"}, timeout=10)
        answer.raise_for_status()
        return answer.json()

    def state(self) -> dict:
        """The console's state of the cabinet, changing nothing."""
        return self.http.get(f"{self.base}/console/{self.cabinet_id}/state", timeout=10).json()

    def call(self) -> str | None:
        """Call the next visitor (or get the one still called); returns the number."""
        current = self.act("call")["current"]
        return current["label"] if current else None

    def call_next(self) -> str | None:
        """Finish with the current visitor, then call the next."""
        self.finish()
        return self.call()

    def recall(self) -> None:
        """Announce the current number again."""
        current = self.state()["current"]
        self.act("recall", ticket_id=current["id"])

    def finish(self) -> None:
        """Finish with the current visitor, if there is one."""
        current = self.state()["current"]
        if current:
            self.act("finish", ticket_id=current["id"])


def take_ticket(base: str, prefix: str, office: str = "demo", service: str | None = None, device: str = "") -> str:
    """Take a ticket at the office's kiosk over HTTP (as the enrolled kiosk whose cookie is `device`, from
    `LiveServer.enrol()`; without it, as the demo office's open web kiosk); returns its phone code."""
    http = requests.Session()
    if device:
        name, _, value = device.partition("=")
        http.cookies.set(name, value)
    services = {"A": "social_assistance", "B": "social_assistance", "C": "unemployed_certificate",
                "D": "unemployed_certificate"}
    page = http.get(f"{base}/kiosk/{office}/service/{service or services[prefix]}").text
    kinds = dict((letter, kid) for kid, letter in re.findall(
        r'name="visit_kind" value="(\d+)">.*?choice-letter" aria-hidden="true">(\w)<', page, re.S))
    answer = http.post(f"{base}/kiosk/{office}/tickets", allow_redirects=False, data={
        "visit_kind": kinds[prefix], "lang": "kk", "kiosk": "", "csrf_token": CSRF.search(page).group(1)})
    assert answer.status_code == 303, (answer.status_code, answer.text[-400:])
    return answer.headers["Location"].split("/tickets/")[1].split("?")[0]
