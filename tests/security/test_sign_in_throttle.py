"""Sign-in throttling per account across addresses; a guesser locks out neither an office nor an account holder."""
from __future__ import annotations

import pytest

from tests.conftest import CSRF


class Browser:
    """One browser at one address, signing in through the form."""

    def __init__(self, app, address: str):
        self.client = app.test_client()
        self.address = address

    def sign_in(self, username: str, password: str) -> int:
        environ = {"REMOTE_ADDR": self.address}
        page = self.client.get("/login", environ_base=environ).get_data(as_text=True)
        token = CSRF.search(page).group(1)
        answer = self.client.post("/login", data={"username": username, "password": password, "csrf_token": token},
                                  environ_base=environ)
        return answer.status_code

    def sign_out(self) -> None:
        page = self.client.get("/login", environ_base={"REMOTE_ADDR": self.address}).get_data(as_text=True)
        self.client.post("/logout", data={"csrf_token": CSRF.search(page).group(1)},
                         environ_base={"REMOTE_ADDR": self.address})


@pytest.fixture
def staff(auth):
    auth.create("aigerim", "clerk", "taraz", password="aigerim-pass-1")
    auth.create("bolat", "clerk", "taraz", password="bolat-pass-22")


def test_guesses_spread_over_addresses_are_counted_against_the_account(app, staff):
    answers = [Browser(app, f"203.0.113.{n}").sign_in("aigerim", f"guess-{n}-{i}") for n in (1, 2, 3) for i in range(9)]
    assert answers.count(401) == 10  # ten wrong passwords a minute, whatever the address
    assert answers.count(429) == 17
    # The right password from yet another unknown address waits too: the guesser cannot tell it worked.
    assert Browser(app, "203.0.113.4").sign_in("aigerim", "aigerim-pass-1") == 429


def test_the_account_holder_on_a_known_browser_is_never_locked_out(app, staff):
    holder = Browser(app, "10.1.1.20")
    assert holder.sign_in("aigerim", "aigerim-pass-1") == 302
    holder.sign_out()
    guesser = Browser(app, "198.51.100.7")
    assert [guesser.sign_in("aigerim", f"guess-{i}") for i in range(12)].count(429) == 2
    assert holder.sign_in("aigerim", "aigerim-pass-1") == 302
    holder.address = "10.9.9.9"  # the same laptop, another network
    holder.sign_out()
    assert holder.sign_in("aigerim", "aigerim-pass-1") == 302


def test_one_guesser_behind_the_offices_address_does_not_lock_out_the_office(app, staff):
    office = "192.0.2.10"  # every PC of the office reaches the server from this one address (NAT)
    colleague = Browser(app, office)
    assert colleague.sign_in("bolat", "bolat-pass-22") == 302
    colleague.sign_out()
    guesser = Browser(app, office)
    tries = [guesser.sign_in(f"user{i}", "guess") for i in range(12)]
    assert tries[-1] == 429  # the address's own limit still holds for unknown browsers
    assert colleague.sign_in("bolat", "bolat-pass-22") == 302


def test_a_known_browser_of_one_account_is_throttled_on_another(app, staff):
    browser = Browser(app, "10.1.1.21")
    assert browser.sign_in("bolat", "bolat-pass-22") == 302
    browser.sign_out()
    assert [browser.sign_in("aigerim", f"guess-{i}") for i in range(12)][10:] == [429, 429]


def test_a_known_browser_has_its_own_limit_on_its_account(app, staff):
    browser = Browser(app, "10.1.1.22")
    assert browser.sign_in("aigerim", "aigerim-pass-1") == 302
    browser.sign_out()
    tries = [browser.sign_in("aigerim", f"guess-{i}") for i in range(12)]
    assert tries[:10] == [401] * 10 and tries[10:] == [429, 429]


def test_a_forged_known_device_cookie_counts_for_nothing(app, staff):
    browser = Browser(app, "198.51.100.8")
    browser.client.set_cookie("kezek_device", "eyJpZCI6IngiLCJhY2NvdW50cyI6WyJhaWdlcmltIl19.forged", path="/login")
    assert [browser.sign_in("aigerim", f"guess-{i}") for i in range(12)][10:] == [429, 429]
