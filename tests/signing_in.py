"""Signing a member of staff in from a browser page, waiting until the sign-in has landed.

Clicking the form's button and going straight to another address can cancel the sign-in's POST
before the server answers it: the next page then finds nobody signed in.
"""

from __future__ import annotations


def sign_in_page(page, base: str, username: str, password: str, lang: str = "en") -> None:
    """Sign `username` in on `page` (a Playwright page) at the server `base`; returns once signed in."""
    page.goto(f"{base}/login?lang={lang}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form.stacked button[type=submit]").click()
    assert "/login" not in page.url, f"{username} was not signed in: {page.url}"
