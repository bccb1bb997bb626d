"""After sign-in, `?next=` leads only to a page of this site, however the address is disguised."""
from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

import pytest

from kezek.auth.redirects import safe_next

# Each as it is written in the address bar (the query is decoded once by the server).
BYPASSES = [
    "//evil.example", "///evil.example", "////evil.example/x", "/\\evil.example", "\\\\evil.example",
    "/\\/evil.example", "\\/evil.example", "/%09/evil.example", "/%0A/x", "/%0D/evil.example", "/%0d%0a/evil.example",
    "%09//evil.example", "%20//evil.example", "%00//evil.example", "/%5Cevil.example", "%2F%2Fevil.example",
    "/%2F/evil.example", "/%252F/evil.example", "%252F%252Fevil.example", "/%255Cevil.example", "/%2509/evil.example",
    "https://evil.example", "https:evil.example", "HTTPS://evil.example", "javascript:alert(1)",
    "http://localhost@evil.example", "//evil.example@localhost", "/%09%09/evil.example",
    "%5C%5Cevil.example", "/%5C/evil.example",
]


def browser_destination(location: str, base: str = "http://localhost/login") -> str:
    """Where a browser goes with this Location header: its host."""
    read = re.sub(r"[\t\n\r]", "", location.strip("".join(chr(c) for c in range(0x21)))).replace("\\", "/")
    return urlsplit(urljoin(base, read)).netloc


def sign_in_with_next(client, auth, raw_next: str):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    return client.post(f"/login?next={raw_next}", data={"username": "aigerim", "password": "pass-1234",
                                                        "csrf_token": token})


@pytest.mark.parametrize("raw_next", BYPASSES)
def test_a_disguised_foreign_address_is_not_followed_after_sign_in(client, auth, raw_next):
    auth.create("aigerim", "clerk", "taraz")
    answer = sign_in_with_next(client, auth, raw_next)
    assert answer.status_code == 302, "signed in, not an error"
    assert browser_destination(answer.headers["Location"]) == "localhost"
    assert answer.headers["Location"] == "/"


@pytest.mark.parametrize("raw_next, expected", [
    ("/kiosk/taraz", "/kiosk/taraz"),
    ("/reports/log%3Foffice%3D1%26start%3D2026-11-01", "/reports/log?office=1&start=2026-11-01"),
    ("/directory/%3Fq%3D%D0%A2%D0%B0%D1%80%D0%B0%D0%B7", "/directory/?q=Тараз"),
])
def test_a_page_of_this_site_is_followed(client, auth, raw_next, expected):
    auth.create("aigerim", "clerk", "taraz")
    answer = sign_in_with_next(client, auth, raw_next)
    assert answer.status_code == 302
    assert browser_destination(answer.headers["Location"]) == "localhost"
    assert urlsplit(answer.headers["Location"]).path == urlsplit(expected).path


@pytest.mark.parametrize("target", ["/\t/evil.example", "/\n/x", "/\r\n/evil.example", " //evil.example",
                                    "\x01//evil.example", "/\\evil.example", "/%2F/evil.example", None, "", "x"])
def test_the_rule_refuses_what_a_browser_would_read_as_another_host(target):
    assert safe_next(target) is None
