"""Every staff page, as each role sees it, carries the visible language switch (Қазақша, Русский, English),
and following the switch shows the page in that language.

Pages are found the way the English-word crawler finds them (tests/i18n/test_no_english.py): from the app's
URL map with arguments filled from the database, and from the links of the pages visited.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from kezek.extensions import db
from tests.conftest import office_by_slug
from tests.i18n.test_no_english import (NOT_PAGES, ROLES, busy_day, crawl_key, sample_rows,  # noqa: F401
                                        urls_of_rules, with_lang)
from tests.i18n.words import links

# Screens for visitors, not staff: the kiosk and the phone page have their own switch, the hall board speaks
# both languages at once.
VISITOR_SCREENS = ("kiosk.", "display.", "phone.", "directory.kiosk")
# Pages each role must have reached, so a crawler that stops early cannot pass by checking nothing.
REACHED = {
    None: {"auth.login", "directory.index", "directory.entry"},
    "clerk": {"console.choose_cabinet", "console.cabinet_page", "auth.two_factor"},
    "manager": {"reports.compliance_page", "reports.log_page", "reports.annex2_page", "reports.decisions_page",
                "devices.health", "devices.void_burst"},
    "regional_manager": {"reports.compliance_page", "reports.log_page"},
    "admin": {"admin.index", "admin.office", "admin.users", "admin.audit", "admin.services", "devices.health",
              "directory.edit"},
}
MAX_PAGES = 250
SAME_ENDPOINT = 2
SWITCH = re.compile(r'<nav class="(?:langs|dir-langs)"[^>]*>(.*?)</nav>', re.S)
SWITCH_LINK = re.compile(r'<a lang="(kk|ru|en)" href="([^"]*)"')
PAGE_LANG = re.compile(r'<html lang="(\w+)"')


def switch_links(page: str) -> dict[str, str]:
    """The language switch's links by language, or {} when the page has no visible switch."""
    nav = SWITCH.search(page)
    if not nav or "hidden" in page[nav.start():nav.start() + 80]:
        return {}
    return {lang: href.replace("&amp;", "&") for lang, href in SWITCH_LINK.findall(nav.group(1))}


def staff_pages(app, client, role):
    """(url, endpoint, page) of every staff HTML page `role` can open, in Russian."""
    with app.app_context():
        taraz = office_by_slug(db.session, "taraz").id
        rows = sample_rows(db.session, None if role in ("regional_manager", "admin") else taraz)
    queue, _unfilled = urls_of_rules(app, rows)
    seen: dict[tuple, int] = {}
    visited: set[str] = set()
    while queue and len(visited) < MAX_PAGES:
        url = with_lang(queue.pop(0), "ru")
        key = crawl_key(app, url)
        if url in visited or seen.get(key, 0) >= SAME_ENDPOINT or key[0] in NOT_PAGES:
            continue
        visited.add(url)
        seen[key] = seen.get(key, 0) + 1
        answer = client.get(url)
        if answer.status_code != 200 or answer.mimetype != "text/html":
            continue
        page = answer.get_data(as_text=True)
        queue.extend(link for link in links(page) if urlsplit(link).path != "/logout")
        # Parts of a page fetched by its script (the console's panel and queue) are not pages.
        if PAGE_LANG.search(page) and not str(key[0]).startswith(VISITOR_SCREENS):
            yield url, key[0], page


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_page_has_the_language_switch_and_it_works(app, client, auth, busy_day, role):
    if role:
        auth.create(f"switch-{role}", role, None if role in ("regional_manager", "admin") else "taraz")
        auth.login(f"switch-{role}")
    missing, wrong, followed = [], [], set()
    endpoints = set()
    for url, endpoint, page in staff_pages(app, client, role):
        endpoints.add(endpoint)
        found = switch_links(page)
        if sorted(found) != ["en", "kk", "ru"]:
            missing.append(f"{url} ({endpoint}): {sorted(found)}")
            continue
        if endpoint in followed:
            continue
        followed.add(endpoint)
        for lang in ("kk", "en"):
            href = found[lang]
            answer = client.get(href)
            shown = PAGE_LANG.search(answer.get_data(as_text=True))
            same_page = urlsplit(href).path == urlsplit(url).path
            if answer.status_code != 200 or not shown or shown.group(1) != lang or not same_page:
                wrong.append(f"{url} -> {href}: {answer.status_code}, {shown and shown.group(1)}")
            elif dict(parse_qsl(urlsplit(href).query)).get("lang") != lang:
                wrong.append(f"{url} -> {href}: the link does not name {lang}")
    assert missing == [], "staff pages with no language switch:\n" + "\n".join(missing)
    assert wrong == [], "switch links that do not change the language:\n" + "\n".join(wrong)
    assert REACHED[role] <= endpoints, sorted(REACHED[role] - endpoints)
